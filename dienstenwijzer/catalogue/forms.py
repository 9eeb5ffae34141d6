"""Back-office forms. Field rules come from catalogue.field_rules, shared with the CSV import."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from ..places import Places
from . import field_rules


def rule(check):
    """A WTForms validator from a rules.* function; the cleaned value replaces the input."""

    def validator(form, field):
        if field.data:
            try:
                field.data = check(field.data)
            except field_rules.RuleError as exc:
                message = str(exc)
                raise ValidationError(message[0].upper() + message[1:] + ".") from None

    return validator


def _capital(text: str) -> str:
    return text[0].upper() + text[1:] + "."


class AddressMixin:
    """Street, postcode and municipality that must agree with each other."""

    street = StringField("Straat en huisnummer", validators=[Optional(), Length(max=200)])
    postcode = StringField("Postcode", validators=[Optional(), rule(field_rules.postcode)])
    town = StringField("Gemeente", validators=[Optional(), Length(max=80)])
    phone = StringField(
        "Telefoon", validators=[Optional(), Length(max=40), rule(field_rules.phone)]
    )
    email = StringField(
        "E-mailadres", validators=[Optional(), Length(max=200), rule(field_rules.email)]
    )
    website = StringField(
        "Website", validators=[Optional(), Length(max=300), rule(field_rules.website)]
    )

    def address_values(self, nis: str | None) -> dict:
        """The checked address and contact fields, for editing.AddressData."""
        return {
            "street": self.street.data or None,
            "postcode": self.postcode.data or None,
            "municipality_nis": nis,
            "phone": self.phone.data or None,
            "email": self.email.data or None,
            "website": self.website.data or None,
        }

    def check_address(self, places: Places) -> str | None:
        """Validate postcode against municipality; returns the address's NIS code."""
        if self.postcode.errors:
            return None
        try:
            return field_rules.address(
                places, self.postcode.data or None, (self.town.data or "").strip() or None
            )
        except field_rules.FieldRuleError as exc:
            target = self.postcode if exc.column == "postcode" else self.town
            target.errors = [*target.errors, _capital(str(exc))]
            return None


class ServiceForm(AddressMixin, FlaskForm):
    name = StringField(
        "Naam van de dienst", validators=[DataRequired("Geef de dienst een naam."), Length(max=200)]
    )
    provider_id = SelectField(
        "Aanbieder", coerce=int, validators=[DataRequired("Kies de aanbieder.")]
    )
    description = TextAreaField(
        "Omschrijving", validators=[DataRequired("Beschrijf wat de dienst doet."), Length(max=5000)]
    )
    categories = SelectMultipleField(
        "Soort dienst", validators=[DataRequired("Kies minstens één soort dienst.")]
    )
    served_region = SelectMultipleField("Voor inwoners van")
    served_other = StringField("Andere gemeenten", validators=[Optional(), Length(max=500)])
    dienstencheques = BooleanField("Betalen met dienstencheques kan")
    price = StringField("Prijs", validators=[Optional(), Length(max=300)])
    target_group = StringField("Voor wie", validators=[Optional(), Length(max=300)])
    opening_hours = StringField("Openingsuren", validators=[Optional(), Length(max=300)])
    external_id = StringField(
        "Eigen referentie (extern_id)", validators=[Optional(), Length(max=100)]
    )

    def check_all(
        self, places: Places, categories_by_id: dict
    ) -> tuple[bool, str | None, list[str]]:
        """Field validation plus the rules across fields; returns (ok, address nis, served nis)."""
        ok = self.validate()
        nis = self.check_address(places)
        served = list(self.served_region.data or [])
        for part in field_rules.split_list(self.served_other.data or ""):
            try:
                code = field_rules.municipality(places, part, "gemeenten").nis_code
            except field_rules.FieldRuleError as exc:
                self.served_other.errors = [*self.served_other.errors, _capital(str(exc))]
                continue
            if code not in served:
                served.append(code)
        if not served and not self.served_other.errors:
            self.served_region.errors = [
                *self.served_region.errors,
                "Kies minstens één gemeente waar de dienst werkt.",
            ]
        chosen = [categories_by_id[c] for c in self.categories.data or [] if c in categories_by_id]
        if self.dienstencheques.data and chosen and not field_rules.dienstencheques_allowed(chosen):
            self.dienstencheques.errors = [
                *self.dienstencheques.errors,
                _capital(field_rules.DIENSTENCHEQUES_REFUSED),
            ]
        has_errors = any(f.errors for f in self)
        return ok and not has_errors, nis, served


class ProviderForm(AddressMixin, FlaskForm):
    name = StringField(
        "Naam van de aanbieder",
        validators=[DataRequired("Geef de aanbieder een naam."), Length(max=200)],
    )


class ImportForm(FlaskForm):
    file = FileField(
        "CSV-bestand",
        validators=[
            FileRequired("Kies een CSV-bestand."),
            FileAllowed(["csv", "txt"], "Kies een bestand dat eindigt op .csv."),
        ],
    )


class ReportForm(FlaskForm):
    message = TextAreaField(
        "Wat klopt er niet?",
        validators=[
            DataRequired("Schrijf wat er niet klopt."),
            Length(max=2000, message="Schrijf hoogstens 2000 tekens."),
        ],
    )
    contact_email = StringField(
        "Uw e-mailadres (niet verplicht)",
        validators=[Optional(), Length(max=200), rule(field_rules.email)],
    )
    contact_consent = BooleanField("Ja, de regisseur mag mij hierover contacteren")
    # Honeypot: hidden from people, filled in by spam robots.
    website = StringField("Laat dit veld leeg")

    def validate_contact_consent(self, field):
        if self.contact_email.data and not field.data:
            raise ValidationError(
                "Vink aan dat we u mogen contacteren, of laat uw e-mailadres weg."
            )
