"""Eligibility again at claim time (GA23-OBJ-2): a trainee the poverty rule no longer admits
(the bureau ended their category before the class ended) gets a refused line explained in the
sentences enrolment uses, with no item, so no township fee (GA23-FEE-1) is ever computed for
them; the others are priced as before."""

from __future__ import annotations

from datetime import date

from django.utils import translation

from upskill.policy_admin.services import parameters_in_effect
from upskill.registry.models import PersonCategory
from upskill.subsidies import services
from upskill.subsidies.models import ClaimItem
from upskill.training.eligibility import enrolment_verdicts

from . import factories


def test_a_trainee_the_poverty_rule_refuses_gets_no_line_money_and_no_township_fee(
    world, make_person, finished_class, make_user
):
    factories.training_standard()
    admitted, withdrawn = factories.poverty_persons(make_person, ("刘强", "陈静"))
    training_class = finished_class([admitted, withdrawn], entry="domestic")  # 05-08 – 05-11
    # after enrolment the bureau's roster ends 陈静's category before the class's end
    PersonCategory.objects.filter(person=withdrawn).update(valid_until=date(2023, 5, 9))

    with translation.override("zh-hans"):
        claim = services.claim_assemble(
            actor=make_user("inst1", "clerk"), training_class=training_class
        )
    lines = {line.person_id: line for line in claim.lines.all()}
    refused = lines[withdrawn.pk]
    assert (refused.status, refused.decision, refused.total) == ("rejected", "refused", 0)
    assert not refused.items.exists()
    [reason] = refused.explanation["reasons"]
    assert reason["rule"] == "GA23-OBJ-2"
    # the same sentence enrolment shows
    enrolment = refused.enrolment
    verdict = enrolment_verdicts(training_class, [enrolment], parameters_in_effect())[enrolment.pk]
    assert reason["message"] == verdict.messages("zh")[0]
    assert "公人社发〔2023〕5号 三(一)2，GA23-OBJ-2" in reason["message"]

    fees = ClaimItem.objects.filter(line__claim=claim, rule="GA23-FEE-1")
    assert [fee.line.person_id for fee in fees] == [admitted.pk]
    assert lines[admitted.pk].status == "accepted" and lines[admitted.pk].total > 0
