"""Cross-organisation cases of the reports app (docs/roles.md): a county's targets are its
bureau's (set and split there) and read by its township centres and institutions; a share is
seen by its holder and the bureaus; nothing of Gong'an reaches Wuhan, an enterprise or the HR
service centre."""

from upskill.core.testing import ScopeCase

_OUTSIDERS = (
    ("wuhan", "reviewer"),
    ("ent1", "hr_clerk"),
    ("hrsc", "counsellor"),
    ("rural", "clerk"),
)


def _target(world, **_):
    from upskill.reports.tests.factories import gongan_targets

    return gongan_targets(world)["employment"]


def _share(world, **_):
    from upskill.core.scoping import SYSTEM
    from upskill.organisations.models import Region
    from upskill.reports.services import target_split_save

    target = _target(world)
    target_split_save(
        actor=SYSTEM, target=target, shares={Region.objects.get(code="421022101"): 600}
    )
    return target.shares.get()


SCOPE_CASES = [
    ScopeCase(
        name="Target",
        make=_target,
        owner=("gongan", "admin"),
        outsiders=_OUTSIDERS,
        page_url=lambda t: f"/reports/targets/{t.pk}/",
        without_perm=("gongan", "reviewer"),
        perm_url=lambda t: f"/reports/targets/{t.pk}/",
        perm_method="post",
    ),
    ScopeCase(
        name="TargetShare",
        make=_share,
        owner=("township:421022101", "clerk"),
        outsiders=(*_OUTSIDERS, ("township:421022102", "clerk"), ("inst1", "clerk")),
    ),
]
