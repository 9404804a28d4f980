"""The demo: Gong'an County 2023 (GA23) and the Wuhan enterprise federation (WH20).

Everything goes through the same services the pages use. Idempotent: running it again on a
seeded database changes nothing. Later stages (classes, claims …) add their own functions here.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from django.db import transaction

from upskill.core.scoping import SYSTEM
from upskill.organisations.models import Organisation, Region, User
from upskill.organisations.models import OrganisationKind as K
from upskill.organisations.services import role_for, user_create
from upskill.registry.models import AffiliationKind, Category, Hukou, Person
from upskill.registry.services import (
    affiliation_ensure,
    bank_account_set,
    person_category_add,
    person_register,
)

from . import people

DEMO_PASSWORD = "Upskill#2023"  # noqa: S105  (demo only; every real account sets its own)


@dataclass(frozen=True)
class Login:
    username: str
    organisation: str
    role: str


def _org(kind, name, region_code, parent=None, **extra) -> Organisation:
    organisation, _ = Organisation.objects.get_or_create(
        kind=kind,
        name=name,
        region=Region.objects.get(code=region_code),
        defaults={"parent": parent, **extra},
    )
    return organisation


def _user(username: str, organisation: Organisation, role_code: str, full_name: str) -> User:
    existing = User.objects.filter(username=username).first()
    if existing:
        return existing
    return user_create(
        actor=SYSTEM,
        organisation=organisation,
        role=role_for(organisation.kind, role_code),
        username=username,
        password=DEMO_PASSWORD,
        full_name=full_name,
    )


def organisations() -> dict[str, Organisation]:
    o: dict[str, Organisation] = {}
    o["province"] = _org(K.PROVINCE_HR, "湖北省人力资源和社会保障厅", "420000")
    o["gongan"] = _org(
        K.COUNTY_HR,
        "公安县人力资源和社会保障局",
        "421022",
        o["province"],
        address="公安县斗湖堤镇",
        contact_phone="0716-5222000",
    )
    o["training_centre"] = _org(K.TRAINING_CENTRE, "公安县就业训练中心", "421022", o["gongan"])
    o["rural"] = _org(K.RURAL_REVITALISATION, "公安县乡村振兴局", "421022")
    o["hrsc"] = _org(K.HR_SERVICE_CENTRE, "公安县人力资源服务中心", "421022", o["gongan"])
    for township in Region.objects.filter(level="township", parent__code="421022"):
        o[f"township:{township.code}"] = _org(
            K.TOWNSHIP_CENTRE, f"{township.name}人社服务中心", township.code, o["gongan"]
        )
    o["inst1"] = _org(
        K.INSTITUTION,
        "公安县职业技术培训学校",
        "421022",
        o["gongan"],
        credit_code="52421022MJH000001X",
    )
    o["inst2"] = _org(K.INSTITUTION, "公安县阳光职业技能培训学校", "421022", o["gongan"])
    o["inst3"] = _org(K.INSTITUTION, "荆州楚韵家政服务培训中心公安分校", "421022", o["gongan"])
    o["ent1"] = _org(K.ENTERPRISE, "湖北公安凯达纺织有限公司", "421022", o["gongan"])
    o["ent2"] = _org(K.ENTERPRISE, "公安县荆楚农业科技有限公司", "421022", o["gongan"])
    o["wuhan"] = _org(K.CITY_HR, "武汉市人力资源和社会保障局", "420100", o["province"])
    o["federation"] = _org(K.ASSOCIATION, "武汉企业联合会", "420100", None, address="武汉市江汉区")
    o["wh_ent1"] = _org(K.ENTERPRISE, "武汉江城精密机械有限公司", "420112", o["wuhan"])
    o["wh_ent2"] = _org(K.ENTERPRISE, "武汉楚天食品有限公司", "420106", o["wuhan"])
    for member in (o["wh_ent1"], o["wh_ent2"]):
        member.associations.add(o["federation"])
    return o


def logins(o: dict[str, Organisation]) -> list[Login]:
    douhudi = o["township:421022101"]
    buhe = o["township:421022102"]
    wanted = [
        ("hb_policy", o["province"], "policy_admin", "省厅政策管理员"),
        ("ga_admin", o["gongan"], "admin", "县局管理员"),
        ("ga_reviewer", o["gongan"], "reviewer", "县局审核员"),
        ("ga_inspector", o["gongan"], "inspector", "县局检查员"),
        ("ga_payment", o["gongan"], "payment_clerk", "县局出纳"),
        ("ga_auditor", o["gongan"], "auditor", "县局审计"),
        ("ga_centre", o["training_centre"], "reviewer", "就业训练中心审核员"),
        ("ga_douhudi", douhudi, "clerk", "斗湖堤镇人社专干"),
        ("ga_buhe", buhe, "clerk", "埠河镇人社专干"),
        ("ga_rural", o["rural"], "clerk", "乡村振兴局专干"),
        ("ga_hrsc", o["hrsc"], "counsellor", "就业指导员"),
        ("inst1_admin", o["inst1"], "admin", "培训学校校长"),
        ("inst1_clerk", o["inst1"], "clerk", "培训学校教务"),
        ("inst1_teacher", o["inst1"], "teacher", "培训学校教师"),
        ("inst2_clerk", o["inst2"], "clerk", "阳光学校教务"),
        ("inst3_clerk", o["inst3"], "clerk", "楚韵家政教务"),
        ("ent1_hr", o["ent1"], "hr_clerk", "凯达纺织人事"),
        ("ent2_hr", o["ent2"], "hr_clerk", "荆楚农业人事"),
        ("wh_admin", o["wuhan"], "admin", "武汉市局管理员"),
        ("wh_reviewer", o["wuhan"], "reviewer", "武汉市局审核员"),
        ("whqlh_clerk", o["federation"], "clerk", "企联专干"),
        ("wh_ent1_hr", o["wh_ent1"], "hr_clerk", "江城精密人事"),
        ("wh_ent2_hr", o["wh_ent2"], "hr_clerk", "楚天食品人事"),
    ]
    result = []
    for username, organisation, role_code, full_name in wanted:
        user = _user(username, organisation, role_code, full_name)
        result.append(Login(username, organisation.name, user.role.name))
    if not User.objects.filter(username="admin").exists():
        User.objects.create_superuser("admin", password=DEMO_PASSWORD, first_name="系统管理员")
    result.append(Login("admin", "—", "superuser"))
    return result


def persons(o: dict[str, Organisation], count: int = 320) -> int:
    """Gong'an residents (most with agricultural hukou, many on the poverty-alleviated roster)
    and Wuhan enterprise employees with unemployment-insurance months."""
    if Person.objects.exists():
        return 0
    rng = random.Random(2023)
    townships = list(Region.objects.filter(level="township", parent__code="421022"))
    categories = {c.code: c for c in Category.objects.all()}
    rural_bureau = o["rural"]
    roster_source = "县乡村振兴局脱贫人员名册（2023年3月）"
    made = 0
    for index in range(count):
        wuhan = index % 8 == 7
        born = people.birth_date(rng, 18, 60 if wuhan else 70)
        address = "420112" if wuhan else "421022"
        township = None if wuhan else rng.choice(townships)
        person = person_register(
            actor=SYSTEM,
            id_number=people.id_number(rng, address, born),
            name=people.name(rng),
            phone=people.phone(rng),
            county=Region.objects.get(code="420112") if wuhan else None,
            township=township,
            hukou=Hukou.NON_AGRICULTURAL if wuhan or rng.random() < 0.15 else Hukou.AGRICULTURAL,
            insured_months=rng.randint(6, 120) if wuhan else rng.choice([0, 0, 0, 3, 14]),
            insured_months_as_of=date(2023, 3, 31),
        )
        made += 1
        if wuhan:
            employer = o["wh_ent1"] if index % 16 == 7 else o["wh_ent2"]
            affiliation_ensure(
                person=person,
                organisation=employer,
                kind=AffiliationKind.EMPLOYEE,
                since=date(2019, 1, 1),
            )
            continue
        roll = rng.random()
        code = None
        if roll < 0.45:
            code = "poverty_alleviated"
        elif roll < 0.52:
            code = "monitored_household"
        elif roll < 0.56:
            code = "two_after_graduate"
        elif roll < 0.66:
            code = "employment_difficulty"
        elif roll < 0.72:
            code = "retired_fisher"
        if code:
            with_actor = code in {"poverty_alleviated", "monitored_household", "two_after_graduate"}
            person_category_add(
                actor=SYSTEM,
                person=person,
                category=categories[code],
                source=roster_source if with_actor else "县就业局认定",
                valid_from=date(2023, 1, 1),
            )
            if with_actor:
                person.categories.filter(category__code=code).update(
                    source_organisation=rural_bureau
                )
        if rng.random() < 0.7:
            bank_name, bin_prefix, branch = rng.choice(people.BANKS)
            bank_account_set(
                actor=SYSTEM,
                person=person,
                kind="card",
                account_name=person.name,
                account_number=people.card_number(rng, bin_prefix),
                bank_name=bank_name,
                branch_code=branch,
            )
        institution = (o["inst1"], o["inst2"], o["inst3"], None, None)[index % 5]
        if institution is not None:
            affiliation_ensure(
                person=person,
                organisation=institution,
                kind=AffiliationKind.TRAINEE,
                since=date(2023, 4, 1),
            )
        if index % 23 == 0:
            affiliation_ensure(
                person=person,
                organisation=o["ent1"],
                kind=AffiliationKind.EMPLOYEE,
                since=date(2021, 5, 1),
            )
    return made


@transaction.atomic
def seed() -> list[Login]:
    o = organisations()
    result = logins(o)
    persons(o)
    return result
