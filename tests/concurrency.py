"""Helpers for race tests: serve the app on a real socket in a thread, fire requests at once.

The werkzeug server handles each request in its own thread with its own app context and
database session, as a threaded production server would; the database decides who wins.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

from werkzeug.serving import WSGIRequestHandler, make_server


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):  # forty lines of access log per test help nobody
        pass


@contextmanager
def served(app) -> Iterator[str]:
    """The app on 127.0.0.1 (a free port), for as long as the block runs; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(10)


def at_once(count: int, call: Callable[[int], object]) -> list:
    """Run call(0) … call(count - 1) in parallel threads released by one barrier."""
    barrier = threading.Barrier(count)

    def run(i: int):
        barrier.wait(timeout=30)
        return call(i)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))
