"""Stage 1: the organisations of Gong'an and Wuhan and their users (one per role)."""

from __future__ import annotations

from dataclasses import dataclass

from upskill.core.scoping import SYSTEM
from upskill.core.validators import DEMO_PASSWORD
from upskill.organisations.models import Organisation, Region, User
from upskill.organisations.models import OrganisationKind as K
from upskill.organisations.services import role_for, user_create


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
        check_password=False,  # the demo's published password, which no real account may choose
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
    # 明蛙's online platform (WH20-PLT-1): its operator logs in and builds the courses
    o["platform"] = _org(K.PLATFORM, "明蛙线上职业培训平台", "420106", o["wuhan"])
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
        ("wh_payment", o["wuhan"], "payment_clerk", "武汉市局出纳"),
        ("whqlh_clerk", o["federation"], "clerk", "企联专干"),
        ("wh_ent1_hr", o["wh_ent1"], "hr_clerk", "江城精密人事"),
        ("wh_ent2_hr", o["wh_ent2"], "hr_clerk", "楚天食品人事"),
        ("mingwa_operator", o["platform"], "operator", "明蛙平台运营"),
    ]
    result = []
    for username, organisation, role_code, full_name in wanted:
        user = _user(username, organisation, role_code, full_name)
        result.append(Login(username, organisation.name, user.role.name))
    if not User.objects.filter(username="admin").exists():
        User.objects.create_superuser("admin", password=DEMO_PASSWORD, first_name="系统管理员")
    result.append(Login("admin", "—", "superuser"))
    return result
