"""The residents' blueprint; its routes live in views.py, site_files.py and providers.py."""

from flask import Blueprint

bp = Blueprint("public", __name__)
