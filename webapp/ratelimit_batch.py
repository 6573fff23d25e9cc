"""A request's fixed-window rate-limit counts on Redis in one round trip instead of one per window.

Flask-Limiter 3.12 counts a decorated view's limits one window at a time through the strategy's
`hit` (limits' INCRBY-and-EXPIRE script) and `test` (a GET): a booking post in production makes
six such round trips before the view and two after it (its deductions). `BatchedFixedWindow`
is the fixed-window strategy for a plain Redis storage whose calls can be recorded instead
(`recorded`: each answers "not exceeded"), then run together by one script (`counts`) with
the same keys, the same commands per key in the same order and the same comparisons, stopping
after the first exceeded limit as Flask-Limiter does; `replayed` then answers Flask-Limiter's
own pass from those results (or raises the script's error, so its fallback takes over).
Every other storage or strategy keeps Flask-Limiter's calls one by one.
"""
from collections import deque
from collections.abc import Callable
from contextvars import ContextVar

from limits.storage import RedisStorage
from limits.strategies import FixedWindowRateLimiter

#: for each counter (KEYS[i]) four ARGV: hit or test, expiry, cost, amount; ARGV[1] "1" stops at
#: the first exceeded. A hit is limits' incr_expire.lua; a test its GET. Returns the counters.
SCRIPT = """
local stop = ARGV[1] == "1"
local counters = {}
for i, key in ipairs(KEYS) do
    local at = 2 + (i - 1) * 4
    local cost, amount = tonumber(ARGV[at + 2]), tonumber(ARGV[at + 3])
    local counter, within
    if ARGV[at] == "hit" then
        counter = redis.call("incrby", key, cost)
        if counter == cost then
            redis.call("expire", key, ARGV[at + 1])
        end
        within = counter <= amount
    else
        counter = tonumber(redis.call("get", key) or "0")
        within = counter < amount - cost + 1
    end
    counters[i] = counter
    if stop and not within then
        break
    end
end
return counters
"""

#: what the strategy does with a call now: None (count it), a list (record it), a deque (answer it)
_plan: ContextVar[list | deque | None] = ContextVar("ratelimit_plan", default=None)


class BatchedFixedWindow(FixedWindowRateLimiter):
    """The fixed-window strategy on a plain Redis storage, whose calls can be recorded and answered later."""

    def __init__(self, storage: RedisStorage):
        super().__init__(storage)
        self.script = storage.get_connection().register_script(SCRIPT)  # no I/O until first run

    def hit(self, item, *identifiers: str, cost: int = 1) -> bool:
        """Count a hit, or record it, or answer it from the batch."""
        return self._planned(("hit", item, identifiers, cost), lambda: super(BatchedFixedWindow, self).hit(
            item, *identifiers, cost=cost))

    def test(self, item, *identifiers: str, cost: int = 1) -> bool:
        """Test a limit, or record the test, or answer it from the batch."""
        return self._planned(("test", item, identifiers, cost), lambda: super(BatchedFixedWindow, self).test(
            item, *identifiers, cost=cost))

    def _planned(self, call: tuple, count: Callable[[], bool]) -> bool:
        """Answer `call` as the plan says: record it (not exceeded), answer it, or count it now."""
        plan = _plan.get()
        if plan is None:
            return count()
        if isinstance(plan, list):
            plan.append(call)
            return True
        if not plan:  # answers used up (Flask-Limiter's hits after a breach): count as usual
            return count()
        answer = plan.popleft()
        if isinstance(answer, BaseException):
            raise answer
        return answer

    def counts(self, calls: list[tuple], stop_at_exceeded: bool) -> list[bool]:
        """Run recorded calls in one script; return whether each was within its limit (stopped: fewer)."""
        keys, args = [], ["1" if stop_at_exceeded else "0"]
        for kind, item, identifiers, cost in calls:
            keys.append(self.storage.prefixed_key(item.key_for(*identifiers)))
            args += [kind, item.get_expiry(), cost, item.amount]
        counters = self.script(keys, args)
        return [int(counter) <= item.amount if kind == "hit" else int(counter) < item.amount - cost + 1
                for (kind, item, _identifiers, cost), counter in zip(calls, counters, strict=False)]


def batches(strategy, storage) -> bool:
    """Tell whether Flask-Limiter's strategy and storage are the ones a batch can stand for."""
    return type(strategy) is FixedWindowRateLimiter and type(storage) is RedisStorage


def recorded(work: Callable[[], object]) -> list[tuple]:
    """Run `work` with the strategy recording its calls (each answered "within"); return them."""
    calls: list[tuple] = []
    token = _plan.set(calls)
    try:
        work()
    finally:
        _plan.reset(token)
    return calls


def replayed(answers: list, work: Callable[[], object]) -> None:
    """Run `work` with the strategy answering its first calls from `answers` (an exception is raised)."""
    token = _plan.set(deque(answers))
    try:
        work()
    finally:
        _plan.reset(token)
