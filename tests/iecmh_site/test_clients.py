"""Client addresses behind zero, one or two proxies, as lock-outs, limits and logs see them."""

import logging

import pytest
from django.test import Client, RequestFactory

from iecmh_site.clients import client_ip


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "6.6.6.6", "10.0.0.9"),  # no proxy declared: the header is the visitor's own words
        (1, "6.6.6.6, 1.2.3.4", "1.2.3.4"),  # our proxy appended the address it saw
        (2, "6.6.6.6, 1.2.3.4, 5.5.5.5", "1.2.3.4"),  # CDN, then our proxy
        (1, "", "10.0.0.9"),  # reached the app without the proxy
        (2, "1.2.3.4", "10.0.0.9"),  # fewer entries than proxies: nothing to trust
        (1, "6.6.6.6, not-an-address", "10.0.0.9"),
        (1, "6.6.6.6, 2001:db8::1", "2001:db8::1"),
    ],
)
def test_client_address_trusts_only_the_declared_proxies(settings, proxies, forwarded, expected):
    settings.PROXY_COUNT = proxies
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR="10.0.0.9")

    assert client_ip(request) == expected


@pytest.mark.django_db
def test_the_access_log_names_the_client_the_proxy_saw(client, settings, caplog):
    settings.PROXY_COUNT = 1
    with caplog.at_level(logging.INFO, logger="iecmh_site.access"):
        client.get("/robots.txt", HTTP_X_FORWARDED_FOR="6.6.6.6, 1.2.3.4")

    assert caplog.records[-1].getMessage().startswith('1.2.3.4 "GET /robots.txt" 200')


@pytest.mark.django_db
def test_a_lock_out_is_for_one_username_from_one_address(settings, django_user_model):
    settings.PROXY_COUNT = 1
    django_user_model.objects.create_user("staff", password="the right password", is_staff=True)
    attacker = Client(HTTP_X_FORWARDED_FOR="6.6.6.6")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attacker.post("/admin/login/", {"username": "staff", "password": "wrong"})
    assert attacker.post("/admin/login/", {"username": "staff", "password": "x"}).status_code == 429

    # The staff member, elsewhere behind the same proxy, still signs in.
    staff = Client(HTTP_X_FORWARDED_FOR="1.2.3.4")
    response = staff.post("/admin/login/", {"username": "staff", "password": "the right password"})
    assert response.status_code == 302
    assert "_auth_user_id" in staff.session


@pytest.mark.django_db
def test_one_address_is_limited_across_usernames(settings):
    settings.PROXY_COUNT = 1
    settings.ADMIN_LOGIN_LIMIT_PER_HOUR = 8
    sprayer = Client(HTTP_X_FORWARDED_FOR="6.6.6.6")
    answers = [
        sprayer.post("/admin/login/", {"username": f"user{n}", "password": "x"}).status_code
        for n in range(10)
    ]

    assert answers == [200] * 8 + [429] * 2
    other = Client(HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert other.post("/admin/login/", {"username": "user1", "password": "x"}).status_code == 200
