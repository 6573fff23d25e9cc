"""Outbox jobs put on RQ's queue as RQ's own `Queue.enqueue` puts them, for a fraction of its CPU.

RQ builds each job through a `Job` (serializer and timeout checks, ~20 fields worked out one
by one) and saves it by a MULTI/EXEC pipeline of four commands (six replies to read): most of
a booking's enqueue. An outbox job differs from the next only by its id, its one argument
(the row id), its description and its timestamps; so `JobWriter` has RQ make one job's fields
once per queue and options, and writes jobs by one script (atomic, as RQ's transaction is): the
queue into RQ's set of queues (SADD), then per job its hash (HSET, its status included) and its
id at the queue's end (RPUSH). Workers, `Job.fetch` and RQ's tools read exactly what RQ
writes (`tests/integration/notifications/test_rq_jobs.py` compares the two field by field).
"""
import zlib

from rq import Queue
from rq.job import Job, JobStatus
from rq.utils import get_call_string, now, utcformat

#: what RQ's `Job.get_call_string` keeps of a call as the job's description
DESCRIPTION_LENGTH = 75
#: the fields that differ from job to job, after its id, in the script's arguments
OWN_FIELDS = ("created_at", "enqueued_at", "data", "description")
#: KEYS: RQ's set of queues, the queue, each job's hash. ARGV: the queue's key, the number of
#: common field names and values, those, then per job its id and its OWN_FIELDS' values.
SCRIPT = """
redis.call("sadd", KEYS[1], ARGV[1])
local common = tonumber(ARGV[2])
local names = {OWN_FIELDS}
local at = 3 + common
for job = 3, #KEYS do
    local fields = {}
    for i = 1, common do
        fields[i] = ARGV[2 + i]
    end
    for i, name in ipairs(names) do
        fields[common + 2 * i - 1] = name
        fields[common + 2 * i] = ARGV[at + i]
    end
    redis.call("hset", KEYS[job], unpack(fields))
    redis.call("rpush", KEYS[2], ARGV[at])
    at = at + 1 + #names
end
return #KEYS - 2
""".replace("OWN_FIELDS", ", ".join(f'"{name}"' for name in OWN_FIELDS))


class JobWriter:
    """Writes jobs calling `func` with one argument on `queue`, with RQ's options (e.g. result_ttl)."""

    def __init__(self, queue: Queue, func: str, **options):
        self.queue, self.func = queue, func
        template = queue.create_job(func, args=(0,), job_id="outbox-template", status=JobStatus.QUEUED, **options)
        template.origin = queue.name
        template.enqueued_at = now()
        if template.timeout is None:
            template.timeout = queue._default_timeout
        common = [item for name, value in template.to_dict().items() if name not in OWN_FIELDS
                  for item in (name, value)]
        self.head = [queue.key, len(common), *common]
        self.script = queue.connection.register_script(SCRIPT)  # no I/O until its first run

    def write(self, jobs: dict[str, object]) -> None:
        """Queue each job id of `jobs` with its argument: one round trip, all or nothing."""
        instant = utcformat(now())
        dumps = self.queue.serializer.dumps
        args = list(self.head)
        for job_id, argument in jobs.items():
            call = (argument,)
            args += [job_id, instant, instant, zlib.compress(dumps((self.func, None, call, {}))),
                     get_call_string(self.func, call, {}, max_length=DESCRIPTION_LENGTH)]
        self.script([self.queue.redis_queues_keys, self.queue.key, *map(Job.key_for, jobs)], args)
