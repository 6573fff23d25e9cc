"""Benchmark: a 31-day month of 5 hosts, 500 bookings each, combined (any host / every host).

Run: .venv/bin/python -m bench.hosts
"""

from bench.engine import DENSE_RULES, SEED_RULES, month_inputs, timed_runs
from webapp.scheduling import Combine, HostCalendar, combined_free_slots, get_zone

HOSTS = 5
#: the hosts live in different zones; the booking window stays the business zone's
ZONES = ("Europe/Rome", "Europe/London", "Europe/Rome", "America/New_York", "Europe/Berlin")


def host_calendars(rules) -> tuple[list[HostCalendar], dict]:
    """Return five hosts' calendars (each its own 500 bookings and 20 blocks) and the shared inputs."""
    calendars = []
    for number in range(HOSTS):
        inputs = month_inputs(rules, seed=7 + number)
        calendars.append(HostCalendar(number + 1, get_zone(ZONES[number]), inputs["rules"],
                                      inputs["blocks"], inputs["busy"]))
    return calendars, inputs


def measure(label: str, rules, combine: Combine) -> None:
    """Time the combined month over RUNS runs and print the median and spread."""
    calendars, inputs = host_calendars(rules)
    shared = dict(combine=combine, limits=inputs["limits"], business_zone=inputs["zone"],
                  start=inputs["start"], end=inputs["end"], now=inputs["now"])
    slots, spread = timed_runs(lambda: combined_free_slots(calendars, **shared))
    print(f"{label}, {combine.name}: {HOSTS} hosts x 500 bookings, {len(slots)} free slots")
    print(spread)


def main() -> None:
    """Measure union and intersection on the seed's week and a dense one."""
    for label, rules in (("seed rules", SEED_RULES), ("dense rules", DENSE_RULES)):
        for combine in Combine:
            measure(label, rules, combine)


if __name__ == "__main__":
    main()
