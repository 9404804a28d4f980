"""Stage 12: the year's targets (GA23-TGT-1, HB45-TGT-1) and the county's evaluation weights
(GA23-EVAL-1; the institutions' GA23 六(三)), set through the reports and policy services."""

from __future__ import annotations

from datetime import date

from upskill.catalog.models import CatalogEntry
from upskill.organisations.models import Organisation, Region, User
from upskill.policy_admin.services import parameter_version_add, parameters_in_effect
from upskill.reports.models import Target
from upskill.reports.services import target_set, target_split_save


def targets(o: dict[str, Organisation]) -> int:
    """Gong'an's 2023 plan: 10,000 in all; employment and entrepreneurship 8,000, of which
    poverty-alleviated training via the township centres 6,000 (split across the townships,
    confirmed) and via the designated institutions 2,000; enterprise post-skill 2,000; a
    specialty-skill target the county sets itself (the document gives none), split across the
    townships; equal evaluation weights. Hubei 2019–2021: 1.8 million over three years, 580,000
    in 2019 (its split across cities left as a draft for the province), 30,000 new
    apprentices."""
    if Target.objects.exists():
        return 0
    users = {u.username: u for u in User.objects.filter(username__in=["ga_admin", "hb_policy"])}
    admin, province = users["ga_admin"], users["hb_policy"]
    county = Region.objects.get(code="421022")
    document = "公人社发〔2023〕5号"
    total = target_set(
        actor=admin, region=county, line="total", year_from=2023, quantity=10_000, document=document
    )
    employment = target_set(
        actor=admin,
        region=county,
        line="employment",
        year_from=2023,
        quantity=8_000,
        parent=total,
        document=document,
    )
    poverty = target_set(
        actor=admin,
        region=county,
        line="poverty",
        year_from=2023,
        quantity=6_000,
        parent=employment,
        document=document,
        note="由乡镇人社服务中心组织",
    )
    target_set(
        actor=admin,
        region=county,
        line="enterprise",
        year_from=2023,
        quantity=2_000,
        parent=total,
        document=document,
    )
    specialty = target_set(
        actor=admin,
        region=county,
        line="specialty",
        year_from=2023,
        quantity=1_200,
        parent=total,
        note="县局自定（文件未列）",
    )
    townships = list(Region.objects.filter(parent=county, level="township").order_by("code"))
    institutions = list(
        Organisation.objects.filter(kind="institution", region__code="421022").order_by("pk")
    )
    # the employment target: 6,000 across the townships, 2,000 across the institutions
    township_shares = _spread(6_000, len(townships))
    institution_shares = _spread(2_000, len(institutions))
    target_split_save(
        actor=admin,
        target=employment,
        shares={
            **dict(zip(townships, township_shares, strict=True)),
            **dict(zip(institutions, institution_shares, strict=True)),
        },
        confirm=True,
    )
    target_split_save(
        actor=admin,
        target=poverty,
        shares=dict(zip(townships, township_shares, strict=True)),
        confirm=True,
    )
    target_split_save(
        actor=admin,
        target=specialty,
        shares=dict(zip(townships, _spread(1_200, len(townships)), strict=True)),
        confirm=True,
    )
    hubei = Region.objects.get(code="420000")
    hb45 = "鄂政办发〔2019〕45号"
    three_years = target_set(
        actor=province,
        region=hubei,
        line="total",
        year_from=2019,
        year_to=2021,
        quantity=1_800_000,
        document=hb45,
    )
    first_year = target_set(
        actor=province,
        region=hubei,
        line="total",
        year_from=2019,
        quantity=580_000,
        parent=three_years,
        document=hb45,
    )
    target_set(
        actor=province,
        region=hubei,
        line="apprentice",
        year_from=2019,
        year_to=2021,
        quantity=30_000,
        parent=three_years,
        document=hb45,
    )
    cities = list(Region.objects.filter(parent=hubei, level="city").order_by("code"))
    target_split_save(
        actor=province,
        target=first_year,
        shares={city: 580_000 // (len(cities) + 1) for city in cities},
    )
    _evaluation_weights(admin)
    # 特色技能: the county marks its specialty projects (GA23-EVAL-1)
    CatalogEntry.objects.filter(
        catalog__region=county, occupation__name="农作物植保员", program="poverty"
    ).update(is_specialty=True)
    return 1


# The demo's weights of the institution evaluation: five rates adding up to 1, and the points
# each sanction and each objection upheld deducts.
INSTITUTION_WEIGHTS = {
    "evaluation.institution_completion_weight": "0.3",
    "evaluation.institution_pass_weight": "0.2",
    "evaluation.institution_employment_weight": "0.2",
    "evaluation.institution_spot_check_weight": "0.15",
    "evaluation.institution_compliance_weight": "0.15",
    "evaluation.institution_sanction_points": "5",
    "evaluation.institution_objection_points": "2",
}


def _spread(total: int, parts: int) -> list[int]:
    """``total`` in ``parts`` near-equal whole shares adding up to it."""
    base, rest = divmod(total, parts)
    return [base + (1 if index < rest else 0) for index in range(parts)]


def _evaluation_weights(admin) -> None:
    params = parameters_in_effect()
    for name in ("evaluation.township_poverty_weight", "evaluation.township_specialty_weight"):
        if params.value(name, "421022", date(2023, 12, 31)) is not None:
            continue
        parameter_version_add(
            actor=admin,
            parameter=name,
            region_code="421022",
            valid_from=date(2023, 1, 1),
            valid_until=date(2023, 12, 31),
            value="0.5",
            document="公安县2023年度乡镇培训工作考评办法（演示）",
            rule="GA23-EVAL-1",
            note="演示数据：两项权重相等",
        )
    # the designated institutions' performance evaluation (GA23 六(三)): the demo's weights
    for name, value in INSTITUTION_WEIGHTS.items():
        if params.value(name, "421022", date(2023, 12, 31)) is not None:
            continue
        parameter_version_add(
            actor=admin,
            parameter=name,
            region_code="421022",
            valid_from=date(2023, 1, 1),
            valid_until=date(2023, 12, 31),
            value=value,
            document="公安县2023年度定点培训机构绩效考核办法（演示）",
            rule="GA23-SPT-1",
            note="演示数据",
        )
