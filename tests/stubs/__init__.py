"""Local stand-ins for the meeting providers' HTTP APIs and OAuth servers.

Each stub checks every request against the provider's documented API and records any
deviation in `violations`; see server.StubServer. Fixtures in tests.stubs.fixtures.
"""
from tests.stubs.google_calendar import GoogleCalendarStub
from tests.stubs.graph import GraphStub
from tests.stubs.oauth import OAuthStub, s256
from tests.stubs.server import Reply, StubRequest, StubServer, Violation
from tests.stubs.whereby import WherebyStub
from tests.stubs.zoom import ZoomStub

__all__ = [
    "GoogleCalendarStub", "GraphStub", "OAuthStub", "Reply", "StubRequest", "StubServer",
    "Violation", "WherebyStub", "ZoomStub", "s256",
]
