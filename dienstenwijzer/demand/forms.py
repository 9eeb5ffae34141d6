"""Forms for needs: residents' "Ik vind niet wat ik zoek", the desk, and the niche workflow."""

from __future__ import annotations

import datetime as dt

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from ..models.demand import NICHE_FILLED, NICHE_REJECTED, NICHE_STATUSES
from .periods import DEFAULT, LONGEST_WEEKS, PRESETS, Period, custom, preset

CUSTOM = "eigen"
# The browser's date field sends 2026-03-01; typed by hand, Belgians write 1-3-2026 or 1/3/2026.
DATE_FORMATS = ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"]

URGENCY = [
    SelectChoice("", "— kies —"),
    SelectChoice("dringend", "Dringend, deze week"),
    SelectChoice("binnen een maand", "Binnen een maand"),
    SelectChoice("geen haast", "Geen haast"),
]
FREQUENCY = [
    SelectChoice("", "— kies —"),
    SelectChoice("eenmalig", "Eén keer"),
    SelectChoice("regelmatig", "Regelmatig (elke week of maand)"),
]


class NeedForm(FlaskForm):
    need = TextAreaField(
        "Wat zoekt u?",
        validators=[
            DataRequired("Schrijf in een paar woorden wat u zoekt."),
            Length(max=500, message="Schrijf hoogstens 500 tekens."),
        ],
    )
    municipality = SelectField("In welke gemeente?", validators=[Optional()], validate_choice=False)
    urgency = SelectField("Hoe dringend is het?", choices=URGENCY, validators=[Optional()])
    frequency = SelectField(
        "Hoe vaak hebt u het nodig?", choices=FREQUENCY, validators=[Optional()]
    )

    def validate_municipality(self, field):
        if field.data and field.data not in {c.value for c in field.choices}:
            raise ValidationError("Kies een gemeente uit de lijst.")


class ResidentNeedForm(NeedForm):
    contact = StringField(
        "Uw e-mailadres of telefoonnummer (niet verplicht)",
        validators=[Optional(), Length(max=200)],
    )
    consent = BooleanField("Ja, de dienstenwijzer mag mij hierover contacteren")
    # Honeypot: hidden from people, filled in by spam robots.
    website = StringField("Laat dit veld leeg")

    def validate_consent(self, field):
        if self.contact.data and not field.data:
            raise ValidationError("Vink aan dat we u mogen contacteren, of laat uw gegevens weg.")


class NicheForm(FlaskForm):
    title = StringField(
        "Naam van de niche", validators=[DataRequired("Geef de niche een naam."), Length(max=200)]
    )
    status = SelectField("Status", choices=[SelectChoice(s, s) for s in NICHE_STATUSES])
    service_id = SelectField(
        "Welke dienst vult deze niche nu in?", coerce=int, validate_choice=False
    )
    reason = TextAreaField("Waarom afgewezen?", validators=[Length(max=2000)])

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.status.data == NICHE_FILLED and not self.service_id.data:
            self.service_id.errors = [
                *self.service_id.errors,
                "Kies de dienst die de niche nu invult.",
            ]
            ok = False
        if self.status.data == NICHE_REJECTED and not (self.reason.data or "").strip():
            self.reason.errors = [*self.reason.errors, "Schrijf waarom de niche afgewezen wordt."]
            ok = False
        return ok


class MergeForm(FlaskForm):
    into = SelectField(
        "Samenvoegen met",
        coerce=int,
        validators=[DataRequired("Kies de niche om mee samen te voegen.")],
        validate_choice=False,
    )


class PeriodForm(FlaskForm):
    """The monitoring page's period picker (a GET form: it changes nothing)."""

    class Meta:
        csrf = False

    periode = RadioField(
        "Periode",
        default=DEFAULT,
        choices=[SelectChoice(k, label) for k, label, _ in PRESETS]
        + [SelectChoice(CUSTOM, "Zelf kiezen")],
        validators=[InputRequired("Kies een periode.")],
    )
    van = DateField(
        "Van", format=DATE_FORMATS, validators=[Optional()], description="Bijvoorbeeld 1-3-2026"
    )
    tot = DateField(
        "Tot en met",
        format=DATE_FORMATS,
        validators=[Optional()],
        description="Bijvoorbeeld 31-5-2026",
    )

    def __init__(self, *args, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.periode.data != CUSTOM:
            self.van.errors, self.tot.errors = [], []  # filled in but not chosen: ignored
            return self.periode.errors == []
        for field in (self.van, self.tot):
            if field.data is None and field.raw_data and field.raw_data[0].strip():
                field.errors = [
                    "Dit is geen datum. Schrijf dag-maand-jaar, bijvoorbeeld 15-3-2026."
                ]
        if self.van.data is None and not self.van.errors:
            self.van.errors.append("Vul de eerste dag van de periode in.")
        if self.tot.data is None and not self.tot.errors:
            self.tot.errors.append("Vul de laatste dag van de periode in.")
        if self.van.data and self.van.data > self.today:
            self.van.errors.append(
                "De eerste dag ligt in de toekomst. Kies vandaag of een dag ervoor."
            )
        if self.van.data and self.tot.data:
            if self.tot.data < self.van.data:
                self.tot.errors.append("De laatste dag ligt vóór de eerste dag.")
            elif (self.tot.data - self.van.data).days > LONGEST_WEEKS * 7:
                self.tot.errors.append("Kies een periode van hoogstens 3 jaar.")
        return ok and not (self.van.errors or self.tot.errors)

    def period(self) -> Period:
        if self.periode.data == CUSTOM:
            return custom(self.van.data, min(self.tot.data, self.today))
        return preset(self.periode.data, self.today)
