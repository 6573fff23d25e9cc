"""Fixtures for the pure meeting-library tests."""
from tests.stubs.fixtures import make_request  # noqa: F401  (fixtures are used by name)
