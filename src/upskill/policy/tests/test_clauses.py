"""The clause table of docs/clauses.csv (rule id → document → clause) is what the product
prints: the clause map of ``rules.py``, every ``reference`` of the parameter files, the
sentences the calculator renders, and the per-document tables of docs/policy.md all agree
with it. A wrong clause shown to users (HB45's caps cited as 三(二) instead of 四(二)) fails
here."""

from __future__ import annotations

import csv
import importlib
import re
from datetime import date
from pathlib import Path

import pytest

from upskill import policy
from upskill.policy.parameters import PARAMETER_DIR, load_file
from upskill.policy.rules import CLAUSES, DOCUMENTS, RULES, document_of

ROOT = Path(__file__).resolve().parents[4]
DOCS = ROOT / "docs"
SRC = ROOT / "src" / "upskill"

# a sentence ends with （document clause，RULE） in Chinese and (document clause, RULE) in English
ZH_REF = re.compile(
    r"（(?P<document>[^\s（）()]+号) (?P<clause>[^，]+?)，(?P<rule>[A-Z0-9]+-[A-Z]+-\d+)）$"
)
EN_REF = re.compile(
    r"\((?P<document>[^\s（）()]+号) (?P<clause>[^,，]+?), (?P<rule>[A-Z0-9]+-[A-Z]+-\d+)\)$"
)
NOTE = re.compile(r"（[^）]*）$")  # a note after the clause, e.g. that a default is the product's


def clause_table() -> dict[str, tuple[str, str]]:
    with (DOCS / "clauses.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    table = {row["rule"]: (row["document"], row["clause"]) for row in rows}
    assert len(table) == len(rows), "a rule id is listed twice"
    return table


def test_the_table_lists_every_rule_with_its_document_and_the_clause_map_agrees():
    table = clause_table()
    assert list(table) == list(RULES)
    for rule, (document, clause) in table.items():
        assert document == document_of(rule).number, rule
        assert clause and CLAUSES[rule] == clause, rule


def test_every_parameter_reference_cites_the_clause_of_the_table():
    table = clause_table()
    seen = 0
    for path in sorted(PARAMETER_DIR.glob("*.yaml")):
        _definitions, versions = load_file(path)
        for version in versions:
            rule = version.reference.rule
            document, clause = table[rule]
            where = f"{version.source} ({version.parameter}, {rule})"
            assert version.reference.document == document, where
            assert NOTE.sub("", version.reference.clause) == clause, where
            seen += 1
    assert seen > 30


def _records() -> list[dict]:
    """Records that make the calculator pay, refuse or explain every rule it applies."""
    ga = {
        "person_id": "421022197503080014",
        "region": "421022",
        "date": "2023-06-30",
        "program": "employment",
        "categories": ["rural"],
        "passed": True,
        "occupation": "中式烹调师",
        "level": 4,
        "total_hours": 60,
        "practical_hours": 36,
        "attended_hours": 60,
    }
    wh = {"region": "420100", "date": "2020-09-30", "passed": True}
    people = iter(f"42010019800101{n:03d}" for n in range(1, 100))

    def person() -> str:
        # a valid GB 11643 number for each record, so caps never join them by accident
        body = next(people)
        total = sum(int(d) * (2 ** (17 - i) % 11) for i, d in enumerate(body))
        return body + "10X98765432"[total % 11]

    return [
        {**ga, "id": "liv1"},
        {
            **ga,
            "id": "liv2",
            "person_id": "42102219750308009X",
            "program": "poverty",
            "categories": ["poverty_alleviated"],
        },
        {**ga, "id": "crt", "person_id": person(), "passed": False},
        {**ga, "id": "hrs", "person_id": person(), "practical_hours": 20},
        {**ga, "id": "nocat", "person_id": person(), "categories": []},
        {**ga, "id": "noday", "person_id": person(), "attended_hours": 3},
        {**ga, "id": "repeat", "date": "2023-09-30"},
        {**ga, "id": "2024", "person_id": person(), "date": "2024-06-30"},
        {**ga, "id": "day", "person_id": person(), "region": "421081"},
        *[
            {**ga, "id": f"year{n}", "person_id": "421022197503080014", "occupation": f"工种{n}"}
            for n in range(3)
        ],
        {
            **wh,
            "id": "sub1",
            "person_id": person(),
            "program": "online_skill_level",
            "level": 4,
            "insured_months": 12,
            "online": True,
        },
        {
            **wh,
            "id": "sub2",
            "person_id": person(),
            "program": "online_skill_level",
            "level": 3,
            "insured_months": 24,
            "online": False,
        },
        {
            **wh,
            "id": "obj",
            "person_id": person(),
            "program": "online_skill_level",
            "level": 4,
            "insured_months": 6,
        },
        {
            **wh,
            "id": "pj",
            "person_id": person(),
            "program": "pre_job",
            "contract_signed": "2020-03-01",
            "contract_years": 2,
            "training_started": "2020-04-01",
            "total_hours": 24,
            "consecutive_insured_months": 4,
            "still_employed": True,
        },
        {
            **wh,
            "id": "pj-hours",
            "person_id": person(),
            "program": "pre_job",
            "contract_signed": "2020-03-01",
            "contract_years": 2,
            "training_started": "2020-04-01",
            "total_hours": 8,
            "consecutive_insured_months": 4,
            "still_employed": True,
        },
        {**wh, "id": "ps", "person_id": person(), "program": "post_skill", "total_hours": 24},
        {**wh, "id": "ps-hours", "person_id": person(), "program": "post_skill", "total_hours": 8},
        {**wh, "id": "wft", "person_id": person(), "program": "work_for_training", "months": 3},
        {
            **wh,
            "id": "cmp1",
            "person_id": person(),
            "program": "competition",
            "competition_level": "city",
            "finalist": True,
        },
        {
            **wh,
            "id": "cmp2",
            "person_id": person(),
            "program": "competition",
            "competition_level": "enterprise",
            "finalist": True,
        },
        {
            **wh,
            "id": "tec",
            "person_id": person(),
            "program": "new_technician",
            "title": "technician",
        },
        {**wh, "id": "app", "person_id": person(), "program": "new_apprentice"},
    ]


def _params() -> policy.ParameterSet:
    """The shipped parameters plus the training subsidy standard an administrator sets."""
    return policy.default_parameters().with_versions(
        [
            {
                "parameter": "training_subsidy.standard",
                "region": "421022",
                "from": date(2023, 1, 1),
                "until": date(2023, 12, 31),
                "value": {"中式烹调师": {"4": 1200}},
                "reference": {"document": "公人社发〔2023〕5号", "clause": "三(五)"},
            },
            # another county with an allowance but no hours-per-day rule: GA23-DAY-1 is cited
            # from the clause map, having no version of its own there
            {
                "parameter": "living_allowance.daily_rural_or_difficulty",
                "region": "421081",
                "from": date(2023, 1, 1),
                "until": date(2023, 12, 31),
                "value": 24,
                "reference": {"document": "公人社发〔2023〕5号", "clause": "三(六)"},
            },
        ]
    )


# The rules whose sentences the records above must produce (items and reasons).
EXERCISED = {
    "GA23-CRT-1",
    "GA23-HRS-1",
    "GA23-TRN-1",
    "GA23-LIV-1",
    "GA23-LIV-2",
    "GA23-FEE-1",
    "GA23-DAY-1",
    "WH20-SUB-1",
    "WH20-SUB-2",
    "WH20-SUB-3",
    "HB61-PJ-1",
    "HB61-PJ-2",
    "HB61-PS-1",
    "HB61-PS-2",
    "HB61-WFT-1",
    "HB61-CMP-1",
    "HB61-CMP-2",
    "HB45-TEC-1",
    "HB45-APP-1",
    "HB45-CAP-1",
}


@pytest.mark.parametrize(("lang", "pattern"), [("zh", ZH_REF), ("en", EN_REF)], ids=["zh", "en"])
def test_every_sentence_the_calculator_prints_cites_the_clause_of_the_table(lang, pattern):
    table = clause_table()
    out = policy.evaluate({"records": _records()}, params=_params(), lang=lang)
    cited: set[str] = set()
    for result in out["results"]:
        assert result["status"] != "invalid", result
        for entry in result["items"] + result["reasons"]:
            match = pattern.search(entry["message"])
            assert match, entry
            assert match["rule"] == entry["rule"], entry
            assert (match["document"], match["clause"]) == table[entry["rule"]], entry
            cited.add(entry["rule"])
    assert not EXERCISED - cited, sorted(EXERCISED - cited)


def test_the_cap_is_cited_from_hb45_section_four():
    """The defect: the caps were cited as 三(二), a clause about training providers."""
    out = policy.evaluate({"records": _records()}, params=_params())
    by_id = {r["id"]: r for r in out["results"]}
    for record_id in ("repeat", "year2"):
        [reason] = by_id[record_id]["reasons"]
        assert reason["rule"] == "HB45-CAP-1"
        assert "鄂政办发〔2019〕45号 四(二)，HB45-CAP-1" in reason["message"]


# -- the per-document tables of docs/policy.md -------------------------------------------------

ROW = re.compile(r"^\| ([A-Z0-9]+-[A-Z]+-\d+) \|(.*)\|$")


def _policy_rows() -> dict[str, tuple[str, dict[str, list[str]]]]:
    """rule → (document number of its section, {column: cells})."""
    rows: dict[str, tuple[str, dict[str, list[str]]]] = {}
    number = ""
    for line in (DOCS / "policy.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("## ") and " — " in line:
            number = line.split(" — ", 1)[1].strip()
        match = ROW.match(line)
        if match and number:
            clause, _what, parameters, formula, tests = (c.strip() for c in match[2].split(" | "))
            names = {
                "clause": [clause],
                "parameters": re.findall(r"`([^`]+)`", parameters),
                "formula": re.findall(r"`([^`]+)`", formula),
                "tests": re.findall(r"`([^`]+)`", tests),
            }
            assert match[1] not in rows, f"{match[1]} is listed twice"
            rows[match[1]] = (number, names)
    return rows


def _resolve(dotted: str):
    module, _, name = dotted.rpartition(".")
    if module.split(".")[0] in {"classroom", "online", "enterprise"}:
        module = f"upskill.policy.formulas.{module}"
    elif module in {"engine", "batch"}:
        module = f"upskill.policy.{module}"
    else:
        module = f"upskill.{module}"
    try:
        return getattr(importlib.import_module(module), name)
    except ModuleNotFoundError:  # a method: module.Class.method
        owner_module, _, owner = module.rpartition(".")
        return getattr(getattr(importlib.import_module(owner_module), owner), name)


def test_the_policy_map_agrees_with_the_table_the_parameters_and_the_code():
    table = clause_table()
    rows = _policy_rows()
    assert list(rows) == list(RULES)
    parameters: dict[str, set[str]] = {}
    for path in PARAMETER_DIR.glob("*.yaml"):
        for definition in load_file(path)[0]:
            parameters.setdefault(definition.rule, set()).add(definition.name)
    for rule, (number, names) in rows.items():
        assert (number, names["clause"][0]) == table[rule], rule
        assert number == DOCUMENTS[rule.split("-")[0]].number, rule
        assert set(names["parameters"]) == parameters.get(rule, set()), rule
        for dotted in names["formula"]:
            assert callable(_resolve(dotted)), f"{rule}: {dotted}"
        for test_path in names["tests"]:
            path = ROOT / test_path if test_path.startswith("tests/") else SRC / test_path
            assert path.is_file(), f"{rule}: {test_path}"
            assert rule in path.read_text(encoding="utf-8"), f"{rule} not in {test_path}"


def test_a_shipped_version_without_a_reference_cites_the_table_and_an_added_one_must_cite(
    tmp_path,
):
    """The clause is written once, in rules.TABLE: a version of a parameter file that names no
    reference cites its rule's document and clause from there. An administrator's version
    still names its legal source (it may cite another document)."""
    path = tmp_path / "x.yaml"
    path.write_text(
        "township_fee.per_trainee:\n"
        "  rule: GA23-FEE-1\n"
        "  kind: amount\n"
        "  values:\n"
        '    - {region: "421022", from: 2024-01-01, value: 300}\n'
        '    - region: "421022"\n'
        "      from: 2023-01-01\n"
        "      until: 2023-12-31\n"
        "      value: 260\n"
        "      reference: {document: 公人社发〔2023〕5号, clause: 三(五)（a note）}\n",
        encoding="utf-8",
    )
    _definitions, (bare, noted) = load_file(path)
    assert (bare.reference.document, bare.reference.clause, bare.reference.rule) == (
        "公人社发〔2023〕5号",
        CLAUSES["GA23-FEE-1"],
        "GA23-FEE-1",
    )
    assert noted.reference.clause == "三(五)（a note）"
    with pytest.raises(policy.ParameterError, match=r"reference\.document"):
        policy.validate_version(
            policy.default_parameters(),
            {"parameter": "township_fee.per_trainee", "region": "421022", "value": 1},
        )
