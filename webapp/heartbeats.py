"""The RQ workers' heartbeats, read from Redis: shared by `/metrics` and the readiness check."""
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from rq.defaults import DEFAULT_WORKER_TTL

#: RQ renews a worker's key for worker_ttl + 60 s at each heartbeat; an idle worker beats
#: about every worker_ttl - 15 s, so a heartbeat older than this means the worker is gone
MAX_HEARTBEAT_AGE = timedelta(seconds=DEFAULT_WORKER_TTL + 60)


@dataclass(frozen=True)
class Heartbeat:
    """One registered worker: its RQ name, state and the last time it said it was alive."""

    name: str
    state: str
    last_heartbeat: datetime | None

    def is_live(self, now: datetime) -> bool:
        """Return True when the worker beat recently enough to count as running."""
        return self.last_heartbeat is not None and now - self.last_heartbeat <= MAX_HEARTBEAT_AGE


def worker_heartbeats(redis_url: str) -> list[Heartbeat]:
    """Return every worker RQ has registered on this Redis (raises redis.RedisError if down)."""
    from redis import Redis
    from rq import Worker

    connection = Redis.from_url(redis_url, socket_timeout=1, socket_connect_timeout=1)
    return [Heartbeat(worker.name, str(worker.get_state()), _aware(worker.last_heartbeat))
            for worker in Worker.all(connection=connection)]


def _aware(instant: datetime | None) -> datetime | None:
    """Return RQ's naive-UTC instant as an aware one."""
    if instant is None or instant.tzinfo is not None:
        return instant
    return instant.replace(tzinfo=timezone.utc)
