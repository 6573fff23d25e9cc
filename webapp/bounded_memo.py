"""Values computed once per key and kept, the oldest dropped past a limit (one process's memory)."""
from collections import OrderedDict
from collections.abc import Callable, Hashable
from threading import Lock
from typing import Generic, TypeVar

Value = TypeVar("Value")


class BoundedMemo(Generic[Value]):
    """Values by key, each computed on its first request; past `limit` keys the oldest go."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.kept: OrderedDict[Hashable, Value] = OrderedDict()
        self.lock = Lock()

    def get_or_compute(self, key: Hashable, compute: Callable[[], Value]) -> Value:
        """Return the value stored under `key`, computing and storing it first if missing."""
        found = self.kept.get(key)
        if found is not None:
            return found
        value = compute()
        with self.lock:
            self.kept[key] = value
            while len(self.kept) > self.limit:
                self.kept.popitem(last=False)
        return value
