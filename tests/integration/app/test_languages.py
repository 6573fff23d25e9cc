"""The visitor's language: Accept-Language, else an explicit lang= choice."""


def test_an_italian_browser_gets_the_site_in_italian_and_can_switch_to_english(client):
    italian = client.get("/", headers={"Accept-Language": "it-IT,it;q=0.9"}).get_data(as_text=True)
    english = client.get("/?lang=en", headers={"Accept-Language": "it-IT"}).get_data(as_text=True)

    assert '<html lang="it">' in italian and "Prenota un incontro" in italian
    assert '<html lang="en">' in english and "Book a meeting" in english and "Prenota" not in english
    assert 'hreflang="en"' in italian and "lang=en" in italian  # the switcher

