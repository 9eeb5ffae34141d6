"""Where the index lives on disk: generations of per-zorggebied indexes behind a symlink.

    INDEX_DIR/current -> gen-<time>-<rand>/
    INDEX_DIR/gen-…/regions/<slug>/   one Whoosh index per zorggebied
    INDEX_DIR/gen-…/applied.json      how far this generation has applied the outbox
    INDEX_DIR/gen-…/vocabulary/<slug>.txt  surface words and counts, for typo correction
    INDEX_DIR/gen-…/apply.lock        held while one process applies the outbox
    INDEX_DIR/gen-…/format            the schema and analyzer versions it was built with
    INDEX_DIR/gen-…/checked           touched when the self-check last compared it with the database

A rebuild writes a fresh generation and swaps the symlink atomically; readers notice the
swap by the symlink's target and reopen.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import fcntl
import json
import os
import secrets
import shutil
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import index

from .schema import INDEX_FORMAT, build_schema

CURRENT = "current"
KEEP_OLD_GENERATIONS = 1


# Ids that stay unseen this long were rolled back (or belong to a transaction the self-check
# will catch): stop looking for them. Longer than any import's write transaction.
GAP_PATIENCE = dt.timedelta(hours=1)


@dataclass
class AppliedState:
    """How far a generation has applied the outbox, without ever skipping a committed row.

    Every id <= `upto` has been applied, except the ids in `gaps`: ids below a seen id that were
    not visible yet (a transaction still open when a later one committed, as PostgreSQL allows,
    or one that rolled back). Each apply looks for them again until they appear or are older
    than GAP_PATIENCE. A high-water mark alone would move past the late committer's rows.
    """

    upto: int = 0
    gaps: list[tuple[int, int, str]] = field(default_factory=list)  # (first, last, since ISO)

    def to_json(self) -> str:
        return json.dumps({"upto": self.upto, "gaps": [list(g) for g in self.gaps]})

    @classmethod
    def from_json(cls, text: str) -> AppliedState:
        data = json.loads(text)
        # Older states had a "recent" window instead of gaps; the self-check repairs what it missed.
        return cls(
            int(data["upto"]), [(int(a), int(b), str(c)) for a, b, c in data.get("gaps", [])]
        )

    def gap_ranges(self) -> list[tuple[int, int]]:
        return [(first, last) for first, last, _ in self.gaps]

    def advance(self, above: list[int], found: list[int], now: dt.datetime) -> AppliedState:
        """The state after applying `above` (ids > upto, ascending) and `found` (ids from gaps)."""
        gaps = _subtract(self.gaps, set(found)) if found else list(self.gaps)
        upto = self.upto
        since = now.isoformat()
        for i in above:
            if i > upto + 1:
                gaps.append((upto + 1, i - 1, since))
            upto = max(upto, i)
        return AppliedState(upto, gaps)

    def expire(self, now: dt.datetime) -> AppliedState:
        keep = [g for g in self.gaps if dt.datetime.fromisoformat(g[2]) > now - GAP_PATIENCE]
        return self if len(keep) == len(self.gaps) else AppliedState(self.upto, keep)


def _subtract(gaps: list[tuple[int, int, str]], ids: set[int]) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    for first, last, since in gaps:
        inside = sorted(i for i in ids if first <= i <= last) if ids else []
        start = first
        for i in inside:
            if i > start:
                out.append((start, i - 1, since))
            start = i + 1
        if start <= last:
            out.append((start, last, since))
    return out


class Generation:
    def __init__(self, path: Path):
        self.path = path

    def region_dir(self, slug: str) -> Path:
        return self.path / "regions" / slug

    def region_slugs(self) -> list[str]:
        regions = self.path / "regions"
        return sorted(p.name for p in regions.iterdir()) if regions.exists() else []

    def open_region(self, slug: str):
        return index.open_dir(str(self.region_dir(slug)))

    def create_region(self, slug: str):
        path = self.region_dir(slug)
        path.mkdir(parents=True, exist_ok=True)
        return index.create_in(str(path), build_schema())

    def ensure_region(self, slug: str):
        if index.exists_in(str(self.region_dir(slug))):
            return self.open_region(slug)
        return self.create_region(slug)

    def vocabulary_path(self, slug: str) -> Path:
        return self.path / "vocabulary" / f"{slug}.txt"

    def add_vocabulary(self, slug: str, counts: Counter) -> None:
        """Append word counts (one "word<TAB>n" line each); callers hold the apply lock or build."""
        if not counts:
            return
        path = self.vocabulary_path(slug)
        path.parent.mkdir(exist_ok=True)
        with path.open("a", encoding="utf-8") as f:
            f.writelines(f"{word}\t{n}\n" for word, n in counts.items())

    def read_vocabulary(self, slug: str) -> Counter:
        counts: Counter = Counter()
        try:
            with self.vocabulary_path(slug).open(encoding="utf-8") as f:
                for line in f:
                    word, _, n = line.rstrip("\n").partition("\t")
                    counts[word] += int(n or 1)
        except FileNotFoundError:
            pass
        return counts

    def read_applied(self) -> AppliedState:
        try:
            return AppliedState.from_json((self.path / "applied.json").read_text())
        except FileNotFoundError:
            return AppliedState()

    def write_applied(self, state: AppliedState) -> None:
        tmp = self.path / f"applied.json.{os.getpid()}.tmp"
        tmp.write_text(state.to_json())
        tmp.replace(self.path / "applied.json")

    def index_format(self) -> str:
        """The format this generation was built in ("" for generations older than the mark)."""
        try:
            return (self.path / "format").read_text().strip()
        except FileNotFoundError:
            return ""

    def is_current_format(self) -> bool:
        return self.index_format() == INDEX_FORMAT

    def mark_checked(self) -> None:
        """Record that this generation was just compared with the database (or built from it)."""
        (self.path / "checked").touch()

    def seconds_since_check(self) -> float:
        try:
            return time.time() - (self.path / "checked").stat().st_mtime
        except FileNotFoundError:
            return float("inf")

    @contextlib.contextmanager
    def apply_lock(self, wait: float):
        """Hold the generation's apply lock; yields False if another process holds it."""
        with open(self.path / "apply.lock", "a+") as f:
            deadline = time.monotonic() + wait
            while True:
                try:
                    fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except OSError as exc:
                    if exc.errno not in (errno.EAGAIN, errno.EACCES):
                        raise
                    if time.monotonic() >= deadline:
                        yield False
                        return
                    time.sleep(0.01)
            try:
                yield True
            finally:
                fcntl.flock(f, fcntl.LOCK_UN)


class IndexStore:
    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)

    def current_path(self) -> Path | None:
        link = self.root / CURRENT
        try:
            return self.root / os.readlink(link)
        except FileNotFoundError:
            return None

    def current(self) -> Generation | None:
        path = self.current_path()
        return Generation(path) if path is not None else None

    def new_generation(self) -> Generation:
        self.root.mkdir(parents=True, exist_ok=True)
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
        path = self.root / f"gen-{stamp}-{secrets.token_hex(3)}"
        path.mkdir()
        (path / "format").write_text(INDEX_FORMAT + "\n")
        return Generation(path)

    def swap_to(self, generation: Generation) -> None:
        """Point `current` at the generation atomically, then drop generations no one needs."""
        tmp = self.root / f".current.{os.getpid()}.tmp"
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        tmp.symlink_to(generation.path.name)
        tmp.replace(self.root / CURRENT)
        self._drop_old(keep=generation.path)

    def _drop_old(self, keep: Path) -> None:
        # Keep the previous generation: a worker may still be reading it until its next request.
        old = sorted(
            (p for p in self.root.glob("gen-*") if p != keep and p.is_dir()),
            key=lambda p: p.stat().st_mtime,
        )
        for path in old[: max(0, len(old) - KEEP_OLD_GENERATIONS)]:
            shutil.rmtree(path, ignore_errors=True)
