"""One memory budget for every search cache of a process, across all zorggebieden.

Caches kept per zorggebied add up: eleven regions each holding their own postings, result
pages and distance tables grew a worker past 750 MB. Here every cached thing — segment
postings, term scores, result pages, typo corrections, distance tables — is one entry in a
single least-recently-used map with a byte count, and the oldest entries leave when the total
passes DIENSTENWIJZER_SEARCH_CACHE_MB. Sizes are estimates (numpy arrays exactly, Python
containers by a per-item cost), good enough to keep the worker's memory flat.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

# Rough cost of one item in a Python dict/set/list of ints or floats, with the objects.
BYTES_PER_ITEM = 100


class SearchCache:
    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.bytes = 0
        self.evictions = 0
        self._entries: OrderedDict[Any, tuple[Any, int]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            self._entries.move_to_end(key)
            return entry[0]

    def put(self, key, value, nbytes: int) -> None:
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self.bytes -= old[1]
            self._entries[key] = (value, nbytes)
            self.bytes += nbytes
            while self.bytes > self.max_bytes and len(self._entries) > 1:
                _, (_, size) = self._entries.popitem(last=False)
                self.bytes -= size
                self.evictions += 1

    def __len__(self) -> int:
        return len(self._entries)
