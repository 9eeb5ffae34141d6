"""The form for one taught word: the word, and what residents mean by it."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, StringField
from wtforms.validators import DataRequired, Length

CATEGORY, SERVICE = "categorie", "dienst"


class WordForm(FlaskForm):
    term = StringField(
        "Woord of zin van inwoners",
        validators=[
            DataRequired("Typ het woord of de zin die inwoners gebruiken."),
            Length(max=120, message="Gebruik hoogstens 120 tekens."),
        ],
    )
    # "categorie:poetsen" or "dienst:12", in two groups of one list.
    target = SelectField(
        "Wat bedoelen ze ermee?",
        validate_choice=False,
        validators=[DataRequired("Kies een categorie of een dienst.")],
    )
    all_regions = BooleanField("Voor alle zorggebieden (alleen voor een categorie)")
    niche = HiddenField()  # "dit bedoelden ze": the niche it was taught from

    def target_parts(self) -> tuple[str, str] | None:
        kind, _, value = (self.target.data or "").partition(":")
        return (kind, value) if kind in (CATEGORY, SERVICE) and value else None
