"""Every rule id of the project's clause table (docs/clauses.csv) is cited in a test file, or is
on the allow-list below with the issue that will build it (issue 14, item 8). A test that cites
an id asserts what the rule does; the allow-list only shrinks: an id on it that a test cites
fails here until it is taken off."""

from __future__ import annotations

import csv
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[4]
THIS = Path(__file__).resolve()

# Rule ids of features not built yet → the issue that builds them.
NOT_BUILT_YET: dict[str, int] = {}

RULE_ID = re.compile(r"\b[A-Z]{2}\d{2}-[A-Z]+-\d+\b")


def table_ids() -> list[str]:
    """The rule ids of the project's own table (not the spec)."""
    with (ROOT / "docs" / "clauses.csv").open(encoding="utf-8", newline="") as f:
        return [row["rule"] for row in csv.DictReader(f)]


def files_of_tests() -> list[Path]:
    """Every file of a test directory (Python tests, their YAML cases) and the browser
    journeys, this file excepted (its allow-list names ids without testing them)."""
    found = [
        *(ROOT / "src").glob("**/tests/**/*"),
        *(ROOT / "tests").glob("**/*"),
    ]
    return sorted(
        path
        for path in found
        if path.is_file()
        and path.suffix in {".py", ".yaml", ".yml", ".json", ".csv"}
        and path.resolve() != THIS
        and "__pycache__" not in path.parts
    )


def cited_ids() -> dict[str, list[str]]:
    cited: dict[str, list[str]] = {}
    for path in files_of_tests():
        for rule in set(RULE_ID.findall(path.read_text(encoding="utf-8", errors="replace"))):
            cited.setdefault(rule, []).append(str(path.relative_to(ROOT)))
    return cited


def test_the_table_and_the_test_files_are_read():
    ids = table_ids()
    assert len(ids) > 50 and "GA23-LIV-2" in ids
    assert any(path.name == "test_cases.py" for path in files_of_tests())
    assert "src/upskill/policy/tests/cases/ga23.yaml" in cited_ids()["GA23-LIV-2"]


def test_every_rule_id_of_the_table_is_cited_in_a_test():
    cited = cited_ids()
    uncited = [rule for rule in table_ids() if rule not in cited and rule not in NOT_BUILT_YET]
    assert uncited == [], (
        "rule ids of docs/clauses.csv cited in no test file: write a test that asserts the "
        "rule's behaviour and cites its id, or (a feature not built yet) put the id on "
        "NOT_BUILT_YET with the issue that builds it"
    )


def test_the_allow_list_only_shrinks():
    ids, cited = set(table_ids()), cited_ids()
    assert sorted(set(NOT_BUILT_YET) - ids) == [], "an allow-listed id is not in the table"
    built = {rule: cited[rule] for rule in NOT_BUILT_YET if rule in cited}
    assert built == {}, "these ids are tested now: take them off NOT_BUILT_YET"
