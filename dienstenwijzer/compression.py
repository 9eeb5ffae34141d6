"""Gzip for residents' pages and the API, when the browser accepts it.

Search pages are mostly repeated markup: gzip makes them several times smaller, which counts
on a phone with a weak connection. Responses marked `Cache-Control: no-store` (the back office
and the werkwinkel: personal data beside form tokens and text the user typed, the mix that
compression side channels such as BREACH feed on) are sent as they are.
"""

from __future__ import annotations

from flask import Flask, Response
from flask_compress import Compress

compress = Compress()

MIMETYPES = [
    "text/html",
    "text/css",
    "text/csv",
    "text/plain",
    "application/json",
    "application/javascript",
    "image/svg+xml",
]


def init_app(app: Flask) -> None:
    app.config.setdefault("COMPRESS_REGISTER", False)  # we decide per response below
    app.config.setdefault("COMPRESS_ALGORITHM", ["gzip"])
    app.config.setdefault("COMPRESS_MIMETYPES", MIMETYPES)
    app.config.setdefault("COMPRESS_MIN_SIZE", 1000)
    # Streamed responses (static files) pass as they are: Flask-Compress reads them without
    # closing the file, and a front server compresses static files better anyway.
    app.config.setdefault("COMPRESS_STREAMS", False)
    compress.init_app(app)

    @app.after_request
    def _compress(response: Response) -> Response:
        if "no-store" in response.headers.get("Cache-Control", ""):
            return response
        return compress.after_request(response)
