"""Outbox jobs put on RQ's queue as RQ's own `Queue.enqueue` puts them, for a fraction of its CPU.

RQ builds each job through a `Job` (serializer and timeout checks, ~20 fields worked out one
by one) and saves it with two HSETs: ~0.1 ms of CPU a job before anything is sent, about a
third of a booking's enqueue. An outbox job differs from the next only by its id, its one
argument (the row id), its description and its timestamps; so `JobWriter` has RQ make one
job's fields once per queue and options, and writes each job from them: the queue in RQ's set
of queues (SADD), the job's hash (one HSET, its status included) and its id at the queue's end
(RPUSH), in the caller's pipeline. Workers, `Job.fetch` and the queue's tools read exactly
what RQ writes (`tests/unit/test_rq_jobs.py` compares the two field by field).
"""
import zlib

from rq import Queue
from rq.job import Job, JobStatus
from rq.utils import get_call_string, now, utcformat

#: what RQ's `Job.get_call_string` keeps of a call as the job's description
DESCRIPTION_LENGTH = 75


class JobWriter:
    """Writes jobs calling `func` with one argument on `queue`, with RQ's options (e.g. result_ttl)."""

    def __init__(self, queue: Queue, func: str, **options):
        self.queue, self.func = queue, func
        template = queue.create_job(func, args=(0,), job_id="outbox-template", status=JobStatus.QUEUED, **options)
        template.origin = queue.name
        template.enqueued_at = now()
        if template.timeout is None:
            template.timeout = queue._default_timeout
        self.fields = template.to_dict()

    def write(self, pipeline, jobs: dict[str, object]) -> None:
        """Add to `pipeline` the commands that queue each job id of `jobs` with its argument."""
        instant = utcformat(now())
        dumps = self.queue.serializer.dumps
        pipeline.sadd(self.queue.redis_queues_keys, self.queue.key)
        for job_id, argument in jobs.items():
            call = (argument,)
            pipeline.hset(Job.key_for(job_id), mapping={
                **self.fields, "created_at": instant, "enqueued_at": instant,
                "data": zlib.compress(dumps((self.func, None, call, {}))),
                "description": get_call_string(self.func, call, {}, max_length=DESCRIPTION_LENGTH)})
            pipeline.rpush(self.queue.key, job_id)
