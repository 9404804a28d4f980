"""An approved claim's explanations are the record of the decision: the clause corrections of
the policy map (HB45-CAP-1 is in 四(二) of 鄂政办发〔2019〕45号, not 三(二)) change what new
evaluations print, never what was approved. A line stores the facts of its sentences (rule,
figures, the reference as evaluated) and the page renders them in the reader's language (issue
15.9); a line stored before the facts were kept shows its stored text."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from upskill import policy
from upskill.subsidies import services
from upskill.subsidies.models import ClaimItem

from . import factories

OLD_REASON = (
    "同一职业同一等级不重复享受补贴：中式烹调师（4 级）已在 2023-03-01 的培训（记录 1）中享受"
    "（鄂政办发〔2019〕45号 三(二)，HB45-CAP-1）"
)
OLD_ITEM = "旧的说明文字（公人社发〔2023〕5号 三(六)，GA23-LIV-1）"


def test_an_approved_claim_keeps_the_explanation_it_was_approved_with(
    world, make_person, make_user, client
):
    claim = factories.noticed_claim(world, make_person)
    line = claim.lines.get()
    # what an approval made before the correction stored, verbatim (and before facts were kept)
    line.explanation = {
        **line.explanation,
        "reasons": [{"rule": "HB45-CAP-1", "message": OLD_REASON}],
    }
    line.explanation["items"] = [
        {key: value for key, value in {**i, "message": OLD_ITEM}.items() if key != "facts"}
        for i in line.explanation["items"]
    ]
    line.save()
    ClaimItem.objects.filter(line=line).update(message=OLD_ITEM)

    client.force_login(make_user("gongan", "reviewer"))
    page = client.get(f"/subsidies/claims/{claim.pk}/").content.decode()
    assert "鄂政办发〔2019〕45号 三(二)，HB45-CAP-1" in page
    assert "四(二)" not in page
    lines = client.get(f"/api/claims/{claim.pk}/lines").json()
    assert lines[0]["reasons"] == [{"rule": "HB45-CAP-1", "message": OLD_REASON}]
    # an approved claim is never assembled again (that would price it anew)
    with pytest.raises(ValidationError):
        services.claim_reassemble(actor=make_user("inst1", "clerk"), claim=claim)
    line.refresh_from_db()
    assert line.explanation["reasons"][0]["message"] == OLD_REASON
    assert set(ClaimItem.objects.filter(line=line).values_list("message", flat=True)) == {OLD_ITEM}


def test_a_new_evaluation_cites_the_corrected_clause():
    record = {
        "person_id": "42102219750308009X",
        "region": "421022",
        "program": "employment",
        "categories": ["rural"],
        "passed": True,
        "occupation": "中式烹调师",
        "level": 4,
        "total_hours": 60,
        "practical_hours": 36,
        "attended_hours": 60,
    }
    out = policy.evaluate(
        {
            "records": [
                {**record, "id": "1", "date": "2023-03-01"},
                {**record, "id": "2", "date": "2023-09-01"},
            ]
        }
    )
    [reason] = out["results"][1]["reasons"]
    assert reason["rule"] == "HB45-CAP-1"
    assert reason["message"].endswith("（鄂政办发〔2019〕45号 四(二)，HB45-CAP-1）")


def test_the_claim_page_renders_the_stored_facts_in_the_readers_language(
    world, make_person, make_user, client, monkeypatch
):
    """Issue 15.9: the sentences come from the facts stored at evaluation, in Chinese or in
    English, and keep the clause they cited then even if the clause map changes later."""
    from upskill.policy import explain

    claim = factories.noticed_claim(world, make_person)
    line = claim.lines.get()
    [item] = [i for i in line.explanation["items"] if i["rule"] == "GA23-LIV-1"] or [
        line.explanation["items"][0]
    ]
    assert item["facts"]["rule"] == item["rule"] and "ref" in item["facts"]["figures"]
    cited = item["facts"]["figures"]["ref"]["$ref"][1]
    client.force_login(make_user("gongan", "reviewer"))
    monkeypatch.setattr(explain, "clause_of", lambda rule: "九(九)")  # a later correction
    chinese = client.get(f"/subsidies/claims/{claim.pk}/", HTTP_ACCEPT_LANGUAGE="zh-CN")
    chinese = chinese.content.decode()
    zh, en = explain.render_facts(item["facts"], "zh"), explain.render_facts(item["facts"], "en")
    assert zh != en and "yuan" in en and "元" in zh
    assert zh in chinese and en not in chinese
    assert "九(九)" not in chinese and cited in zh
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = client.get(f"/subsidies/claims/{claim.pk}/").content.decode()
    assert en in english and zh not in english


def test_the_api_renders_the_stored_facts_in_the_readers_language(
    world, make_person, make_user, client
):
    """Issue 15.9 in the JSON API: a line's items and reasons are the sentences of its stored
    facts in the caller's language, as on the claim's page."""
    from upskill.policy import explain

    claim = factories.noticed_claim(world, make_person)
    line = claim.lines.get()
    stored = {item["rule"]: item for item in line.explanation["items"]}
    client.force_login(make_user("gongan", "reviewer"))
    chinese = client.get(f"/api/claims/{claim.pk}/lines").json()[0]
    assert {i["rule"]: i["message"] for i in chinese["items"]} == {
        rule: explain.render_facts(item["facts"], "zh") for rule, item in stored.items()
    }
    english = client.get(f"/api/claim-lines/{line.pk}", HTTP_ACCEPT_LANGUAGE="en").json()
    assert {i["rule"]: i["message"] for i in english["items"]} == {
        rule: explain.render_facts(item["facts"], "en") for rule, item in stored.items()
    }
    assert all("yuan" in i["message"] for i in english["items"])
