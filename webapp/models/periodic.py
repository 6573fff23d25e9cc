"""Runs of periodic jobs: one row per job and period, so a period's run happens once."""
from datetime import datetime

from sqlalchemy import BigInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from webapp.extensions import db
from webapp.models.types import UTCDateTime


class PeriodicRun(db.Model):
    """One period's run of a periodic job; the primary key lets only one process claim it."""

    __tablename__ = "periodic_runs"

    #: which job (e.g. "outbox-sweep")
    job: Mapped[str] = mapped_column(String(40), primary_key=True)
    #: seconds since the epoch divided by the job's interval: the same number on every host
    period: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: the process that ran it: "host:pid" (no personal data)
    runner: Mapped[str] = mapped_column(String(120))
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: "done" or "failed"; empty while running (or when its process died)
    outcome: Mapped[str | None] = mapped_column(String(20))
