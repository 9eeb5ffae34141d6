"""Forms for logging in and setting passwords, and for admins managing users."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from ..models.accounts import ROLE_LABELS, ROLES
from .passwords import MAX_LENGTH, password_problem


def _strong(form, field):
    # The view sets `personal` to the account's e-mail and name words (passwords.personal_words).
    problem = password_problem(field.data or "", getattr(form, "personal", ()))
    if problem:
        raise ValidationError(problem)


class LoginForm(FlaskForm):
    email = EmailField(
        "E-mailadres", validators=[DataRequired("Vul uw e-mailadres in."), Length(max=200)]
    )
    password = PasswordField(
        "Wachtwoord", validators=[DataRequired("Vul uw wachtwoord in."), Length(max=MAX_LENGTH)]
    )


class NewPasswordForm(FlaskForm):
    password = PasswordField(
        "Nieuw wachtwoord", validators=[DataRequired("Kies een nieuw wachtwoord."), _strong]
    )
    confirm = PasswordField(
        "Herhaal het nieuwe wachtwoord",
        validators=[
            DataRequired("Herhaal het nieuwe wachtwoord."),
            EqualTo("password", "De twee wachtwoorden zijn niet gelijk."),
        ],
    )


class ChangePasswordForm(NewPasswordForm):
    current = PasswordField(
        "Huidig wachtwoord", validators=[DataRequired("Vul uw huidige wachtwoord in.")]
    )


class UserForm(FlaskForm):
    email = EmailField(
        "E-mailadres",
        validators=[
            DataRequired("Vul een e-mailadres in."),
            Email("Dit is geen geldig e-mailadres."),
            Length(max=200),
        ],
    )
    name = StringField("Naam", validators=[Length(max=120)])
    role = SelectField("Rol", choices=[SelectChoice(r, ROLE_LABELS[r]) for r in ROLES])
    region = SelectField("Zorggebied", choices=[], validate_choice=False)
    active = BooleanField("Account actief", default=True)

    def validate_region(self, field):
        valid = {choice.value for choice in field.choices if choice.value}
        if self.role.data != "admin" and field.data not in valid:
            raise ValidationError("Kies het zorggebied van deze regisseur of consulent.")
