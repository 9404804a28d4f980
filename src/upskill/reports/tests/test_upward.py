"""The reports upward (HB45-RPT-1: plan, half-year progress, year-end summary) and the request to
reimburse advanced enterprise subsidies (HB61 五): generated as a background job from the
records as of a date, in the bureau's scope, as Excel and PDF (the Chinese font embedded, the
charts drawn on the server), kept and downloadable again. The files are read back."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import date, datetime
from decimal import Decimal
from unittest.mock import patch

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from openpyxl import load_workbook

from upskill.core.models import AccessLog, JobStatus
from upskill.core.queues import queue_for
from upskill.core.scoping import SYSTEM
from upskill.organisations.models import Region
from upskill.reports import selectors, services
from upskill.reports.models import UpwardReport
from upskill.reports.tests.factories import gongan_targets, records

pytestmark = pytest.mark.django_db


def _waiting(user) -> int:
    return next(w.count for w in queue_for(user) if w.key == "reports.upward_waiting")


def _sheet(report, title):
    with default_storage.open(report.xlsx, "rb") as handle:
        workbook = load_workbook(io.BytesIO(handle.read()))
    return [list(row) for row in workbook[title].iter_rows(values_only=True)]


def _pdf_text(report) -> str:
    with default_storage.open(report.pdf, "rb") as handle:
        data = handle.read()
    assert data.startswith(b"%PDF")
    assert b"UpskillCJK" in data or b"WenQuanYi" in data  # the embedded font
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext (poppler-utils) is needed to read the PDF back")
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


@pytest.fixture
def county(world, make_user, make_person):
    """Gong'an's 2023 targets; 3 finished records in May (斗湖堤镇), 2 in September (埠河镇)."""
    targets = gongan_targets(world)
    admin = make_user("gongan", "admin")
    services.target_split_save(
        actor=admin,
        target=targets["total"],
        shares={
            Region.objects.get(code="421022101"): 6_000,
            Region.objects.get(code="421022102"): 4_000,
        },
        confirm=True,
    )
    records(world, make_person, n=3)
    records(
        world,
        make_person,
        township="421022102",
        n=2,
        start=date(2023, 9, 4),
        end=date(2023, 9, 15),
    )
    return admin


def test_hb45_rpt_1_half_year_report_counts_the_records_as_of_30_june(county):
    report = services.upward_report_request(actor=county, kind="half_year", year=2023)
    report.refresh_from_db()
    assert report.as_of == date(2023, 6, 30) and report.region.code == "421022"
    assert report.job.status == JobStatus.DONE and report.ready
    assert report.requested_by == county
    summary = _sheet(report, "Summary")
    assert (
        summary[0]
        == ["Half-year progress report", *[None] * (len(summary[0]) - 1)][: len(summary[0])]
    )
    targets = {row[0]: row for row in summary if row and row[0] == "All subsidised training"}
    # target 10,000; the three May records completed, the September ones not yet
    assert targets["All subsidised training"][1:4] == [10_000, 3, 3]
    total = next(row for row in summary if row and row[0] == "Total")
    assert total[1] == 10_000 and total[3] == 3  # target, started, completed
    regions = {row[0]: row for row in _sheet(report, "By region")[1:]}
    assert regions["斗湖堤镇"][1] == 6_000 and regions["斗湖堤镇"][3] == 3
    assert "埠河镇" not in regions or regions["埠河镇"][3] == 0
    split = {row[1]: row for row in _sheet(report, "Split of the targets")[1:]}
    assert split["斗湖堤镇"][2:4] == [6_000, 3]
    text = _pdf_text(report)
    assert "公安县" in text and "2023-06-30" in text and "HB45-RPT-1" in text
    assert "10,000" in text and "斗湖堤镇" in text


def test_hb45_rpt_1_year_end_summary_counts_the_whole_year(county):
    report = services.upward_report_request(actor=county, kind="year_end", year=2023)
    report.refresh_from_db()
    total = next(row for row in _sheet(report, "Summary") if row and row[0] == "Total")
    assert total[3] == 5
    months = {row[0]: row[3] for row in _sheet(report, "By month")[1:]}
    assert months == {"5月": 3, "9月": 2}


def test_the_figures_are_those_of_the_dashboard(county):
    figures = selectors.upward_figures(
        actor=county, kind="half_year", year=2023, as_of=date(2023, 12, 31)
    )
    board = selectors.dashboard(actor=county, year=2023, as_of=date(2023, 12, 31))
    assert figures.board.totals == board.totals
    assert [view.target.line for view in figures.targets] == ["total", "employment", "enterprise"]


def test_reports_are_kept_listed_and_downloaded_again_with_a_log(client, county):
    report = services.upward_report_request(
        actor=county, kind="plan", year=2023, as_of=date(2023, 1, 31)
    )
    client.force_login(county)
    page = client.get("/reports/upward/")
    assert page.status_code == 200
    assert f'data-testid="upward-{report.pk}"' in page.content.decode()
    # generated, not yet downloaded: it waits in the asker's home queue
    assert _waiting(county) == 1
    response = client.get(f"/reports/upward/{report.pk}/xlsx/")
    assert response.status_code == 200
    assert load_workbook(io.BytesIO(b"".join(response.streaming_content)))["Summary"]
    response = client.get(f"/reports/upward/{report.pk}/pdf/")
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert AccessLog.objects.filter(action="export", object_id=str(report.pk)).count() == 2
    report.refresh_from_db()
    assert report.downloaded_at is not None
    assert _waiting(county) == 0
    assert client.get(f"/reports/upward/{report.pk}/doc/").status_code == 404


def test_the_form_starts_the_job_and_shows_its_progress(client, county):
    client.force_login(county)
    response = client.post(
        "/reports/upward/", {"kind": "half_year", "year": "2023", "as_of": "2023-06-30"}
    )
    report = UpwardReport.objects.get()
    assert response.status_code == 302 and response.url == f"/jobs/{report.job_id}/"
    assert client.get(response.url).status_code == 200


def test_only_a_bureau_generates_and_only_in_its_year(world, county, make_user):
    with pytest.raises(ValidationError):
        services.upward_report_request(
            actor=county, kind="half_year", year=2023, as_of=date(2024, 1, 1)
        )
    with pytest.raises(PermissionDenied):
        services.upward_report_request(
            actor=make_user("gongan", "reviewer"), kind="half_year", year=2023
        )
    with pytest.raises(PermissionDenied):
        services.upward_report_request(
            actor=make_user("township:421022101", "clerk"), kind="half_year", year=2023
        )


def test_the_province_sees_the_counties_reports_and_wuhan_does_not(world, county, make_user):
    report = services.upward_report_request(actor=county, kind="half_year", year=2023)
    province = make_user("province", "policy_admin")
    assert list(selectors.upward_reports(actor=province)) == [report]
    assert not selectors.upward_reports(actor=make_user("wuhan", "admin")).exists()
    # the province's own report counts the whole province
    own = services.upward_report_request(actor=province, kind="year_end", year=2023)
    own.refresh_from_db()
    assert own.region.code == "420000"
    regions = {row[0]: row for row in _sheet(own, "By region")[1:]}
    assert regions["荆州市"][3] == 5


# -- HB61 五 ----------------------------------------------------------------------------------


def _paid_enterprise_claim(world, make_user, make_person):
    """A Wuhan enterprise's work-for-training claim of 2020 (HB61-WFT-1), approved and paid out
    (the bank's confirmation recorded in the ledger, as the payment import records it)."""
    from upskill.enterprise import services as enterprise
    from upskill.enterprise.models import RecordKind
    from upskill.organisations.services import enterprise_insurance_record
    from upskill.subsidies import ledger
    from upskill.subsidies import services as subsidies
    from upskill.subsidies.models import Account, ClaimItem, EntryKind
    from upskill.subsidies.tests.factories import fund

    hr = make_user("wh_ent1", "hr_clerk")
    for name in ("张伟", "李娜"):
        enterprise.record_add(
            actor=hr,
            kind=RecordKind.WORK_FOR_TRAINING,
            person=make_person(actor=hr, township_code=None, name=name),
            on=date(2020, 6, 30),
            period_start=date(2020, 3, 1),
            months=4,
        )
    claim = subsidies.claim_assemble_enterprise(actor=hr, program="work_for_training", year=2020)
    from upskill.subsidies import selectors as subsidy_selectors

    for check in subsidy_selectors.documents_checklist(claim):
        if not check.done:
            subsidies.claim_document_upload(
                actor=hr,
                claim=claim,
                key=check.key,
                upload=ContentFile(b"%PDF-1.4 scan", name=f"{check.key}.pdf"),
            )
    subsidies.claim_submit(actor=hr, claim=claim)
    reviewer = make_user("wuhan", "reviewer")
    subsidies.claim_take(actor=reviewer, claim=claim)
    account = fund(world, source="skills_account", year=2020)
    account.region = claim.county
    account.save()
    subsidies.claim_approve(
        actor=reviewer, claim=claim, fund=account, today=date(2020, 9, 1), approve_remaining=True
    )
    items = list(ClaimItem.objects.filter(line__claim=claim, payee_organisation=world["wh_ent1"]))
    paid_on = timezone.make_aware(datetime(2020, 10, 9, 10, 0))
    for item in items:
        with patch.object(ledger.timezone, "now", return_value=paid_on):  # the bank's answer
            ledger.append(
                actor=SYSTEM,
                kind=EntryKind.PAYMENT,
                account=Account.DISBURSED,
                fund=account,
                amount=item.amount,
                rule=item.rule,
                claim_line=item.line,
                claim_item=item,
                person=item.line.person,
                organisation=item.payee_organisation,
            )
    enterprise_insurance_record(
        actor=SYSTEM,
        organisation=world["wh_ent1"],
        insured_since=date(2015, 1, 1),
        source="省社保局缴费证明",
        at_province=True,
    )
    return sum((item.amount for item in items), Decimal("0.00"))


def test_hb61_5_the_request_lists_the_provincially_insured_enterprises(
    world, make_user, make_person
):
    paid = _paid_enterprise_claim(world, make_user, make_person)
    assert paid > 0
    admin = make_user("wuhan", "admin")
    report = services.upward_report_request(actor=admin, kind="reimbursement", year=2020)
    report.refresh_from_db()
    assert report.as_of == date(2020, 12, 31) and report.ready
    rows = _sheet(report, "Enterprises")
    assert rows[1][0] == "武汉江城精密机械有限公司"
    assert rows[1][3:] == [2, float(paid), float(paid)] or rows[1][3:] == [2, paid, paid]
    assert rows[-1][0] == "Total"
    by_rule = _sheet(report, "By rule")
    assert by_rule[1][1] == "HB61-WFT-1"
    text = _pdf_text(report)
    assert "武汉江城精密机械有限公司" in text and "HB61" in text and f"{paid:,.2f}" in text
    # an enterprise insured locally is not in it; nor is anything paid after the as-of date
    figures = selectors.reimbursement_figures(actor=admin, year=2020, as_of=date(2020, 10, 8))
    assert figures.advanced == 0
    world["wh_ent1"].unemployment_insured_at_province = False
    world["wh_ent1"].save()
    figures = selectors.reimbursement_figures(actor=admin, year=2020, as_of=date(2020, 12, 31))
    assert figures.rows == []


def test_a_long_dimension_is_cut_in_the_pdf_and_whole_in_the_excel(county):
    from upskill.reports import documents

    with patch.object(documents, "PDF_ROWS", 1):
        report = services.upward_report_request(actor=county, kind="year_end", year=2023)
    report.refresh_from_db()
    text = _pdf_text(report)
    assert "The first 1 of 2 rows" in text and "埠河镇" not in text.split("By region")[-1]
    assert {row[0] for row in _sheet(report, "By region")[1:]} == {"斗湖堤镇", "埠河镇"}


def test_the_api_lists_the_reports_in_scope(client, county, make_user):
    from upskill.organisations.services import api_token_create

    report = services.upward_report_request(actor=county, kind="half_year", year=2023)
    _token, secret = api_token_create(
        actor=SYSTEM, organisation=county.organisation, role=county.role, name="stats"
    )
    answer = client.get("/api/reports/upward", headers={"Authorization": f"Bearer {secret}"})
    assert answer.status_code == 200
    (item,) = answer.json()["items"]
    assert item["id"] == report.pk and item["ready"] and item["as_of"] == "2023-06-30"
    assert item["kind_display"] == "半年工作进度" and item["region_code"] == "421022"
