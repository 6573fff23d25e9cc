"""bench/wrk.py: the request wrk sends and what its report says (the benchmark's own arithmetic)."""
from bench.load import request_bytes
from bench.wrk import _script, parse

#: a real `wrk -t1 -c2 -d1s --latency` report against a server answering 404
REPORT = """Running 1s test @ http://127.0.0.1:18765/nonexistent
  1 threads and 2 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     9.43ms   10.41ms  56.92ms   85.18%
    Req/Sec   296.90    154.94   630.00     80.00%
  Latency Distribution
     50%  850.00us
     75%   13.76ms
     90%   25.11ms
     99%    1.20s
  298 requests in 1.01s, 151.33KB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 298
Requests/sec:    293.63
Transfer/sec:    149.11KB
"""


def test_the_report_gives_the_rate_the_failures_and_the_percentiles_in_milliseconds():
    result = parse(REPORT)
    assert (result.requests, result.errors, result.rate) == (298, 301, 293.63)
    assert (result.percentile(50), result.percentile(75), result.percentile(99)) == (0.85, 13.76, 1200.0)


def test_the_script_sends_the_method_path_headers_and_body_of_the_raw_request():
    payload = request_bytes("POST", "/api/v1/booking/calendar/availability", b'{"a": "b\\"c"}',
                            headers={"X-Forwarded-For": "10.0.0.1"})
    script = _script(payload)
    assert 'wrk.method = "POST"' in script and 'wrk.path = "/api/v1/booking/calendar/availability"' in script
    assert 'wrk.body = "{\\"a\\": \\"b\\\\\\"c\\"}"' in script
    assert 'wrk.headers["X-Forwarded-For"] = "10.0.0.1"' in script
    assert 'wrk.headers["Content-Type"] = "application/json"' in script
    assert "Host" not in script and "Content-Length" not in script
