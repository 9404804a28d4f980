"""The public portal (issue 15, item 8): one home page links every public service, each of
which opens without logging in."""

from __future__ import annotations

import pytest

from upskill.core.portal import PUBLIC_SERVICES, public_services

pytestmark = pytest.mark.django_db


def test_the_home_page_links_every_public_service(client, world):
    page = client.get("/").content.decode()
    services = public_services()
    assert [s["key"] for s in services] == [s.key for s in PUBLIC_SERVICES]  # none left out
    for service in services:
        assert f'href="{service["url"]}"' in page, service["key"]
        response = client.get(service["url"])
        assert response.status_code == 200, service["url"]  # open to the public
    for text in ("培训目录", "招生公告", "证书查验", "补贴公示", "资金使用情况", "通报批评"):
        assert text in page
    assert 'href="/accounts/login/"' in page


def test_a_signed_in_user_gets_the_work_queue_instead(client, make_user):
    client.force_login(make_user("gongan", "reviewer"))
    page = client.get("/").content.decode()
    assert 'data-testid="public-services"' not in page and "待办事项" in page
