"""Explanations: every item and reason is a code, a rule id and the figures used; the sentence
a county clerk reads is rendered from them only at output, in Chinese or English.

Each sentence ends with its legal reference, e.g.
“脱贫人员生活费补助：考勤 60 课时，按 6 课时计 1 天共 10 天，每天 40 元，计 400 元
（公人社发〔2023〕5号 三(六)，GA23-LIV-2）”.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from .rules import ITEM_KINDS, clause_of, document_of, item_label, rule_name


@dataclass(frozen=True, slots=True)
class Reason:
    code: str
    rule: str
    figures: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Item:
    rule: str
    kind: str
    payee: str
    cents: int
    code: str
    figures: dict[str, Any] = field(default_factory=dict)

    @property
    def amount(self) -> Decimal:
        return Decimal(self.cents).scaleb(-2)


LABELS = {
    "zh": {
        "number": "数字",
        "integer": "整数",
        "boolean": "true/false",
        "string": "字符串",
        "date": "日期",
        "list": "列表",
        "enterprise": "企业岗位练兵、技能比武",
        "county": "县（市、区）级",
        "city": "市州级",
        "province": "省级",
        "national": "国家级",
        "senior_technician": "高级技师",
        "technician": "技师",
        "senior_worker": "高级工",
        3: "高级（三级）",
        4: "中级（四级）",
    },
    "en": {
        "enterprise": "enterprise's own",
        "county": "county",
        "city": "city",
        "province": "provincial",
        "national": "national",
        "senior_technician": "senior technician",
        "technician": "technician",
        "senior_worker": "senior worker",
        3: "advanced (level 3)",
        4: "intermediate (level 4)",
    },
}

FIELD_NAMES_ZH = {
    "id": "记录编号 id",
    "person_id": "身份证号码 person_id",
    "region": "行政区划代码 region",
    "date": "培训结束日期 date",
    "program": "培训项目 program",
    "categories": "人员类别 categories",
    "passed": "考核合格 passed",
    "occupation": "职业（工种）occupation",
    "level": "等级 level",
    "total_hours": "总课时 total_hours",
    "practical_hours": "实操课时 practical_hours",
    "attended_hours": "考勤课时 attended_hours",
    "insured_months": "失业保险累计月数 insured_months",
    "online": "线上培训 online",
    "contract_signed": "劳动合同签订日期 contract_signed",
    "contract_years": "劳动合同期限 contract_years",
    "training_started": "培训开始日期 training_started",
    "consecutive_insured_months": "连续参保月数 consecutive_insured_months",
    "still_employed": "结算时仍在岗 still_employed",
    "months": "以工代训月数 months",
    "competition_level": "竞赛级别 competition_level",
    "finalist": "进入决赛 finalist",
    "title": "技师等级 title",
    "requested_amount": "申请金额 requested_amount",
    "record": "记录",
}

# code → (zh, en). Figures are filled by name; an item's {label} is its rule's (rules.TABLE);
# {ref} is appended by render().
TEMPLATES: dict[str, tuple[str, str]] = {
    # -- items ---------------------------------------------------------------------------
    "liv.item": (
        "{label}：考勤 {hours_text}，按 {per_day} 课时计 1 天共 {days} 天，每天 {rate} 元，"
        "计 {amount} 元",
        "{label}: {hours_text}, {per_day} class hours make a day, {days} days at {rate} yuan "
        "a day, {amount} yuan",
    ),
    "fee.item": (
        "{label}：脱贫人员培训考核合格，按每人 {rate} 元支付乡镇人社服务中心，计 {amount} 元",
        "{label}: poverty-alleviated trainee passed, {rate} yuan per trainee "
        "to the township centre, {amount} yuan",
    ),
    "trn.item": (
        "{label}：{occupation}（{level} 级）合格学员补贴标准 {rate} 元，计 {amount} 元，"
        "拨付培训机构",
        "{label}: {occupation} (level {level}) standard {rate} yuan per qualified "
        "trainee, {amount} yuan to the institution",
    ),
    "sub.item": (
        "{label}：取得{level_name}证书，失业保险累计 {months} 个月（不少于 {min} 个月），"
        "计 {amount} 元",
        "{label}: {level_name} certificate obtained, {months} months of "
        "unemployment insurance (at least {min}), {amount} yuan",
    ),
    "online.item": (
        "{label}：在认定的线上平台培训并考核合格，每人 {rate} 元，计 {amount} 元",
        "{label}: trained on an approved platform and passed, "
        "{rate} yuan per trainee, {amount} yuan",
    ),
    "pj.item": (
        "{label}：劳动合同 {years} 年，{signed} 签订，{started} 开始培训，{hours} 课时，"
        "连续参保 {insured} 个月且仍在岗；{request_text}每人不高于 {max} 元，计 {amount} 元",
        "{label}: {years}-year contract signed {signed}, training from "
        "{started}, {hours} class hours, {insured} consecutive insured months, still employed; "
        "{request_text}at most {max} yuan per trainee, {amount} yuan",
    ),
    "ps.item": (
        "{label}：{hours} 课时，考核合格；{request_text}每人不超过 {max} 元，计 {amount} 元",
        "{label}: {hours} class hours, passed; {request_text}at most {max} "
        "yuan per trainee, {amount} yuan",
    ),
    "wft.item": (
        "{label}：{months} 个月，按月计发最长 {max_months} 个月，计 {paid_months} 个月 × "
        "每月 {rate} 元 = {amount} 元",
        "{label}: {months} months, at most {max_months} paid, {paid_months} "
        "months × {rate} yuan = {amount} yuan",
    ),
    "wft.item_left": (
        "{label}：{months} 个月，每人累计最长 {max_months} 个月，此前已享受 {used} 个月"
        "（记录 {earlier}），计 {paid_months} 个月 × 每月 {rate} 元 = {amount} 元",
        "{label}: {months} months, at most {max_months} per person in all, "
        "{used} already paid (records {earlier}), {paid_months} months × {rate} yuan = "
        "{amount} yuan",
    ),
    "cmp.item": (
        "{label}：{level_name}竞赛进入决赛，每人 {amount} 元",
        "{label}: finalist of a {level_name} competition, {amount} yuan",
    ),
    "tec.item": (
        "{label}：{title_name}，{amount} 元",
        "{label}: {title_name}, {amount} yuan",
    ),
    "app.item": (
        "{label}：每名学徒每年 {amount} 元",
        "{label}: {amount} yuan per apprentice per year",
    ),
    # -- reasons -------------------------------------------------------------------------
    "not_in_force": (
        "{rule_name}：{region} 在 {date} 没有生效的政策参数，不计发此项",
        "{rule_name}: no parameter in force for region {region} on {date}, nothing paid",
    ),
    "crt.not_passed": (
        "未通过结业考核（理论考试和实践考核），不享受培训补贴和生活费补助",
        "Did not pass the final assessment (theory and practice): no subsidy or allowance",
    ),
    "hrs.missing": (
        "课程总课时或实操课时未填写，无法核对实践操作不少于总课时 {min_pct}% 的要求",
        "Total or practical class hours missing: practice of at least {min_pct}% of the total "
        "cannot be checked",
    ),
    "hrs.short": (
        "实操 {practical} 课时，占总课时 {total} 的 {pct}%，低于 {min_pct}% 的要求",
        "{practical} practical hours are {pct}% of {total} total hours, below the required "
        "{min_pct}%",
    ),
    "trn.unset": (
        "培训补贴：{region} 在 {date} 没有设定职业培训补贴标准"
        "（按鄂人社发〔2018〕64号由管理员设定），不计发",
        "Training subsidy: no occupation subsidy standard set for region {region} on {date} "
        "(an administrator sets it under 鄂人社发〔2018〕64号); nothing paid",
    ),
    "trn.no_occupation": (
        "培训补贴：未填写职业（工种）或等级，无法对应补贴标准",
        "Training subsidy: occupation or level missing, no standard can apply",
    ),
    "trn.no_standard": (
        "培训补贴：{occupation}（{level} 级）未设定补贴标准，不计发",
        "Training subsidy: no standard set for {occupation} (level {level}); nothing paid",
    ),
    "liv.no_category": (
        "生活费补助只发给脱贫人员、就业困难人员和农村学员，本学员不属于这些类别",
        "The living allowance is for poverty-alleviated, employment-difficulty and rural "
        "trainees only; this trainee is none of them",
    ),
    "liv.no_days": (
        "考勤 {hours} 课时，不足 {per_day} 课时（1 天），无生活费补助",
        "{hours} class hours attended, less than one day of {per_day} hours: no allowance",
    ),
    "sub.not_passed": (
        "未通过考核取得证书，不享受技能提升补贴",
        "No certificate obtained (not passed): no skill-upgrade subsidy",
    ),
    "sub.insurance_missing": (
        "未提供失业保险累计月数，需累计满 {min} 个月（WH20-OBJ-1）才享受技能提升补贴",
        "Insured months missing: at least {min} months of unemployment insurance are needed "
        "(WH20-OBJ-1)",
    ),
    "sub.insurance": (
        "失业保险累计 {months} 个月，不足 {min} 个月（WH20-OBJ-1），不享受技能提升补贴",
        "{months} months of unemployment insurance, fewer than {min} (WH20-OBJ-1): no "
        "skill-upgrade subsidy",
    ),
    "sub.level": (
        "技能提升补贴只补中级（四级）和高级（三级）证书，本证书等级为 {level}",
        "The skill-upgrade subsidy pays for level 4 and level 3 certificates only; this one is "
        "{level}",
    ),
    "online.hours": (
        "考勤课时 {hours} 课时，其中线上理论课时按实际观看时长计",
        "{hours} class hours attended, the online theory hours taken from the time actually "
        "watched",
    ),
    "online.not_online": (
        "未在认定的线上平台培训，企业不享受线上培训补贴",
        "Not trained on an approved online platform: no enterprise online-training subsidy",
    ),
    "pj.missing": (
        "岗前培训补贴条件无法核对：缺少{field_name}",
        "Pre-job conditions cannot be checked: {field_name} is missing",
    ),
    "pj.contract": (
        "劳动合同期限 {years} 年，不足 {min} 年",
        "The labour contract runs {years} years, less than {min}",
    ),
    "pj.window": (
        "培训开始于 {started}，不在劳动合同签订日 {signed} 起 {window} 年内（{signed} 至 {last}）",
        "Training started {started}, not within {window} year(s) of the contract signed "
        "{signed} ({signed} to {last})",
    ),
    "pj.hours": (
        "岗前培训 {hours} 课时，不足 {min} 课时",
        "Pre-job training of {hours} class hours, fewer than {min}",
    ),
    "pj.insured": (
        "结算时连续缴纳社会保险 {months} 个月，不足 {min} 个月",
        "{months} consecutive insured months at settlement, fewer than {min}",
    ),
    "pj.not_employed": (
        "结算时已不在本企业就业",
        "No longer employed by the enterprise at settlement",
    ),
    "zero_request": (
        "{rule_name}：申请金额为 0 元，不计发",
        "{rule_name}: the amount applied for is 0, nothing paid",
    ),
    "ps.hours": (
        "岗位技能培训 {hours} 课时，不足 {min} 课时",
        "Post-skill training of {hours} class hours, fewer than {min}",
    ),
    "ps.hours_missing": (
        "未填写总课时，岗位技能培训需不少于 {min} 课时",
        "Total class hours missing: post-skill training needs at least {min}",
    ),
    "ps.not_passed": (
        "岗位技能培训未考核合格，按合格人数补贴",
        "Post-skill training not passed: the subsidy is per qualified trainee",
    ),
    "wft.months": (
        "以工代训月数未填写或少于 1 个月",
        "Work-for-training months missing or fewer than 1",
    ),
    "wft.exhausted": (
        "以工代训补贴每人累计最长 {max_months} 个月，此前已享受 {used} 个月（记录 {earlier}），"
        "不再补贴",
        "Work-for-training is paid for at most {max_months} months per person in all; "
        "{used} already paid (records {earlier}): nothing left",
    ),
    "cmp.no_level": (
        "未填写竞赛级别",
        "The competition level is missing",
    ),
    "cmp.not_finalist": (
        "未进入决赛，不享受竞赛培训补贴",
        "Not a finalist: no competition subsidy",
    ),
    "tec.no_title": (
        "未填写新技师等级（高级技师、技师、高级工）",
        "The new technician title is missing",
    ),
    "cap.repeat": (
        "同一职业同一等级不重复享受补贴：{occupation}（{level} 级）已在 {earlier_date} 的培训"
        "（记录 {earlier_id}）中享受",
        "The same occupation at the same level is subsidised once: {occupation} (level {level}) "
        "was already subsidised on {earlier_date} (record {earlier_id})",
    ),
    "cap.year": (
        "{year} 年已享受 {count} 次补贴性培训，每人每年不超过 {max} 次",
        "{count} subsidised trainings already in {year}; at most {max} a year",
    ),
    # -- malformed records ---------------------------------------------------------------
    "input.not_object": ("记录不是 JSON 对象", "The record is not a JSON object"),
    "input.missing": ("缺少必填字段：{field_name}", "Required field missing: {field}"),
    "input.type": (
        "字段类型错误：{field_name} 应为{expected_name}",
        "Wrong type: {field} must be a {expected}",
    ),
    "input.date": (
        "{field_name} 不是有效日期（YYYY-MM-DD）：{value}",
        "{field} is not a real date (YYYY-MM-DD): {value}",
    ),
    "input.negative": ("{field_name} 不能为负数：{value}", "{field} must not be negative: {value}"),
    "input.enum": (
        "{field_name} 的值不在允许范围内：{value}",
        "{field} has a value that is not allowed: {value}",
    ),
    "input.id_format": (
        "{field_name}：身份证号码应为 18 位，末位可为 X",
        "{field}: a resident ID number has 18 characters, the last may be X",
    ),
    "input.id_check": (
        "{field_name}：身份证号码校验码错误（GB 11643）",
        "{field}: the check character is wrong (GB 11643)",
    ),
    "input.id_birth": (
        "{field_name}：身份证号码中的出生日期不是真实日期",
        "{field}: the birth date in the ID number is not a real date",
    ),
    "input.id_born_after": (
        "{field_name}：出生日期 {born} 晚于培训日期 {date}",
        "{field}: born {born}, after the record's date {date}",
    ),
    "input.region": (
        "{field_name}：行政区划代码应为 6 位数字：{value}",
        "{field}: a region is a 6-digit division code: {value}",
    ),
    # eligibility (policy/eligibility.py), at enrolment and on a claim line: same words
    "elig.obj2.no_category": (
        "脱贫人员培训只招收乡村振兴局名册上的{categories}，此人无此身份",
        "Poverty-alleviated training admits only persons on the rural revitalisation bureau's "
        "roster as {categories}; this person has no such category",
    ),
    "elig.obj2.not_valid": (
        "“{category}”身份有效期 {valid} 未覆盖培训期间 {start} 至 {end}",
        "The category “{category}” is valid {valid}, which does not cover the class's dates "
        "{start} to {end}",
    ),
    "elig.obj2.source": (
        "“{category}”身份来源为“{source}”，不是乡村振兴局名册（或乡镇人社中心、县人社局转报）",
        "The category “{category}” comes from “{source}”, not from the rural revitalisation "
        "bureau's roster (nor passed on by a township centre or the county bureau)",
    ),
    "elig.obj1.no_category": (
        "就业创业培训只招收规定类别人员（{categories}），此人无此类别",
        "Employment/entrepreneurship training admits only the configured categories "
        "({categories}); this person has none of them",
    ),
    "elig.obj3.not_employee": (
        "岗位技能提升培训只招收企业在岗职工，未记录此人与{employer}的劳动关系",
        "Post-skill training admits only employees; no employment of this person by "
        "{employer} is recorded",
    ),
    "elig.obj3.uninsured": (
        "{employer}未记录依法参加失业保险（{since}），其职工不能参加岗位技能提升培训",
        "{employer} has no record of paying unemployment insurance ({since}): its employees "
        "cannot take post-skill training",
    ),
    "elig.mig.no_residence": (
        "农民工参照在岗职工须在城镇居住满 {months} 个月，未记录其在城镇居住的起始日期",
        "A migrant worker counts as an employee after {months} months living in a town; the "
        "date the person began living in a town is not recorded",
    ),
    "elig.mig.short": (
        "农民工自 {since} 在城镇居住，至 {on} 不足 {months} 个月，不能参照在岗职工",
        "The migrant worker has lived in a town since {since}, fewer than {months} months on "
        "{on}: not counted as an employee",
    ),
    "elig.obj.insurance_missing": (
        "线上职业技能等级培训须失业保险累计满 {min} 个月（所有工作单位累计），未提供累计月数",
        "Online skill-level training needs {min} months of unemployment insurance over all "
        "employers; the months are not recorded",
    ),
    "elig.obj.insurance_short": (
        "失业保险累计 {months} 个月，不足 {min} 个月，不能参加线上职业技能等级培训",
        "{months} months of unemployment insurance, fewer than {min}: not admitted to online "
        "skill-level training",
    ),
}


def fmt(value: Any) -> str:
    """Figures as a clerk writes them: 400, 333.33, 2023-06-30."""
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            return f"{value.quantize(Decimal(1)):f}"
        return f"{value.normalize():f}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return fmt(Decimal(str(value)))
    return str(value)


def yuan(cents: int) -> str:
    return fmt(Decimal(cents).scaleb(-2))


def reference_text(rule: str, figures: dict[str, Any]) -> str:
    ref = figures.get("ref")
    if ref is not None:
        document, clause = ref.document, ref.clause
    else:
        # a rule without a parameter version here cites the clause map (docs/policy.md)
        doc = document_of(rule)
        document, clause = (doc.number if doc else ""), clause_of(rule)
    source = " ".join(part for part in (document, clause) if part)
    return f"{source}，{rule}" if source else rule


def _prepare(code: str, rule: str, figures: dict[str, Any], lang: str) -> dict[str, str]:
    labels = LABELS[lang]
    out: dict[str, Any] = {}
    for key, value in figures.items():
        out[key] = fmt(value)
    out["rule_name"] = rule_name(rule, lang)
    if "field" in figures:
        out["field_name"] = (
            FIELD_NAMES_ZH.get(figures["field"], figures["field"])
            if lang == "zh"
            else figures["field"]
        )
    if "expected" in figures:
        out["expected_name"] = labels.get(figures["expected"], figures["expected"])
    if "level_key" in figures:
        out["level_name"] = labels.get(figures["level_key"], fmt(figures["level_key"]))
    if "title" in figures:
        out["title_name"] = labels.get(figures["title"], figures["title"])
    for key in ("amount", "rate", "max", "requested"):
        if key + "_cents" in figures:
            out[key] = yuan(figures[key + "_cents"])
    if rule in ITEM_KINDS:
        out["label"] = item_label(rule, lang)
    if code == "liv.item":
        attended, total = fmt(figures["attended"]), figures.get("total")
        if total is not None and figures["attended"] > total:
            out["hours_text"] = (
                f"{attended} 课时，按标准课时 {fmt(total)} 计"
                if lang == "zh"
                else f"{attended} class hours attended, counted as the standard {fmt(total)}"
            )
        else:
            out["hours_text"] = (
                f"{attended} 课时" if lang == "zh" else f"{attended} class hours attended"
            )
    if code in ("pj.item", "ps.item"):
        if "requested_cents" in figures:
            out["request_text"] = (
                f"申请 {out['requested']} 元，"
                if lang == "zh"
                else f"{out['requested']} yuan applied for, "
            )
        else:
            out["request_text"] = ""
    return out


def render(code: str, rule: str, figures: dict[str, Any], lang: str = "zh") -> str:
    """The sentence for an item or reason. Memoised: a large call repeats the same sentences
    (the same rate, the same parameter missing for a region and date) many times."""
    try:
        return _render_cached(code, rule, tuple(figures.items()), lang)
    except TypeError:  # an unhashable figure: render directly
        return _render(code, rule, figures, lang)


@functools.lru_cache(maxsize=65_536)
def _render_cached(code: str, rule: str, figures: tuple, lang: str) -> str:
    return _render(code, rule, dict(figures), lang)


def _render(code: str, rule: str, figures: dict[str, Any], lang: str) -> str:
    zh, en = TEMPLATES[code]
    text = (en if lang == "en" else zh).format_map(_prepare(code, rule, figures, lang))
    if rule == "INPUT":
        return text
    ref = reference_text(rule, figures)
    return f"{text}（{ref}）" if lang == "zh" else f"{text} ({ref.replace('，', ', ')})"


# -- stored facts (issue 15.9) -------------------------------------------------------------------
# A claim line keeps the facts its sentences were made from (the code, the rule and the figures,
# the parameter version's reference included, as they were when evaluated), so a reader sees
# the sentence in their own language at view time and an approved claim keeps saying exactly
# what was approved. JSON-safe: a Decimal, a date and a reference are tagged.


def _encode(value: Any) -> Any:
    from .parameters import Reference

    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, Reference):
        return {"$ref": [value.document, value.clause, value.rule]}
    if isinstance(value, dict):
        return {str(key): _encode(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_encode(item) for item in value]
    return value


def _decode(value: Any) -> Any:
    from .parameters import Reference

    if isinstance(value, dict):
        if set(value) == {"$decimal"}:
            return Decimal(value["$decimal"])
        if set(value) == {"$date"}:
            return date.fromisoformat(value["$date"])
        if set(value) == {"$ref"}:
            return Reference(*value["$ref"])
        return {key: _decode(item) for key, item in value.items()}
    if isinstance(value, list):
        return tuple(_decode(item) for item in value)
    return value


def facts(code: str, rule: str, figures: dict[str, Any]) -> dict[str, Any]:
    """What a sentence is made from, as JSON to store beside the sentence: the legal reference
    is fixed as it is now (the parameter version's, else the clause map's), so a later
    correction of the clause map never changes what an approved claim cites."""
    from .parameters import Reference

    if figures.get("ref") is None and rule != "INPUT":
        document = document_of(rule)
        figures = {
            **figures,
            "ref": Reference(document.number if document else "", clause_of(rule), rule),
        }
    return {"code": code, "rule": rule, "figures": _encode(figures)}


def render_facts(stored: dict[str, Any], lang: str = "zh") -> str:
    """The sentence of stored facts in ``lang`` (``facts`` wrote them)."""
    return render(stored["code"], stored["rule"], _decode(stored["figures"]), lang)
