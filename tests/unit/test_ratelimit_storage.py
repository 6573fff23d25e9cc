"""memory:// counts like limits' MemoryStorage, without starting a thread per request."""
import threading
import time

from limits import parse
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter, MovingWindowRateLimiter

from webapp.ratelimit_storage import SweptMemoryStorage


def test_memory_uri_counts_and_forgets_without_a_thread_per_hit(monkeypatch):
    storage = storage_from_string("memory://")
    assert isinstance(storage, SweptMemoryStorage)
    storage.timer.join()  # the one timer its constructor starts
    threads = threading.active_count()
    limiter, limit = FixedWindowRateLimiter(storage), parse("3/second")
    assert [limiter.hit(limit, "client") for _ in range(4)] == [True, True, True, False]
    assert threading.active_count() == threads

    monkeypatch.setattr(SweptMemoryStorage, "SWEEP_EVERY", 0.0)
    storage._next_sweep = 0
    limiter.hit(parse("1/second"), "someone-else")
    time.sleep(1.1)
    assert limiter.hit(limit, "client")  # a new window
    assert not any("someone-else" in key for key in storage.storage)  # swept inline, nobody read it


def test_moving_windows_still_refuse_within_the_window():
    limiter, limit = MovingWindowRateLimiter(storage_from_string("memory://")), parse("2/minute")
    assert [limiter.hit(limit, "client") for _ in range(3)] == [True, True, False]
