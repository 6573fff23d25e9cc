"""Admin integrations: connect meeting providers (OAuth) and see their status."""
from webapp.integrations.routes import bp

__all__ = ["bp"]
