"""Benchmark: free slots of a 31-day month with 500 bookings and 20 blocked ranges.

Run: .venv/bin/python -m bench.engine   (or `make bench`)
"""
import random
import statistics
import time as clock
from datetime import date, datetime, time, timedelta, timezone

from webapp.scheduling import Block, Busy, Limits, WeeklyRule, free_slots, get_zone
from webapp.scheduling.calendar import day_range_utc

ROME = get_zone("Europe/Rome")
MONTH_FIRST, MONTH_LAST = date(2026, 3, 1), date(2026, 3, 31)  # includes the DST change
RUNS = 200


DENSE_RULES = [WeeklyRule(day, time(8), time(20), 15) for day in range(6)]
SEED_RULES = [WeeklyRule(day, time(9), time(17), 30) for day in range(5)]


def month_inputs(rules: list[WeeklyRule], seed: int = 7) -> dict:
    """Build the engine's inputs: the given rules, 500 bookings, 20 blocks."""
    rng = random.Random(seed)
    busy = []
    for _ in range(500):
        day = MONTH_FIRST + timedelta(days=rng.randrange(31))
        start = datetime.combine(day, time(8), tzinfo=timezone.utc) + timedelta(minutes=15 * rng.randrange(44))
        busy.append(Busy(start, start + timedelta(minutes=rng.choice((15, 30, 60))),
                         timedelta(minutes=rng.choice((0, 10))), timedelta(minutes=rng.choice((0, 15)))))
    blocks = []
    for index in range(20):
        day = MONTH_FIRST + timedelta(days=rng.randrange(31))
        blocks.append(Block(day) if index % 4 == 0 else Block(day, time(12), time(14, 30)))
    start, end = day_range_utc(MONTH_FIRST, MONTH_LAST, ROME)
    return dict(rules=rules, blocks=blocks, busy=busy, zone=ROME, start=start, end=end,
                limits=Limits(duration=timedelta(minutes=30), buffer_after=timedelta(minutes=10),
                              max_days_ahead=365),
                now=datetime(2026, 2, 20, tzinfo=timezone.utc))


def timed_runs(action) -> tuple[object, str]:
    """Warm `action` once, time it over RUNS runs; return its result and the spread as a line."""
    action()  # warm caches (zone lookups)
    timings = []
    for _ in range(RUNS):
        started = clock.perf_counter()
        result = action()
        timings.append((clock.perf_counter() - started) * 1000)
    quartiles = statistics.quantiles(timings, n=4)
    return result, (f"median {statistics.median(timings):.3f} ms  p25 {quartiles[0]:.3f} ms  "
                    f"p75 {quartiles[2]:.3f} ms  min {min(timings):.3f} ms  over {RUNS} runs")


def measure(label: str, inputs: dict) -> None:
    """Time the engine over RUNS runs and print the median and spread."""
    slots, spread = timed_runs(lambda: free_slots(**inputs))
    print(f"{label}: 31-day month, 500 bookings, 20 blocks, {len(slots)} free slots")
    print(spread)


def main() -> None:
    """Measure the seed's default week and a dense one (15-minute steps, 6 days, 08-20)."""
    measure("seed rules (Mon-Fri 09-17, 30 min)", month_inputs(SEED_RULES))
    measure("dense rules (Mon-Sat 08-20, 15 min)", month_inputs(DENSE_RULES))


if __name__ == "__main__":
    main()
