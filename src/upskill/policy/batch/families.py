"""The program families in the scalar path's order, with the reason and item columns each
writes."""

from __future__ import annotations

from .classroom import classroom_columns
from .enterprise import enterprise_columns
from .online import online_columns
from .pre_job import PJ_FIELDS, pre_job_columns

FAMILIES = [
    (classroom_columns, ["employment", "poverty"]),
    (online_columns, ["online_skill_level"]),
    (pre_job_columns, ["pre_job"]),
    (
        enterprise_columns,
        ["post_skill", "work_for_training", "competition", "new_technician", "new_apprentice"],
    ),
]

# Each program family writes its own reason and item columns, in the scalar path's order.
FAMILY_REASONS = [
    ["cls_r1", "cls_r2", "cls_r3", "cls_r4", "cls_r5"],
    ["onl_r1", "onl_r2", "onl_r3", "onl_r4"],
    [
        "pj_r0",
        *[f"pj_m{i}" for i in range(len(PJ_FIELDS))],
        "pj_r1",
        "pj_r2",
        "pj_r3",
        "pj_r4",
        "pj_r5",
        "pj_r6",
    ],
    ["ent_r1", "ent_r2"],
]
FAMILY_ITEMS = [
    [("cls_i1", "cls_a1"), ("cls_i2", "cls_a2"), ("cls_i3", "cls_a3")],
    [("onl_i1", "onl_a1"), ("onl_i2", "onl_a2")],
    [("pj_i1", "pj_a1")],
    [("ent_i1", "ent_a1")],
]
REASON_SLOTS = max(len(family) for family in FAMILY_REASONS)
ITEM_SLOTS = max(len(family) for family in FAMILY_ITEMS)
