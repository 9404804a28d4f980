"""What an actor may do with a referral, answered once (``referral_permissions``): the county HR
service centre works it, the bureau only reads the queue (GA23-EMP-1)."""

from __future__ import annotations

from upskill.assessment.tests.factories import examined_class
from upskill.employment.models import Referral
from upskill.employment.selectors import referral_permissions


def test_the_centre_works_a_referral_the_bureau_reads_it(client, world, make_person, make_user):
    examined_class(world, make_person)
    referral = Referral.objects.get()
    centre = referral_permissions(actor=make_user("hrsc", "counsellor"), obj=referral)
    assert centre.wishes and centre.follow_up and centre.see_vacancies
    reviewer = make_user("gongan", "reviewer")
    bureau = referral_permissions(actor=reviewer, obj=referral)
    assert not (bureau.wishes or bureau.follow_up or bureau.see_vacancies)
    client.force_login(reviewer)  # the API gives the same answer
    assert client.get(f"/api/referrals/{referral.pk}").json()["permissions"] == {
        "wishes": False,
        "follow_up": False,
        "see_vacancies": False,
    }
