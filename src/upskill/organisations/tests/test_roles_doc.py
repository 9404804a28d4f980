"""docs/roles.md is generated from roles.py and the models' scope rules (``upskill docs roles``):
the committed page must be what the code says, so neither the permission table nor a scope rule
can drift. After changing roles.py or a ``scope_for``, run ``upskill docs roles``."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from upskill.core.scoping import scoped_models
from upskill.organisations.docs import ROLES_PAGE, UNDECLARED, _scope_doc, roles_document
from upskill.organisations.roles import DEFAULT_ROLES


def test_the_committed_roles_page_is_what_the_code_generates():
    assert ROLES_PAGE.read_text(encoding="utf-8") == roles_document(), (
        "docs/roles.md is out of date: run `upskill docs roles`"
    )


def test_every_model_states_its_scope_rule_in_words():
    missing = [m._meta.label for m in scoped_models() if not _scope_doc(m)]
    assert missing == [], f"scope_for without a docstring: {missing}"


def test_every_default_permission_is_declared_by_a_model_and_shown():
    page = roles_document()
    assert UNDECLARED not in page
    for roles in DEFAULT_ROLES.values():
        for name, _staff, perms in roles.values():
            with translation.override("en"):
                assert str(name) in page
            for perm in perms:
                assert f"(`{perm}`)" in page


def test_the_command_writes_the_page_and_check_fails_when_it_is_stale(tmp_path):
    page = tmp_path / "roles.md"
    page.write_text("# stale\n", encoding="utf-8")
    with pytest.raises(CommandError, match="out of date"):
        call_command("docs", "roles", "--check", "--output", str(page))
    call_command("docs", "roles", "--output", str(page))
    assert page.read_text(encoding="utf-8") == roles_document()
    call_command("docs", "roles", "--check", "--output", str(page))
