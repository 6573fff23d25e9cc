"""Our Redis command packer sends byte for byte what redis-py's own packer sends."""
import pytest
from flask import Flask
from flask_limiter.util import get_remote_address
from redis._parsers.encoders import Encoder
from redis.connection import PythonRespSerializer
from redis.exceptions import DataError
from rq.job import JobStatus

from webapp.extensions import Limiter
from webapp.outbox.runners import RqRunner
from webapp.redis_packing import BUFFER_CUTOFF, FastPacker, packer

OURS, THEIRS = packer(), PythonRespSerializer(BUFFER_CUTOFF, Encoder("utf-8", "strict", False).encode)
COMMANDS = [
    ("PING",),
    ("EVALSHA", "0123abcd", 2, "LIMITS:a", "LIMITS:b", "1", "hit", 60, 1, 20, -3),
    ("HSET", "rq:job:outbox-7", "data", b"x\x9c\x00\r\n", "status", JobStatus.QUEUED, "empty", "", "naïve", "ü" * 3),
    ("SET", "big", "v" * (BUFFER_CUTOFF + 10)),
    ("SET", "float", 1.5),
    ("SET", "view", memoryview(b"abc")),
    ("CONFIG GET", "maxmemory"),
    (b"CLIENT SETNAME", "x"),
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda command: str(command[0]))
def test_a_command_is_packed_as_redis_py_packs_it(command):
    assert b"".join(bytes(part) for part in OURS.pack(*command)) == \
        b"".join(bytes(part) for part in THEIRS.pack(*command))


def test_a_value_redis_py_refuses_is_refused_alike():
    for value in (True, None, object()):
        with pytest.raises(DataError):
            THEIRS.pack("SET", "key", value)
        with pytest.raises(DataError):
            OURS.pack("SET", "key", value)


def test_the_outbox_queue_and_the_rate_limits_pack_with_it():
    app = Flask(__name__)
    app.config.update(REDIS_URL="redis://127.0.0.1:6379/0", RQ_QUEUE="unused",
                      RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379/0")
    limiter = Limiter(key_func=get_remote_address, app=app)  # neither connects before its first command
    for client in (RqRunner(app).queue.connection, limiter.storage.storage):
        assert isinstance(client.connection_pool.connection_kwargs["command_packer"], FastPacker)
