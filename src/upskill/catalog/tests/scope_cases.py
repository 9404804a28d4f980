"""Catalogues are public reference data (HB45-CAT-1): every organisation sees them, so no
organisation is an outsider (core/tests/test_scoping.py lists them in REFERENCE_DATA). Writes
need the catalogue permissions: a reviewer inside the scope gets 403."""

from upskill.core.scoping import SYSTEM
from upskill.core.testing import ScopeCase

from . import factories


def _catalog(**_):
    return factories.occupation_catalog(year=2022, publish=False)


def _occupation(**_):
    return factories.occupation_catalog(year=2021, publish=False).occupations.first()


def _entry(**_):
    return factories.entry(publish=False)


def _designation(world, **_):
    from upskill.catalog import services
    from upskill.catalog.models import CatalogKind

    occupations = factories.occupation_catalog()
    catalog = services.catalog_create(
        actor=SYSTEM, kind=CatalogKind.INSTITUTIONS, region=world["gongan"].region, year=2023
    )
    return services.institution_designate(
        actor=SYSTEM,
        catalog=catalog,
        organisation=world["inst1"],
        occupations=list(occupations.occupations.all()),
    )


def _evaluation(world, **_):
    from upskill.catalog import services
    from upskill.catalog.models import CatalogKind

    occupations = factories.occupation_catalog()
    catalog = services.catalog_create(
        actor=SYSTEM, kind=CatalogKind.EVALUATION, region=world["province"].region, year=2023
    )
    return services.evaluation_institution_add(
        actor=SYSTEM,
        catalog=catalog,
        name="湖北省职业技能鉴定指导中心",
        region=world["province"].region,
        occupations=list(occupations.occupations.all()),
        accreditation_number="S420000001",
    )


def _platform(**_):
    return factories.platform(publish=False, **factories.ALL_PERMITS)


_REVIEWER = ("gongan", "reviewer")

SCOPE_CASES = [
    ScopeCase(
        name="Catalog",
        make=_catalog,
        owner=("province", "policy_admin"),
        outsiders=(),
        admin=False,
        without_perm=_REVIEWER,
        perm_url=lambda c: f"/catalog/{c.pk}/publish/",
        perm_method="post",
    ),
    ScopeCase(
        name="Occupation",
        make=_occupation,
        owner=("wh_ent1", "hr_clerk"),
        outsiders=(),
        admin=False,
        without_perm=_REVIEWER,
        perm_url=lambda o: f"/catalog/{o.catalog_id}/occupations/new/",
        perm_method="post",
    ),
    ScopeCase(
        name="CatalogEntry",
        make=_entry,
        owner=("gongan", "admin"),
        outsiders=(),
        admin=False,
        without_perm=_REVIEWER,
        perm_url=lambda e: f"/catalog/entries/{e.pk}/toggle/",
        perm_method="post",
    ),
    ScopeCase(
        name="DesignatedInstitution",
        make=_designation,
        owner=("inst2", "clerk"),
        outsiders=(),
        admin=False,
    ),
    ScopeCase(
        name="EvaluationInstitution",
        make=_evaluation,
        owner=("federation", "clerk"),
        outsiders=(),
        admin=False,
    ),
    ScopeCase(
        name="OnlinePlatform",
        make=_platform,
        owner=("wuhan", "admin"),
        outsiders=(),
        admin=False,
        without_perm=("wuhan", "reviewer"),
        perm_url=lambda p: f"/catalog/platforms/{p.pk}/permits/",
    ),
]
