"""Parameters, the doors (Python, JSON, command line) and explanations."""

from __future__ import annotations

import io
import json
from datetime import date
from decimal import Decimal

import pytest

from upskill import policy
from upskill.policy import cli
from upskill.policy.parameters import ParameterError, load_directory, region_chain

RECORD = {
    "id": "1",
    "person_id": "421022197503080014",
    "region": "421022",
    "date": "2023-06-30",
    "program": "poverty",
    "categories": ["poverty_alleviated", "rural"],
    "passed": True,
    "occupation": "中式烹调师",
    "level": 4,
    "total_hours": 60,
    "practical_hours": 36,
    "attended_hours": 60,
}


def test_region_inheritance_chain():
    assert region_chain("421022") == ("421022", "421000", "420000", "000000")
    assert region_chain("420100") == ("420100", "420000", "000000")
    assert region_chain("420000") == ("420000", "000000")


def test_lookup_inherits_from_the_province_and_the_root():
    params = policy.default_parameters()
    assert params.value("skill_certificate.level_4", "421022", date(2020, 6, 1)) == 1500
    assert params.value("caps.trainings_per_year", "110000", date(2030, 1, 1)) == 3
    assert (
        params.value("living_allowance.daily_poverty_alleviated", "420100", date(2023, 6, 1))
        is None
    )
    version = params.lookup("living_allowance.daily_poverty_alleviated", "421022", date(2023, 1, 1))
    assert version.reference.document == "公人社发〔2023〕5号"
    assert version.reference.clause == "三(六)" and version.reference.rule == "GA23-LIV-2"


def test_no_amount_of_the_policy_in_formulas():
    """Every amount comes from a parameter file: the formulas hold no yuan figure."""
    import re
    from pathlib import Path

    formulas = Path(policy.__file__).parent / "formulas"
    for path in formulas.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        for figure in (
            "24",
            "40",
            "260",
            "1500",
            "2000",
            "1000",
            "500",
            "300",
            "4000",
            "5000",
            "3500",
            "0.6",
            "12",
        ):
            assert not re.search(
                rf"(?<![\w.\-]){re.escape(figure)}(?![\w.\-])",
                re.sub(r'""".*?"""|#.*', "", text, flags=re.S),
            ), (path, figure)


def test_no_amount_of_the_policy_in_formula_docstrings_or_comments():
    """Docstrings and comments name the parameter, not its value: a figure restated there goes
    stale when a version is added (issue 13, item 4)."""
    import re
    from pathlib import Path

    formulas = Path(policy.__file__).parent / "formulas"
    figures = ["24", "40", "260", "300", "500", "1,000", "1,500", "2,000", "3,500", "4,000"]
    figures += ["5,000", "0.6", "60%", "12", "20", "6", "3"]
    for path in formulas.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        prose = " ".join(re.findall(r'""".*?"""|#[^\n]*', text, flags=re.S))
        assert prose, path
        assert not re.search(r"[0-9]+ ?(元|yuan)|[0-9]{3,}", prose), path
        for figure in figures:
            found = re.search(rf"(?<![\w.\-/,]){re.escape(figure)}(?![\w.\-/,])", prose)
            assert not found, (path, figure, prose[max(found.start() - 40, 0) : found.end()])


def test_overlapping_periods_in_a_file_are_refused_with_file_and_line(tmp_path):
    (tmp_path / "x.yaml").write_text(
        """a.rate:
  rule: GA23-LIV-2
  kind: amount
  values:
    - region: "421022"
      from: 2023-01-01
      until: 2023-12-31
      value: 40
      reference: {document: D}
    - region: "421022"
      from: 2023-06-01
      value: 45
      reference: {document: D}
""",
        encoding="utf-8",
    )
    with pytest.raises(ParameterError, match=r"x\.yaml:10: .*overlaps"):
        load_directory(tmp_path)


def test_unknown_rule_id_is_refused_with_file_and_line(tmp_path):
    (tmp_path / "y.yaml").write_text(
        "ok:\n  rule: GA23-LIV-2\n  kind: amount\n  values: []\nb.rate:\n  rule: GA23-XYZ-9\n"
        "  kind: amount\n  values: []\n",
        encoding="utf-8",
    )
    with pytest.raises(ParameterError, match=r"y\.yaml:6: b\.rate has unknown rule id"):
        load_directory(tmp_path)


def test_a_value_of_the_wrong_kind_is_refused(tmp_path):
    (tmp_path / "z.yaml").write_text(
        "a:\n  rule: GA23-HRS-1\n  kind: share\n  values:\n    - region: '421022'\n"
        "      value: 60\n      reference: {document: D}\n",
        encoding="utf-8",
    )
    with pytest.raises(ParameterError, match=r"z\.yaml:5: a share is between 0 and 1"):
        load_directory(tmp_path)


def _added(**changes) -> dict:
    version = {
        "parameter": "living_allowance.daily_poverty_alleviated",
        "region": "421022",
        "from": date(2024, 1, 1),
        "until": date(2024, 12, 31),
        "value": 45,
        "reference": {"document": "公人社发〔2024〕2号", "clause": "三(六)", "rule": "GA23-LIV-2"},
        "source": "database #1",
    }
    return {**version, **changes}


def test_an_added_version_takes_effect_for_dates_in_its_period():
    params = policy.default_parameters().with_versions([_added()])
    record = {**RECORD, "date": "2024-03-31", "person_id": "42102219750308009X"}
    result = policy.evaluate({"records": [record, RECORD]}, params=params)["results"]
    assert result[0]["items"][0]["amount"] == Decimal("450.00")
    assert "公人社发〔2024〕2号" in result[0]["items"][0]["message"]
    assert result[1]["items"][0]["amount"] == Decimal("400.00")  # 2023 unchanged


def test_an_added_version_amends_a_shipped_one_where_they_overlap():
    params = policy.default_parameters().with_versions(
        [_added(**{"from": date(2023, 7, 1), "until": date(2023, 12, 31), "value": 42})]
    )
    early, late = (
        policy.evaluate({"records": [{**RECORD, "date": d}]}, params=params)["results"][0]
        for d in ("2023-06-30", "2023-07-01")
    )
    assert early["items"][0]["amount"] == 400 and late["items"][0]["amount"] == 420


def test_validate_version_refuses_overlap_with_another_added_version():
    params = policy.default_parameters().with_versions([_added()])
    with pytest.raises(ParameterError, match="overlap"):
        policy.validate_version(params, _added(**{"from": date(2024, 6, 1), "until": None}))
    policy.validate_version(params, _added(**{"from": date(2025, 1, 1), "until": None}))


def test_training_subsidy_is_paid_only_where_an_administrator_set_the_standard():
    """GA23-TRN-1: no default; with a standard for the occupation and level, paid to the
    institution (organiser) for each qualified trainee."""
    params = policy.default_parameters().with_versions(
        [
            {
                "parameter": "training_subsidy.standard",
                "region": "420000",
                "from": date(2023, 1, 1),
                "until": None,
                "value": {"中式烹调师": {"4": 1200}},
                "reference": {"document": "鄂人社发〔2018〕64号", "rule": "GA23-TRN-1"},
            }
        ]
    )
    results = policy.evaluate(
        {
            "records": [
                RECORD,
                {**RECORD, "id": "2", "person_id": "42102219750308009X", "level": 3},
            ]
        },
        params=params,
    )["results"]
    assert results[0]["items"][0] == {
        "rule": "GA23-TRN-1",
        "kind": "training_subsidy",
        "payee": "organiser",
        "amount": Decimal("1200.00"),
        "message": results[0]["items"][0]["message"],
    }
    assert results[0]["total"] == Decimal("1860.00")
    assert [r["rule"] for r in results[1]["reasons"]] == ["GA23-TRN-1"]
    assert "中式烹调师（3 级）未设定补贴标准" in results[1]["reasons"][0]["message"]


def test_history_counts_for_the_caps_inside_the_product():
    history = [
        policy.PriorTraining("421022197503080014", date(2023, 1, 31), "中式烹调师", 4, "class 7"),
        policy.PriorTraining("421022197503080014", date(2023, 2, 28), None, None),
        policy.PriorTraining("421022197503080014", date(2023, 3, 31), None, None),
    ]
    other = {**RECORD, "id": "2", "occupation": "家政服务员", "date": "2024-02-01"}
    results = policy.evaluate({"records": [RECORD, other]}, history=history)["results"]
    assert results[0]["status"] == "rejected"
    assert "class 7" in results[0]["reasons"][0]["message"]
    assert results[1]["status"] == "accepted"


def test_english_explanations():
    result = policy.evaluate({"records": [RECORD]}, lang="en")["results"][0]
    assert result["items"][0]["message"] == (
        "Living allowance, poverty-alleviated: 60 class hours attended, 6 class hours make a "
        "day, 10 days at 40 yuan a day, 400 yuan (公人社发〔2023〕5号 三(六), GA23-LIV-2)"
    )


def test_json_door_writes_amounts_as_numbers_and_reads_decimals_exactly():
    body = json.dumps({"records": [{**RECORD, "attended_hours": 0}]}).replace(
        '"attended_hours": 0', '"attended_hours": 17.999999999999999999'
    )
    out = json.loads(policy.evaluate_json(body.encode()))
    result = out["results"][0]
    assert result["items"][0]["amount"] == 80  # 17.99… hours are 2 days, never rounded up
    assert isinstance(result["total"], (int, float))
    assert list(result) == ["id", "status", "items", "total", "reasons"]


@pytest.mark.parametrize("body", [b"", b"not json", b"[]", b'{"records": 5}', b'{"x": []}'])
def test_json_door_refuses_a_malformed_call(body):
    with pytest.raises(policy.PayloadError):
        policy.evaluate_json(body)


def test_json_door_with_a_non_object_record():
    out = json.loads(policy.evaluate_json(b'{"records": [5, {"id": 7}]}'))
    assert [r["status"] for r in out["results"]] == ["invalid", "invalid"]
    assert out["results"][1]["id"] == 7


def _run_cli(argv, stdin=b""):
    import sys

    out, err = io.BytesIO(), io.StringIO()

    class _Out:
        buffer = out

        def write(self, text):
            out.write(text.encode())

        def flush(self):
            pass

    class _In:
        buffer = io.BytesIO(stdin)

    saved = sys.stdout, sys.stderr, sys.stdin
    sys.stdout, sys.stderr, sys.stdin = _Out(), err, _In()
    try:
        code = cli.main(argv)
    finally:
        sys.stdout, sys.stderr, sys.stdin = saved
    return code, out.getvalue().decode(), err.getvalue()


def test_cli_evaluate_from_a_file_and_stdin(tmp_path):
    path = tmp_path / "records.json"
    path.write_text(json.dumps({"records": [RECORD]}), encoding="utf-8")
    code, out, _ = _run_cli(["policy", "evaluate", str(path)])
    assert code == 0 and json.loads(out)["results"][0]["total"] == 660
    code, out, _ = _run_cli(
        ["policy", "evaluate", "-", "--lang", "en"],
        stdin=json.dumps({"records": [RECORD]}).encode(),
    )
    assert code == 0 and "Living allowance" in out


def test_cli_evaluate_malformed_exits_2():
    code, out, err = _run_cli(["policy", "evaluate", "-"], stdin=b"{oops")
    assert code == 2 and out == "" and "not valid JSON" in err
    code, _, err = _run_cli(["policy", "evaluate", "/nonexistent.json"])
    assert code == 2 and "cannot read" in err


def test_cli_show_lists_every_parameter_with_its_reference():
    code, out, _ = _run_cli(["policy", "show", "--region", "421022", "--date", "2023-06-30"])
    assert code == 0
    assert "living_allowance.daily_poverty_alleviated" in out
    assert "40" in out and "GA23-LIV-2" in out and "公人社发〔2023〕5号 三(六)" in out
    assert "training_subsidy.standard" in out  # listed even though unset
