"""The product's error pages (issue 15, item 10): 403, 404, 429 and 500 in the reader's
language with the site's navigation, never Django's own (nor its debug page, which lists the
URL patterns)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory, override_settings
from django.urls import include, path

from upskill.core import throttle, views

pytestmark = pytest.mark.django_db


def _boom(request):
    raise RuntimeError("a bug")


def _forbidden(request):
    raise PermissionDenied


# The product's URLs plus two views that fail, for the 403 and 500 handlers.
urlpatterns = [
    path("boom/", _boom),
    path("forbidden/", _forbidden),
    path("", include("upskill.urls")),  # named, not imported: core is below the doors
]
handler403 = "upskill.core.views.permission_denied"
handler404 = "upskill.core.views.page_not_found"
handler500 = "upskill.core.views.server_error"


def _nav(page: str) -> bool:
    return 'data-testid="main-nav"' in page


def test_404_in_chinese_with_the_navigation(client, make_user):
    client.force_login(make_user("gongan", "reviewer"))
    response = client.get("/no-such-page/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in page and _nav(page) and "返回我的待办" in page
    assert "Page not found" not in page and "URLconf" not in page


def test_404_of_a_hidden_record_is_the_same_page(client, make_user):
    client.force_login(make_user("inst2", "clerk"))
    response = client.get("/training/classes/999999/")
    assert response.status_code == 404 and "页面不存在" in response.content.decode()


def test_403_in_chinese_with_the_navigation(client, make_user):
    # a teacher may not open the access log (core.view_accesslog)
    client.force_login(make_user("inst1", "teacher"))
    response = client.get("/access-log/")
    page = response.content.decode()
    assert response.status_code == 403
    assert "您无权访问此页面" in page and _nav(page)


@override_settings(ROOT_URLCONF=__name__)
def test_500_in_chinese_with_the_navigation(client, make_user):
    client.raise_request_exception = False
    client.force_login(make_user("gongan", "reviewer"))
    response = client.get("/boom/")
    page = response.content.decode()
    assert response.status_code == 500
    assert "系统出现错误" in page and _nav(page) and "a bug" not in page


def test_500_without_a_database_is_still_a_page(monkeypatch):
    """If the page with its menu cannot be made, a plain page in the reader's language."""

    def broken(*args, **kwargs):
        raise RuntimeError("database down")

    monkeypatch.setattr(views, "render", broken)
    response = views.server_error(RequestFactory().get("/"))
    assert response.status_code == 500 and "系统出现错误" in response.content.decode()


@override_settings(DEBUG=True, ROOT_URLCONF=__name__)
def test_no_debug_page_in_the_demo(client, make_user):
    """The demo runs with DEBUG on: still the product's 404 and 403, no list of URL patterns."""
    client.force_login(make_user("inst1", "teacher"))
    unknown = client.get("/no-such-page/")
    assert unknown.status_code == 404 and "页面不存在" in unknown.content.decode()
    assert "DEBUG = True" not in unknown.content.decode()
    hidden = client.get("/training/classes/999999/")
    assert hidden.status_code == 404 and "页面不存在" in hidden.content.decode()
    forbidden = client.get("/forbidden/")
    assert forbidden.status_code == 403 and "您无权访问此页面" in forbidden.content.decode()


def test_429_from_the_rate_limit(rf, make_user):
    request = rf.get("/")
    request.user = make_user("gongan", "reviewer")
    response = throttle.too_many_requests(request, 42)
    page = response.content.decode()
    assert response.status_code == 429 and response["Retry-After"] == "42"
    assert "请求过于频繁" in page and "请等待 42 秒后再试" in page and _nav(page)
