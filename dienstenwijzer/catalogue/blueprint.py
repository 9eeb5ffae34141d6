"""The regisseur's back office lives under /<gebied>/beheer/."""

from flask import Blueprint

bp = Blueprint("catalogue", __name__, url_prefix="/<gebied>/beheer")
