"""The ``requirement_table`` kind: what a supervision rule requires of a class, by program
(``*`` for every program not named), e.g. GA23-INS-1's inspections."""

from __future__ import annotations

from datetime import date

import pytest

from upskill.policy.parameters import (
    ParameterError,
    default_parameters,
    format_value,
    load_directory,
)

_HEAD = (
    "inspections:\n  rule: GA23-INS-1\n  kind: requirement_table\n"
    "  keys: [total, opening]\n  values:\n    - region: '421022'\n"
    "      reference: {document: D}\n"
)


def test_shipped_supervision_rules_for_gongan_2023():
    params = default_parameters()
    version = params.lookup("supervision.inspections", "421022", date(2023, 6, 30))
    assert version.value == {"*": {"total": 3, "opening": 1, "during_on_site": 1, "closing": 1}}
    assert version.reference.rule == "GA23-INS-1"
    assert params.value("supervision.video_min_seconds", "421022", date(2023, 6, 30)) == 60
    assert str(params.value("spot_check.max_failure_share", "421022", date(2023, 6, 30))) == "0.1"
    # other regions and years configure their own: nothing is inherited from Gong'an 2023
    assert params.lookup("supervision.photos", "420100", date(2023, 6, 30)) is None
    assert params.lookup("supervision.photos", "421022", date(2024, 1, 1)) is None


def test_programs_and_counts_are_kept(tmp_path):
    (tmp_path / "a.yaml").write_text(
        _HEAD + "      value: {'*': {total: 3}, poverty: {total: 4, opening: 1}}\n",
        encoding="utf-8",
    )
    params = load_directory(tmp_path)
    version = params.lookup("inspections", "421022", date(2023, 1, 1))
    assert version.value == {"*": {"total": 3}, "poverty": {"total": 4, "opening": 1}}
    definition = params.definitions["inspections"]
    assert format_value(definition, version.value) == "*: total 3; poverty: total 4, opening 1"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("{'*': {closing: 1}}", r"unknown keys \['closing'\]"),
        ("{'*': {total: 1.5}}", "not a whole number"),
        ("{'*': {total: -1}}", "not a whole number"),
        ("{'*': 3}", "expected {key: count}"),
        ("[]", "expected {program: {key: count}}"),
    ],
)
def test_a_wrong_requirement_table_is_refused_with_file_and_line(tmp_path, value, message):
    (tmp_path / "b.yaml").write_text(_HEAD + f"      value: {value}\n", encoding="utf-8")
    with pytest.raises(ParameterError, match=r"b\.yaml:6\b.*" + message):
        load_directory(tmp_path)
