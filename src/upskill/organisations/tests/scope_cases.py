from upskill.core.scoping import SYSTEM
from upskill.core.testing import Route, ScopeCase


def _token(world, **_):
    from upskill.organisations.services import api_token_create, role_for

    token, _secret = api_token_create(
        actor=SYSTEM,
        organisation=world["inst1"],
        role=role_for("institution", "clerk"),
        name="school system",
    )
    return token


def _role(world, **_):
    from upskill.organisations.services import role_for

    return role_for("institution", "teacher")


SCOPE_CASES = [
    ScopeCase(
        name="Organisation",
        make=lambda world, **_: world["inst1"],
        owner=("inst1", "clerk"),
        outsiders=(("inst2", "clerk"), ("wh_ent1", "hr_clerk"), ("federation", "clerk")),
        page_url=lambda o: f"/organisations/{o.pk}/",
        api_url=lambda o: f"/api/organisations/{o.pk}",
        routes=(
            Route("get", lambda o: f"/supervision/organisations/{o.pk}/"),
            Route("get", lambda o: f"/api/supervision/organisations/{o.pk}/blocked"),
            Route("get", lambda o: f"/organisations/{o.pk}/users/new/", ("inst1", "admin")),
            Route(
                "post",
                lambda o: f"/organisations/{o.pk}/insurance/",
                ("gongan", "admin"),
                {"insured_since": "2016-07-01", "source": "社保缴费证明"},
            ),
            Route(
                "get", lambda o: f"/subsidies/payees/{o.pk}/account/", ("gongan", "payment_clerk")
            ),
        ),
        without_perm=("inst1", "teacher"),
        perm_url=lambda o: f"/organisations/{o.pk}/users/new/",
    ),
    ScopeCase(
        name="User",
        make=lambda make_user, **_: make_user("inst1", "clerk"),
        owner=("inst1", "admin"),
        outsiders=(("inst2", "admin"),),
        routes=(Route("post", lambda u: f"/organisations/users/{u.pk}/second-factor/reset/"),),
    ),
    ScopeCase(
        name="ApiToken",
        make=_token,
        owner=("inst1", "admin"),
        outsiders=(("inst2", "admin"), ("gongan", "admin")),
        page_url=lambda t: f"/organisations/api-tokens/{t.pk}/revoke/",
        perm_method="post",
    ),
    ScopeCase(
        name="Role",
        make=_role,
        owner=("inst2", "clerk"),
        outsiders=(("wh_ent1", "hr_clerk"),),
    ),
]
