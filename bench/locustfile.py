"""The load test (issue 19): clerks' real journeys against the production-like stack.

Run by ``make bench-load`` (``bench/load.sh``): ``make stack``'s processes on PostgreSQL, then
locust headless with 50 users for 5 minutes. Each virtual user logs in as one demo role and
works on what that role's organisation sees — the pages it follows are the links its own
pages offer (its classes, its claims, its batch), so nothing outside its scope is asked for.
Every user waits 1–5 s between actions. Page names in the statistics are the route patterns
(``/training/classes/[id]/``), so the p95 is per page, not per object.
"""

from __future__ import annotations

import random
import re

from locust import HttpUser, between, task

PASSWORD = "Upskill#2023"  # noqa: S105 (the demo log-ins, printed by upskill demo)
_IDS = re.compile(r"/\d+(?=/|\.|$)")
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _links(html: str, pattern: str) -> list[str]:
    return sorted(set(re.findall(rf'href="({pattern})"', html)))


class Clerk(HttpUser):
    """A logged-in user of one role; the subclasses are the roles and their journeys."""

    abstract = True
    wait_time = between(1, 5)
    usernames: tuple[str, ...] = ()

    def on_start(self) -> None:
        self.username = random.choice(self.usernames)
        page = self.client.get("/accounts/login/", name="/accounts/login/")
        token = _CSRF.search(page.text).group(1)
        answer = self.client.post(
            "/accounts/login/",
            {"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": f"{self.host}/accounts/login/"},
            name="/accounts/login/ (POST)",
            allow_redirects=False,
        )
        if answer.status_code != 302:
            raise RuntimeError(f"{self.username} could not log in ({answer.status_code})")

    def page(self, url: str):
        return self.client.get(url, name=_IDS.sub("/[id]", url))

    def follow(self, html: str, pattern: str):
        links = _links(html, pattern)
        return self.page(random.choice(links)) if links else None


class InstitutionClerk(Clerk):
    """An institution's clerk: its classes, a class page, its roster of persons."""

    weight = 4
    usernames = ("inst1_clerk", "inst2_clerk", "inst3_clerk", "inst1_admin")

    @task(3)
    def classes(self) -> None:
        listing = self.page("/training/classes/")
        self.follow(listing.text, r"/training/classes/\d+/")

    @task(1)
    def home(self) -> None:
        self.page("/")

    @task(1)
    def persons(self) -> None:
        listing = self.page("/registry/persons/")
        self.follow(listing.text, r"/registry/persons/\d+/")


class Teacher(Clerk):
    """A teacher: the class, a lesson's attendance page."""

    weight = 2
    usernames = ("inst1_teacher",)

    @task
    def attendance(self) -> None:
        listing = self.page("/training/classes/")
        detail = self.follow(listing.text, r"/training/classes/\d+/")
        if detail is not None:
            self.follow(detail.text, r"/training/lessons/\d+/attendance/")


class Reviewer(Clerk):
    """The bureau's reviewer: plans and claims waiting, a claim's lines."""

    weight = 3
    usernames = ("ga_reviewer", "ga_centre")

    @task(3)
    def claims(self) -> None:
        listing = self.page("/subsidies/claims/")
        self.follow(listing.text, r"/subsidies/claims/\d+/")

    @task(1)
    def home(self) -> None:
        self.page("/")

    @task(1)
    def classes(self) -> None:
        self.page("/training/classes/")


class PaymentClerk(Clerk):
    """The payment clerk: batches and a batch's payment lines."""

    weight = 1
    usernames = ("ga_payment",)

    @task
    def batches(self) -> None:
        listing = self.page("/subsidies/batches/")
        self.follow(listing.text, r"/subsidies/batches/\d+/")


class Township(Clerk):
    """A township centre: its residents, classes held there."""

    weight = 2
    usernames = ("ga_douhudi", "ga_buhe")

    @task
    def residents(self) -> None:
        self.page("/")
        self.page("/registry/persons/")
        self.page("/training/classes/")


class Public(HttpUser):
    """Anyone: the portal, catalogues, enrolment notices, certificate check, disclosure."""

    weight = 2
    wait_time = between(1, 5)

    @task
    def browse(self) -> None:
        home = self.client.get("/", name="/ (portal)")
        for url in ("/training/notices/", "/assessment/verify/", "/subsidies/disclosure/"):
            self.client.get(url, name=url)
        catalogues = _links(home.text, r"/catalog/\d+/")
        if catalogues:
            self.client.get(random.choice(catalogues), name="/catalog/[id]/")
