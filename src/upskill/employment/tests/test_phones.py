"""The HR service centre's counsellor calls the persons of its queue: the referral page shows
the phone masked, and one logged click reveals it (item 3 of the security wave)."""

from __future__ import annotations

from upskill.assessment.tests.factories import examined_class
from upskill.core.models import AccessLog
from upskill.employment.models import Referral
from upskill.registry import services as registry

PHONE = "13812341960"


def test_the_counsellor_reveals_the_phone_of_its_referral(world, make_person, make_user, client):
    examined_class(world, make_person, scores=((80, 80),), phone=PHONE)
    referral = Referral.objects.get()
    counsellor = make_user("hrsc", "counsellor")
    client.force_login(counsellor)
    page = client.get(f"/employment/referrals/{referral.pk}/").content.decode()
    assert "138****1960" in page and PHONE not in page and 'data-testid="reveal-phone"' in page
    response = client.post(f"/registry/persons/{referral.person_id}/reveal-phone/")
    assert response.status_code == 200 and PHONE in response.content.decode()
    log = AccessLog.objects.get(action="reveal", field="phone")
    assert log.user == counsellor and log.object_id == str(referral.person_id)
    # the bureau's reviewer reads the queue but does not call: the mask, no button
    client.force_login(make_user("gongan", "reviewer"))
    page = client.get(f"/employment/referrals/{referral.pk}/").content.decode()
    assert "138****1960" in page and 'data-testid="reveal-phone"' not in page
    assert registry.person_reveal_phone(actor=counsellor, person=referral.person) == PHONE
