"""Redis commands packed in fewer steps than redis-py's pure-Python packer, byte for byte the same.

Without hiredis, redis-py packs each argument through a chain of checks and joins (~1 µs an
argument); an RQ job's save is one HSET of ~40 arguments. `FastPacker` packs the arguments
that are str (or a str enum), bytes or int with one format each, and hands any other command
(floats, memoryviews, a command name with a space, a wrong type and redis-py's error for it)
to redis-py's packer. Give `command_packer=packer()` to a Redis client (a connection option).
"""
from redis._parsers.encoders import Encoder
from redis.connection import PythonRespSerializer

#: redis-py's chunk size for long arguments (sent as their own chunk there: the same bytes)
BUFFER_CUTOFF = 6000


class FastPacker(PythonRespSerializer):
    """redis-py's Python packer with a quick path for str, bytes and int arguments (UTF-8, strict)."""

    def pack(self, *args) -> list[bytes]:
        """Pack one command into the Redis protocol."""
        name = args[0]
        if type(name) is not str or " " in name:
            return super().pack(*args)
        parts = [b"*%d\r\n" % len(args)]
        for arg in args:
            kind = type(arg)
            if kind is bytes:
                pass
            elif isinstance(arg, str):
                arg = str.encode(arg)
            elif kind is int:
                arg = b"%d" % arg
            else:
                return super().pack(*args)
            parts.append(b"$%d\r\n%s\r\n" % (len(arg), arg))
        return [b"".join(parts)]


def packer() -> FastPacker:
    """Return a packer for a Redis client with the default encoding (UTF-8, strict)."""
    return FastPacker(BUFFER_CUTOFF, Encoder("utf-8", "strict", False).encode)
