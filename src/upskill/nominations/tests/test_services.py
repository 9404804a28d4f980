"""The Wuhan enrolment path through its services (WH20-ENR-1/2, WH20-OBJ-1, WH20-FEE-1,
WH20-LVE-1, WH20-USE-1)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from upskill.core.scoping import visible
from upskill.nominations import selectors, services
from upskill.nominations.models import (
    Application,
    ApplicationStatus,
    Nomination,
    NominationStatus,
    Payer,
)
from upskill.nominations.pdf import agreements_pdf
from upskill.training.models import Enrolment, EnrolmentStatus

from .conftest import apply
from .factories import employee


def _put(wh, application, contract, general=("安全评价师", 3), specialised=("钳工", 3), **kw):
    return services.nomination_put_forward(
        actor=wh.users["hr1"],
        application=application,
        contract=contract,
        general_occupation=wh.occupations[general],
        specialised_occupation=wh.occupations[specialised],
        **kw,
    )


def test_WH20_ENR_1_the_deadline_is_inclusive_and_a_later_application_is_refused(wh):
    on_deadline = apply(wh, "hr1", date(2020, 7, 20))
    assert on_deadline.sequence == 1
    with pytest.raises(ValidationError, match=r"WH20-ENR-1.*2020-07-20"):
        apply(wh, "hr2", date(2020, 7, 21))
    assert Application.objects.filter(call=wh.call).count() == 1


def test_WH20_ENR_1_only_members_apply_and_membership_is_the_associations(wh, world):
    membership = selectors.memberships(actor=wh.users["association"]).get(
        enterprise=world["wh_ent2"]
    )
    services.membership_end(
        actor=wh.users["association"], membership=membership, ended_on=date(2020, 1, 1)
    )
    # a former member no longer sees the association's calls
    with pytest.raises(Http404):
        apply(wh, "hr2")
    assert not world["wh_ent2"].associations.exists()
    with pytest.raises(PermissionDenied):
        services.membership_add(
            actor=wh.users["hr1"], enterprise=world["wh_ent2"], joined_on=date(2020, 1, 1)
        )


def test_WH20_ENR_1_applications_are_scheduled_in_order_of_registration(wh):
    first = apply(wh, "hr1", date(2020, 7, 1))
    second = apply(wh, "hr2", date(2020, 7, 2))
    assert (first.sequence, second.sequence) == (1, 2)
    batch = services.batch_create(
        actor=wh.users["association"],
        call=wh.call,
        name="第一批",
        institution=wh.institution,
        platform=wh.platform,
        start_date=date(2020, 8, 1),
        end_date=date(2020, 10, 31),
    )
    with pytest.raises(ValidationError, match="WH20-ENR-1"):
        services.application_schedule(
            actor=wh.users["association"], application=second, batch=batch
        )
    services.application_schedule(actor=wh.users["association"], application=first, batch=batch)
    second = services.application_schedule(
        actor=wh.users["association"], application=second, batch=batch
    )
    assert second.status == ApplicationStatus.SCHEDULED
    # the enterprise sees its status, not the other member's application
    mine = selectors.applications(actor=wh.users["hr1"])
    assert list(mine) == [first]


def test_WH20_PLT_1_a_batch_needs_a_platform_with_its_three_permits(wh):
    wh.platform.assessment_permit = ""
    wh.platform.save()
    with pytest.raises(ValidationError, match="WH20-PLT-1"):
        services.batch_create(
            actor=wh.users["association"],
            call=wh.call,
            name="第二批",
            institution=wh.institution,
            platform=wh.platform,
            start_date=date(2020, 8, 1),
            end_date=date(2020, 10, 31),
        )


def test_WH20_OBJ_1_eleven_months_are_refused_naming_the_rule_and_the_source(
    wh, scheduled, make_person
):
    short = employee(make_person, wh.users["hr1"], 11)
    with pytest.raises(ValidationError) as refused:
        _put(wh, scheduled, short)
    text = " ".join(refused.value.messages)
    assert "WH20-OBJ-1" in text and "11" in text and "2020-07-01" in text and "12" in text
    assert not Nomination.objects.exists()
    nomination = _put(wh, scheduled, employee(make_person, wh.users["hr1"], 12))
    assert (nomination.insured_months, nomination.months_as_of) == (12, date(2020, 7, 1))
    assert nomination.months_source == "contract"


def test_WH20_ENR_2_one_general_occupation_of_the_call_plus_one_specialised(
    wh, scheduled, make_person
):
    contract = employee(make_person, wh.users["hr1"], 24)
    with pytest.raises(ValidationError, match="WH20-ENR-2"):
        _put(wh, scheduled, contract, general=("钳工", 3), specialised=("钳工", 4))
    with pytest.raises(ValidationError, match="WH20-ENR-2"):
        _put(wh, scheduled, contract, specialised=("劳动关系协调员", 3))
    # 安全评价师 is taught at level 3 only: the batch offers no other level
    assert [
        o.level for o in selectors.batch_occupations(scheduled.batch) if o.name == "安全评价师"
    ] == [3]
    assert _put(wh, scheduled, contract).general_occupation.name == "安全评价师"


def test_registration_on_site_and_online_end_in_the_same_two_enrolments(
    wh, scheduled, make_person, make_learner
):
    onsite = _put(wh, scheduled, employee(make_person, wh.users["hr1"], 24, name="李娜"))
    online = _put(wh, scheduled, employee(make_person, wh.users["hr1"], 30, name="王芳"))
    services.nomination_register(actor=wh.users["hr1"], nomination=onsite, channel="onsite")
    learner = make_learner(online.person)
    with pytest.raises(PermissionDenied):
        services.nomination_register(actor=learner, nomination=online, channel="onsite")
    services.nomination_register(actor=learner, nomination=online, channel="online")
    for nomination in (onsite, online):
        nomination.refresh_from_db()
        assert nomination.status == NominationStatus.ENROLLED
        classes = {e.training_class_id for e in nomination.enrolments}
        assert classes == {
            wh.classes[("安全评价师", 3)].pk,
            wh.classes[("钳工", 3)].pk,
        }
    assert Enrolment.objects.filter(person=online.person, insured_months=30).count() == 2
    # another learner does not see it
    assert not visible(Nomination, make_learner()).filter(pk=online.pk).exists()


def test_WH20_FEE_1_the_fee_is_the_catalogue_price_with_the_advanced_exam_fee_in_it(
    wh, scheduled, make_person
):
    nomination = _put(
        wh, scheduled, employee(make_person, wh.users["hr1"], 24), specialised=("钳工", 4)
    )
    fee = selectors.fee_of(nomination)
    assert fee.total == Decimal("3000")
    assert [line.exam_fee for line in fee.lines] == [Decimal("320"), Decimal("0")]
    assert fee.lines[0].training_fee == Decimal("1180")
    services.receipt_record(
        actor=wh.users["institution"],
        nomination=nomination,
        amount=Decimal("3000"),
        paid_on=date(2020, 7, 25),
        number="MW-0001",
    )
    with pytest.raises(ValidationError, match="WH20-FEE-1"):
        services.receipt_record(
            actor=wh.users["hr1"],
            nomination=nomination,
            amount=Decimal("1"),
            paid_on=date(2020, 7, 26),
            number="MW-0002",
        )
    assert nomination.receipts.get().payer == Payer.ENTERPRISE


def _enrolled_and_signed(wh, scheduled, make_person, make_learner):
    nomination = _put(wh, scheduled, employee(make_person, wh.users["hr1"], 24))
    services.receipt_record(
        actor=wh.users["hr1"],
        nomination=nomination,
        amount=Decimal("3000"),
        paid_on=date(2020, 7, 25),
        number="MW-0001",
    )
    services.nomination_register(actor=wh.users["hr1"], nomination=nomination, channel="onsite")
    services.agreements_confirm(actor=make_learner(nomination.person), nomination=nomination)
    nomination.refresh_from_db()
    return nomination


def test_WH20_LVE_1_leaving_before_the_exam_registration_deducts_the_advance_less_exam_fees(
    wh, scheduled, make_person, make_learner
):
    nomination = _enrolled_and_signed(wh, scheduled, make_person, make_learner)
    assert nomination.agreements_confirmed_how == "portal"
    left = services.nomination_leave(
        actor=wh.users["hr1"], nomination=nomination, left_on=date(2020, 9, 1), reason="离职"
    )
    # 3,000 advanced; both occupations at level 3: 2 × 320 not yet incurred
    assert (left.advanced, left.exam_fee_kept, left.deduction) == (
        Decimal("3000"),
        Decimal("640"),
        Decimal("2360"),
    )
    assert left.status == NominationStatus.WITHDRAWN and left.left_on == date(2020, 9, 1)
    assert {e.status for e in Enrolment.objects.filter(person=nomination.person)} == {
        EnrolmentStatus.WITHDRAWN
    }
    assert selectors.states_of([left])[left.pk] == "left"


def test_WH20_LVE_1_after_the_exam_registration_the_whole_advance_is_deducted(
    wh, scheduled, make_person, make_learner
):
    nomination = _enrolled_and_signed(wh, scheduled, make_person, make_learner)
    services.exam_registration_record(
        actor=wh.users["hr1"], nomination=nomination, on=date(2020, 8, 20)
    )
    left = services.nomination_leave(
        actor=wh.users["hr1"], nomination=nomination, left_on=date(2020, 9, 1), reason="离职"
    )
    assert left.deduction == Decimal("3000")


def test_WH20_LVE_1_no_deduction_without_the_signed_agreements(wh, scheduled, make_person):
    nomination = _put(wh, scheduled, employee(make_person, wh.users["hr1"], 24))
    services.nomination_register(actor=wh.users["hr1"], nomination=nomination, channel="onsite")
    with pytest.raises(ValidationError, match="WH20-LVE-1"):
        services.nomination_leave(
            actor=wh.users["hr1"], nomination=nomination, left_on=date(2020, 9, 1), reason="离职"
        )
    upload = SimpleUploadedFile("signed.pdf", b"%PDF-1.4 signed", content_type="application/pdf")
    signed = services.agreements_upload(actor=wh.users["hr1"], nomination=nomination, upload=upload)
    assert signed.agreements_confirmed_how == "upload" and signed.signed_copy.name.endswith(".pdf")
    with pytest.raises(ValidationError):
        services.agreements_upload(
            actor=wh.users["hr1"],
            nomination=nomination,
            upload=SimpleUploadedFile("x.txt", b"hello"),
        )


def test_WH20_LVE_1_the_agreements_pdf_is_generated_from_the_enrolment(wh, scheduled, make_person):
    nomination = _put(wh, scheduled, employee(make_person, wh.users["hr1"], 24))
    pdf = agreements_pdf(nomination)
    assert pdf.startswith(b"%PDF") and len(pdf) > 2000
    assert b"/Count 2" in pdf  # the notice and the withholding agreement


def test_WH20_USE_1_food_lodging_transport_communication_cannot_be_entered(wh, scheduled):
    institution = wh.users["institution"]
    use = services.subsidy_use_record(
        actor=institution, batch=scheduled.batch, category="teaching", amount=Decimal("1000")
    )
    assert use.get_category_display()
    for category in ("food", "lodging", "transport", "communication"):
        with pytest.raises(ValidationError, match="WH20-USE-1"):
            services.subsidy_use_record(
                actor=institution, batch=scheduled.batch, category=category, amount=Decimal("1")
            )
    with pytest.raises(PermissionDenied):
        services.subsidy_use_record(
            actor=wh.users["association"],
            batch=scheduled.batch,
            category="courses",
            amount=Decimal("1"),
        )


def test_the_association_sees_counts_never_persons(wh, scheduled, make_person):
    _put(wh, scheduled, employee(make_person, wh.users["hr1"], 24))
    association = wh.users["association"]
    assert not visible(Nomination, association).exists()
    (row,) = selectors.progress(actor=association, call=wh.call)
    assert row.put_forward == 1 and row.counts == {"applied": 1}
    totals = selectors.totals(actor=wh.users["bureau"])
    assert totals["put_forward"] == 1 and totals["applications"] == 1


def test_an_imported_list_is_all_or_nothing_with_its_months_source(wh, scheduled, make_person):
    good = employee(make_person, wh.users["hr1"], 12, name="陈静")
    short = employee(make_person, wh.users["hr1"], 20, name="刘强")
    header = "身份证号,姓名,通用工种,通用工种等级,专用工种,专用工种等级,失业保险累计月数,截至日期\n"

    def row(contract, months):
        p = contract.person
        return f"{p.id_number},{p.name},安全评价师,3,钳工,4,{months},2020-07-15\n"

    bad_file = SimpleUploadedFile(
        "list.csv", (header + row(good, 12) + row(short, 11)).encode(), content_type="text/csv"
    )
    with pytest.raises(Exception) as refused:
        services.nominations_import(actor=wh.users["hr1"], application=scheduled, upload=bad_file)
    assert "WH20-OBJ-1" in str(getattr(refused.value, "errors", refused.value))
    assert not Nomination.objects.exists()
    good_file = SimpleUploadedFile(
        "list.csv", (header + row(good, 12) + row(short, 14)).encode(), content_type="text/csv"
    )
    made = services.nominations_import(
        actor=wh.users["hr1"], application=scheduled, upload=good_file
    )
    assert sorted(n.insured_months for n in made) == [12, 14]
    assert {n.months_source for n in made} == {"list"}
    assert {n.months_as_of for n in made} == {date(2020, 7, 15)}
