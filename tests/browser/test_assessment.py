"""The assessment and employment journey (GA23-CRT-1, WH20-EXM-1, HB61-CRT-1, GA23-EMP-1): the
examiner enters scores for a class, one trainee fails and passes the retake; the certificate PDF
renders Chinese and its QR address opens the public verification page; an invalid number is
"not found"; a certified trainee appears in the HR service centre's queue and ends employed,
which moves the class's conversion rate. The class is made through the training services."""

from __future__ import annotations

import io
import subprocess
from datetime import date

import pytest

from upskill.assessment import services as assessment
from upskill.assessment.models import Certificate
from upskill.assessment.pdf import qr_png
from upskill.core.scoping import SYSTEM
from upskill.training.tests import factories

from .conftest import log_in


@pytest.fixture(autouse=True)
def _regions(transactional_db):
    """A transactional test's flush removes the divisions the data migration made."""
    from upskill.organisations.models import Region
    from upskill.organisations.regions import ensure_regions

    ensure_regions(Region)


def _log_out(page) -> None:
    page.click("form[action='/accounts/logout/'] button")
    page.wait_for_load_state()


def _score(page, name: str, theory: str, practical: str, expected: str) -> None:
    row = page.locator(f"[data-testid='row-{name}']")
    row.locator("[data-testid=theory]").fill(theory)
    row.locator("[data-testid=practical]").fill(practical)
    row.locator("[data-testid=save]").click()
    page.locator(f"[data-testid='row-{name}'] .result-{expected}").wait_for()


def _pixels(png: bytes) -> tuple:
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("L")
    return image.size, tuple(0 if value < 128 else 1 for value in image.tobytes())


def _qr_of_pdf(path, folder) -> tuple:
    """The QR image the PDF holds, extracted with poppler's pdfimages, as black/white pixels."""
    subprocess.run(["pdfimages", "-png", str(path), str(folder / "img")], check=True)
    (image,) = sorted(folder.glob("img-*.png"))
    return _pixels(image.read_bytes())


def _rate(page, class_id: int) -> str:
    page.goto("/employment/rates/")
    return page.inner_text(f"[data-testid=rate-class-{class_id}] [data-testid=rate]").strip()


def test_scores_retake_certificate_verification_and_employment(
    page, world, make_user, make_person, live_server, tmp_path
):
    training_class = factories.make_class(world, status="running")
    factories.enrol(training_class, make_person, 1, name="黄秀英")
    factories.enrol(training_class, make_person, 1, name="刘强")
    make_user("inst1", "clerk", username="clerk_x")
    make_user("inst1", "teacher", username="teacher_x")
    make_user("hrsc", "counsellor", username="counsellor_x")
    assessment.session_create(
        actor=SYSTEM,
        training_class=training_class,
        date=date(2023, 5, 19),
        place="实训楼一楼考场",
        examiners="李考评、王考评",
    )

    # The examiner enters the scores on the tablet sheet: 刘强 fails the practical part.
    log_in(page, "teacher_x")
    page.goto(f"/assessment/classes/{training_class.pk}/")
    page.click("[data-testid=session-1]")
    _score(page, "黄秀英", "85", "80", "passed")
    _score(page, "刘强", "72", "55", "failed")
    page.click("[data-testid=close-session]")
    page.wait_for_url(f"**/assessment/classes/{training_class.pk}/")
    assert "1" in page.inner_text("[data-testid=passed-count]")
    _log_out(page)

    # The clerk schedules the retake (WH20-EXM-1): only 刘强 is examined again, and passes.
    log_in(page, "clerk_x")
    page.goto(f"/assessment/classes/{training_class.pk}/")
    page.eval_on_selector("[data-testid=session-form]", "el => el.open = true")
    page.fill("input[name=date]", "2023-05-26")
    page.fill("input[name=place]", "实训楼一楼考场")
    page.fill("input[name=examiners]", "李考评")
    page.click("[data-testid=schedule]")
    page.wait_for_url("**/assessment/sessions/*/")
    assert page.locator("[data-testid^=row-]").count() == 1
    _log_out(page)
    log_in(page, "teacher_x")
    page.goto(f"/assessment/classes/{training_class.pk}/")
    page.click("[data-testid=session-2]")
    _score(page, "刘强", "70", "68", "passed")
    page.click("[data-testid=close-session]")
    page.wait_for_url(f"**/assessment/classes/{training_class.pk}/")
    liu = page.inner_text("[data-testid='result-刘强']")
    assert "1:" in liu and "2:" in liu  # both attempts kept
    _log_out(page)

    # The certificate PDF renders Chinese; its QR code carries the public verification address.
    certificate = Certificate.objects.get(holder_name="黄秀英")
    log_in(page, "clerk_x")
    page.goto("/assessment/certificates/")
    page.click("[data-testid='certificate-黄秀英']")
    verify_url = page.inner_text("[data-testid=verify-url]").strip()
    assert verify_url == live_server.url + certificate.verification_path
    pdf = page.request.get(page.get_attribute("[data-testid=pdf]", "href"))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    path = tmp_path / "certificate.pdf"
    path.write_bytes(pdf.body())
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    assert "湖北省就业创业培训合格证" in text and "黄秀英" in text and certificate.serial in text
    assert verify_url in text  # the address the QR code encodes is printed under it
    assert _qr_of_pdf(path, tmp_path) == _pixels(qr_png(verify_url))  # the QR encodes it
    _log_out(page)

    # The public page (no log-in) confirms it with masked data; a wrong number is "not found".
    page.goto(verify_url)
    assert "湖北省就业创业培训合格证" in page.inner_text("[data-testid=verify-title]")
    assert page.inner_text("[data-testid=verify-name]").strip() == "黄*英"
    assert page.inner_text("[data-testid=verify-id]").strip() == certificate.id_number_masked
    page.goto("/assessment/verify/")
    page.fill("input[name=serial]", "4210222023999999")
    page.fill("input[name=code]", certificate.verification_code)
    page.click("main form button[type=submit]")
    page.locator("[data-testid=verify-not-found]").wait_for()

    # Both certified trainees are in the HR service centre's queue; 黄秀英 ends employed.
    log_in(page, "counsellor_x")
    page.goto("/employment/")
    assert page.locator("[data-testid='queue-黄秀英']").count() == 1
    assert page.locator("[data-testid='queue-刘强']").count() == 1
    assert _rate(page, training_class.pk) == "0.0 %"
    page.goto("/employment/")
    page.click("[data-testid='queue-黄秀英'] a")
    page.fill("input[name=job_type]", "厨师")
    page.click("[data-testid=save-wishes]")
    page.wait_for_load_state()
    page.select_option("select[name=kind]", "employed")
    page.fill("input[name=on]", "2023-06-10")
    page.fill("input[name=employer]", "公安县荆江大酒店")
    page.fill("input[name=employed_from]", "2023-06-12")
    page.click("[data-testid=record-follow-up]")
    page.locator("[data-testid=referral-outcome]").wait_for()
    assert _rate(page, training_class.pk) == "50.0 %"
