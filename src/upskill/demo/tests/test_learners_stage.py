"""The demo's learner accounts (issue 16 item 3): found by the demo's data (the Wuhan
employees), robust when the Wuhan enrolment stage has not run; made once."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_the_wuhan_employees_get_learner_accounts_and_one_open_link():
    from upskill.demo.seed import learner_logins, learners, logins, organisations, persons
    from upskill.registry.models import LearnerInvitation
    from upskill.registry.services import learner_username

    o = organisations()
    logins(o)
    persons(o)
    assert learners(o) == 4
    accounts = learner_logins(o)
    assert len(accounts) == 3
    assert {a.enterprise for a in accounts} == {"武汉江城精密机械有限公司"}
    links = LearnerInvitation.objects.filter(organisation=o["wh_ent1"])
    assert links.filter(used_at__isnull=False).count() == 3
    [still_open] = links.filter(used_at__isnull=True)
    assert still_open.person.account_id is None
    for link in links.filter(used_at__isnull=False).select_related("person__account"):
        assert link.person.account.username == learner_username(link.person.id_number_hash)
        assert link.person.account.check_password("Upskill#2023")
    assert learners(o) == 0  # made once
