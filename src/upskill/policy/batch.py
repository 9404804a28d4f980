"""The batch path: the same rules vectorised over a columnar table (Polars), for settling a
county or a province at once. Results are identical to the scalar path's (a hypothesis test
compares them): status, items (rule, amount in fen) and reason codes with their rule ids.

Exact arithmetic without floats: hours and contract years are integers of micro-units, money
is integer fen, shares are compared as integer fractions. Parameters are looked up once per
distinct (region, date) of the table and joined. The caps (``HB45-CAP-1``) are sequential per
person: every person whose records cannot conflict (no repeated occupation and level, no year
over the cap, no earlier history) is settled in vectorised form; only the others go through
the same sequential function the scalar path uses (:func:`engine.cap_decisions`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from fractions import Fraction

import polars as pl

from .engine import CapCandidate, PriorTraining, cap_decisions
from .parameters import ParameterSet
from .records import Record, cents

MICRO = 1_000_000

# rule → (kind, payee) of its item (the contract's vocabulary)
ITEM_KINDS: dict[str, tuple[str, str]] = {
    "GA23-LIV-1": ("living_allowance", "trainee"),
    "GA23-LIV-2": ("living_allowance", "trainee"),
    "GA23-FEE-1": ("township_fee", "township"),
    "GA23-TRN-1": ("training_subsidy", "organiser"),
    "WH20-SUB-1": ("skill_certificate", "trainee"),
    "WH20-SUB-2": ("skill_certificate", "trainee"),
    "WH20-SUB-3": ("enterprise_online", "enterprise"),
    "HB61-PJ-2": ("pre_job", "enterprise"),
    "HB61-PS-2": ("post_skill", "enterprise"),
    "HB61-WFT-1": ("work_for_training", "enterprise"),
    "HB61-CMP-1": ("competition", "enterprise"),
    "HB61-CMP-2": ("competition", "enterprise"),
    "HB45-TEC-1": ("new_technician", "enterprise"),
    "HB45-APP-1": ("new_apprentice", "enterprise"),
}

SCHEMA: dict[str, pl.DataType] = {
    "idx": pl.Int64,
    "id": pl.String,
    "person": pl.String,
    "region": pl.String,
    "date": pl.Date,
    "program": pl.String,
    "pa": pl.Boolean,
    "ed": pl.Boolean,
    "rural": pl.Boolean,
    "passed": pl.Boolean,
    "occupation": pl.String,
    "level": pl.Int64,
    "total": pl.Int64,  # micro-hours
    "practical": pl.Int64,
    "attended": pl.Int64,
    "insured": pl.Int64,
    "online": pl.Boolean,
    "contract_signed": pl.Date,
    "contract_years": pl.Int64,  # micro-years
    "training_started": pl.Date,
    "cons_insured": pl.Int64,
    "still_employed": pl.Boolean,
    "months": pl.Int64,
    "competition_level": pl.String,
    "finalist": pl.Boolean,
    "title": pl.String,
    "requested": pl.Int64,  # fen
}


def _micro(value: Decimal | None) -> int | None:
    if value is None:
        return None
    scaled = value * MICRO
    if scaled != scaled.to_integral_value():
        raise _Inexact
    return int(scaled)


class _Inexact(Exception):
    """A value finer than a micro-unit: that record is computed by the scalar path."""


def frame_from_records(records: Sequence[Record]) -> tuple[pl.DataFrame, list[Record]]:
    """Valid records into the batch table; records with hours finer than a micro-hour (never in
    practice) are returned apart, to be computed by the scalar path."""
    rows: dict[str, list] = {name: [] for name in SCHEMA}
    apart: list[Record] = []
    for r in records:
        try:
            total, practical, attended = (
                _micro(r.total_hours),
                _micro(r.practical_hours),
                _micro(r.attended_hours),
            )
            years = _micro(r.contract_years)
        except _Inexact:
            apart.append(r)
            continue
        values = (
            r.index,
            r.id,
            r.person_id,
            r.region,
            r.date,
            r.program,
            "poverty_alleviated" in r.categories,
            "employment_difficulty" in r.categories,
            "rural" in r.categories,
            r.passed,
            r.occupation,
            r.level,
            total,
            practical,
            attended,
            r.insured_months,
            r.online,
            r.contract_signed,
            years,
            r.training_started,
            r.consecutive_insured_months,
            r.still_employed,
            r.months,
            r.competition_level,
            r.finalist,
            r.title,
            None if r.requested_amount is None else cents(r.requested_amount),
        )
        for name, value in zip(SCHEMA, values, strict=True):
            rows[name].append(value)
    return pl.DataFrame(rows, schema=SCHEMA), apart


# -- parameters per (region, date) --------------------------------------------------------------
_AMOUNTS = {
    "liv1": "living_allowance.daily_rural_or_difficulty",
    "liv2": "living_allowance.daily_poverty_alleviated",
    "fee": "township_fee.per_trainee",
    "l4": "skill_certificate.level_4",
    "l3": "skill_certificate.level_3",
    "onl": "enterprise_online.per_trainee",
    "pj_max": "pre_job.max_per_trainee",
    "ps_max": "post_skill.max_per_trainee",
    "wft_rate": "work_for_training.monthly",
    "cmp_own": "competition.enterprise_finalist",
    "app": "new_apprentice.per_year",
}
_COUNTS = {
    "per_day": "attendance.hours_per_day",
    "min_ins": "skill_certificate.min_insured_months",
    "pj_hours": "pre_job.min_hours",
    "pj_years": "pre_job.min_contract_years",
    "pj_window": "pre_job.training_window_years",
    "pj_cons": "pre_job.min_consecutive_insured_months",
    "ps_hours": "post_skill.min_hours",
    "wft_max": "work_for_training.max_months",
    "cap": "caps.trainings_per_year",
}
_TABLES = {
    "cmp": ("competition.finalist", ("county", "city", "province", "national", "enterprise")),
    "tec": ("new_technician.grant", ("senior_technician", "technician", "senior_worker")),
}


def parameter_frame(params: ParameterSet, pairs: pl.DataFrame) -> pl.DataFrame:
    """One row per distinct (region, date): every parameter the formulas need, as integers
    (fen, counts) or null where none is in force."""
    columns: dict[str, list] = {"region": [], "date": []}
    for name in [*_AMOUNTS, *_COUNTS, "share_num", "share_den", "trn_on", "cmp_on", "tec_on"]:
        columns[name] = []
    for table, (_, keys) in _TABLES.items():
        for key in keys:
            columns[f"{table}_{key}"] = []
    for region, on in pairs.iter_rows():
        columns["region"].append(region)
        columns["date"].append(on)
        for column, name in _AMOUNTS.items():
            value = params.value(name, region, on)
            columns[column].append(None if value is None else cents(value))
        for column, name in _COUNTS.items():
            columns[column].append(params.value(name, region, on))
        share = params.value("practice.min_share", region, on)
        fraction = None if share is None else Fraction(share)
        columns["share_num"].append(None if fraction is None else fraction.numerator)
        columns["share_den"].append(None if fraction is None else fraction.denominator)
        columns["trn_on"].append(params.value("training_subsidy.standard", region, on) is not None)
        for table, (name, keys) in _TABLES.items():
            value = params.value(name, region, on)
            columns[f"{table}_on"].append(value is not None)
            for key in keys:
                amount = None if value is None else value.get(key)
                columns[f"{table}_{key}"].append(None if amount is None else cents(amount))
    schema = {name: pl.Int64 for name in columns}
    schema.update(
        region=pl.String, date=pl.Date, trn_on=pl.Boolean, cmp_on=pl.Boolean, tec_on=pl.Boolean
    )
    return pl.DataFrame(columns, schema=schema)


def training_standard_frame(params: ParameterSet, keys: pl.DataFrame) -> pl.DataFrame:
    """GA23-TRN-1 rates for each distinct (region, date, occupation, level) that has a table."""
    out: dict[str, list] = {"region": [], "date": [], "occupation": [], "level": [], "trn": []}
    for region, on, occupation, level in keys.iter_rows():
        table = params.value("training_subsidy.standard", region, on)
        rate = None
        if table is not None and occupation is not None and level is not None:
            rate = table.get(occupation, {}).get(level)
        out["region"].append(region)
        out["date"].append(on)
        out["occupation"].append(occupation)
        out["level"].append(level)
        out["trn"].append(None if rate is None else cents(rate))
    return pl.DataFrame(
        out,
        schema={
            "region": pl.String,
            "date": pl.Date,
            "occupation": pl.String,
            "level": pl.Int64,
            "trn": pl.Int64,
        },
    )


# -- formulas as expressions -----------------------------------------------------------------
c = pl.col


# Codes ("code|rule[|field]", rule ids, statuses) travel as small integers, which Polars moves
# far faster than strings; CODES[i] reads one back.
CODES: list[str] = []
_CODE_IDS: dict[str, int] = {}
CODE = pl.UInt16


def code_id(text: str) -> int:
    if text not in _CODE_IDS:
        _CODE_IDS[text] = len(CODES)
        CODES.append(text)
    return _CODE_IDS[text]


def _lit(text: str) -> pl.Expr:
    return pl.lit(code_id(text), dtype=CODE)


def _when_code(cond: pl.Expr, code: str) -> pl.Expr:
    return pl.when(cond).then(_lit(code)).otherwise(None)


# A rule that depends on the record: (condition, rule if true, rule if false).
RuleChoice = tuple[pl.Expr, str, str]


def _rule(choice: RuleChoice) -> pl.Expr:
    cond, if_true, if_false = choice
    return pl.when(cond).then(_lit(if_true)).otherwise(_lit(if_false))


def _reason(code: str, choice: RuleChoice) -> pl.Expr:
    cond, if_true, if_false = choice
    return _rule((cond, f"{code}|{if_true}", f"{code}|{if_false}"))


def _classroom(df: pl.LazyFrame) -> pl.LazyFrame:
    """GA23-CRT-1, GA23-HRS-1, GA23-TRN-1, GA23-LIV-1/2, GA23-DAY-1, GA23-FEE-1."""
    cls = c("program").is_in(["employment", "poverty"])
    hrs_on = c("share_num").is_not_null()
    crt = cls & ~c("passed")
    hrs_missing = cls & hrs_on & (c("total").is_null() | c("practical").is_null())
    hrs_short = (
        cls
        & hrs_on
        & ~hrs_missing
        & (c("practical") * c("share_den") < c("total") * c("share_num"))
    )
    rejected = crt | hrs_missing | hrs_short
    ok = cls & ~rejected

    trn_reason = (
        pl.when(~c("trn_on"))
        .then(_lit("trn.unset|GA23-TRN-1"))
        .when(c("occupation").is_null() | c("level").is_null())
        .then(_lit("trn.no_occupation|GA23-TRN-1"))
        .when(c("trn").is_null() | (c("trn") == 0))
        .then(_lit("trn.no_standard|GA23-TRN-1"))
        .otherwise(None)
    )
    trn_item = (
        ok
        & c("trn_on")
        & c("occupation").is_not_null()
        & c("level").is_not_null()
        & (c("trn").fill_null(0) > 0)
    )

    poverty, other = c("pa"), c("ed") | c("rural")
    use2 = poverty & c("liv2").is_not_null()
    use1 = ~use2 & other & c("liv1").is_not_null()
    used = use2 | use1
    liv_rule = (use2, "GA23-LIV-2", "GA23-LIV-1")
    rate = pl.when(use2).then(c("liv2")).otherwise(c("liv1"))
    day_ok = c("per_day").is_not_null() & (c("per_day") > 0)
    hours = c("attended").fill_null(0)
    capped = (
        pl.when(c("total").is_null()).then(hours).otherwise(pl.min_horizontal(hours, c("total")))
    )
    days = capped // (c("per_day") * MICRO)
    liv_pays = used & day_ok & (days > 0) & (rate > 0)
    liv_reason = (
        pl.when(~used & ~(poverty | other) & c("liv1").is_null() & c("liv2").is_null())
        .then(_lit("not_in_force|GA23-LIV-1"))
        .when(~used & ~(poverty | other))
        .then(_lit("liv.no_category|GA23-LIV-1"))
        .when(~used & poverty)
        .then(_lit("not_in_force|GA23-LIV-2"))
        .when(~used)
        .then(_lit("not_in_force|GA23-LIV-1"))
        .when(~day_ok)
        .then(_lit("not_in_force|GA23-DAY-1"))
        .when(~liv_pays)
        .then(_reason("liv.no_days", liv_rule))
        .otherwise(None)
    )
    fee_pays = c("fee").fill_null(0) > 0
    is_poverty = c("program") == "poverty"
    return df.with_columns(
        cls_rej=cls & rejected,
        cls_r1=_when_code(crt, "crt.not_passed|GA23-CRT-1"),
        cls_r2=pl.when(hrs_missing)
        .then(_lit("hrs.missing|GA23-HRS-1"))
        .when(hrs_short)
        .then(_lit("hrs.short|GA23-HRS-1"))
        .otherwise(None),
        cls_r3=pl.when(ok).then(trn_reason).otherwise(None),
        cls_r4=pl.when(ok).then(liv_reason).otherwise(None),
        cls_r5=pl.when(ok & is_poverty & ~fee_pays)
        .then(_lit("not_in_force|GA23-FEE-1"))
        .otherwise(None),
        cls_i1=pl.when(trn_item).then(_lit("GA23-TRN-1")).otherwise(None),
        cls_a1=pl.when(trn_item).then(c("trn")).otherwise(None),
        cls_i2=pl.when(ok & liv_pays).then(_rule(liv_rule)).otherwise(None),
        cls_a2=pl.when(ok & liv_pays).then(days * rate).otherwise(None),
        cls_i3=pl.when(ok & is_poverty & fee_pays).then(_lit("GA23-FEE-1")).otherwise(None),
        cls_a3=pl.when(ok & is_poverty & fee_pays).then(c("fee")).otherwise(None),
    )


def _online(df: pl.LazyFrame) -> pl.LazyFrame:
    """WH20-SUB-1/2 (with WH20-OBJ-1) and WH20-SUB-3."""
    onl = c("program") == "online_skill_level"
    sub_on = c("l4").is_not_null() | c("l3").is_not_null()
    rule = ((c("level") == 3).fill_null(False), "WH20-SUB-2", "WH20-SUB-1")
    not_passed = onl & sub_on & ~c("passed")
    ins_missing = onl & sub_on & c("min_ins").is_not_null() & c("insured").is_null()
    ins_short = onl & sub_on & c("min_ins").is_not_null() & (c("insured") < c("min_ins"))
    rejected = not_passed | ins_missing | ins_short
    ok = onl & ~rejected
    level_ok = c("level").is_in([3, 4]).fill_null(False)
    amount = pl.when(c("level") == 4).then(c("l4")).otherwise(c("l3"))
    sub_pays = ok & sub_on & level_ok & (amount.fill_null(0) > 0)
    sub_reason = (
        pl.when(~sub_on)
        .then(_reason("not_in_force", rule))
        .when(~level_ok)
        .then(_reason("sub.level", rule))
        .when(~sub_pays)
        .then(_reason("not_in_force", rule))
        .otherwise(None)
    )
    onl_on = c("onl").fill_null(0) > 0
    onl_pays = ok & onl_on & c("online") & c("passed")
    onl_reason = (
        pl.when(~onl_on)
        .then(_lit("not_in_force|WH20-SUB-3"))
        .when(~c("online"))
        .then(_lit("online.not_online|WH20-SUB-3"))
        .when(~c("passed"))
        .then(_lit("sub.not_passed|WH20-SUB-3"))
        .otherwise(None)
    )
    return df.with_columns(
        onl_rej=rejected,
        onl_r1=pl.when(onl & ~sub_on)
        .then(_reason("not_in_force", rule))
        .when(not_passed)
        .then(_reason("sub.not_passed", rule))
        .otherwise(None),
        onl_r2=pl.when(ins_missing)
        .then(_reason("sub.insurance_missing", rule))
        .when(ins_short)
        .then(_reason("sub.insurance", rule))
        .otherwise(None),
        onl_r3=pl.when(ok & sub_on).then(sub_reason).otherwise(None),
        onl_r4=pl.when(ok).then(onl_reason).otherwise(None),
        onl_i1=pl.when(sub_pays).then(_rule(rule)).otherwise(None),
        onl_a1=pl.when(sub_pays).then(amount).otherwise(None),
        onl_i2=pl.when(onl_pays).then(_lit("WH20-SUB-3")).otherwise(None),
        onl_a2=pl.when(onl_pays).then(c("onl")).otherwise(None),
    )


_PJ_FIELDS = {
    "contract_years": "contract_years",
    "contract_signed": "contract_signed",
    "training_started": "training_started",
    "total_hours": "total",
    "consecutive_insured_months": "cons_insured",
    "still_employed": "still_employed",
}


def _anniversary(day: pl.Expr, years: pl.Expr) -> pl.Expr:
    """formulas.anniversary in columns: the same day ``years`` later, 29 February → 28."""
    year = day.dt.year().cast(pl.Int64) + years
    leap = ((year % 4 == 0) & (year % 100 != 0)) | (year % 400 == 0)
    feb29 = (day.dt.month() == 2) & (day.dt.day() == 29) & ~leap
    return pl.date(year, day.dt.month(), pl.when(feb29).then(28).otherwise(day.dt.day()))


def _ceiling(requested: pl.Expr, maximum: pl.Expr) -> pl.Expr:
    return (
        pl.when(requested.is_null()).then(maximum).otherwise(pl.min_horizontal(requested, maximum))
    )


def _pre_job(df: pl.LazyFrame) -> pl.LazyFrame:
    """HB61-PJ-1/2."""
    pj = c("program") == "pre_job"
    on = pj & c("pj_max").is_not_null()
    missing = {name: on & c(column).is_null() for name, column in _PJ_FIELDS.items()}
    any_missing = pl.any_horizontal(list(missing.values()))
    checked = on & ~any_missing
    last = _anniversary(c("contract_signed"), c("pj_window"))
    contract = checked & c("pj_years").is_not_null() & (c("contract_years") < c("pj_years") * MICRO)
    window = (
        checked
        & c("pj_window").is_not_null()
        & ((c("training_started") < c("contract_signed")) | (c("training_started") > last))
    )
    hours = checked & c("pj_hours").is_not_null() & (c("total") < c("pj_hours") * MICRO)
    insured = checked & c("pj_cons").is_not_null() & (c("cons_insured") < c("pj_cons"))
    gone = checked & ~c("still_employed")
    rejected = any_missing | contract | window | hours | insured | gone
    amount = _ceiling(c("requested"), c("pj_max"))
    ok = on & ~rejected
    return df.with_columns(
        pj_rej=rejected,
        pj_r0=_when_code(pj & c("pj_max").is_null(), "not_in_force|HB61-PJ-2"),
        **{
            f"pj_m{i}": _when_code(cond, f"pj.missing|HB61-PJ-1|{name}")
            for i, (name, cond) in enumerate(missing.items())
        },
        pj_r1=_when_code(contract, "pj.contract|HB61-PJ-1"),
        pj_r2=_when_code(window, "pj.window|HB61-PJ-1"),
        pj_r3=_when_code(hours, "pj.hours|HB61-PJ-1"),
        pj_r4=_when_code(insured, "pj.insured|HB61-PJ-1"),
        pj_r5=_when_code(gone, "pj.not_employed|HB61-PJ-1"),
        pj_r6=_when_code(ok & (amount == 0), "zero_request|HB61-PJ-2"),
        pj_i1=pl.when(ok & (amount > 0)).then(_lit("HB61-PJ-2")).otherwise(None),
        pj_a1=pl.when(ok & (amount > 0)).then(amount).otherwise(None),
    )


def _enterprise(df: pl.LazyFrame) -> pl.LazyFrame:
    """HB61-PS-1/2, HB61-WFT-1, HB61-CMP-1/2, HB45-TEC-1, HB45-APP-1."""
    program = c("program")
    # post-skill
    ps = program == "post_skill"
    ps_on = ps & c("ps_max").is_not_null()
    ps_hours_on = ps_on & c("ps_hours").is_not_null()
    ps_missing = ps_hours_on & c("total").is_null()
    ps_short = ps_hours_on & (c("total") < c("ps_hours") * MICRO)
    ps_failed = ps_on & ~c("passed")
    ps_rej = ps_missing | ps_short | ps_failed
    ps_amount = _ceiling(c("requested"), c("ps_max"))
    ps_ok = ps_on & ~ps_rej
    # work for training
    wft = program == "work_for_training"
    wft_on = wft & (c("wft_rate").fill_null(0) > 0)
    wft_bad = wft_on & (c("months").is_null() | (c("months") < 1))
    paid = (
        pl.when(c("wft_max").is_null())
        .then(c("months"))
        .otherwise(pl.min_horizontal(c("months"), c("wft_max")))
    )
    wft_pays = wft_on & ~wft_bad & (paid > 0)
    # competition
    cmp = program == "competition"
    own = c("competition_level") == "enterprise"
    cmp_rule = (own.fill_null(False), "HB61-CMP-2", "HB61-CMP-1")
    any_on = c("cmp_on") | c("cmp_own").is_not_null()
    no_level = cmp & c("competition_level").is_null()
    version_on = pl.when(own).then(c("cmp_own").is_not_null()).otherwise(c("cmp_on"))
    cmp_rate = (
        pl.when(own)
        .then(c("cmp_own"))
        .when(c("competition_level") == "county")
        .then(c("cmp_county"))
        .when(c("competition_level") == "city")
        .then(c("cmp_city"))
        .when(c("competition_level") == "province")
        .then(c("cmp_province"))
        .otherwise(c("cmp_national"))
    )
    cmp_level_given = cmp & ~no_level
    not_finalist = cmp_level_given & version_on & ~c("finalist")
    cmp_pays = cmp_level_given & version_on & c("finalist") & (cmp_rate.fill_null(0) > 0)
    # new technician
    tec = program == "new_technician"
    tec_rate = (
        pl.when(c("title") == "senior_technician")
        .then(c("tec_senior_technician"))
        .when(c("title") == "technician")
        .then(c("tec_technician"))
        .otherwise(c("tec_senior_worker"))
    )
    no_title = tec & c("tec_on") & c("title").is_null()
    tec_pays = tec & c("tec_on") & c("title").is_not_null() & (tec_rate.fill_null(0) > 0)
    # new apprentice
    app = program == "new_apprentice"
    app_pays = app & (c("app").fill_null(0) > 0)
    return df.with_columns(
        ent_rej=ps_rej | wft_bad | (no_level & any_on) | not_finalist | no_title,
        ent_r1=pl.when(ps & ~ps_on)
        .then(_lit("not_in_force|HB61-PS-2"))
        .when(ps_missing)
        .then(_lit("ps.hours_missing|HB61-PS-1"))
        .when(ps_short)
        .then(_lit("ps.hours|HB61-PS-1"))
        .when(wft & ~wft_on)
        .then(_lit("not_in_force|HB61-WFT-1"))
        .when(wft_bad)
        .then(_lit("wft.months|HB61-WFT-1"))
        .when(wft_on & ~wft_pays)
        .then(_lit("not_in_force|HB61-WFT-1"))
        .when(no_level & ~any_on)
        .then(_lit("not_in_force|HB61-CMP-1"))
        .when(no_level)
        .then(_lit("cmp.no_level|HB61-CMP-1"))
        .when(cmp_level_given & ~version_on)
        .then(_reason("not_in_force", cmp_rule))
        .when(not_finalist)
        .then(_reason("cmp.not_finalist", cmp_rule))
        .when(cmp_level_given & ~cmp_pays)
        .then(_reason("not_in_force", cmp_rule))
        .when(tec & ~c("tec_on"))
        .then(_lit("not_in_force|HB45-TEC-1"))
        .when(no_title)
        .then(_lit("tec.no_title|HB45-TEC-1"))
        .when(tec & ~tec_pays)
        .then(_lit("not_in_force|HB45-TEC-1"))
        .when(app & ~app_pays)
        .then(_lit("not_in_force|HB45-APP-1"))
        .otherwise(None),
        ent_r2=pl.when(ps_failed)
        .then(_lit("ps.not_passed|HB61-PS-1"))
        .when(ps_ok & (ps_amount == 0))
        .then(_lit("zero_request|HB61-PS-2"))
        .otherwise(None),
        ent_i1=pl.when(ps_ok & (ps_amount > 0))
        .then(_lit("HB61-PS-2"))
        .when(wft_pays)
        .then(_lit("HB61-WFT-1"))
        .when(cmp_pays)
        .then(_rule(cmp_rule))
        .when(tec_pays)
        .then(_lit("HB45-TEC-1"))
        .when(app_pays)
        .then(_lit("HB45-APP-1"))
        .otherwise(None),
        ent_a1=pl.when(ps_ok & (ps_amount > 0))
        .then(ps_amount)
        .when(wft_pays)
        .then(paid * c("wft_rate"))
        .when(cmp_pays)
        .then(cmp_rate)
        .when(tec_pays)
        .then(tec_rate)
        .when(app_pays)
        .then(c("app"))
        .otherwise(None),
    )


FAMILIES = [
    (_classroom, ["employment", "poverty"]),
    (_online, ["online_skill_level"]),
    (_pre_job, ["pre_job"]),
    (
        _enterprise,
        ["post_skill", "work_for_training", "competition", "new_technician", "new_apprentice"],
    ),
]

# Each program family writes its own reason and item columns, in the scalar path's order.
_FAMILY_REASONS = [
    ["cls_r1", "cls_r2", "cls_r3", "cls_r4", "cls_r5"],
    ["onl_r1", "onl_r2", "onl_r3", "onl_r4"],
    [
        "pj_r0",
        *[f"pj_m{i}" for i in range(len(_PJ_FIELDS))],
        "pj_r1",
        "pj_r2",
        "pj_r3",
        "pj_r4",
        "pj_r5",
        "pj_r6",
    ],
    ["ent_r1", "ent_r2"],
]
_FAMILY_ITEMS = [
    [("cls_i1", "cls_a1"), ("cls_i2", "cls_a2"), ("cls_i3", "cls_a3")],
    [("onl_i1", "onl_a1"), ("onl_i2", "onl_a2")],
    [("pj_i1", "pj_a1")],
    [("ent_i1", "ent_a1")],
]
REASON_SLOTS = max(len(family) for family in _FAMILY_REASONS)
ITEM_SLOTS = max(len(family) for family in _FAMILY_ITEMS)


def evaluate_frame(
    frame: pl.DataFrame,
    params: ParameterSet,
    history: Iterable[PriorTraining] = (),
) -> pl.DataFrame:
    """The batch engine. Returns one row per input row, in input order (``idx``), with
    ``status`` (accepted/rejected), ``total`` (fen), item slots ``itemK_rule``/``itemK_cents``
    and reason slots ``reasonK`` (codes: ``CODES[k]`` is "code|rule[|field]"), null where
    unused — columnar, so a million rows stay cheap; :func:`row_lists` reads one row."""
    if not frame["idx"].is_sorted():
        frame = frame.sort("idx")
    pairs = parameter_frame(params, frame.select("region", "date").unique())
    narrow = []
    # Each program family's formulas run on its own rows, with the parameters it needs, and
    # leave only the narrow result (an empty part still runs, so every column exists).
    for number, (stage, programs) in enumerate(FAMILIES):
        part = frame.filter(pl.col("program").is_in(programs)).join(
            pairs, on=["region", "date"], how="left", maintain_order="left"
        )
        part = _with_training_standard(part, params) if number == 0 else part
        narrow.append(_narrow(stage(part.lazy()), number).collect())
    result = (
        frame.select("idx", "id", "person", "region", "date", "occupation", "level")
        .join(
            pairs.select("region", "date", "cap"),
            on=["region", "date"],
            how="left",
            maintain_order="left",
        )
        .hstack(pl.concat(narrow).sort("idx").drop("idx"))
    )
    cap_refused = _caps(result, list(history))
    result = result.join(cap_refused, on="idx", how="left", maintain_order="left")
    rejected = c("pre_rejected") | c("cap_reason").is_not_null()
    capped = c("cap_reason").is_not_null()
    slots = {}
    for k in range(ITEM_SLOTS):
        for part in ("rule", "cents"):
            name = f"item{k + 1}_{part}"
            slots[name] = pl.when(rejected).then(None).otherwise(c(name))
    for k in range(REASON_SLOTS):
        name = f"reason{k + 1}"
        slots[name] = (
            pl.when(capped)
            .then(c("cap_reason") if k == 0 else pl.lit(None, dtype=CODE))
            .otherwise(c(name))
        )
    return (
        result.lazy()
        .with_columns(
            status=pl.when(rejected).then(_lit("rejected")).otherwise(_lit("accepted")),
            **slots,
        )
        .with_columns(
            total=pl.sum_horizontal(
                *[c(f"item{k + 1}_cents").fill_null(0) for k in range(ITEM_SLOTS)]
            ),
        )
        .select(
            "idx",
            "id",
            "person",
            "status",
            "total",
            *[
                name
                for k in range(ITEM_SLOTS)
                for name in (f"item{k + 1}_rule", f"item{k + 1}_cents")
            ],
            *[f"reason{k + 1}" for k in range(REASON_SLOTS)],
        )
        .collect()
    )


_REJECTED = ["cls_rej", "onl_rej", "pj_rej", "ent_rej"]


def _narrow(part: pl.LazyFrame, family: int) -> pl.LazyFrame:
    """A family's result in the common narrow shape: rejection, item and reason slots."""
    items, reasons = _FAMILY_ITEMS[family], _FAMILY_REASONS[family]
    columns = [c("idx"), c(_REJECTED[family]).fill_null(False).alias("pre_rejected")]
    for k in range(ITEM_SLOTS):
        rule, cents_column = items[k] if k < len(items) else (None, None)
        columns.append((c(rule) if rule else pl.lit(None)).cast(CODE).alias(f"item{k + 1}_rule"))
        columns.append(
            (c(cents_column) if cents_column else pl.lit(None))
            .cast(pl.Int64)
            .alias(f"item{k + 1}_cents")
        )
    for k in range(REASON_SLOTS):
        name = reasons[k] if k < len(reasons) else None
        columns.append((c(name) if name else pl.lit(None)).cast(CODE).alias(f"reason{k + 1}"))
    return part.select(columns)


def _with_training_standard(part: pl.DataFrame, params: ParameterSet) -> pl.DataFrame:
    """GA23-TRN-1 rates joined by region, date, occupation and level."""
    if not part["trn_on"].any():  # no standard set anywhere (the default): nothing to look up
        return part.with_columns(trn=pl.lit(None, dtype=pl.Int64))
    keys = part.select("region", "date", "occupation", "level").unique()
    return part.join(
        training_standard_frame(params, keys),
        on=["region", "date", "occupation", "level"],
        how="left",
        nulls_equal=True,
        maintain_order="left",
    )


def row_lists(row: dict) -> tuple[str, list[tuple[str, int]], list[str]]:
    """A result row as (status, [(rule, fen)], [reason keys]) — for comparing and for reading."""
    items = [
        (CODES[row[f"item{k + 1}_rule"]], row[f"item{k + 1}_cents"])
        for k in range(ITEM_SLOTS)
        if row[f"item{k + 1}_rule"] is not None
    ]
    reasons = [
        CODES[row[f"reason{k + 1}"]]
        for k in range(REASON_SLOTS)
        if row[f"reason{k + 1}"] is not None
    ]
    return CODES[row["status"]], items, reasons


def _caps(result: pl.DataFrame, history: list[PriorTraining]) -> pl.DataFrame:
    """HB45-CAP-1. Persons whose records cannot conflict (no repeated occupation and level, no
    year over the cap, no history) need nothing. The others are settled year by year in
    vectorised form (:func:`_caps_by_year`); a person whose cap parameter differs within one
    year (a new version mid-year) goes through the sequential function the scalar path uses."""
    cand = result.filter(~c("pre_rejected")).select(
        "idx",
        "id",
        "person",
        "date",
        "occupation",
        "level",
        "cap",
        year=c("date").dt.year(),
    )
    has_key = c("occupation").is_not_null() & c("level").is_not_null()
    repeat = (
        cand.filter(has_key)
        .group_by("person", "occupation", "level")
        .len()
        .filter(c("len") > 1)
        .select("person")
    )
    over = (
        cand.group_by("person", "year")
        .agg(n=pl.len(), cap=c("cap").min())
        .filter(c("cap").is_not_null() & (c("n") > c("cap")))
        .select("person")
    )
    history_persons = pl.DataFrame(
        {"person": sorted({h.person_id for h in history})}, schema={"person": pl.String}
    )
    conflicted = pl.concat([repeat, over, history_persons]).unique()
    subset = cand.join(conflicted, on="person", how="semi")
    mixed = (
        subset.group_by("person", "year")
        .agg(kinds=c("cap").fill_null(-1).n_unique())
        .filter(c("kinds") > 1)
        .select("person")
        .unique()
    )
    sequential = subset.join(mixed, on="person", how="semi")
    refused = _caps_by_year(subset.join(mixed, on="person", how="anti"), history)
    candidates = [
        CapCandidate(person, on, idx, occupation, level, cap, record_id)
        for idx, record_id, person, on, occupation, level, cap, _year in sequential.iter_rows()
    ]
    persons = set(sequential["person"].to_list())
    decided = cap_decisions(candidates, [h for h in history if h.person_id in persons])
    slow = pl.DataFrame(
        {
            "idx": list(decided),
            "cap_reason": [code_id(f"{code}|HB45-CAP-1") for code, _ in decided.values()],
        },
        schema={"idx": pl.Int64, "cap_reason": CODE},
    )
    return pl.concat([refused, slow])


_NO_CAP = 1 << 40  # a year without the cap parameter in force


def _caps_by_year(records: pl.DataFrame, history: list[PriorTraining]) -> pl.DataFrame:
    """The caps for persons whose cap is the same all year, one calendar year at a time.

    In a year, taken in order: a record whose occupation and level were accepted in an earlier
    year (or history) is a repeat; of the others, only the first occurrence of each occupation
    and level can be accepted, and the first ``cap - already`` of those are; a later occurrence
    is a repeat if its first was accepted, else over the cap — exactly what the sequential rule
    does, since a year's count never falls."""
    repeat_id, year_id = code_id("cap.repeat|HB45-CAP-1"), code_id("cap.year|HB45-CAP-1")
    key = ["person", "occupation", "level"]
    prior = pl.DataFrame(
        {
            "person": [
                h.person_id for h in history if h.occupation is not None and h.level is not None
            ],
            "occupation": [
                h.occupation for h in history if h.occupation is not None and h.level is not None
            ],
            "level": [h.level for h in history if h.occupation is not None and h.level is not None],
        },
        schema={"person": pl.String, "occupation": pl.String, "level": pl.Int64},
    ).unique()
    already = (
        pl.DataFrame(
            {"person": [h.person_id for h in history], "year": [h.date.year for h in history]},
            schema={"person": pl.String, "year": pl.Int32},
        )
        .group_by("person", "year")
        .agg(already=pl.len().cast(pl.Int64))
    )
    refused = []
    records = records.sort("person", "date", "idx")
    for year in sorted(records["year"].unique().to_list()):
        part = (
            records.filter(c("year") == year)
            .join(prior.with_columns(seen=pl.lit(True)), on=key, how="left", maintain_order="left")
            .join(already, on=["person", "year"], how="left", maintain_order="left")
            .with_columns(
                keyed=c("occupation").is_not_null() & c("level").is_not_null(),
                seen=c("seen").fill_null(False),
                room=c("cap").fill_null(_NO_CAP) - c("already").fill_null(0),
            )
        )
        part = (
            part.with_columns(
                first=pl.when(c("keyed"))
                .then(pl.int_range(pl.len()).over(key) == 0)
                .otherwise(True),
            )
            .with_columns(
                eligible=~c("seen") & c("first"),
            )
            .with_columns(
                rank=pl.when(c("eligible")).then(c("eligible").cum_sum().over("person") - 1),
            )
            .with_columns(
                accepted=c("eligible") & (c("rank") < c("room")),
            )
        )
        firsts = part.filter(c("keyed") & c("first")).select(*key, first_accepted=c("accepted"))
        part = part.join(firsts, on=key, how="left", maintain_order="left").with_columns(
            cap_reason=pl.when(c("accepted"))
            .then(None)
            .when(c("seen"))
            .then(pl.lit(repeat_id, dtype=CODE))
            .when(c("eligible"))
            .then(pl.lit(year_id, dtype=CODE))
            .when(c("first_accepted"))
            .then(pl.lit(repeat_id, dtype=CODE))
            .otherwise(pl.lit(year_id, dtype=CODE)),
        )
        refused.append(part.filter(c("cap_reason").is_not_null()).select("idx", "cap_reason"))
        prior = pl.concat(
            [
                prior,
                part.filter(c("accepted") & c("keyed")).select(*key),
            ]
        )
    if not refused:
        return pl.DataFrame(schema={"idx": pl.Int64, "cap_reason": CODE})
    return pl.concat(refused)


def reason_key(code: str, rule: str, figures: dict) -> str:
    """The batch path's form of a scalar reason, for comparing the two."""
    key = f"{code}|{rule}"
    return f"{key}|{figures['field']}" if code == "pj.missing" else key
