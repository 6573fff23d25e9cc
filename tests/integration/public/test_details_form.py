"""The details form: required fields marked, optional ones folded away, a summary of what to fix."""
import re

import pytest

from tests.integration.public.test_public_pages import NOW, booking_form, form_fields


@pytest.fixture
def app_config():
    """Freeze the clock so the calendar is predictable."""
    return {"CLOCK": lambda: NOW}


def label_of(html: str, field_id: str) -> str:
    """Return the text of a field's label, tags removed."""
    match = re.search(rf'<label for="{field_id}">(.*?)</label>', html, re.S)
    assert match, f"no label for {field_id}"
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


def test_required_fields_are_starred_and_optional_ones_wait_in_more_details(client):
    _url, html = booking_form(client)
    assert label_of(html, "client_name") == "Your name *" and label_of(html, "client_phone") == "Phone (optional)"
    assert re.search(r'<input[^>]*aria-required="true"[^>]*id="client_email"', html)
    folded = html[html.index('<details class="more-details">'):html.index("</details>")]
    assert "More details (optional)" in folded
    for optional in ("client_phone", "client_company", "title", "description", "client_notes"):
        assert f'id="{optional}"' in folded
    assert 'id="client_name"' not in folded and 'id="meeting_provider"' not in folded
    assert 'data-focus-on-load>Your details' in html and "error-summary" not in html


def test_a_refused_form_opens_with_a_summary_that_links_to_each_field(client):
    url, html = booking_form(client)
    response = client.post("/book/consultation/details",
                           data=form_fields(url, html, client_name="", client_phone="x" * 41))
    page = response.text
    assert response.status_code == 422
    summary = page[page.index('<section class="error-summary"'):page.index("</section>")]
    assert 'tabindex="-1"' in summary and "autofocus" in summary and "data-focus-on-load" in summary
    assert re.findall(r'<a href="#([a-z_]+)">', summary) == ["client_name", "client_phone"]
    assert '<details class="more-details" open>' in page  # the phone in error is not hidden
    assert "data-focus-on-load>Your details" not in page  # the summary takes focus, not the heading
