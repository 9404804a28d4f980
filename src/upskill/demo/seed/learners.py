"""Stage: learner accounts of the Wuhan employees (WH20 online path, issue 16 item 3).

The employees are found by the demo's data, not by another stage's code: those enrolled in an
online skill-level class (the Wuhan enrolment stage, when it has run), else the employees
江城精密 registered. Their HR hands each a link; all but the last have activated it with the
demo password, so a learner can log in at /me/login/ with the ID number; the last link stays
open, to show the activation page. Made once."""

from __future__ import annotations

from dataclasses import dataclass

from upskill.core.validators import DEMO_PASSWORD
from upskill.organisations.models import Organisation, OrganisationKind, User
from upskill.registry.models import AffiliationKind, LearnerInvitation, Person
from upskill.registry.services import learner_account_activate, learner_invitation_create
from upskill.training.models import Enrolment

LEARNERS = 4  # three accounts opened, one link open


@dataclass(frozen=True)
class LearnerLogin:
    id_number: str
    name: str
    enterprise: str


def _wuhan_employees(o: dict[str, Organisation]) -> list[tuple[Person, Organisation]]:
    members = [o["wh_ent1"], o["wh_ent2"]]
    enrolled = list(
        Person.objects.filter(
            pk__in=Enrolment.objects.filter(
                training_class__catalog_entry__program="online_skill_level"
            ).values("person_id"),
            affiliations__organisation__in=members,
            affiliations__kind=AffiliationKind.EMPLOYEE,
        )
        .distinct()
        .order_by("pk")[:LEARNERS]
    )
    persons = enrolled or list(
        Person.objects.filter(
            affiliations__organisation=o["wh_ent1"], affiliations__kind=AffiliationKind.EMPLOYEE
        ).order_by("pk")[:LEARNERS]
    )
    result = []
    for person in persons:
        employer = (
            person.affiliations.filter(organisation__in=members, kind=AffiliationKind.EMPLOYEE)
            .select_related("organisation")
            .first()
            .organisation
        )
        result.append((person, employer))
    return result


def learners(o: dict[str, Organisation]) -> int:
    """Invitations handed out by each employee's HR; all but the last activated."""
    if LearnerInvitation.objects.filter(organisation__in=[o["wh_ent1"], o["wh_ent2"]]).exists():
        return 0
    employees = _wuhan_employees(o)
    hr = {
        organisation.pk: User.objects.filter(
            organisation=organisation, organisation__kind=OrganisationKind.ENTERPRISE
        )
        .order_by("pk")
        .first()
        for _person, organisation in employees
    }
    made = 0
    for index, (person, employer) in enumerate(employees):
        if person.account_id is not None or hr[employer.pk] is None:
            continue
        invitation = learner_invitation_create(actor=hr[employer.pk], person=person)
        made += 1
        if index < len(employees) - 1:
            learner_account_activate(
                token=invitation.token,
                id_number=person.id_number,
                name=person.name,
                password=DEMO_PASSWORD,
                check_password=False,  # the demo's published password
            )
    return made


def learner_logins(o: dict[str, Organisation]) -> list[LearnerLogin]:
    """The demo's learners who can log in (ID number and the demo password at /me/login/)."""
    return [
        LearnerLogin(person.id_number, person.name, employer.name)
        for person, employer in _wuhan_employees(o)
        if Person.objects.filter(pk=person.pk, account__isnull=False).exists()
    ]
