"""A rate-limit storage every worker process of a host shares, without a server or a database.

Flask-Limiter (through the `limits` library) counts hits per client in a storage; its own
choices are memory (per process: with 4 gunicorn workers a client would get 4 times its limit)
or a server (Redis, Memcached, MongoDB). This one is a small file of fixed-size slots, mapped
into memory by every process (`sharedfile:///path/to/file`): a counter is a slot found by a
keyed hash of its key, read and written under an fcntl lock on that slot's bytes (and a thread
lock within the process). Nothing is synced to disk, nothing goes to the database; the file
holds no client address, only 8-byte keyed hashes, and stays 1.5 MB whatever the traffic.

When all slots a key may use are held by other live counters (a flood of distinct clients), the
one that expires first is taken over: that client's count restarts, so the limit errs on the
side of letting a request through, never of refusing one wrongly.
"""

from __future__ import annotations

import fcntl
import hashlib
import mmap
import os
import struct
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

from limits.storage import Storage

SLOT = struct.Struct("<8sdq")  # key hash, expiry (epoch seconds), count
SLOTS = 65_536
PROBES = 8  # slots a key may use: its own and the next ones


class SharedFileStorage(Storage):
    """`limits` storage in a memory-mapped file (see the module's docstring)."""

    STORAGE_SCHEME = ["sharedfile"]  # noqa: RUF012  (how `limits` registers a storage)

    def __init__(self, uri: str, wrap_exceptions: bool = False, **options) -> None:
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self.path = Path(urlparse(uri).path)
        self.secret = str(options.get("secret", "")).encode()
        self._lock = threading.Lock()
        self._pid: int | None = None
        self._fd = -1
        self._map: mmap.mmap | None = None

    @property
    def base_exceptions(self) -> type[Exception] | tuple[type[Exception], ...]:
        return OSError

    def _mapped(self) -> mmap.mmap:
        # Opened per process: a forked gunicorn worker must not share its parent's mapping fd
        # (fcntl locks belong to the process).
        if self._pid != os.getpid():
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            if os.fstat(fd).st_size < SLOTS * SLOT.size:
                os.ftruncate(fd, SLOTS * SLOT.size)  # zero slots: free
            self._fd, self._map, self._pid = fd, mmap.mmap(fd, SLOTS * SLOT.size), os.getpid()
        assert self._map is not None
        return self._map

    def _digest(self, key: str) -> bytes:
        return hashlib.blake2b(key.encode(), key=self.secret[:64], digest_size=8).digest()

    def _locked(self, key: str, change) -> float | int:
        """Run change(slot_index, slots) on the key's slots under the locks."""
        digest = self._digest(key)
        first = int.from_bytes(digest, "little") % (SLOTS - PROBES)
        with self._lock:
            mapped = self._mapped()
            offset, length = first * SLOT.size, PROBES * SLOT.size
            fcntl.lockf(self._fd, fcntl.LOCK_EX, length, offset)
            try:
                slots = [SLOT.unpack_from(mapped, (first + i) * SLOT.size) for i in range(PROBES)]
                return change(mapped, first, digest, slots, time.time())
            finally:
                fcntl.lockf(self._fd, fcntl.LOCK_UN, length, offset)

    @staticmethod
    def _find(digest: bytes, slots: list, now: float) -> int | None:
        for i, (owner, expiry, _count) in enumerate(slots):
            if owner == digest and expiry > now:
                return i
        return None

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        def change(mapped, first, digest, slots, now):
            i = self._find(digest, slots, now)
            if i is not None:
                count = slots[i][2] + amount
                SLOT.pack_into(mapped, (first + i) * SLOT.size, digest, slots[i][1], count)
                return count
            # A free or expired slot, else the one that expires first.
            i = min(range(PROBES), key=lambda j: slots[j][1] if slots[j][1] > now else 0.0)
            SLOT.pack_into(mapped, (first + i) * SLOT.size, digest, now + expiry, amount)
            return amount

        return int(self._locked(key, change))

    def get(self, key: str) -> int:
        def read(mapped, first, digest, slots, now):
            i = self._find(digest, slots, now)
            return 0 if i is None else slots[i][2]

        return int(self._locked(key, read))

    def get_expiry(self, key: str) -> float:
        def read(mapped, first, digest, slots, now):
            i = self._find(digest, slots, now)
            return now if i is None else slots[i][1]

        return float(self._locked(key, read))

    def check(self) -> bool:
        try:
            self._mapped()
        except OSError:
            return False
        return True

    def reset(self) -> int | None:
        with self._lock:
            mapped = self._mapped()
            fcntl.lockf(self._fd, fcntl.LOCK_EX)
            try:
                mapped[:] = bytes(len(mapped))
            finally:
                fcntl.lockf(self._fd, fcntl.LOCK_UN)
        return None

    def clear(self, key: str) -> None:
        def free(mapped, first, digest, slots, now):
            i = self._find(digest, slots, now)
            if i is not None:
                SLOT.pack_into(mapped, (first + i) * SLOT.size, bytes(8), 0.0, 0)
            return 0

        self._locked(key, free)
