"""Where the index lives on disk: generations of per-zorggebied indexes behind a symlink.

    INDEX_DIR/current -> gen-<time>-<rand>/
    INDEX_DIR/gen-…/regions/<slug>/   one Whoosh index per zorggebied
    INDEX_DIR/gen-…/applied.json      how far this generation has applied the outbox
    INDEX_DIR/gen-…/vocabulary/<slug>.txt  surface words and counts, for typo correction
    INDEX_DIR/gen-…/apply.lock        held while one process applies the outbox

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

from .schema import build_schema

CURRENT = "current"
KEEP_OLD_GENERATIONS = 1


@dataclass
class AppliedState:
    """The outbox position of a generation: every id <= upto is applied, and so are `recent`."""

    upto: int = 0
    recent: dict[int, str] = field(default_factory=dict)  # id -> created_at (ISO)

    def to_json(self) -> str:
        return json.dumps({"upto": self.upto, "recent": {str(k): v for k, v in self.recent.items()}})

    @classmethod
    def from_json(cls, text: str) -> AppliedState:
        data = json.loads(text)
        return cls(int(data["upto"]), {int(k): v for k, v in data.get("recent", {}).items()})


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
