"""The in-memory rate-limit storage (`memory://`, used without Redis) without its timer thread.

limits' `MemoryStorage` starts a `threading.Timer` whenever the previous one (10 ms) has ended,
on every counted request: under load a new thread every few requests, ~0.1-0.5 ms of a request's
time. Its counters already expire when read (`get`); the timer only frees keys nobody reads
again. This subclass frees them inline, at most once a second. Declaring the `memory` scheme
makes `memory://` (the default without Redis) mean this class once this module is imported
(`webapp.extensions` does); limits' own fallback storage is untouched.
"""
import time

from limits.storage import MemoryStorage


class SweptMemoryStorage(MemoryStorage):
    """MemoryStorage that sweeps expired keys inline, at most once a second, instead of in a thread."""

    STORAGE_SCHEME = ["memory"]
    #: seconds between sweeps of keys nobody has read since they expired
    SWEEP_EVERY = 1.0

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options: str):
        """Create the storage (MemoryStorage starts one 10 ms timer here, never again)."""
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self._next_sweep = time.time() + self.SWEEP_EVERY

    def _MemoryStorage__schedule_expiry(self) -> None:  # replaces the base's private timer start
        """Sweep expired keys now if the last sweep is a second old; never start a thread."""
        instant = time.time()
        if instant >= self._next_sweep:
            self._next_sweep = instant + self.SWEEP_EVERY
            self._MemoryStorage__expire_events()
