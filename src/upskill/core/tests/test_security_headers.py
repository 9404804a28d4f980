"""Content-Security-Policy and Permissions-Policy on every response, in every environment; no
template carries what the policy refuses (inline script, on…= handler, style attribute)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import upskill

PAGES = ["/", "/accounts/login/", "/catalog/", "/assessment/verify/", "/admin/login/", "/api/docs"]


def _directives(header: str) -> dict[str, list[str]]:
    return {
        part.split()[0]: part.split()[1:] for part in (p.strip() for p in header.split(";")) if part
    }


@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_a_strict_content_security_policy(db, client, path):
    response = client.get(path)
    assert response.status_code == 200
    policy = _directives(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["base-uri"] == ["'self'"]
    for sources in policy.values():
        assert not {"'unsafe-inline'", "'unsafe-eval'", "*"} & set(sources)


@pytest.mark.parametrize("path", ["/", "/healthz", "/api/openapi.json"])
def test_every_response_has_a_permissions_policy(db, client, path):
    header = client.get(path)["Permissions-Policy"]
    features = dict(item.split("=", 1) for item in header.split(", "))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert features[feature] == "()"
    assert features["fullscreen"] == "(self)"


def _templates() -> list[Path]:
    return sorted(Path(upskill.__file__).parent.glob("*/templates/**/*.html"))


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.I)
STYLE_ATTRIBUTE = re.compile(r"<[^>]*\sstyle\s*=", re.I)


def test_no_template_has_an_inline_script_handler_or_style():
    templates = _templates()
    assert len(templates) > 50
    found = []
    for path in templates:
        text = path.read_text()
        for name, pattern in (
            ("inline script", INLINE_SCRIPT),
            ("on… handler", HANDLER),
            ("style attribute", STYLE_ATTRIBUTE),
            ("<style>", re.compile(r"<style\b", re.I)),
            ("javascript: URL", re.compile(r"javascript:", re.I)),
        ):
            found += [f"{path.name}: {name}: {m.group(0)[:60]}" for m in pattern.finditer(text)]
    assert found == []


def test_htmx_is_configured_for_the_policy(db, client):
    html = client.get("/").content.decode()
    assert '"includeIndicatorStyles": false' in html and '"allowEval": false' in html
    assert "upskill/upskill.js" in html
