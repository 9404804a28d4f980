"""A class's change history reads as words (issue 15.9): a state by its label, the teachers by
their names, never the stored code or a Python repr of the link rows."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from . import factories

pytestmark = pytest.mark.django_db


def test_the_history_of_a_class_shows_labels_and_names(client, world, make_user):
    training_class = factories.make_class(world, status="approved")
    client.force_login(make_user("gongan", "auditor"))
    with translation.override("zh-hans"):
        page = client.get(
            f"/history/training.trainingclass/{training_class.pk}/",
            HTTP_ACCEPT_LANGUAGE="zh-CN",
        ).content.decode()
    assert "草稿" in page and "已提交审批" in page and "已批准" in page
    assert "周老师" in page  # the teacher linked, by name
    table = page.split("<table", 1)[1].split("</table>", 1)[0]
    text = re.sub(r"<[^>]+>", " ", table)
    for raw in ("draft", "submitted", "approved", "{&#x27;", "[]"):
        assert raw not in text, raw
