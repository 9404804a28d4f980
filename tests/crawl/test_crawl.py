"""The crawler of issue 15's done-when: every demo role (and the public) walks the product by
the links its own pages show, GET only, one URL per route pattern, with Django's test client on
the seeded demo. A page fails the walk when it answers 4xx/5xx, takes more than 500 ms of server
CPU time, shows a raw code (``forbidden_tokens.txt`` beside this file), or uses a msgid the
catalogue does not translate. Reveals, log-out and audited exports are not followed."""

from __future__ import annotations

import os
import re
import time
from collections import deque
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.translation import trans_real

pytestmark = pytest.mark.django_db

CPU_BUDGET = 0.5  # seconds of server CPU time per page
HERE = Path(__file__).parent

# url names never requested: they act or are audited on a GET (a reveal writes the access log,
# an export writes it too), or end the session.
NOT_FOLLOWED = {
    "logout",
    "set_language",
    "registry:person_reveal",
    "registry:person_reveal_phone",
    "registry:bank_account_reveal",
    "registry:person_export",
    "catalog:catalog_export",
    "training:roster_export",
    "subsidies:claim_roster",
    "subsidies:batch_export",
    "subsidies:disclosure_xlsx",
    "reports:institution_evaluation_export",
}
NOT_FOLLOWED_PREFIXES = ("/admin/", "/api/", "/static/", "/media/")

# msgids that read the same in Chinese (names of formats, units, product names).
SAME_IN_CHINESE = {"PDF", "Excel", "API", "ID", "CSV", "QR", "OK", "HTML", "JSON", "URL"}
SAME_IN_CHINESE |= {"%s KB", "%s MB", "%s GB", "%s TB", "%s PB"}  # Django's filesizeformat


def _forbidden_tokens() -> list[re.Pattern]:
    tokens = []
    for line in (HERE / "forbidden_tokens.txt").read_text(encoding="utf-8").splitlines():
        token = line.split("#", 1)[0].strip()
        if not token:
            continue
        if re.fullmatch(r"[\w.]+", token):
            tokens.append(re.compile(rf"(?<![\w./-]){re.escape(token)}(?![\w/.-])"))
        else:
            tokens.append(re.compile(re.escape(token)))
    return tokens


class _Page(HTMLParser):
    """The text a reader sees (text nodes, titles, placeholders, labels) and the GET links of a
    page (href, hx-get, and the src of frames and images served by the product). Text inside an
    element marked ``translate="no"`` is a quotation (the headings an import file may carry)."""

    _HIDDEN = {"script", "style", "template"}
    _SEEN_ATTRS = {"title", "placeholder", "aria-label", "alt"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.links: list[str] = []
        self._hidden = 0
        self._verbatim: list[str] = []  # open elements marked translate="no"

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in self._HIDDEN:
            self._hidden += 1
        if attributes.get("translate") == "no" or (self._verbatim and tag == self._verbatim[-1]):
            self._verbatim.append(tag)
        for name in ("href", "hx-get", "data-hx-get"):
            if attributes.get(name):
                self.links.append(attributes[name])
        if tag in {"iframe", "img"} and attributes.get("src"):
            self.links.append(attributes["src"])
        for name in self._SEEN_ATTRS:
            if attributes.get(name):
                self.text.append(attributes[name])
        if tag == "input" and attributes.get("type") in {"submit", "button"}:
            self.text.append(attributes.get("value") or "")

    def handle_endtag(self, tag):
        if tag in self._HIDDEN and self._hidden:
            self._hidden -= 1
        if self._verbatim and tag == self._verbatim[-1]:
            self._verbatim.pop()

    def handle_data(self, data):
        # text marked translate="no" is quoted as it is (the headings a file may carry)
        if not self._hidden and not self._verbatim and data.strip():
            self.text.append(data.strip())


class _Untranslated:
    """Records every msgid looked up in Chinese that comes back unchanged."""

    def __init__(self) -> None:
        self.seen: set[str] = set()
        self._gettext = trans_real.DjangoTranslation.gettext
        self._ngettext = trans_real.DjangoTranslation.ngettext

    def __enter__(self):
        recorder = self

        def gettext(catalog, message):
            result = recorder._gettext(catalog, message)
            if catalog.language() == "zh-hans" and result == message:
                recorder.note(message.rsplit("\x04", 1)[-1])
            return result

        def ngettext(catalog, singular, plural, number):
            result = recorder._ngettext(catalog, singular, plural, number)
            if catalog.language() == "zh-hans" and result in (singular, plural):
                recorder.note(result)
            return result

        trans_real.DjangoTranslation.gettext = gettext
        trans_real.DjangoTranslation.ngettext = ngettext
        return self

    def __exit__(self, *exc):
        trans_real.DjangoTranslation.gettext = self._gettext
        trans_real.DjangoTranslation.ngettext = self._ngettext

    def note(self, message: str) -> None:
        if re.search(r"[A-Za-z]{2}", message) and message.strip() not in SAME_IN_CHINESE:
            self.seen.add(message)


def _route(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


def _timed_get(client: Client, url: str):
    """The response and the server CPU time it took: the test client runs the view in this
    thread, so its thread time; a page over budget is asked once more and the lower time kept,
    because the first request also pays for compiling templates and, deep into a long session,
    for a full garbage collection of everything earlier tests left behind."""
    started = time.thread_time()
    response = client.get(url)
    spent = time.thread_time() - started
    if spent > CPU_BUDGET and response.status_code < 400:
        started = time.thread_time()
        client.get(url)
        spent = min(spent, time.thread_time() - started)
    return response, spent


def _crawl(client: Client, who: str, findings: list[str], tokens, visited: set[str]) -> int:
    """Walk from the home page; returns the number of pages requested."""
    queue = deque([("/", "")])
    seen_routes: set[str] = set()
    seen_paths: set[str] = set()
    requests = 0
    while queue:
        url, referrer = queue.popleft()
        split = urlsplit(url)
        path = split.path
        if path in seen_paths or path.startswith(NOT_FOLLOWED_PREFIXES):
            continue
        seen_paths.add(path)
        name = _route(path)
        if name is None:
            findings.append(f"{who}: {url} resolves to no page")
            continue
        if name == "core:history":  # one per kind of record: each has its own fields
            name = f"{name}:{path.split('/')[2]}"
        if name in NOT_FOLLOWED or name in seen_routes:
            continue
        seen_routes.add(name)
        visited.add(name)
        with _Untranslated() as untranslated:
            response, spent = _timed_get(client, url)
        requests += 1
        where = f"{who}: GET {url} ({name}, linked from {referrer or 'the start'})"
        if response.status_code >= 400:
            findings.append(f"{where} answered {response.status_code}")
            continue
        if spent > CPU_BUDGET:
            findings.append(f"{where} took {spent * 1000:.0f} ms of CPU time")
        if response.status_code in (301, 302, 303, 307, 308):
            queue.appendleft((urljoin(path, response["Location"]), url))
            continue
        if untranslated.seen:
            findings.append(f"{where} untranslated: {sorted(untranslated.seen)}")
        if "html" not in response.get("Content-Type", ""):
            continue
        page = _Page()
        page.feed(response.content.decode(response.charset or "utf-8"))
        text = "\n".join(page.text)
        raw = sorted({m.group(0) for pattern in tokens for m in pattern.finditer(text)})
        if raw:
            findings.append(f"{where} shows raw codes: {raw}")
        for link in page.links:
            target = urlsplit(urljoin(url, link))
            internal = target.scheme in ("http", "https", "") and target.netloc in {
                "",
                "testserver",
            }

            if internal and target.path and target.path not in seen_paths:
                queue.append((target.path + (f"?{target.query}" if target.query else ""), url))
    return requests


def test_every_role_walks_the_demo_without_errors_slow_pages_or_raw_codes(settings, tmp_path):
    from upskill.demo.seed import seed
    from upskill.organisations.models import User

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DEBUG = False
    logins = seed()
    tokens = _forbidden_tokens()
    findings: list[str] = []
    visited: set[str] = set()
    total = 0
    with translation.override("zh-hans"):
        total += _crawl(Client(raise_request_exception=False), "public", findings, tokens, visited)
        for login in logins:
            client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="zh-CN")
            client.force_login(User.objects.get(username=login.username))
            total += _crawl(client, login.username, findings, tokens, visited)
    report = os.environ.get("UPSKILL_CRAWL_REPORT")
    if report:  # the whole list, for working through it
        Path(report).write_text(f"{total} pages\n" + "\n".join(findings), encoding="utf-8")
    assert total > 500 and len(visited) >= 70, (total, sorted(visited))
    assert not findings, f"{len(findings)} findings:\n" + "\n".join(findings)
