"""SQLAlchemy models, one aggregate per module."""
from webapp.models.accounts import AdminUser, ApiToken, LoginThrottle
from webapp.models.audit import AuditEntry
from webapp.models.availability import AvailabilitySlot, BlockedDate
from webapp.models.booking import Booking, BookingFollowUp
from webapp.models.calendar_source import CalendarSource, ExternalBusy, WrittenEvent
from webapp.models.host import BookingHost, Host, ServiceTypeHost
from webapp.models.integration import ProviderIntegration
from webapp.models.outbox import OutboxMessage
from webapp.models.periodic import PeriodicRun
from webapp.models.service_type import ServiceType
from webapp.models.settings import ConfigVersion, IdempotencyRecord, Setting
from webapp.models.webhook import WebhookEndpoint

__all__ = [
    "AdminUser", "ApiToken", "AuditEntry", "AvailabilitySlot", "BlockedDate", "Booking",
    "BookingFollowUp", "BookingHost", "CalendarSource", "ConfigVersion", "ExternalBusy", "Host",
    "IdempotencyRecord", "LoginThrottle", "OutboxMessage", "PeriodicRun", "ProviderIntegration",
    "ServiceType", "ServiceTypeHost", "Setting", "WebhookEndpoint", "WrittenEvent",
]
