import polib
import pytest
from django.conf import settings


def test_healthz_checks_the_database(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_home_page_is_chinese_by_default(client, db):
    response = client.get("/")
    assert response.status_code == 200
    text = response.content.decode()
    assert '<html lang="zh-hans">' in text
    assert "职业技能培训" in text


def test_english_is_one_click_away(client, db):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, follow=True)
    assert '<html lang="en">' in response.content.decode()
    assert "Vocational skills training" in response.content.decode()


def test_static_assets_are_vendored(client, db):
    page = client.get("/").content.decode()
    assert "/static/vendor/htmx/htmx.min.js" in page
    assert "http://" not in page.split("<body")[0] and "https://" not in page.split("<body")[0]


def test_every_string_has_a_chinese_translation():
    catalogue = polib.pofile(str(settings.LOCALE_PATHS[0] / "zh_Hans/LC_MESSAGES/django.po"))
    missing = [e.msgid for e in catalogue.untranslated_entries()] + [
        e.msgid for e in catalogue.fuzzy_entries()
    ]
    assert not missing, missing[:10]
    assert catalogue.percent_translated() == 100


@pytest.mark.parametrize(
    ("role", "sees", "does_not_see"),
    [
        (("gongan", "reviewer"), "/registry/persons/", "/organisations/api-tokens/"),
        (("inst1", "clerk"), "/registry/persons/find/", "/access-log/"),
        (("federation", "clerk"), "/organisations/", "/registry/persons/"),
    ],
)
def test_navigation_follows_the_role(client, make_user, role, sees, does_not_see):
    client.force_login(make_user(*role))
    page = client.get("/").content.decode()
    assert f'href="{sees}"' in page
    assert f'href="{does_not_see}"' not in page
