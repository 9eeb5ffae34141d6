"""Forms for needs: residents' "Ik vind niet wat ik zoek", the desk, and the niche workflow."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from ..models.demand import NICHE_FILLED, NICHE_REJECTED, NICHE_STATUSES

URGENCY = [SelectChoice("", "— kies —"), SelectChoice("dringend", "Dringend, deze week"),
           SelectChoice("binnen een maand", "Binnen een maand"), SelectChoice("geen haast", "Geen haast")]
FREQUENCY = [SelectChoice("", "— kies —"), SelectChoice("eenmalig", "Eén keer"),
             SelectChoice("regelmatig", "Regelmatig (elke week of maand)")]


class NeedForm(FlaskForm):
    need = TextAreaField("Wat zoekt u?", validators=[
        DataRequired("Schrijf in een paar woorden wat u zoekt."), Length(max=500, message="Schrijf hoogstens 500 tekens.")])
    municipality = SelectField("In welke gemeente?", validators=[Optional()], validate_choice=False)
    urgency = SelectField("Hoe dringend is het?", choices=URGENCY, validators=[Optional()])
    frequency = SelectField("Hoe vaak hebt u het nodig?", choices=FREQUENCY, validators=[Optional()])

    def validate_municipality(self, field):
        if field.data and field.data not in {c.value for c in field.choices}:
            raise ValidationError("Kies een gemeente uit de lijst.")


class ResidentNeedForm(NeedForm):
    contact = StringField("Uw e-mailadres of telefoonnummer (niet verplicht)", validators=[Optional(), Length(max=200)])
    consent = BooleanField("Ja, de dienstenwijzer mag mij hierover contacteren")
    # Honeypot: hidden from people, filled in by spam robots.
    website = StringField("Laat dit veld leeg")

    def validate_consent(self, field):
        if self.contact.data and not field.data:
            raise ValidationError("Vink aan dat we u mogen contacteren, of laat uw gegevens weg.")


class NicheForm(FlaskForm):
    title = StringField("Naam van de niche", validators=[DataRequired("Geef de niche een naam."), Length(max=200)])
    status = SelectField("Status", choices=[SelectChoice(s, s) for s in NICHE_STATUSES])
    service_id = SelectField("Welke dienst vult deze niche nu in?", coerce=int, validate_choice=False)
    reason = TextAreaField("Waarom afgewezen?", validators=[Length(max=2000)])

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.status.data == NICHE_FILLED and not self.service_id.data:
            self.service_id.errors = [*self.service_id.errors, "Kies de dienst die de niche nu invult."]
            ok = False
        if self.status.data == NICHE_REJECTED and not (self.reason.data or "").strip():
            self.reason.errors = [*self.reason.errors, "Schrijf waarom de niche afgewezen wordt."]
            ok = False
        return ok


class MergeForm(FlaskForm):
    into = SelectField("Samenvoegen met", coerce=int, validators=[DataRequired("Kies de niche om mee samen te voegen.")],
                       validate_choice=False)
