"""Cross-organisation cases of the Wuhan enrolment path (docs/roles.md): an association sees its
members, calls, batches and applications (counts, never persons); an enterprise its own
applications and employees; the institution the batches it runs and their employees; the bureau
of the city its jurisdiction; a learner their own nominations and receipts. Nobody else."""

from datetime import date
from decimal import Decimal

from upskill.core.testing import Route, ScopeCase

_OUTSIDERS = (
    ("ent1", "hr_clerk"),
    ("inst1", "clerk"),
    ("gongan", "reviewer"),
    ("township:421022101", "clerk"),
)
_PERSONS_OUTSIDERS = (*_OUTSIDERS, ("federation", "clerk"), ("wh_ent2", "hr_clerk"))


def _world(world, make_user):
    from upskill.core.scoping import SYSTEM
    from upskill.nominations import services

    from .factories import END, START, build

    wh = build(world, make_user)
    world["wh_inst"] = wh.institution  # the batch's institution, an owner of its routes
    association = make_user("federation", "clerk")
    hr = make_user("wh_ent1", "hr_clerk")
    services.membership_add(
        actor=association, enterprise=world["wh_ent1"], joined_on=date(2019, 1, 1)
    )
    call = services.call_create(
        actor=association,
        title="2020线上培训",
        year=2020,
        deadline=date(2020, 7, 20),
        advanced_exam_fee=Decimal("320"),
    )
    application = services.application_submit(
        actor=hr,
        call=call,
        industry="机械",
        hr_lead="王",
        hr_lead_phone="13800138000",
        occupations_wanted="钳工",
        eligible_employees=3,
        received_on=date(2020, 7, 1),
    )
    batch = services.batch_create(
        actor=association,
        call=call,
        name="第一批",
        institution=wh.institution,
        platform=wh.platform,
        start_date=START,
        end_date=END,
    )
    services.application_schedule(actor=association, application=application, batch=batch)
    application.refresh_from_db()
    return wh, association, hr, call, application, batch, SYSTEM


def _membership(world, make_user, **_):
    from upskill.nominations.models import Membership

    _world(world, make_user)
    return Membership.objects.get(enterprise=world["wh_ent1"])


def _call(world, make_user, **_):
    return _world(world, make_user)[3]


def _application(world, make_user, **_):
    return _world(world, make_user)[4]


def _batch(world, make_user, **_):
    return _world(world, make_user)[5]


def _nomination(world, make_user, make_person, **_):
    from upskill.nominations import services

    from .factories import employee

    wh, _association, hr, _call, application, _batch, _system = _world(world, make_user)
    contract = employee(make_person, hr, 24)
    return services.nomination_put_forward(
        actor=hr,
        application=application,
        contract=contract,
        general_occupation=wh.occupations[("安全评价师", 3)],
        specialised_occupation=wh.occupations[("钳工", 3)],
    )


def _receipt(world, make_user, make_person, **_):
    from upskill.nominations import services

    nomination = _nomination(world, make_user, make_person)
    hr = make_user("wh_ent1", "hr_clerk")
    return services.receipt_record(
        actor=hr,
        nomination=nomination,
        amount=Decimal("1500"),
        paid_on=date(2020, 7, 25),
        number="R-1",
    )


def _use(world, make_user, **_):
    from upskill.nominations import services

    wh, *_rest = _world(world, make_user)
    batch = _rest[4]
    from upskill.organisations.services import role_for, user_create

    clerk = user_create(
        actor=_rest[5],
        organisation=wh.institution,
        role=role_for(wh.institution.kind, "clerk"),
        username="scope_inst_clerk",
        password="Test#Pass2023",
        check_password=False,
    )
    return services.subsidy_use_record(
        actor=clerk, batch=batch, category="teaching", amount=Decimal("100")
    )


# Valid bodies, refused by the service for the owner (the call's deadline has passed; no such
# employee): the owner gets past the scope (400), every outsider 404.
_APPLICATION_BODY = {
    "industry": "机械",
    "hr_lead": "王",
    "hr_lead_phone": "13800138000",
    "occupations_wanted": "钳工",
    "eligible_employees": 1,
}
_PUT_FORWARD_BODY = {
    "id_number": "110101199003070011",
    "name": "无此人",
    "general_occupation": "安全评价师",
    "general_level": 3,
    "specialised_occupation": "钳工",
    "specialised_level": 3,
}


SCOPE_CASES = [
    ScopeCase(
        name="Membership",
        make=_membership,
        owner=("federation", "clerk"),
        outsiders=_OUTSIDERS,
        admin=False,  # the admin outsider is Wuhan\'s own administrator
        api_url=lambda m: f"/api/nominations/memberships/{m.pk}",
    ),
    ScopeCase(
        name="Call",
        make=_call,
        owner=("federation", "clerk"),
        outsiders=_OUTSIDERS,
        admin=False,  # the admin outsider is Wuhan\'s own administrator
        page_url=lambda c: f"/nominations/calls/{c.pk}/",
        without_perm=("wuhan", "payment_clerk"),
        perm_url=lambda c: f"/nominations/calls/{c.pk}/",
        routes=(
            Route(
                "post", lambda c: f"/nominations/calls/{c.pk}/apply/", owner=("wh_ent1", "hr_clerk")
            ),
            Route("post", lambda c: f"/nominations/calls/{c.pk}/batches/add/"),
            Route("get", lambda c: f"/api/nominations/calls/{c.pk}/progress"),
            Route(
                "post",
                lambda c: f"/api/nominations/calls/{c.pk}/applications",
                owner=("wh_ent1", "hr_clerk"),
                data=_APPLICATION_BODY,
            ),
        ),
        api_url=lambda c: f"/api/nominations/calls/{c.pk}",
    ),
    ScopeCase(
        name="Application",
        make=_application,
        owner=("wh_ent1", "hr_clerk"),
        outsiders=_OUTSIDERS,
        admin=False,  # the admin outsider is Wuhan\'s own administrator
        page_url=lambda a: f"/nominations/applications/{a.pk}/",
        routes=(
            Route(
                "post",
                lambda a: f"/nominations/applications/{a.pk}/schedule/",
                owner=("federation", "clerk"),
            ),
            Route("post", lambda a: f"/nominations/applications/{a.pk}/employees/add/"),
            Route("post", lambda a: f"/nominations/applications/{a.pk}/employees/import/"),
            Route(
                "post",
                lambda a: f"/api/nominations/applications/{a.pk}/schedule",
                owner=("federation", "clerk"),
                data=lambda a: {"batch_id": a.batch_id},
            ),
            Route(
                "post",
                lambda a: f"/api/nominations/applications/{a.pk}/employees",
                data=_PUT_FORWARD_BODY,
            ),
        ),
        api_url=lambda a: f"/api/nominations/applications/{a.pk}",
    ),
    ScopeCase(
        name="Batch",
        make=_batch,
        owner=("federation", "clerk"),
        outsiders=_OUTSIDERS,
        admin=False,  # the admin outsider is Wuhan\'s own administrator
        page_url=lambda b: f"/nominations/batches/{b.pk}/",
        api_url=lambda b: f"/api/nominations/batches/{b.pk}",
        routes=(
            Route(
                "post",
                lambda b: f"/api/nominations/batches/{b.pk}/uses",
                owner=("wh_inst", "clerk"),
                data={"category": "courses", "amount": "200.00", "note": "课件"},
            ),
        ),
    ),
    ScopeCase(
        name="Nomination",
        make=_nomination,
        owner=("wh_ent1", "hr_clerk"),
        outsiders=_PERSONS_OUTSIDERS,
        admin=False,  # the admin outsider is Wuhan\'s own administrator
        page_url=lambda n: f"/nominations/employees/{n.pk}/",
        without_perm=("wuhan", "payment_clerk"),
        perm_url=lambda n: f"/nominations/employees/{n.pk}/",
        routes=(
            Route("post", lambda n: f"/nominations/employees/{n.pk}/register/"),
            Route("post", lambda n: f"/nominations/employees/{n.pk}/receipts/add/"),
            Route("post", lambda n: f"/nominations/employees/{n.pk}/agreements/upload/"),
            Route("get", lambda n: f"/nominations/employees/{n.pk}/agreements.pdf"),
            Route("post", lambda n: f"/nominations/employees/{n.pk}/exam/"),
            Route("post", lambda n: f"/nominations/employees/{n.pk}/leave/"),
            Route("get", lambda n: f"/nominations/me/{n.pk}/"),
            Route("post", lambda n: f"/nominations/me/{n.pk}/register/"),
            Route("post", lambda n: f"/nominations/me/{n.pk}/confirm/"),
            Route("get", lambda n: f"/nominations/me/{n.pk}/agreements.pdf"),
            Route(
                "post",
                lambda n: f"/api/nominations/employees/{n.pk}/receipts",
                data={"amount": "100.00", "paid_on": "2020-07-25", "number": "R-9"},
            ),
            Route("post", lambda n: f"/api/nominations/employees/{n.pk}/register"),
            Route(
                "post",
                lambda n: f"/api/nominations/employees/{n.pk}/exam-registration",
                data={"on": "2020-09-01"},
            ),
            Route(
                "post",
                lambda n: f"/api/nominations/employees/{n.pk}/leave",
                data={"left_on": "2020-09-02", "reason": "离职"},
            ),
        ),
        api_url=lambda n: f"/api/nominations/employees/{n.pk}",
    ),
    ScopeCase(
        name="FeeReceipt",
        make=_receipt,
        owner=("wh_ent1", "hr_clerk"),
        outsiders=_PERSONS_OUTSIDERS,
        admin=False,  # the admin outsider is Wuhan\'s own administrator
    ),
    ScopeCase(
        name="SubsidyUse",
        make=_use,
        owner=("federation", "clerk"),
        outsiders=_OUTSIDERS,
        admin=False,  # the admin outsider is Wuhan\'s own administrator
    ),
]
