"""Hand committed outbox rows to the app's runner: the after-commit hooks and `enqueue`."""
import logging

from flask import Flask, current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from webapp import clock
from webapp.models import OutboxMessage

log = logging.getLogger(__name__)

#: app.extensions key of the runner `init_app` installs
EXTENSION = "outbox_runner"
#: session.info key holding (id, due_at) of outbox rows flushed in the open transaction
NEW_ROWS = "outbox_new_rows"


def runner(app: Flask | None = None):
    """Return the runner `webapp.outbox.init_app` installed on `app` (default: the current app)."""
    app = app or current_app._get_current_object()
    try:
        return app.extensions[EXTENSION]
    except KeyError:
        raise RuntimeError("webapp.outbox.init_app(app) was not called for this app") from None


def enqueue(ids: list[int], *, skip_waiting: bool = False, generation: str | None = None) -> None:
    """Queue outbox ids; if the queue is unreachable the rows stay for the sweep to queue later.

    `generation` names a fresh job per id (the sweep's re-queue of overdue rows).
    """
    try:
        runner().enqueue(ids, skip_waiting=skip_waiting, generation=generation)
    except Exception as exc:  # Redis down must never fail the request that already committed
        log.warning("Could not enqueue outbox rows %s (%s: %s); they stay in the database "
                    "and the sweep queues them", ids, type(exc).__name__, exc)


def discard(ids: list[int]) -> None:
    """Drop the queued jobs of rows another job has claimed (they would find nothing to do); best effort."""
    try:
        runner().discard(ids)
    except Exception as exc:  # a job left behind only finds its row done
        log.warning("Could not drop the queued jobs of outbox rows %s (%s)", ids, type(exc).__name__)


def _remember_new_rows(session, _flush_context):
    """Note the outbox rows this flush wrote, to enqueue them once the transaction commits."""
    remember(session, [(obj.id, obj.due_at) for obj in session.new if isinstance(obj, OutboxMessage)])


def remember(session, rows: list[tuple[int, object]]) -> None:
    """Note outbox rows (id, due_at) the open transaction wrote, to enqueue them once it commits."""
    if rows:
        session.info.setdefault(NEW_ROWS, []).extend(rows)


def _enqueue_committed_rows(session):
    """Hand the committed rows that are due now to the runner (the sweep takes later ones)."""
    rows = session.info.pop(NEW_ROWS, None)
    if not rows or not has_app_context() or EXTENSION not in current_app.extensions:
        return
    now = clock.now()
    due = [row_id for row_id, due_at in rows if due_at is None or due_at <= now]
    if due:
        enqueue(due)


def _forget_rolled_back_rows(session):
    """Rows of a rolled-back transaction never existed: enqueue nothing."""
    session.info.pop(NEW_ROWS, None)


HOOKS = (("after_flush", _remember_new_rows), ("after_commit", _enqueue_committed_rows),
         ("after_rollback", _forget_rolled_back_rows))


def register_session_hooks() -> None:
    """Listen to every SQLAlchemy session's flush, commit and rollback (once per process)."""
    for name, hook in HOOKS:
        # the hooks are process-wide while apps come and go (tests make many): add them once
        if not event.contains(Session, name, hook):
            event.listen(Session, name, hook)
