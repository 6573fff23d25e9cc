"""The outbox: every email and meeting step, written with the change that causes it, done once.

Where each part lives:
- `kinds`    Kind and Status, the values of OutboxMessage.kind and .status
- `write`    one function per event, adding rows inside the caller's transaction
- `dispatch` after commit, hand the due rows to the app's runner (`enqueue`)
- `perform`  claim a row, do its action, record sent / retry / failed / skipped
- `actions`  what each kind does (build the email, call the meeting provider, POST a webhook)
- `sweep`    the periodic job: complete ended bookings, queue due and stuck rows
- `runners`  RQ (worker.py) or a thread of this process, and the sweep timer
- `rq_jobs`  RQ jobs written as RQ writes them, by one script (cheaper than RQ's own enqueue)
- `periodic` run a periodic job (the sweep) once per period across every process
- `admin`    the admin's page of waiting, sent and failed rows, the backlog, retrying one, webhook deliveries
- `outage`   backing off the mail transport while it is unreachable, draining when it returns
- `aside`    threads beside the job loop for meeting steps (worker.py)
- `wiring`   `init_app(app)`: the session hooks and the runner

The names below are the public API, e.g. `outbox.booking_created(...)`. They load on
first use (PEP 562) rather than at import: the booking services import this package for
the writers, while the sweep completes bookings through those services, so importing
everything here would make the package import itself back.
"""
from importlib import import_module

#: public name -> the module of this package that defines it (never a module's own name:
#: importing a submodule sets that attribute on the package; `perform.perform` and
#: `sweep.sweep` are imported from their modules)
_PUBLIC = {
    "Kind": "kinds", "Status": "kinds",
    "booking_created": "write", "booking_confirmed": "write", "booking_cancelled": "write",
    "booking_rescheduled": "write", "booking_completed": "write",
    "confirmation_resent": "write", "follow_up_written": "write",
    "manage_links_requested": "write", "queue_manage_links": "write",
    "webhook_test_requested": "write",
    "enqueue": "dispatch", "runner": "dispatch",
    "run_outbox_message": "perform", "run_sweep": "sweep",
    "EmbeddedRunner": "runners", "RqRunner": "runners", "SweepTimer": "runners", "JOB": "runners",
    "outbox_page": "admin", "retry_message": "admin", "failed_count": "admin",
    "backlog": "admin",
    "webhook_deliveries": "admin",
    "init_app": "wiring",
}
__all__ = sorted(_PUBLIC)


def __getattr__(name: str):
    """Load a public name from its module on first use."""
    if name not in _PUBLIC:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{_PUBLIC[name]}"), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    """List the public API next to the module's own names."""
    return sorted(set(globals()) | set(_PUBLIC))
