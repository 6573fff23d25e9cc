"""OAuth 2.0 authorisation server stub: /authorize (code + PKCE S256 + state) and /token.

`/authorize` approves at once and redirects to `redirect_uri?code=..&state=..` (or with
`error=access_denied` after `deny_next()`). `/token` takes the authorization_code grant
(checking the PKCE verifier) and the refresh_token grant, authenticating the client the
way the provider does: `client_secret_basic` (Zoom) or `client_secret_post` (Google,
Microsoft). With `rotate_refresh_tokens` every refresh returns a new refresh token and
the old one stops working, as Zoom's and Microsoft's do. Issued access tokens are added to
`access_tokens`; pass an API stub's `tokens` set there so the API accepts them.
"""
from __future__ import annotations

import base64
import hashlib
import re
import secrets
from urllib.parse import urlencode

from tests.stubs.server import Reply, StubServer, Violation

_PKCE_CHALLENGE = re.compile(r"^[A-Za-z0-9_-]{43}$")
_PKCE_VERIFIER = re.compile(r"^[A-Za-z0-9._~-]{43,128}$")


def s256(verifier: str) -> str:
    """The PKCE S256 code challenge for a verifier."""
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


class OAuthStub(StubServer):
    """Issues codes and tokens for one registered client."""

    routes = (("GET", r"/authorize", "authorize"), ("POST", r"/token", "token"))
    bearer_auth = False  # clients authenticate per request, see _client_ok

    def __init__(
        self,
        client_id: str = "stub-client",
        client_secret: str = "stub-secret",
        *,
        auth_method: str = "client_secret_post",
        rotate_refresh_tokens: bool = False,
        access_tokens: set | None = None,
        redirect_uris: set | None = None,
        expires_in: int = 3600,
    ):
        super().__init__()
        self.client_id, self.client_secret = client_id, client_secret
        self.auth_method = auth_method
        self.rotate_refresh_tokens = rotate_refresh_tokens
        self.access_tokens = access_tokens if access_tokens is not None else set()
        #: None accepts any redirect URI
        self.redirect_uris = redirect_uris
        self.expires_in = expires_in
        self.codes: dict[str, dict] = {}
        self.refresh_tokens: dict[str, str] = {}  # refresh token -> scope
        self._deny = False

    # -- test controls -------------------------------------------------------------

    def issue_refresh_token(self, scope: str = "") -> str:
        """Make a valid refresh token as if a connect had happened earlier."""
        token = "rt-" + secrets.token_urlsafe(16)
        self.refresh_tokens[token] = scope
        return token

    def revoke(self, refresh_token: str) -> None:
        """Revoke a grant (the user disconnected the app): its refresh gets invalid_grant."""
        self.refresh_tokens.pop(refresh_token, None)

    def deny_next(self) -> None:
        """Make the next authorisation answer `error=access_denied`."""
        self._deny = True

    def error_body(self, status, message):
        return {"error": "invalid_request", "error_description": message}

    # -- endpoints -----------------------------------------------------------------

    def authorize(self, req):
        q = req.query
        if q.get("response_type") != "code":
            raise Violation("response_type must be 'code'")
        if q.get("client_id") != self.client_id:
            raise Violation(f"unknown client_id {q.get('client_id')!r}")
        redirect_uri = q.get("redirect_uri") or ""
        if not redirect_uri or self.redirect_uris is not None and redirect_uri not in self.redirect_uris:
            raise Violation(f"redirect_uri not registered: {redirect_uri!r}")
        if not q.get("state"):
            raise Violation("state is required (CSRF protection)")
        if q.get("code_challenge_method") != "S256" or not _PKCE_CHALLENGE.match(q.get("code_challenge", "")):
            raise Violation("PKCE code_challenge with code_challenge_method=S256 is required")
        answer = {"state": q["state"]}
        if self._deny:
            self._deny = False
            answer["error"] = "access_denied"
        else:
            code = secrets.token_urlsafe(16)
            self.codes[code] = {"redirect_uri": redirect_uri, "challenge": q["code_challenge"],
                                "scope": q.get("scope", "")}
            answer["code"] = code
        separator = "&" if "?" in redirect_uri else "?"
        return Reply(302, None, {"Location": redirect_uri + separator + urlencode(answer)})

    def token(self, req):
        form = req.form()
        if not self._client_ok(req, form):
            return Reply(401, {"error": "invalid_client", "error_description": "bad client credentials"})
        grant = form.get("grant_type")
        if grant == "authorization_code":
            return self._exchange_code(form)
        if grant == "refresh_token":
            return self._refresh(form)
        raise Violation(f"unsupported grant_type {grant!r}")

    # -- helpers -------------------------------------------------------------------

    def _client_ok(self, req, form) -> bool:
        header = req.header("authorization") or ""
        if self.auth_method == "client_secret_basic":
            if not header.startswith("Basic ") or "client_secret" in form:
                raise Violation("client must authenticate with HTTP Basic (client_id:client_secret)")
            decoded = base64.b64decode(header[6:]).decode()
            return decoded == f"{self.client_id}:{self.client_secret}"
        if header or "client_secret" not in form:
            raise Violation("client must send client_id and client_secret in the form body")
        return form.get("client_id") == self.client_id and form["client_secret"] == self.client_secret

    def _exchange_code(self, form):
        grant = self.codes.pop(form.get("code", ""), None)  # codes are single-use
        if grant is None:
            return _invalid_grant("unknown or used authorization code")
        if form.get("redirect_uri") != grant["redirect_uri"]:
            raise Violation("redirect_uri must repeat the one sent to /authorize")
        verifier = form.get("code_verifier") or ""
        if not _PKCE_VERIFIER.match(verifier):
            raise Violation("code_verifier (43-128 unreserved characters) is required")
        if s256(verifier) != grant["challenge"]:
            return _invalid_grant("code_verifier does not match code_challenge")
        return Reply(200, self._tokens(grant["scope"], refresh=None))

    def _refresh(self, form):
        old = form.get("refresh_token", "")
        if old not in self.refresh_tokens:
            return _invalid_grant("refresh token is invalid, expired or revoked")
        scope = self.refresh_tokens[old]
        if self.rotate_refresh_tokens:
            del self.refresh_tokens[old]
            return Reply(200, self._tokens(scope, refresh=None))
        return Reply(200, self._tokens(scope, refresh=old))

    def _tokens(self, scope, refresh):
        access = "at-" + secrets.token_urlsafe(16)
        self.access_tokens.add(access)
        body = {"access_token": access, "token_type": "bearer", "expires_in": self.expires_in,
                "scope": scope}
        if refresh is None:  # a new grant, or a rotating refresh
            body["refresh_token"] = self.issue_refresh_token(scope)
        return body


def _invalid_grant(description):
    return Reply(400, {"error": "invalid_grant", "error_description": description})
