"""Sentences the product writes into a record (a sanction's reason, an access-log entry's
"what") are stored as their message and parameters, and rendered in the reader's language when
read (issue 15.9): an auditor reading in English sees English, the clerk in Chinese sees
Chinese, and the facts (figures, references, names) are the ones of the moment it was written.

``stored_text(_("… %(n)d …"), n=3)`` keeps the message's msgid (the English source of the
catalogue, not today's translation) and the parameters as JSON; ``render_stored_text`` runs
the msgid through gettext in the active language and fills the parameters. A parameter that is
itself a translatable label (a choice's label, a ``gettext_lazy`` text) is stored as its msgid
and translated at read time too. Sentences of the policy engine keep their own facts
(``policy.explain.facts``); this is the same idea for the Django apps' own sentences.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext

LABEL = "$t"


def _msgid(text: Promise | str) -> str:
    """The catalogue's msgid of a lazy translation (its text with no language active)."""
    with translation.override(None):
        return str(text)


def _encode(value: Any) -> Any:
    if isinstance(value, Promise):
        return {LABEL: _msgid(value)}
    if isinstance(value, Decimal):
        return f"{value:f}"
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict) and set(value) == {LABEL}:
        return gettext(value[LABEL])
    return value


def stored_text(message: Promise, **params: Any) -> dict[str, Any]:
    """What to store for ``message % params``: ``message`` is a ``gettext_lazy`` text (so that
    ``makemessages`` finds it), ``params`` JSON values or lazy labels."""
    return {"msgid": _msgid(message), "params": {k: _encode(v) for k, v in params.items()}}


def render_stored_text(stored: dict[str, Any] | None, fallback: str = "") -> str:
    """The stored sentence in the active language; ``fallback`` (the text stored before the
    message was kept) where there is none."""
    if not stored or not stored.get("msgid"):
        return fallback
    params = {key: _decode(value) for key, value in stored.get("params", {}).items()}
    return gettext(stored["msgid"]) % params
