"""Parameter values as a reader reads them (issue 15.9): a share as a percentage, an amount in
the one number format, a code by its label in the reader's language, never the stored code or
the parameter's name. The labels are the choices of the product's own models (read from the app
registry, so no higher app is imported), the programmes and categories of the calculator's
forms, and the few keys the parameter tables use that are no stored choice."""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from typing import Any

from django.apps import apps
from django.utils.translation import gettext_lazy as _

from upskill.core.templatetags.upskill import num

from .forms import CATEGORIES, COMPETITION_LEVELS, PROGRAMS, TITLES

# keys of the parameter tables that are no stored choice
_TABLE_KEYS = {
    "*": _("every kind of class"),
    "total": _("in all"),
    "first_lesson": _("first-lesson record"),
    "attendance": _("attendance record"),
    "survey": _("satisfaction survey"),
    "exam_supervision": _("exam supervision record"),
    "during_on_site": _("on-site inspection during the class"),
    "opening": _("opening"),
    "closing": _("closing"),
    "theory": _("theory"),
    "practice": _("practice"),
    "exam": _("exam"),
    "skill_level": _("skill-level certificate"),
    "special_ability": _("special-ability certificate"),
    "training": _("training certificate"),
    "living_allowance": _("living allowance"),
    "county_hr": _("county human resources bureau"),
    "township_centre": _("township service centre"),
    "rural_revitalisation": _("rural revitalisation bureau"),
}


@cache
def _model_choices() -> dict[str, Any]:
    labels: dict[str, Any] = {}
    for model in apps.get_models():
        if not model.__module__.startswith("upskill."):
            continue
        for field in model._meta.get_fields():
            for value, label in getattr(field, "flatchoices", None) or ():
                if isinstance(value, str) and value:
                    labels.setdefault(value, label)
    return labels


def code_label(code: Any) -> str:
    """The label of a stored code in the active language; the code itself when nothing names
    it (a name typed by an administrator, an occupation)."""
    text = str(code)
    for table in (_TABLE_KEYS, dict(PROGRAMS), dict(CATEGORIES), dict(TITLES)):
        if text in table:
            return str(table[text])
    levels = dict(COMPETITION_LEVELS)
    if text in levels and text:
        return str(levels[text])
    label = _model_choices().get(text)
    return str(label) if label is not None else text


def _number(value: Any) -> str:
    return num(Decimal(str(value)).normalize()) if value is not None else "—"


def value_text(kind: str, value: Any) -> str:
    """A parameter's value by its kind (policy/parameters.py ``Definition.kind``)."""
    if value is None:
        return "—"
    if kind == "share":
        percent = (Decimal(str(value)) * 100).normalize()
        return f"{percent:f}%"
    if kind in {"amount", "count"}:
        return _number(value)
    if kind == "amount_table":
        return "；".join(f"{code_label(k)}：{_number(v)}" for k, v in value.items())
    if kind == "code_list":
        return "、".join(code_label(code) for code in value)
    if kind == "requirement_table":
        return "；".join(
            f"{code_label(program)}："
            + "，".join(f"{code_label(key)} {_number(count)}" for key, count in counts.items())
            for program, counts in value.items()
        )
    if kind == "source_table":
        return "；".join(
            f"{code_label(k)}：" + "、".join(code_label(n) for n in names)
            for k, names in value.items()
        )
    if kind == "standard_table":
        return "；".join(
            f"{code_label(occupation)} "
            + "，".join(
                f"{_('level')} {level} {_number(amount)}"
                for level, amount in sorted(levels.items())
            )
            for occupation, levels in value.items()
        )
    if isinstance(value, (int, float, Decimal)):
        return _number(value)
    return str(value)
