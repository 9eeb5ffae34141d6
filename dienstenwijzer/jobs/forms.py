"""Forms of the werkwinkel pages: eligibility profile, vacancy, referral, steps, rule sets."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from ..catalogue import rules as field_rules
from ..catalogue.forms import rule
from ..models.jobs import INSTRUMENTS, VACANCY_STATUSES
from . import referrals
from .rules import DIPLOMAS


class ProfileForm(FlaskForm):
    """The anonymous profile: never stored, only judged."""

    # Sent with POST only, so that the profile never lands in a URL or an access log.

    age = IntegerField("Leeftijd (in jaren)", validators=[
        InputRequired("Vul de leeftijd in, in jaren."),
        NumberRange(15, 99, "Vul een leeftijd tussen 15 en 99 jaar in."),
    ])
    diploma = SelectField("Hoogste diploma", choices=[SelectChoice("", "— kies —"), *(SelectChoice(k, v) for k, v in DIPLOMAS.items())],
                          validators=[DataRequired("Kies het hoogste diploma.")])
    months_job_seeker = IntegerField("Hoeveel maanden ingeschreven als werkzoekende?", validators=[
        InputRequired("Vul het aantal maanden in (0 als de persoon niet ingeschreven is)."),
        NumberRange(0, 600, "Vul een aantal maanden tussen 0 en 600 in."),
    ])
    registered_job_seeker = BooleanField("Ingeschreven als werkzoekende bij VDAB")
    social_assistance = BooleanField("Krijgt een leefloon of financiële maatschappelijke hulp (OCMW)")
    work_disability = BooleanField("Heeft een erkende arbeidshandicap")
    part_time_learner = BooleanField("Is deeltijds lerend (deeltijds onderwijs of leertijd)")
    postcode = StringField("Postcode van de woonplaats (niet verplicht)",
                           validators=[Optional(), rule(field_rules.postcode)])


class VacancyForm(FlaskForm):
    title = StringField("Functie", validators=[DataRequired("Geef de vacature een titel."), Length(max=200)])
    provider_id = SelectField("Aanbieder (werkgever)", coerce=int, validators=[DataRequired("Kies de aanbieder.")])
    description = TextAreaField("Omschrijving van het werk", validators=[
        DataRequired("Beschrijf het werk: wat doet de werknemer, wat wordt gevraagd?"),
        Length(max=5000, message="Schrijf hoogstens 5000 tekens."),
    ])
    instrument = SelectField("Instrument", choices=[SelectChoice("", "— kies —"), *(SelectChoice(k, v) for k, v in INSTRUMENTS.items())],
                             validators=[DataRequired("Kies het instrument van de sociale economie (of regulier).")])
    hours_per_week = IntegerField("Uren per week", validators=[
        InputRequired("Vul het aantal uren per week in."),
        NumberRange(1, 50, "Vul een aantal uren tussen 1 en 50 in."),
    ])
    # Choices: the zorggebied's municipalities (set by the view); anything else is refused.
    municipality = SelectField(
        "Plaats van het werk (gemeente)", validators=[DataRequired("Kies de gemeente waar het werk is.")],
        invalid_choice_message="Kies een gemeente uit de lijst: het werk is in dit zorggebied.")
    start_date = DateField("Begindatum (niet verplicht)", validators=[Optional()],
                           render_kw={"type": "date"})
    places = IntegerField("Aantal plaatsen", default=1, validators=[
        InputRequired("Vul het aantal plaatsen in."), NumberRange(1, 99, "Vul een aantal tussen 1 en 99 in."),
    ])
    status = SelectField("Status", choices=[SelectChoice(k, v) for k, v in VACANCY_STATUSES.items()], default="open")


def _reference(form, field):
    try:
        field.data = referrals.check_reference(field.data or "")
    except referrals.ReferralError as exc:
        raise ValidationError(str(exc)) from None


class ReferralForm(FlaskForm):
    token = HiddenField()
    reference = StringField("Referentie van de werkzoekende", validators=[
        DataRequired("Vul een referentie in die u zelf kiest. " + referrals.REFERENCE_HINT), _reference,
    ])
    appointment_at = DateTimeLocalField("Afspraak bij de aanbieder (niet verplicht)", validators=[Optional()],
                                        format="%Y-%m-%dT%H:%M")
    appointment_with = StringField("Bij wie? (medewerker van de aanbieder, niet verplicht)",
                                   validators=[Optional(), Length(max=120)])


class AppointmentForm(FlaskForm):
    appointment_at = DateTimeLocalField("Afspraak bij de aanbieder", validators=[Optional()], format="%Y-%m-%dT%H:%M")
    appointment_with = StringField("Bij wie? (medewerker van de aanbieder)", validators=[Optional(), Length(max=120)])


class RuleSetForm(FlaskForm):
    document = TextAreaField("Regelset (YAML)", validators=[
        DataRequired("Plak de regelset in YAML."), Length(max=100_000, message="Een regelset is hoogstens 100 000 tekens."),
    ])


class WerkwinkelContactForm(FlaskForm):
    contact = TextAreaField("Contact van de werkwinkel", validators=[
        DataRequired("Vul in hoe een werkzoekende of werkgever de werkwinkel bereikt."),
        Length(max=500, message="Schrijf hoogstens 500 tekens."),
    ])
