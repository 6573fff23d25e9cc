"""Jitsi rooms: unguessable, on the configured server, stable across reschedules."""
import re

from webapp.meetings import build_provider


def test_each_create_gets_a_different_128_bit_room_on_the_configured_server(make_request):
    jitsi = build_provider("jitsi", {"JITSI_BASE_URL": "https://jitsi.example.org/"})

    first, second = jitsi.create(make_request()), jitsi.create(make_request())

    assert first.meeting_id != second.meeting_id
    assert re.fullmatch(r"https://jitsi\.example\.org/studiocentos-[0-9a-f]{32}", first.url)


def test_jitsi_defaults_to_meet_jit_si(make_request):
    assert build_provider("jitsi", {}).create(make_request()).url.startswith("https://meet.jit.si/")


def test_reschedule_keeps_the_room_and_delete_does_nothing(make_request):
    jitsi = build_provider("jitsi", {})
    created = jitsi.create(make_request())

    assert jitsi.update(created.meeting_id, make_request()) == created
    assert jitsi.delete(created.meeting_id) is None
