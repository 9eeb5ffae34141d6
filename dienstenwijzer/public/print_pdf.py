"""The print view as a PDF, to keep, mail or print at the werkwinkel desk.

WeasyPrint renders the same list (templates/public/_print_list.html) with an A4 stylesheet.
It needs Debian's Pango at run time; where that is missing, the link answers a Dutch page that
points to the browser's own printing instead of failing. The work per request is bounded by
printing.PRINT_LIMIT services.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path

from flask import current_app, make_response, render_template

from ..reference_cache import public_region_or_404
from .blueprint import bp
from .printing import print_context

Renderer = Callable[[str], bytes]


@bp.get("/<gebied>/zoeken/afdrukken.pdf")
def print_pdf(gebied: str):
    """A search's results as a PDF to print or send."""
    region = public_region_or_404(gebied)
    render = pdf_renderer()
    if render is None:
        return render_template("public/pdf_unavailable.html", region=region), 503
    context = print_context(region)
    pdf = render(render_template("public/print_pdf.html", **context))
    response = make_response(pdf)
    response.mimetype = "application/pdf"
    response.headers["Content-Disposition"] = (
        f'inline; filename="dienstenwijzer-{region.slug}-{context["printed_on"].isoformat()}.pdf"'
    )
    return response


def pdf_renderer() -> Renderer | None:
    """HTML to PDF bytes, or None when this server cannot make PDFs."""
    return _weasyprint_renderer(Path(current_app.static_folder) / "css" / "print-pdf.css")


@functools.cache
def _weasyprint_renderer(stylesheet: Path) -> Renderer | None:
    try:
        # Loads Pango through cffi: OSError when the system library is not installed.
        import weasyprint
    except (ImportError, OSError) as error:
        current_app.logger.warning("PDF unavailable, WeasyPrint does not load: %s", error)
        return None
    css = weasyprint.CSS(filename=str(stylesheet))

    def no_fetching(url: str, *args, **kwargs):
        # The page is complete in itself; nothing it names is fetched (no requests to anywhere).
        raise ValueError(f"not fetched: {url}")

    def render(html: str) -> bytes:
        return weasyprint.HTML(string=html, url_fetcher=no_fetching).write_pdf(stylesheets=[css])

    return render
