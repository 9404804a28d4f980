"""HB61-TRC-1: organisers keep ledgers and electronic archives — the class ledger (台账) can be
looked up by its organiser and every step of the process is traceable: who moved the class,
from which organisation, when and why, in the ledger and in the change history."""

from __future__ import annotations

from django.urls import reverse

from upskill.training.models import ClassStatus


def test_hb61_trc_1_every_step_of_a_class_is_traceable_in_its_ledger(
    client, make_user, make_class, enrol
):
    clerk = make_user("inst1", "clerk", username="inst1_ledger_clerk")
    reviewer = make_user("gongan", "reviewer", username="gongan_ledger_reviewer")
    training_class = make_class(status="draft")
    client.force_login(clerk)
    client.post(reverse("training:class_transition", args=[training_class.pk, "submit"]))
    client.force_login(reviewer)
    client.post(
        reverse("training:class_transition", args=[training_class.pk, "return"]),
        {"reason": "课程表需补充实操内容"},
    )
    client.force_login(clerk)
    client.post(reverse("training:class_transition", args=[training_class.pk, "submit"]))
    client.force_login(reviewer)
    client.post(reverse("training:class_transition", args=[training_class.pk, "approve"]))
    training_class.refresh_from_db()
    assert training_class.status == ClassStatus.APPROVED
    enrol(training_class, 2)

    # the organiser looks the ledger up and reads every step, with who and why
    client.force_login(clerk)
    listed = client.get(reverse("training:class_list")).content.decode()
    assert reverse("training:class_detail", args=[training_class.pk]) in listed
    page = client.get(reverse("training:class_detail", args=[training_class.pk])).content.decode()
    steps = page[page.index('data-testid="transitions"') :]
    steps = steps[: steps.index("</table>")]
    assert steps.count("<tr>") == 1 + 4  # the header and four moves
    assert steps.count("inst1_ledger_clerk") == 2 and steps.count("gongan_ledger_reviewer") == 2
    assert "课程表需补充实操内容" in steps
    moves = list(training_class.transitions.order_by("pk").values_list("to_status", "user"))
    assert moves == [
        (ClassStatus.SUBMITTED, clerk.pk),
        (ClassStatus.RETURNED, reviewer.pk),
        (ClassStatus.SUBMITTED, clerk.pk),
        (ClassStatus.APPROVED, reviewer.pk),
    ]
    # the change history (electronic archive) keeps each state with the user who made it
    changed_by = {
        (record.status, record.history_user_id) for record in training_class.history.all()
    }
    assert (ClassStatus.RETURNED, reviewer.pk) in changed_by
    assert (ClassStatus.APPROVED, reviewer.pk) in changed_by
    # the roster of the ledger is exported for the archive
    export = client.get(reverse("training:roster_export", args=[training_class.pk]))
    assert export.status_code == 200
    assert export["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
