"""The search parameters shared by the search page and the JSON API, validated with WTForms."""

from __future__ import annotations

import datetime as dt
import re

from flask_wtf import FlaskForm
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict
from wtforms import BooleanField, IntegerField, SelectMultipleField, StringField
from wtforms.validators import (
    Length,
    NumberRange,
    Optional,
    StopValidation,
    ValidationError,
)

from ..models import Region
from ..paging import MAX_PAGE
from ..places import Place, Places
from ..reference_cache import category_labels
from ..search import Filters, SearchRequest

MAX_QUERY_LENGTH = 200
POSTCODE = re.compile(r"^[1-9][0-9]{3}$")
DISTANCES_KM = (2, 5, 10, 20, 50)


PAGE_MESSAGE = f"Een paginanummer is een getal van 1 tot {MAX_PAGE:,}.".replace(",", ".")


class PageField(IntegerField):
    """A page number within the limit every list keeps (paging.py), with a Dutch message."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(PAGE_MESSAGE) from None

    def pre_validate(self, form):
        if self.process_errors:  # said once, not again by NumberRange
            raise StopValidation()


class SearchForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search changes nothing

    q = StringField(
        "Wat zoekt u?",
        validators=[
            Optional(),
            Length(max=MAX_QUERY_LENGTH, message=f"Typ maximaal {MAX_QUERY_LENGTH} tekens."),
        ],
    )
    categorie = SelectMultipleField("Soort dienst", choices=[], validate_choice=False)
    gemeente = SelectMultipleField("Gemeente", choices=[], validate_choice=False)
    dienstencheques = BooleanField("Alleen met dienstencheques")
    # "Comes to me or is near me": a postcode or a municipality's name (search/areas.py).
    postcode = StringField(
        "Uw postcode of gemeente",
        validators=[
            Optional(),
            Length(max=60, message="Typ een postcode of de naam van een gemeente."),
        ],
    )
    km = IntegerField(
        "Hoe ver mag het zijn?",
        validators=[
            Optional(),
            NumberRange(min=1, max=100, message="Kies een afstand tussen 1 en 100 km."),
        ],
    )
    page = PageField(
        validators=[Optional(), NumberRange(min=1, max=MAX_PAGE, message=PAGE_MESSAGE)]
    )
    per_page = IntegerField(
        validators=[Optional(), NumberRange(min=1, max=50, message="Per pagina kan 1 tot 50.")]
    )

    def validate_categorie(self, field):
        unknown = [v for v in field.data if v not in self._category_ids]
        if unknown:
            raise ValidationError(f"Onbekende soort dienst: {', '.join(unknown)}.")

    def validate_gemeente(self, field):
        # Any municipality: a zorggebied's services also serve municipalities around it.
        unknown = [v for v in field.data if v not in self._places.by_nis]
        if unknown:
            raise ValidationError(f"Deze gemeente bestaat niet: {', '.join(unknown)}.")

    def validate_postcode(self, field):
        typed = (field.data or "").strip()
        if not typed:
            return
        if typed[:1].isdigit():
            if not POSTCODE.match(typed):
                raise ValidationError("Een postcode heeft 4 cijfers, bv. 9000.")
            if not self._places.postcodes.get(typed):
                raise ValidationError(f"Postcode {typed} bestaat niet.")
        elif self._places.find(typed)[0] is None:
            raise ValidationError(
                f"We kennen de gemeente “{typed}” niet. Typ de naam of de postcode."
            )

    def validate_km(self, field):
        if field.data and not self.postcode.data:
            raise ValidationError("Vul ook uw postcode of gemeente in om op afstand te zoeken.")


def build_form(session: Session, region: Region, places: Places, args: MultiDict) -> SearchForm:
    form = SearchForm(formdata=args)
    form._category_ids = frozenset(category_labels())
    form._municipality_codes = {m.nis_code for m in region.municipalities}
    form._places = places
    form.categorie.choices = sorted(form._category_ids)
    form.gemeente.choices = sorted(form._municipality_codes)
    return form


def resident_place(
    form: SearchForm, places: Places
) -> tuple[Place | None, tuple[float, float] | None]:
    """The resident's municipality and point from "Uw postcode of gemeente", if it validated."""
    typed = (form.postcode.data or "").strip()
    if not typed or form.postcode.errors:
        return None, None
    return places.find(typed)


def to_request(
    form: SearchForm, places: Places, default_per_page: int, hide_before: dt.date
) -> SearchRequest:
    """Only the fields that validated take part: a bad filter is reported and left out."""
    ok = lambda f: not f.errors
    home, origin = resident_place(form, places)
    if home is not None and origin is None and home.lat is not None:
        origin = (home.lat, home.lon)
    filters = Filters(
        categories=frozenset(form.categorie.data) if ok(form.categorie) else frozenset(),
        municipalities=frozenset(form.gemeente.data) if ok(form.gemeente) else frozenset(),
        dienstencheques=bool(form.dienstencheques.data),
        origin=origin,
        km=float(form.km.data) if form.km.data and ok(form.km) and origin else None,
        checked_since=hide_before.toordinal(),
        home=home.nis_code if home is not None and origin is not None else None,
    )
    return SearchRequest(
        text=(form.q.data or "").strip() if ok(form.q) else "",
        filters=filters,
        page=form.page.data if form.page.data and ok(form.page) else 1,
        per_page=form.per_page.data
        if form.per_page.data and ok(form.per_page)
        else default_per_page,
    )
