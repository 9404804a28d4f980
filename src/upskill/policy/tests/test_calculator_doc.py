"""docs/calculator.md is the calculator's public contract: every example there is a call and
its whole answer, and runs here through the Python door (``upskill.policy.evaluate``), so the
page cannot drift from what the calculator does."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

from upskill import policy

PAGE = Path(__file__).resolve().parents[4] / "docs" / "calculator.md"
MARKER = re.compile(r"^<!-- (example|example-error): (.+?)(?: \(lang=(\w+)\))? -->$")
FENCE = re.compile(r"^```(\w*)$")


def _examples() -> list[tuple[str, str, str, list[str]]]:
    """(kind, name, lang, [block, block]) for every marker of the page."""
    lines = PAGE.read_text(encoding="utf-8").splitlines()
    found = []
    i = 0
    while i < len(lines):
        marker = MARKER.match(lines[i])
        i += 1
        if not marker:
            continue
        blocks: list[str] = []
        while len(blocks) < 2:
            assert i < len(lines), f"{marker[2]}: two fenced blocks expected"
            if FENCE.match(lines[i]):
                end = lines.index("```", i + 1)
                blocks.append("\n".join(lines[i + 1 : end]))
                i = end
            else:
                assert not lines[i].strip(), f"{marker[2]}: text between marker and blocks"
            i += 1
        found.append((marker[1], marker[2], marker[3] or "zh", blocks))
    return found


EXAMPLES = _examples()


def test_the_page_has_examples_of_every_status_both_languages_and_errors():
    kinds = {kind for kind, *_ in EXAMPLES}
    langs = {lang for _, _, lang, _ in EXAMPLES}
    statuses = {
        result["status"]
        for kind, _, _, (_, answer) in EXAMPLES
        if kind == "example"
        for result in json.loads(answer)["results"]
    }
    assert kinds == {"example", "example-error"} and langs == {"zh", "en"}
    assert statuses == {"accepted", "rejected", "invalid"}


@pytest.mark.parametrize(
    ("kind", "name", "lang", "blocks"), EXAMPLES, ids=[name for _, name, _, _ in EXAMPLES]
)
def test_the_example_gives_the_documented_answer(kind, name, lang, blocks):
    call, answer = blocks
    if kind == "example-error":
        with pytest.raises(policy.PayloadError) as error:
            policy.evaluate_json(call)
        assert str(error.value).startswith(answer.strip())
        return
    got = policy.evaluate(json.loads(call), lang=lang)
    expected = json.loads(answer, parse_float=Decimal)
    assert got == expected
    # the page prints amounts as the JSON doors do, with two decimals
    for amount in re.findall(r'"(?:amount|total)": ([0-9.]+)', answer):
        assert re.fullmatch(r"\d+\.\d\d", amount), amount
