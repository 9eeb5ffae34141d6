"""The project's own WSGI app (wsgi.py), with the answering worker's pid in a response header.

The benchmark needs the pid to check that an edit is findable in every gunicorn worker; one
header more is the only difference from `gunicorn wsgi:app`.
"""

import os

from wsgi import app as project_app


def app(environ, start_response):
    def start(status, headers, exc_info=None):
        headers.append(("X-Worker-Pid", str(os.getpid())))  # the worker's pid, not the master's
        return start_response(status, headers, exc_info)

    return project_app(environ, start)
