"""Ready-made bulk downloads: the tabular data package of each scope, built outside requests.

Building Flanders' zip takes tens of seconds at 20 000 services, longer than a worker timeout
at 100 000, so a request never builds one: it streams the file that is ready. One file per
scope (`vlaanderen` and each zorggebied) in OPEN_DATA_DIR, named by the data's version
(versions.py): a catalogue change makes the next request see that its file is missing.
The file is written under a temporary name and moved into place with os.replace, so a reader
sees a whole file or none; its mtime is set to the data's last change (the Last-Modified).
One process builds a scope at a time: the builder holds an exclusive flock on `<scope>.lock`,
the others skip. Until the new file is ready, the last one is served (with its own date).

Builders: `dienstenwijzer export-open-data` (after imports, and from cron) and, on first need,
a background thread of the process that got the request (`start_build`).
"""

from __future__ import annotations

import datetime as dt
import fcntl
import logging
import os
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from flask import Flask, current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..clock import utcnow
from ..db import db
from ..models import Region
from ..places import app_places
from . import links, queries, tabular, versions
from .hsds import PageUrl

log = logging.getLogger(__name__)

FLANDERS = "vlaanderen"
_builds: dict[str, threading.Thread] = {}
_builds_lock = threading.Lock()


@dataclass(frozen=True)
class Package:
    file: BinaryIO  # open: a builder may replace the path meanwhile, the reader keeps this one
    version: str
    stale: bool  # a newer version of the data exists; this is the last one built

    @property
    def last_modified(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(os.fstat(self.file.fileno()).st_mtime, dt.UTC)

    @property
    def size(self) -> int:
        return os.fstat(self.file.fileno()).st_size


def folder() -> Path:
    return Path(current_app.config["OPEN_DATA_DIR"])


def scope_name(region: Region | None) -> str:
    return region.slug if region is not None else FLANDERS


def current_version(session: Session, region: Region | None) -> str:
    return versions.data_version(
        session, queries.published_services(region), queries.organizations(region)
    )


def _file(directory: Path, scope: str, version: str) -> Path:
    return directory / f"{scope}-{version}.zip"


def _built(directory: Path, scope: str) -> list[Path]:
    """The scope's finished files, newest first (temporary files start with a dot)."""
    found = []
    for path in directory.glob(f"{scope}-*.zip"):
        try:
            found.append((path.stat().st_mtime_ns, path))
        except FileNotFoundError:  # deleted by a builder meanwhile
            continue
    return [path for _, path in sorted(found, reverse=True)]


def ready(session: Session, region: Region | None) -> Package | None:
    """The file to serve, opened: the current version's, else the last one built."""
    scope, directory = scope_name(region), folder()
    version = current_version(session, region)
    current = _file(directory, scope, version)
    for path in [current, *_built(directory, scope)] if directory.exists() else []:
        try:
            handle = path.open("rb")
        except FileNotFoundError:  # replaced meanwhile by a newer one
            continue
        return Package(handle, path.stem.removeprefix(f"{scope}-"), stale=path != current)
    return None


def build(session: Session, region: Region | None, page_url: PageUrl, package: dict) -> Path | None:
    """Build the scope's file for the data's current version, unless it exists or another
    process is building it (then None). Reads only; the caller's session is not committed."""
    scope, directory = scope_name(region), folder()
    directory.mkdir(parents=True, exist_ok=True)
    with (directory / f"{scope}.lock").open("a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return None  # another process builds it; its file will be there
        for leftover in directory.glob(f".{scope}-*.zip.tmp"):
            leftover.unlink(missing_ok=True)  # from a builder that was killed: we hold the lock
        services = queries.published_services(region)
        newest = queries.last_change(session, services)
        if newest is not None and not versions.settled(newest, utcnow()):
            # Let the second of the last change pass, so that the file's Last-Modified can
            # never be shared with a later change (versions.settled).
            time.sleep(1 - utcnow().microsecond / 1e6)
            newest = queries.last_change(session, services)
        version = current_version(session, region)
        target = _file(directory, scope, version)
        if target.exists():
            return target
        handle, temporary = tempfile.mkstemp(prefix=f".{scope}-", suffix=".zip.tmp", dir=directory)
        try:
            with os.fdopen(handle, "wb") as out:
                tabular.write_package(
                    session, services, queries.organizations(region), page_url, package, out
                )
                out.flush()
                os.fsync(out.fileno())
            if newest is not None:
                stamp = newest.replace(tzinfo=dt.UTC).timestamp()
                os.utime(temporary, (stamp, stamp))
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        for older in _built(directory, scope):
            if older != target:
                older.unlink(missing_ok=True)  # a reader that has it open keeps reading it
        return target


def start_build(app: Flask, scope: str, run: Callable[[], object]) -> None:
    """Run `run` (a build, in its own app context) in a background thread of this process,
    unless one for this scope is still running here."""

    def work() -> None:
        try:
            with app.app_context():
                run()
        except Exception:  # the next request or the command tries again
            log.exception("open data: building %s failed", scope)
        finally:
            with _builds_lock:
                _builds.pop(scope, None)

    with _builds_lock:
        if scope in _builds:
            return
        thread = threading.Thread(target=work, name=f"open-data-{scope}", daemon=True)
        _builds[scope] = thread
    thread.start()


def wait_for_builds(timeout: float = 120.0) -> None:
    """Wait for this process's background builds (tests, and the command before it exits)."""
    with _builds_lock:
        running = list(_builds.values())
    for thread in running:
        thread.join(timeout)


def build_scope(slug: str | None, base_url: str) -> Path | None:
    """Build one scope's file in the current app, with links under `base_url` (the site's
    public address). For the command and for background threads: its own session."""
    with current_app.test_request_context(base_url=base_url):
        try:
            region = db.session.scalar(select(Region).where(Region.slug == slug)) if slug else None
            return build(
                db.session,
                region,
                links.page_url(region, app_places()),
                links.package_descriptor(region),
            )
        finally:
            db.session.remove()
