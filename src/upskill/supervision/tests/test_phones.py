"""A spot check by telephone (GA23-SPT-1): the inspector's page lists the sampled trainees
with their phones masked and a logged one-click reveal on each row (item 3 of the security
wave); a trainee registered in another county's registry is not the inspector's to call."""

from __future__ import annotations

from django.urls import reverse

from upskill.core.models import AccessLog
from upskill.core.scoping import SYSTEM
from upskill.organisations.models import Region
from upskill.supervision import services
from upskill.training import services as training

PHONE = "13812341960"


def test_the_spot_check_page_reveals_each_sampled_trainees_phone(
    world, make_class, enrol, make_person, make_user, client
):
    training_class = make_class()
    enrolments = enrol(training_class, 2, phone=PHONE)
    # a Wuhan resident in the same class: in the bureau's scope, not in its registry
    outsider = make_person(
        township_code=None, county=Region.objects.get(code="420112"), phone="13971605678"
    )

    training.enrolment_create(
        actor=SYSTEM,
        training_class=training_class,
        id_number=outsider.id_number,
        name=outsider.name,
    )
    inspector = make_user("gongan", "inspector")
    spot_check = services.spot_check_draw(
        actor=inspector,
        organisation=world["inst1"],
        subject="trainees",
        method="phone",
        size=3,
        seed="fixed",
    )
    client.force_login(inspector)
    page = client.get(reverse("supervision:spot_check_detail", args=[spot_check.pk]))
    html = page.content.decode()
    assert html.count("138****1960") == 2 and PHONE not in html
    assert "139****5678" in html  # the outsider's row: masked, without a reveal
    assert html.count('data-testid="reveal-phone"') == 2
    response = client.post(f"/registry/persons/{enrolments[0].person_id}/reveal-phone/")
    assert response.status_code == 200 and PHONE in response.content.decode()
    assert AccessLog.objects.filter(action="reveal", field="phone", user=inspector).count() == 1
