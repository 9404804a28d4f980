"""``upskill screenshots`` (``make screenshots``): set the demo up in a database of its own,
serve it, and drive Chromium through it, writing each demo role's home page and main screens
(and the public portal) to ``docs/screenshots/*.png`` for the README (issue 15.12)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from upskill.demo.seed import DEMO_PASSWORD

# roles whose main screens (the first entries of their side menu) are shown beside their home
MAIN_SCREENS = {
    "ga_reviewer": 2,
    "ga_inspector": 2,
    "ga_payment": 2,
    "ga_hrsc": 1,
    "inst1_clerk": 2,
    "inst1_teacher": 1,
    "ent1_hr": 1,
    "hb_policy": 1,
}


class Command(BaseCommand):
    help = "Write screenshots of the demo, role by role, to docs/screenshots/."

    def add_arguments(self, parser):
        parser.add_argument("--out", default="docs/screenshots", help="directory of the PNGs")
        parser.add_argument("--addr", default="127.0.0.1:8765", help="address:port to serve on")
        parser.add_argument(
            "--no-setup", action="store_true", help="the database already holds the demo"
        )
        parser.add_argument(
            "--chromium", default=os.environ.get("UPSKILL_CHROMIUM", "/usr/bin/chromium")
        )

    def handle(self, *args, out: str, addr: str, chromium: str, no_setup: bool = False, **options):
        from playwright.sync_api import sync_playwright

        from upskill.demo.seed import logins as demo_logins
        from upskill.demo.seed import organisations

        if no_setup:
            from upskill.organisations.models import User

            logins = [u for u in User.objects.order_by("pk").values_list("username", flat=True)]
        else:
            call_command("demo", no_serve=True)
            logins = [login.username for login in demo_logins(organisations())]
        target = Path(out)
        target.mkdir(parents=True, exist_ok=True)
        server = subprocess.Popen(  # noqa: S603 - our own command line
            [sys.executable, "-m", "upskill.cli", "runserver", addr, "--noreload", "--skip-checks"],
            env={**os.environ, "DJANGO_SETTINGS_MODULE": settings.SETTINGS_MODULE},
        )
        try:
            base = f"http://{addr}"
            self._wait_for(f"{base}/healthz")
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=chromium, args=["--headless", "--no-sandbox", "--disable-gpu"]
                )
                written = self._public(browser, base, target)
                for username in logins:
                    if username != "admin":
                        written += self._role(browser, base, target, username)
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=30)
        self.stdout.write(self.style.SUCCESS(f"{written} screenshots in {target}/"))

    def _wait_for(self, url: str) -> None:
        for _attempt in range(480):
            try:
                with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - our own server
                    return
            except urllib.error.HTTPError:  # it answers (a health check may still say 503)
                return
            except OSError:
                time.sleep(0.5)
        raise CommandError(f"the demo server did not answer at {url}")

    def _context(self, browser, base: str):
        return browser.new_context(
            locale="zh-CN", base_url=base, viewport={"width": 1366, "height": 768}
        )

    def _public(self, browser, base: str, target: Path) -> int:
        context = self._context(browser, base)
        page = context.new_page()
        page.goto("/")
        page.screenshot(path=str(target / "public-portal.png"), full_page=True)
        context.close()
        return 1

    def _role(self, browser, base: str, target: Path, username: str) -> int:
        context = self._context(browser, base)
        page = context.new_page()
        page.goto("/accounts/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", DEMO_PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_url(f"{base}/")
        page.screenshot(path=str(target / f"{username}-home.png"))
        written = 1
        links = page.eval_on_selector_all(
            "[data-testid=main-nav] a[href]", "els => els.map(e => e.getAttribute('href'))"
        )
        screens = [href for href in links if href and href != "/"][: MAIN_SCREENS.get(username, 0)]
        for number, href in enumerate(screens, start=1):
            page.goto(href)
            page.screenshot(path=str(target / f"{username}-{number}.png"))
            written += 1
        context.close()
        return written
