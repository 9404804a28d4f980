"""The certificate PDF is sent without the Content-Security-Policy: Chrome shows a PDF inside a
page of its own making (inline styles, an embedded viewer) that the policy would break."""

from __future__ import annotations

from .factories import certificate_of, examined_class


def test_the_certificate_pdf_is_exempt_from_the_policy(world, make_person, make_user, client):
    certificate = certificate_of(examined_class(world, make_person, name="黄秀英"))
    client.force_login(make_user("inst1", "clerk"))
    pdf = client.get(f"/assessment/certificates/{certificate.pk}/pdf/")
    assert pdf["Content-Type"] == "application/pdf"
    assert "Content-Security-Policy" not in pdf
    page = client.get(f"/assessment/certificates/{certificate.pk}/")
    assert "script-src 'self'" in page["Content-Security-Policy"]
