"""The work queues of the Wuhan enrolment path (core/queues.py) count what their lists show:
the association's applications to schedule (WH20-ENR-1), the enterprise's applications with
employees to put forward (WH20-ENR-2) and its agreements unsigned (WH20-LVE-1)."""

from __future__ import annotations

from upskill.core.queues import queue_for
from upskill.nominations import services

from .conftest import apply
from .factories import employee


def _counts(user) -> dict[str, int]:
    return {waiting.key: waiting.count for waiting in queue_for(user)}


def test_WH20_ENR_1_the_association_queue_counts_the_applications_to_schedule(wh, client):
    association = wh.users["association"]
    assert _counts(association).get("nominations.to_schedule", 0) == 0
    apply(wh, "hr1")
    apply(wh, "hr2")
    assert _counts(association)["nominations.to_schedule"] == 2
    client.force_login(association)
    page = client.get("/nominations/?queue=schedule").content.decode()
    assert page.count("武汉江城精密机械有限公司") >= 1 and "武汉楚天食品有限公司" in page
    assert "nominations.to_schedule" not in _counts(wh.users["hr1"])


def test_WH20_LVE_1_the_enterprise_queues_count_employees_to_put_forward_and_unsigned(
    wh, scheduled, make_person, client
):
    hr = wh.users["hr1"]
    assert _counts(hr)["nominations.to_put_forward"] == 1  # 5 declared, none put forward
    nomination = services.nomination_put_forward(
        actor=hr,
        application=scheduled,
        contract=employee(make_person, hr, 24, name="李娜"),
        general_occupation=wh.occupations[("安全评价师", 3)],
        specialised_occupation=wh.occupations[("钳工", 3)],
    )
    assert _counts(hr).get("nominations.unsigned", 0) == 0
    services.nomination_register(actor=hr, nomination=nomination, channel="onsite")
    assert _counts(hr)["nominations.unsigned"] == 1
    client.force_login(hr)
    page = client.get("/nominations/?queue=unsigned").content.decode()
    assert "李娜" in page
