"""Issue 15.9: a sentence the product writes into a record is kept as its message and parameters
(core/stored_text.py) and read in the reader's language; the access log is the first user."""

from __future__ import annotations

from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext_lazy

from upskill.core.models import AccessAction, AccessLog
from upskill.core.services import access_log_record
from upskill.core.stored_text import render_stored_text, stored_text

EXPORT = gettext_lazy("List export: %(list)s (masked)")


def test_the_message_is_kept_as_its_msgid_and_labels_are_translated_when_read():
    with translation.override("zh-hans"):  # whatever the writer reads, the msgid is stored
        stored = stored_text(EXPORT, list=gettext_lazy("Access log"))
    assert stored == {
        "msgid": "List export: %(list)s (masked)",
        "params": {"list": {"$t": "Access log"}},
    }
    with translation.override("en"):
        assert render_stored_text(stored) == "List export: Access log (masked)"
    with translation.override("zh-hans"):
        assert render_stored_text(stored) == "列表导出：敏感信息访问日志（脱敏）"
    assert stored_text(EXPORT, list=Decimal("1.50"))["params"] == {"list": "1.50"}


def test_a_text_stored_before_the_message_was_kept_is_shown_as_stored():
    assert render_stored_text({}, "旧的说明") == "旧的说明"
    assert render_stored_text(None, "旧的说明") == "旧的说明"


def test_the_access_log_reads_in_the_readers_language(world, make_user, client):
    clerk = make_user("gongan", "reviewer")
    with translation.override("zh-hans"):  # a clerk working in Chinese
        entry = access_log_record(
            actor=clerk,
            action=AccessAction.EXPORT,
            description=stored_text(EXPORT, list=gettext_lazy("Access log")),
            row_count=3,
        )
    entry = AccessLog.objects.get(pk=entry.pk)
    # the text as written is kept for search; the message for the reader
    assert entry.description == "列表导出：敏感信息访问日志（脱敏）"
    with translation.override("en"):
        assert entry.what == "List export: Access log (masked)"
    plain = access_log_record(actor=clerk, action=AccessAction.REVEAL, description="王芳 4210**")
    with translation.override("en"):
        assert plain.what == "王芳 4210**" and plain.description_text is None

    client.force_login(make_user("gongan", "auditor"))
    chinese = client.get("/access-log/?q=列表导出", HTTP_ACCEPT_LANGUAGE="zh-CN")
    chinese = chinese.content.decode()
    assert "列表导出：敏感信息访问日志（脱敏）" in chinese
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = client.get("/access-log/").content.decode()
    assert "List export: Access log (masked)" in english and "列表导出" not in english
    assert "Export" in english  # the action's label too
