"""The outbox's jobs are written on RQ's queue exactly as RQ's own `Queue.enqueue` writes them."""
import uuid

import pytest
from redis import Redis
from rq import Queue
from rq.job import Job
from rq.utils import utcparse

from tests.services import REDIS_URL, require
from webapp.outbox.rq_jobs import JobWriter
from webapp.outbox.runners import JOB, JOB_OPTIONS

#: the fields that hold the instant a job was made and queued
INSTANTS = (b"created_at", b"enqueued_at")


@pytest.fixture
def queue():
    """A queue of this test alone, deleted with its jobs afterwards."""
    require(REDIS_URL, "Redis")
    queue = Queue(f"test-rq-jobs-{uuid.uuid4().hex[:10]}", connection=Redis.from_url(REDIS_URL))
    yield queue
    queue.delete(delete_jobs=True)


def _stored(queue: Queue, job_id: str) -> dict[bytes, bytes]:
    """Return a job's stored hash without its instants (checked to parse as RQ's timestamps)."""
    stored = queue.connection.hgetall(Job.key_for(job_id))
    for name in INSTANTS:
        utcparse(stored.pop(name).decode())
    return stored


def test_a_written_job_is_what_rq_enqueues(queue):
    queue.enqueue(JOB, 7, job_id="by-rq", result_ttl=0, failure_ttl=86400, job_timeout=120)
    JobWriter(queue, JOB, **JOB_OPTIONS).write({"written": 7, "next": 8})
    assert _stored(queue, "written") == _stored(queue, "by-rq")
    assert queue.job_ids == ["by-rq", "written", "next"]
    assert queue.connection.sismember(queue.redis_queues_keys, queue.key)
    job = Job.fetch("next", connection=queue.connection)
    assert (job.func_name, job.args, job.kwargs, job.origin, job.get_status()) == (JOB, (8,), {}, queue.name, "queued")
    assert (job.timeout, job.result_ttl, job.failure_ttl, job.description) == (
        120, 0, 86400, f"{JOB}(8)")
