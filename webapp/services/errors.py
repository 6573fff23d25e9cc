"""Errors the services raise for callers to turn into messages or JSON."""


class ServiceError(Exception):
    """Base class for a request the service refused."""

    code = "invalid"

    def __init__(self, message: str, fields: dict[str, str] | None = None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class ValidationFailed(ServiceError):
    """Input that breaks a rule; `fields` names what is wrong where."""

    code = "validation_error"


class SlotTaken(ServiceError):
    """The chosen time is no longer free."""

    code = "slot_taken"


class SlotUnavailable(SlotTaken):
    """The chosen time was never on offer (off the schedule, closed or blocked).

    A SlotTaken, so every caller handles it the same way: it offers the day's other times.
    """

    code = "slot_unavailable"


class NotFound(ServiceError):
    """No such thing, or not yours to see."""

    code = "not_found"


class NotAllowed(ServiceError):
    """The action is not allowed in the booking's current state or by policy."""

    code = "not_allowed"
