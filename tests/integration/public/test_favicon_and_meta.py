"""Every page names its icon and describes itself; /favicon.ico answers with the icon."""


def test_favicon_ico_answers_with_the_svg_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml" and b"<svg" in response.data


def test_pages_link_the_icon_and_carry_a_description(client):
    for url in ("/", "/book/consultation", "/embed/"):
        page = client.get(url).get_data(as_text=True)
        assert 'rel="icon"' in page and "favicon.svg" in page, url
        assert '<meta name="description" content="Book a meeting with' in page, url
