"""The rule ids of the policy (the project's policy map) and the documents they come from: the
one table a rule is defined in (docs/howto.md, "A rule of the policy").

``TABLE`` gives each id its clause, its short names and, for a rule that pays, its item's
kind, payee and label; ``RULES``, ``CLAUSES`` and ``ITEM_KINDS`` are read from it. A rule id
(``GA23-LIV-2``) appears in its parameter file, its formula, its tests and its explanation, so
``grep GA23-LIV-2`` shows everything about that rule. A parameter file that names an id not
listed here is refused at load.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Document:
    code: str
    number: str  # the document number as printed on it
    title_zh: str
    title_en: str


DOCUMENTS: dict[str, Document] = {
    "GA23": Document(
        "GA23",
        "公人社发〔2023〕5号",
        "公安县2023年职业技能提升行动和就业创业培训工作方案",
        "Gong'an County 2023 skills-upgrading and employment/entrepreneurship training plan",
    ),
    "WH20": Document(
        "WH20",
        "武企联【2020】14号",
        "关于组织2020线上职业技能等级培训工作的通知",
        "Wuhan enterprise federation notice on 2020 online skill-level training",
    ),
    "HB61": Document(
        "HB61",
        "鄂人社函〔2020〕61号",
        "关于明确职业技能提升行动有关事项的通知",
        "Hubei notice on matters of the skills-upgrading action",
    ),
    "HB45": Document(
        "HB45",
        "鄂政办发〔2019〕45号",
        "湖北省职业技能提升行动实施方案（2019—2021年）",
        "Hubei skills-upgrading action plan 2019–2021",
    ),
}


@dataclass(frozen=True)
class Pays:
    """What a paying rule's item is: its kind and payee (the calculator's contract vocabulary,
    docs/calculator.md) and the label its sentence starts with."""

    kind: str
    payee: str
    label_zh: str
    label_en: str


@dataclass(frozen=True)
class Rule:
    """One rule of the policy map: its id, the clause of its document (checked against the
    document text; docs/clauses.csv keeps the same table and a test holds them equal), its
    short names and, for a rule that pays, what its item is."""

    id: str
    clause: str
    name_zh: str
    name_en: str
    pays: Pays | None = None


# THE table of the policy map: every id, so parameters, pages and the apps (supervision,
# claims) can cite any of them. Clauses are written as the documents number them: section,
# sub-section in brackets, item. WH20's attachments are cited as "附件N"; HB61 and HB45 are
# WH20's attachments 4 and 5 but are cited by their own numbers. A parameter version shipped
# without a reference cites its rule's document and clause from here.
TABLE: tuple[Rule, ...] = (
    Rule("GA23-TGT-1", "二", "年度培训目标任务", "yearly training targets"),
    Rule("GA23-EVAL-1", "六(三)", "乡镇年终考评", "township year-end evaluation"),
    Rule(
        "GA23-OBJ-1",
        "三(一)1",
        "就业创业培训对象",
        "employment/entrepreneurship training eligibility",
    ),
    Rule("GA23-OBJ-2", "三(一)2", "脱贫人员培训对象", "poverty-alleviated training eligibility"),
    Rule("GA23-OBJ-3", "三(一)3", "岗位技能提升培训对象", "post-skill upgrading eligibility"),
    Rule("GA23-HRS-1", "三(三)", "实践操作不少于总课时60%", "practice at least 60% of class hours"),
    Rule("GA23-DAY-1", "三(六)", "6课时计1天", "6 class hours count as 1 day"),
    Rule("GA23-SYS-1", "六(二)", "培训管理制度", "class records"),
    Rule("GA23-PUB-1", "三(八)", "培训招生信息发布", "enrolment notices"),
    Rule("GA23-INS-1", "五(一)", "每班检查不少于3次", "at least 3 inspections per class"),
    Rule("GA23-PHO-1", "五(二)", "培训照片", "class photos"),
    Rule("GA23-VID-1", "五(三)", "视频影像", "class videos"),
    Rule("GA23-EXM-1", "五(四)", "结业考核督考", "supervised final exam"),
    Rule("GA23-SPT-1", "六(三)", "定点机构抽查", "spot checks of institutions"),
    Rule("GA23-CRT-1", "三(七)", "考核合格颁证", "assessment and certificate"),
    Rule("GA23-EMP-1", "三(八)", "就业服务", "employment services"),
    Rule(
        "GA23-TRN-1",
        "三(五)",
        "培训补贴",
        "institution training subsidy",
        Pays("training_subsidy", "organiser", "培训补贴", "Training subsidy"),
    ),
    Rule(
        "GA23-LIV-1",
        "三(六)",
        "生活费补助（就业困难人员、农村学员）",
        "living allowance (difficulty/rural)",
        Pays(
            "living_allowance",
            "trainee",
            "生活费补助（就业困难人员、农村学员）",
            "Living allowance, employment-difficulty or rural",
        ),
    ),
    Rule(
        "GA23-LIV-2",
        "三(六)",
        "脱贫人员生活费补助",
        "living allowance (poverty-alleviated)",
        Pays(
            "living_allowance",
            "trainee",
            "脱贫人员生活费补助",
            "Living allowance, poverty-alleviated",
        ),
    ),
    Rule(
        "GA23-FEE-1",
        "三(五)",
        "乡镇包干工作经费",
        "township management fee",
        Pays("township_fee", "township", "乡镇包干工作经费", "Township management fee"),
    ),
    Rule("WH20-OBJ-1", "一", "失业保险累计满12个月", "12 months of unemployment insurance"),
    Rule("WH20-PLT-1", "附件3 二", "线上平台三项资质", "online platform permits"),
    Rule(
        "WH20-EXM-1", "附件3 三", "线上考试、线下实操", "online theory and offline practical exam"
    ),
    Rule(
        "WH20-SUB-1",
        "二(一)",
        "中级（四级）证书技能提升补贴",
        "skill-upgrade subsidy, level 4",
        Pays("skill_certificate", "trainee", "技能提升补贴", "Skill-upgrade subsidy"),
    ),
    Rule(
        "WH20-SUB-2",
        "二(一)",
        "高级（三级）证书技能提升补贴",
        "skill-upgrade subsidy, level 3",
        Pays("skill_certificate", "trainee", "技能提升补贴", "Skill-upgrade subsidy"),
    ),
    Rule(
        "WH20-SUB-3",
        "二(二)",
        "企业组织线上培训补贴",
        "enterprise online-training subsidy",
        Pays(
            "enterprise_online",
            "enterprise",
            "企业组织线上培训补贴",
            "Enterprise online-training subsidy",
        ),
    ),
    Rule("WH20-FEE-1", "二", "培训考试费", "training and exam fee"),
    Rule("WH20-USE-1", "附件3 四", "补贴资金用途", "permitted use of subsidy"),
    Rule("WH20-LVE-1", "附件3 五", "培训期间离职", "leaving during training"),
    Rule("WH20-ENR-1", "三(一)", "企业报名", "enterprise application"),
    Rule("WH20-ENR-2", "三(二)", "通用工种+专用工种", "general plus specialised occupation"),
    Rule("WH20-PRG-1", "三(三)", "每周督办学习进度", "weekly learning progress"),
    Rule("HB61-PRJ-1", "一(三)1", "项目制培训方案备案", "project-based training plan"),
    Rule("HB61-PJ-1", "一(二)1", "岗前培训条件", "pre-job training conditions"),
    Rule(
        "HB61-PJ-2",
        "一(二)1",
        "岗前培训补贴",
        "pre-job training subsidy",
        Pays("pre_job", "enterprise", "岗前培训补贴", "Pre-job training subsidy"),
    ),
    Rule(
        "HB61-PS-1", "一(二)2", "岗位技能培训不少于20课时", "post-skill training at least 20 hours"
    ),
    Rule(
        "HB61-PS-2",
        "一(二)2",
        "岗位技能培训补贴",
        "post-skill training subsidy",
        Pays("post_skill", "enterprise", "岗位技能培训补贴", "Post-skill training subsidy"),
    ),
    Rule(
        "HB61-WFT-1",
        "一(二)3",
        "以工代训补贴",
        "work-for-training subsidy",
        Pays("work_for_training", "enterprise", "以工代训补贴", "Work-for-training subsidy"),
    ),
    Rule(
        "HB61-CMP-1",
        "一(二)4",
        "职业技能竞赛培训补贴",
        "skill competition subsidy",
        Pays("competition", "enterprise", "职业技能竞赛培训补贴", "Competition subsidy"),
    ),
    Rule(
        "HB61-CMP-2",
        "一(二)4",
        "企业岗位练兵、技能比武补贴",
        "enterprise competition subsidy",
        Pays("competition", "enterprise", "职业技能竞赛培训补贴", "Competition subsidy"),
    ),
    Rule("HB61-CAP-1", "一(三)4", "每人每年不超过3次", "at most 3 a year"),
    Rule("HB61-MIG-1", "三(三)", "农民工参照在岗职工", "migrant workers as employees"),
    Rule("HB61-DOC-1", "一(三)2", "补贴申领材料", "claim documents"),
    Rule("HB61-CRT-1", "六(二)", "五类证书", "certificate kinds"),
    Rule("HB61-ONL-1", "二(二)", "线上理论考试免考", "online theory exemption"),
    Rule("HB61-TRC-1", "七(三)", "培训台账、电子档案", "ledgers and archives"),
    Rule("HB45-TGT-1", "一", "全省培训目标", "province targets"),
    Rule("HB45-CAT-1", "五(二)", "目录发布", "catalog publication"),
    Rule("HB45-PUB-1", "四(四)", "补贴发放台账、公开", "disbursement ledger and disclosure"),
    Rule(
        "HB45-CAP-1", "四(二)", "每人每年不超过3次，同一职业同一等级不重复", "3 a year, no repeat"
    ),
    Rule("HB45-QA-1", "五(三)", "实名制管理和电子档案", "real-name archive"),
    Rule("HB45-RPT-1", "六(一)", "计划、半年进展、年度总结", "plan and reports"),
    Rule("HB45-ADV-1", "四(二)", "项目制培训预拨不超过50%", "advance payment up to 50%"),
    Rule("HB45-BLK-1", "四(四)", "虚假培训追回、黑名单", "fraud: recovery and blacklist"),
    Rule(
        "HB45-TEC-1",
        "四(一)",
        "新技师培训补助",
        "new technician subsidy",
        Pays("new_technician", "enterprise", "新技师培训补助", "New technician grant"),
    ),
    Rule(
        "HB45-APP-1",
        "四(一)",
        "企业新型学徒制培训补贴",
        "new apprenticeship subsidy",
        Pays(
            "new_apprentice", "enterprise", "企业新型学徒制培训补贴", "New apprenticeship subsidy"
        ),
    ),
    Rule(
        "HB45-FND-1",
        "四(一)",
        "生活费补贴从就业补助资金列支",
        "living allowances from the employment fund",
    ),
)

# Views of the table, by id.
RULE_BY_ID: dict[str, Rule] = {rule.id: rule for rule in TABLE}
RULES: dict[str, tuple[str, str]] = {rule.id: (rule.name_zh, rule.name_en) for rule in TABLE}
CLAUSES: dict[str, str] = {rule.id: rule.clause for rule in TABLE}
# rule → (kind, payee) of its item
ITEM_KINDS: dict[str, tuple[str, str]] = {
    rule.id: (rule.pays.kind, rule.pays.payee) for rule in TABLE if rule.pays is not None
}


def clause_of(rule: str) -> str:
    """The clause a rule comes from ("" for an id outside the map)."""
    return CLAUSES.get(rule, "")


def document_of(rule: str) -> Document | None:
    return DOCUMENTS.get(rule.split("-", 1)[0])


def rule_name(rule: str, lang: str = "zh") -> str:
    names = RULES.get(rule)
    if names is None:
        return rule
    return names[1] if lang == "en" else names[0]


def item_label(rule: str, lang: str = "zh") -> str:
    """The label an item's sentence starts with ("脱贫人员生活费补助")."""
    pays = RULE_BY_ID[rule].pays
    return pays.label_en if lang == "en" else pays.label_zh
