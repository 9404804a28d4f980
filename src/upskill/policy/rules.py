"""The rule ids of the policy (the project's policy map) and the documents they come from.

A rule id (``GA23-LIV-2``) appears in its parameter file, its formula, its tests and its
explanation, so ``grep GA23-LIV-2`` shows everything about that rule. A parameter file that
names an id not listed here is refused at load.
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

# id → (zh, en) short name. Every id of the policy map, so parameters, pages and later apps
# (supervision, claims) can cite any of them.
RULES: dict[str, tuple[str, str]] = {
    "GA23-TGT-1": ("年度培训目标任务", "yearly training targets"),
    "GA23-EVAL-1": ("乡镇年终考评", "township year-end evaluation"),
    "GA23-OBJ-1": ("就业创业培训对象", "employment/entrepreneurship training eligibility"),
    "GA23-OBJ-2": ("脱贫人员培训对象", "poverty-alleviated training eligibility"),
    "GA23-OBJ-3": ("岗位技能提升培训对象", "post-skill upgrading eligibility"),
    "GA23-HRS-1": ("实践操作不少于总课时60%", "practice at least 60% of class hours"),
    "GA23-DAY-1": ("6课时计1天", "6 class hours count as 1 day"),
    "GA23-SYS-1": ("培训管理制度", "class records"),
    "GA23-PUB-1": ("培训招生信息发布", "enrolment notices"),
    "GA23-INS-1": ("每班检查不少于3次", "at least 3 inspections per class"),
    "GA23-PHO-1": ("培训照片", "class photos"),
    "GA23-VID-1": ("视频影像", "class videos"),
    "GA23-EXM-1": ("结业考核督考", "supervised final exam"),
    "GA23-SPT-1": ("定点机构抽查", "spot checks of institutions"),
    "GA23-CRT-1": ("考核合格颁证", "assessment and certificate"),
    "GA23-EMP-1": ("就业服务", "employment services"),
    "GA23-TRN-1": ("培训补贴", "institution training subsidy"),
    "GA23-LIV-1": ("生活费补助（就业困难人员、农村学员）", "living allowance (difficulty/rural)"),
    "GA23-LIV-2": ("脱贫人员生活费补助", "living allowance (poverty-alleviated)"),
    "GA23-FEE-1": ("乡镇包干工作经费", "township management fee"),
    "WH20-OBJ-1": ("失业保险累计满12个月", "12 months of unemployment insurance"),
    "WH20-PLT-1": ("线上平台三项资质", "online platform permits"),
    "WH20-EXM-1": ("线上考试、线下实操", "online theory and offline practical exam"),
    "WH20-SUB-1": ("中级（四级）证书技能提升补贴", "skill-upgrade subsidy, level 4"),
    "WH20-SUB-2": ("高级（三级）证书技能提升补贴", "skill-upgrade subsidy, level 3"),
    "WH20-SUB-3": ("企业组织线上培训补贴", "enterprise online-training subsidy"),
    "WH20-FEE-1": ("培训考试费", "training and exam fee"),
    "WH20-USE-1": ("补贴资金用途", "permitted use of subsidy"),
    "WH20-LVE-1": ("培训期间离职", "leaving during training"),
    "WH20-ENR-1": ("企业报名", "enterprise application"),
    "WH20-ENR-2": ("通用工种+专用工种", "general plus specialised occupation"),
    "WH20-PRG-1": ("每周督办学习进度", "weekly learning progress"),
    "HB61-PRJ-1": ("项目制培训方案备案", "project-based training plan"),
    "HB61-PJ-1": ("岗前培训条件", "pre-job training conditions"),
    "HB61-PJ-2": ("岗前培训补贴", "pre-job training subsidy"),
    "HB61-PS-1": ("岗位技能培训不少于20课时", "post-skill training at least 20 hours"),
    "HB61-PS-2": ("岗位技能培训补贴", "post-skill training subsidy"),
    "HB61-WFT-1": ("以工代训补贴", "work-for-training subsidy"),
    "HB61-CMP-1": ("职业技能竞赛培训补贴", "skill competition subsidy"),
    "HB61-CMP-2": ("企业岗位练兵、技能比武补贴", "enterprise competition subsidy"),
    "HB61-CAP-1": ("每人每年不超过3次", "at most 3 a year"),
    "HB61-MIG-1": ("农民工参照在岗职工", "migrant workers as employees"),
    "HB61-DOC-1": ("补贴申领材料", "claim documents"),
    "HB61-CRT-1": ("五类证书", "certificate kinds"),
    "HB61-ONL-1": ("线上理论考试免考", "online theory exemption"),
    "HB61-TRC-1": ("培训台账、电子档案", "ledgers and archives"),
    "HB45-TGT-1": ("全省培训目标", "province targets"),
    "HB45-CAT-1": ("目录发布", "catalog publication"),
    "HB45-PUB-1": ("补贴发放台账、公开", "disbursement ledger and disclosure"),
    "HB45-CAP-1": ("每人每年不超过3次，同一职业同一等级不重复", "3 a year, no repeat"),
    "HB45-QA-1": ("实名制管理和电子档案", "real-name archive"),
    "HB45-RPT-1": ("计划、半年进展、年度总结", "plan and reports"),
    "HB45-ADV-1": ("项目制培训预拨不超过50%", "advance payment up to 50%"),
    "HB45-BLK-1": ("虚假培训追回、黑名单", "fraud: recovery and blacklist"),
    "HB45-TEC-1": ("新技师培训补助", "new technician subsidy"),
    "HB45-APP-1": ("企业新型学徒制培训补贴", "new apprenticeship subsidy"),
    "HB45-FND-1": ("生活费补贴从就业补助资金列支", "living allowances from the employment fund"),
}


# id → clause of its document, checked against the document text (docs/policy.md keeps the same
# table; a test holds the parameter files, this table, the docs and the sentences equal).
# Clauses are written as the documents number them: section, sub-section in brackets, item.
# WH20's attachments are cited as "附件N"; HB61 and HB45 are WH20's attachments 4 and 5 but
# are cited by their own numbers.
CLAUSES: dict[str, str] = {
    "GA23-TGT-1": "二",
    "GA23-EVAL-1": "六(三)",
    "GA23-OBJ-1": "三(一)1",
    "GA23-OBJ-2": "三(一)2",
    "GA23-OBJ-3": "三(一)3",
    "GA23-HRS-1": "三(三)",
    "GA23-DAY-1": "三(六)",
    "GA23-SYS-1": "六(二)",
    "GA23-PUB-1": "三(八)",
    "GA23-INS-1": "五(一)",
    "GA23-PHO-1": "五(二)",
    "GA23-VID-1": "五(三)",
    "GA23-EXM-1": "五(四)",
    "GA23-SPT-1": "六(三)",
    "GA23-CRT-1": "三(七)",
    "GA23-EMP-1": "三(八)",
    "GA23-TRN-1": "三(五)",
    "GA23-LIV-1": "三(六)",
    "GA23-LIV-2": "三(六)",
    "GA23-FEE-1": "三(五)",
    "WH20-OBJ-1": "一",
    "WH20-PLT-1": "附件3 二",
    "WH20-EXM-1": "附件3 三",
    "WH20-SUB-1": "二(一)",
    "WH20-SUB-2": "二(一)",
    "WH20-SUB-3": "二(二)",
    "WH20-FEE-1": "二",
    "WH20-USE-1": "附件3 四",
    "WH20-LVE-1": "附件3 五",
    "WH20-ENR-1": "三(一)",
    "WH20-ENR-2": "三(二)",
    "WH20-PRG-1": "三(三)",
    "HB61-PRJ-1": "一(三)1",
    "HB61-PJ-1": "一(二)1",
    "HB61-PJ-2": "一(二)1",
    "HB61-PS-1": "一(二)2",
    "HB61-PS-2": "一(二)2",
    "HB61-WFT-1": "一(二)3",
    "HB61-CMP-1": "一(二)4",
    "HB61-CMP-2": "一(二)4",
    "HB61-CAP-1": "一(三)4",
    "HB61-MIG-1": "三(三)",
    "HB61-DOC-1": "一(三)2",
    "HB61-CRT-1": "六(二)",
    "HB61-ONL-1": "二(二)",
    "HB61-TRC-1": "七(三)",
    "HB45-TGT-1": "一",
    "HB45-CAT-1": "五(二)",
    "HB45-PUB-1": "四(四)",
    "HB45-CAP-1": "四(二)",
    "HB45-QA-1": "五(三)",
    "HB45-RPT-1": "六(一)",
    "HB45-ADV-1": "四(二)",
    "HB45-BLK-1": "四(四)",
    "HB45-TEC-1": "四(一)",
    "HB45-APP-1": "四(一)",
    "HB45-FND-1": "四(一)",
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
