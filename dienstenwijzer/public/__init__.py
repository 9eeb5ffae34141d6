"""Pages for residents. Importing the package registers all of its routes on `bp`."""

from . import print_pdf, printing, providers, site_files, views  # noqa: F401  (routes on bp)
from .blueprint import bp

__all__ = ["bp"]
