"""Flask's signed-cookie session, without its set-up work for a request that sends no cookie,
and none at all for the booking API.

Most requests (the API, a first visit) carry no cookie at all; Flask's interface still builds
an itsdangerous serializer (HMAC set-up, ~20-40 µs) before finding nothing to read, and at the
end re-parses the `Vary` header and reads six cookie settings before finding nothing to write.
"""
from flask import Flask, Request, Response
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface

from webapp.vary import add_vary


class CookieSessionInterface(SecureCookieSessionInterface):
    """Signed-cookie sessions as Flask has them; nothing to read or write is done at once.

    Requests under `sessionless_prefixes` (the booking API: callers identify with a token) get
    Flask's null session: no cookie is read or written, and their answers carry no `Vary: Cookie`,
    so a browser's admin cookie can never act on the API's behalf.
    """

    def __init__(self, sessionless_prefixes: tuple[str, ...] = ()):
        self.sessionless_prefixes = sessionless_prefixes

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        """Return no session for a sessionless path (Flask makes a null one), an empty session when
        no session cookie came (with a secret key), else Flask's answer."""
        if request.path.startswith(self.sessionless_prefixes):
            return None
        if app.secret_key and (not request.environ.get("HTTP_COOKIE")
                               or not request.cookies.get(self.get_cookie_name(app))):
            return self.session_class()
        return super().open_session(app, request)

    def save_session(self, app: Flask, session: SecureCookieSession, response: Response) -> None:
        """Save as Flask does; an empty session nobody changed only adds `Vary: Cookie` when it was read."""
        if not session and not session.modified:
            if session.accessed:
                add_vary(response, "Cookie")
            return
        super().save_session(app, session, response)
