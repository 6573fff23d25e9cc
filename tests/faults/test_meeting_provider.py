"""A meeting provider that hangs or fails: the confirmation goes out within seconds (saying the
link follows), other clients' emails are not held up, and the link follows when it exists."""
import time

import pytest

from tests.faults.stack import slots, wait_for
from tests.stubs.faulty_provider import FAIL, HANG

pytestmark = pytest.mark.faults

#: a confirmation this late counts as held up (the read timeout is 2 s in the suite)
CONFIRMATION_BOUND = 10


def confirmations_to(stack, address: str) -> list:
    """The confirmation emails received by `address`."""
    return [m for m in stack.mail.messages()
            if m["To"] == address and m["Subject"].startswith("Confirmed:")]


def links_to(stack, address: str) -> list:
    """The meeting-link emails received by `address`."""
    return [m for m in stack.mail.messages()
            if m["To"] == address and m["Subject"].startswith("Meeting link:")]


@pytest.mark.parametrize("mode", [HANG, FAIL])
def test_a_misbehaving_provider_holds_no_email(stack, provider, record, mode):
    provider.mode = mode
    whereby_start, jitsi_start = slots(2)
    assert stack.book_api(whereby_start, "whereby@example.com", provider="whereby").status_code == 201
    booked = time.monotonic()
    assert stack.book_api(jitsi_start, "jitsi@example.com").status_code == 201

    others = wait_for(lambda: confirmations_to(stack, "jitsi@example.com"), CONFIRMATION_BOUND,
                      "the other client's confirmation")
    wait_for(lambda: confirmations_to(stack, "whereby@example.com"), CONFIRMATION_BOUND,
             "the confirmation of the booking whose provider misbehaves")
    confirmed = time.monotonic() - booked
    [confirmation] = confirmations_to(stack, "whereby@example.com")
    assert "The meeting link follows in a separate email." in confirmation.get_body(
        preferencelist=("plain",)).get_content()

    # MEETING_ATTEMPTS=2: the second attempt falls back to Jitsi and the link is mailed
    wait_for(lambda: links_to(stack, "whereby@example.com"), 30, "the meeting link email")
    linked = time.monotonic() - booked
    [link] = links_to(stack, "whereby@example.com")
    assert "https://meet.jit.si/" in link.get_body(preferencelist=("plain",)).get_content()
    wait_for(stack.all_sent, 15, "every email recorded")
    report = stack.delivery_report()
    assert report["lost"] == [] and report["unexpected"] == [] and report["repeated"] == {}
    assert provider.calls, "the provider was asked"
    record(f"Meeting provider {'hangs' if mode == HANG else 'answers 500'}",
           f"Whereby stub {'never answers' if mode == HANG else 'answers 500'}; "
           "one Whereby and one Jitsi booking",
           f"confirmation within {CONFIRMATION_BOUND} s saying the link follows; other email "
           "not delayed; link email after the Jitsi fall-back",
           f"other client confirmed after {others:.1f} s; {report['received']} emails, 0 repeated",
           f"confirmation {confirmed:.1f} s, link {linked:.1f} s after booking")
