"""StudiocentOS Booking.

`create_app` (in webapp.factory) builds the web app. This package module imports nothing,
so pure parts such as `webapp.scheduling` load without Flask or SQLAlchemy.
"""

#: names the factory module provides, loaded on first use
_FACTORY_NAMES = frozenset({"ConfigError"})


def create_app(config: dict | None = None):
    """Create the app (see webapp.factory.create_app)."""
    from webapp.factory import create_app as build

    return build(config)


def __getattr__(name: str):
    """Load factory names such as ConfigError on first use, not at package import."""
    if name in _FACTORY_NAMES:
        from webapp import factory

        return getattr(factory, name)
    raise AttributeError(f"module 'webapp' has no attribute {name!r}")
