"""Error pages keep what the error says besides its body."""


def test_a_wrong_method_on_a_page_names_the_allowed_ones(client, login, user_factory):
    login(user_factory("admin"))
    response = client.delete("/audit")
    assert response.status_code == 405 and response.mimetype == "text/html"
    assert {m.strip() for m in response.headers["Allow"].split(",")} == {"GET", "HEAD", "OPTIONS"}
