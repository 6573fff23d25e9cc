"""Public references of a booking (invite UID, widget events): derived from its uid, opening nothing.

Pure, so the mail package may use it; the widget imports it from here too.
"""
import hashlib


def booking_reference(uid: str) -> str:
    """Return the reference shown outside the app (invite UID, partner-page events).

    A one-way hash: it names the booking to calendars and partner pages, but neither the
    API nor any page looks a booking up by it, so it reads and changes nothing.
    """
    return "ref-" + hashlib.sha256(b"booking-reference:" + uid.encode()).hexdigest()[:32]
