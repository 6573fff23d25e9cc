"""Flask's signed-cookie session, without building a signer for a request that sends no cookie.

Most requests (the API, a first visit) carry no session cookie; Flask's interface still builds
an itsdangerous serializer (HMAC set-up, ~20-40 µs) before finding nothing to read.
"""
from flask import Flask, Request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface


class CookieSessionInterface(SecureCookieSessionInterface):
    """Signed-cookie sessions as Flask has them; an empty one at once when there is no cookie."""

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        """Return an empty session when no cookie came (with a secret key), else Flask's answer."""
        if app.secret_key and not request.cookies.get(self.get_cookie_name(app)):
            return self.session_class()
        return super().open_session(app, request)
