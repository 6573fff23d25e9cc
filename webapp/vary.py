"""Add request headers to a response's `Vary` with plain string work (werkzeug's `response.vary`
parses and re-serialises a HeaderSet on every change: ~10 µs each, several times per request)."""
from flask import Response


def add_vary(response: Response, *names: str) -> None:
    """Name `names` in the response's Vary header, once each, keeping what it already names."""
    headers = response.headers
    # one pass over the pairs: `headers.get` raises and catches an exception when there is none
    current = next((value for key, value in headers if key.lower() == "vary"), None)
    if current is None:  # the common case: a plain append, no search for a header to replace
        headers.add("Vary", ", ".join(names))
        return
    if not current:
        headers["Vary"] = ", ".join(names)
        return
    present = {item.strip().lower() for item in current.split(",")}
    missing = [name for name in names if name.lower() not in present]
    if missing:
        headers["Vary"] = ", ".join([current, *missing])
