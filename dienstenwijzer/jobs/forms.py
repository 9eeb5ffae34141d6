"""Forms of the werkwinkel pages: eligibility profile, vacancy, referral, steps, rule sets."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    FieldList,
    Form,
    FormField,
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

from ..catalogue import field_rules
from ..catalogue.forms import rule
from ..models.jobs import INSTRUMENTS, VACANCY_STATUSES
from . import referrals
from .eligibility_rules import DIPLOMAS


class ProfileForm(FlaskForm):
    """The anonymous profile: never stored, only judged."""

    # Sent with POST only, so that the profile never lands in a URL or an access log.

    age = IntegerField(
        "Leeftijd (in jaren)",
        validators=[
            InputRequired("Vul de leeftijd in, in jaren."),
            NumberRange(15, 99, "Vul een leeftijd tussen 15 en 99 jaar in."),
        ],
    )
    diploma = SelectField(
        "Hoogste diploma",
        choices=[SelectChoice("", "— kies —"), *(SelectChoice(k, v) for k, v in DIPLOMAS.items())],
        validators=[DataRequired("Kies het hoogste diploma.")],
    )
    months_job_seeker = IntegerField(
        "Hoeveel maanden ingeschreven als werkzoekende?",
        validators=[
            InputRequired("Vul het aantal maanden in (0 als de persoon niet ingeschreven is)."),
            NumberRange(0, 600, "Vul een aantal maanden tussen 0 en 600 in."),
        ],
    )
    registered_job_seeker = BooleanField("Ingeschreven als werkzoekende bij VDAB")
    social_assistance = BooleanField(
        "Krijgt een leefloon of financiële maatschappelijke hulp (OCMW)"
    )
    work_disability = BooleanField("Heeft een erkende arbeidshandicap")
    part_time_learner = BooleanField("Is deeltijds lerend (deeltijds onderwijs of leertijd)")
    postcode = StringField(
        "Postcode van de woonplaats (niet verplicht)",
        validators=[Optional(), rule(field_rules.postcode)],
    )


class VacancyForm(FlaskForm):
    title = StringField(
        "Functie", validators=[DataRequired("Geef de vacature een titel."), Length(max=200)]
    )
    provider_id = SelectField(
        "Aanbieder (werkgever)", coerce=int, validators=[DataRequired("Kies de aanbieder.")]
    )
    description = TextAreaField(
        "Omschrijving van het werk",
        validators=[
            DataRequired("Beschrijf het werk: wat doet de werknemer, wat wordt gevraagd?"),
            Length(max=5000, message="Schrijf hoogstens 5000 tekens."),
        ],
    )
    instrument = SelectField(
        "Instrument",
        choices=[
            SelectChoice("", "— kies —"),
            *(SelectChoice(k, v) for k, v in INSTRUMENTS.items()),
        ],
        validators=[DataRequired("Kies het instrument van de sociale economie (of regulier).")],
    )
    hours_per_week = IntegerField(
        "Uren per week",
        validators=[
            InputRequired("Vul het aantal uren per week in."),
            NumberRange(1, 50, "Vul een aantal uren tussen 1 en 50 in."),
        ],
    )
    # Choices: the zorggebied's municipalities (set by the view); anything else is refused.
    municipality = SelectField(
        "Plaats van het werk (gemeente)",
        validators=[DataRequired("Kies de gemeente waar het werk is.")],
        invalid_choice_message="Kies een gemeente uit de lijst: het werk is in dit zorggebied.",
    )
    start_date = DateField(
        "Begindatum (niet verplicht)", validators=[Optional()], render_kw={"type": "date"}
    )
    places = IntegerField(
        "Aantal plaatsen",
        default=1,
        validators=[
            InputRequired("Vul het aantal plaatsen in."),
            NumberRange(1, 99, "Vul een aantal tussen 1 en 99 in."),
        ],
    )
    status = SelectField(
        "Status", choices=[SelectChoice(k, v) for k, v in VACANCY_STATUSES.items()], default="open"
    )


def _reference(form, field):
    try:
        field.data = referrals.check_reference(field.data or "")
    except referrals.ReferralError as exc:
        raise ValidationError(str(exc)) from None


class ReferralForm(FlaskForm):
    token = HiddenField()
    reference = StringField(
        "Referentie van de werkzoekende",
        validators=[
            DataRequired("Vul een referentie in die u zelf kiest. " + referrals.REFERENCE_HINT),
            _reference,
        ],
    )
    appointment_at = DateTimeLocalField(
        "Afspraak bij de aanbieder (niet verplicht)",
        validators=[Optional()],
        format="%Y-%m-%dT%H:%M",
    )
    appointment_with = StringField(
        "Bij wie? (medewerker van de aanbieder, niet verplicht)",
        validators=[Optional(), Length(max=120)],
    )


class AppointmentForm(FlaskForm):
    appointment_at = DateTimeLocalField(
        "Afspraak bij de aanbieder", validators=[Optional()], format="%Y-%m-%dT%H:%M"
    )
    appointment_with = StringField(
        "Bij wie? (medewerker van de aanbieder)", validators=[Optional(), Length(max=120)]
    )


class RuleSetForm(FlaskForm):
    document = TextAreaField(
        "Regelset (YAML)",
        validators=[
            DataRequired("Plak de regelset in YAML."),
            Length(max=100_000, message="Een regelset is hoogstens 100 000 tekens."),
        ],
    )


class WerkwinkelContactForm(FlaskForm):
    contact = TextAreaField(
        "Contact van de werkwinkel",
        validators=[
            DataRequired("Vul in hoe een werkzoekende of werkgever de werkwinkel bereikt."),
            Length(max=500, message="Schrijf hoogstens 500 tekens."),
        ],
    )


# -- the rule-set editor ---------------------------------------------------------------------

DATE_FORMATS = ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"]
DATE_MESSAGE = "Dit is geen datum. Schrijf dag-maand-jaar, bijvoorbeeld 1-7-2023."
ANY_YES_NO = [
    SelectChoice("", "maakt niet uit"),
    SelectChoice("ja", "ja"),
    SelectChoice("nee", "nee"),
]
EDITOR_RULES = 4  # ways to qualify the form offers; more is rare (the 2006 invoeg rules had 4)


def _count(label: str) -> IntegerField:
    return IntegerField(
        label, validators=[Optional(), NumberRange(0, 600, "Vul een getal van 0 tot 600 in.")]
    )


class RuleConditionsForm(Form):
    """One way to qualify: a reason and the conditions that must all hold (empty: any)."""

    class Meta:
        locales = ("nl",)  # a subform is a plain WTForms form: its own messages in Dutch too

    reason = TextAreaField(
        "Waarom komt iemand zo in aanmerking? (in gewone taal)",
        validators=[Optional(), Length(max=500, message="Schrijf hoogstens 500 tekens.")],
    )
    age_at_least = _count("Leeftijd: minstens … jaar")
    age_below = _count("Leeftijd: jonger dan … jaar")
    age_at_most = _count("Leeftijd: hoogstens … jaar")
    diploma_at_most = SelectField(
        "Diploma: hoogstens",
        default="",
        choices=[SelectChoice("", "maakt niet uit")]
        + [SelectChoice(code, label) for code, label in DIPLOMAS.items()],
    )
    months_at_least = _count("Werkzoekend: minstens … maanden")
    months_above = _count("Werkzoekend: meer dan … maanden")
    registered_job_seeker = SelectField(
        "Ingeschreven als werkzoekende bij VDAB", choices=ANY_YES_NO, default=""
    )
    social_assistance = SelectField(
        "Leefloon of financiële maatschappelijke hulp", choices=ANY_YES_NO, default=""
    )
    work_disability = SelectField(
        "Erkende arbeidshandicap of arbeidsbeperking", choices=ANY_YES_NO, default=""
    )
    part_time_learner = SelectField("Deeltijds lerend", choices=ANY_YES_NO, default="")

    def has_conditions(self) -> bool:
        return any(f.data not in (None, "") for f in self if f.name.split("-")[-1] != "reason")


class RuleSetEditorForm(FlaskForm):
    instrument = SelectField(
        "Voor welk instrument?", choices=[SelectChoice(k, v) for k, v in INSTRUMENTS.items()]
    )
    title = StringField(
        "Naam van de regelset",
        validators=[
            DataRequired("Geef de regelset een naam, bijvoorbeeld “Wijk-werken”."),
            Length(max=200),
        ],
    )
    legal_title = StringField(
        "Regelgeving: titel",
        validators=[
            DataRequired(
                "Vul de titel van de regelgeving in, bijvoorbeeld “Decreet van 7 juli 2017 betreffende wijk-werken”."
            ),
            Length(
                min=10,
                max=300,
                message="Schrijf de titel van de regelgeving voluit (10 tot 300 tekens).",
            ),
        ],
    )
    legal_date = DateField("Regelgeving: datum", format=DATE_FORMATS, validators=[Optional()])
    legal_reference = StringField(
        "Regelgeving: link of vindplaats",
        validators=[Optional(), Length(max=500, message="Schrijf hoogstens 500 tekens.")],
    )
    effective_from = DateField(
        "Geldt vanaf",
        format=DATE_FORMATS,
        validators=[InputRequired("Vul de dag in vanaf wanneer de regels gelden.")],
    )
    valid_until = DateField(
        "Geldt tot en met (leeg: tot er nieuwe regels zijn)",
        format=DATE_FORMATS,
        validators=[Optional()],
    )
    not_eligible = TextAreaField(
        "Wat leest de consulent als iemand niet in aanmerking komt?",
        validators=[Optional(), Length(max=1000, message="Schrijf hoogstens 1 000 tekens.")],
    )
    rules = FieldList(
        FormField(RuleConditionsForm), min_entries=EDITOR_RULES, max_entries=EDITOR_RULES
    )

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        for f in (self.legal_date, self.effective_from, self.valid_until):
            if f.data is None and f.raw_data and f.raw_data[0].strip():
                f.errors = [DATE_MESSAGE]
                ok = False
        if (
            self.effective_from.data
            and self.valid_until.data
            and self.valid_until.data < self.effective_from.data
        ):
            self.valid_until.errors.append(
                "Deze dag ligt vóór de dag vanaf wanneer de regels gelden."
            )
            ok = False
        filled = [r for r in self.rules if (r.reason.data or "").strip()]
        for entry in self.rules:
            if entry.has_conditions() and not (entry.reason.data or "").strip():
                entry.reason.errors.append(
                    "Schrijf waarom iemand met deze voorwaarden in aanmerking komt."
                )
                ok = False
        if not filled:
            self.rules.entries[0].reason.errors.append(
                "Beschrijf minstens één manier om in aanmerking te komen (zonder voorwaarden: iedereen)."
            )
            ok = False
        if any(r.has_conditions() for r in filled) and not (self.not_eligible.data or "").strip():
            self.not_eligible.errors.append(
                "Schrijf in gewone taal wanneer iemand niet in aanmerking komt."
            )
            ok = False
        return ok
