"""A small thread-safe LRU of results keyed by the content of the pixels they came from."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Callable, Hashable, TypeVar

import numpy as np

__all__ = ["CacheInfo", "ContentCache", "content_key"]

T = TypeVar("T")


def content_key(pixels: np.ndarray) -> tuple[tuple[int, ...], bytes]:
    """A key equal for two arrays exactly when their shapes and bytes are (up to a 128-bit
    digest collision)."""
    digest = hashlib.blake2b(np.ascontiguousarray(pixels).data, digest_size=16).digest()
    return pixels.shape, digest


@dataclass(frozen=True)
class CacheInfo:
    hits: int
    misses: int
    size: int
    capacity: int


class ContentCache:
    """Least-recently-used results, at most ``capacity`` of them.

    Two threads missing the same key at once both compute it; the later result is kept.
    """

    def __init__(self, capacity: int) -> None:
        if capacity < 0:
            raise ValueError(f"capacity must be >= 0; got {capacity}")
        self.capacity = capacity
        self._items: OrderedDict[Hashable, object] = OrderedDict()
        self._lock = threading.Lock()
        self._hits = self._misses = 0

    def get_or_compute(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The cached value for ``key``, or ``compute()``, stored before it is returned."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                self._hits += 1
                return self._items[key]
            self._misses += 1
        value = compute()
        with self._lock:
            if self.capacity:
                self._items[key] = value
                self._items.move_to_end(key)
                while len(self._items) > self.capacity:
                    self._items.popitem(last=False)
        return value

    def info(self) -> CacheInfo:
        with self._lock:
            return CacheInfo(self._hits, self._misses, len(self._items), self.capacity)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._hits = self._misses = 0
