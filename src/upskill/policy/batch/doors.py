"""The calculator's doors (``upskill policy evaluate``, ``POST /api/policy/evaluate``) on the
batch path, sentences included, byte for byte the scalar path's output.

1. **Reading.** The decoded records are read column by column: each field's values are
   gathered into one list, their Python types screened at once (a column of the expected types
   needs no per-value check), and the contract's checks (required fields, real dates, the ID
   number's check character and birth date, enumerations, negative numbers) run as Polars
   expressions. A record that fails any check, or has a value of an unexpected type, is read
   by the scalar reader (:func:`records.read_record`), which names its problems exactly.
2. **Rules.** :func:`evaluate_frame` settles every valid record. The persons whose records
   meet the caps (``HB45-CAP-1``) or share work-for-training months (``HB61-WFT-1``) are few;
   their records go through the scalar engine, whose sentences name the earlier records.
3. **Sentences.** Every item and reason of a row is a code whose sentence depends on a few
   columns only (:data:`DEPENDS`: the parameter versions in force, ``epoch``, and the record's
   figures that the sentence prints). Each distinct combination is rendered once by the scalar
   formula of one representative record, so the words are the scalar path's by construction;
   the sentences that print figures of every record (the attended hours, the pre-job dates) are
   templates over columns instead (:data:`ROW_FIELDS`).
4. **Writing.** Each result's JSON is concatenated by Polars from columns of JSON fragments
   (strings escaped by orjson, amounts written as the scalar path writes a Decimal of fen).

A call with a record the table cannot hold exactly (hours finer than a micro-hour, a valid but
oddly typed value such as ``3.0`` for an integer) is evaluated by the scalar path as a whole:
``None`` is returned and the caller falls back.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

import orjson
import polars as pl

from ..engine import REJECTED, Result, apply_caps, evaluate_record
from ..explain import _prepare, reference_text, render
from ..parameters import ParameterSet
from ..records import (
    CATEGORIES,
    COMPETITION_LEVELS,
    LEVELS,
    OPTIONAL_FIELDS,
    PROGRAMS,
    TITLES,
    read_record,
)
from ..rules import ITEM_KINDS
from ._common import CODES, MICRO, c, code_id
from .evaluate import evaluate_frame
from .families import ITEM_SLOTS, REASON_SLOTS
from .frames import SCHEMA

# -- 1. reading ---------------------------------------------------------------------------------

_REQUIRED = ("id", "person_id", "region", "date", "program")
_TYPES: dict[str, tuple[type, ...]] = {
    "boolean": (bool,),
    "string": (str,),
    "date": (str,),
    "integer": (int,),
    "number": (int, Decimal),
}
# record field → frame column
_COLUMN = {
    "passed": "passed",
    "occupation": "occupation",
    "level": "level",
    "total_hours": "total",
    "practical_hours": "practical",
    "attended_hours": "attended",
    "insured_months": "insured",
    "online": "online",
    "contract_signed": "contract_signed",
    "contract_years": "contract_years",
    "training_started": "training_started",
    "consecutive_insured_months": "cons_insured",
    "still_employed": "still_employed",
    "months": "months",
    "competition_level": "competition_level",
    "finalist": "finalist",
    "title": "title",
    "requested_amount": "requested",
}
_FALSE_BY_DEFAULT = {"passed", "online", "finalist"}
_CATEGORY_SET = frozenset(CATEGORIES)
_BIG = 1 << 62
_ISO = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


class _Scalar(Exception):
    """The call holds a valid record the table cannot carry exactly: the scalar path runs."""


def _screen(values: Sequence, allowed: tuple[type, ...], odd: set[int]) -> bool:
    """Marks the values of unexpected types; True where the column is clean."""
    kinds = set(map(type, values))
    kinds.discard(type(None))
    if kinds - set(allowed):
        odd.update(i for i, v in enumerate(values) if v is not None and type(v) not in allowed)
        return False
    return True


def _scaled(values: Sequence, scale: int, half_up: bool = False) -> list:
    """Numbers (int or Decimal) as integers of 1/scale; a value that is not a whole number of
    them (hours finer than a micro-hour) needs the scalar path, unless ``half_up`` (money is
    rounded to the fen as :func:`records.cents` does)."""
    from ..records import cents

    out: list = []
    append = out.append
    for v in values:
        if v is None:
            append(None)
        elif type(v) is int:
            append(v * scale)
        else:  # Decimal: an exact fraction
            numerator, denominator = v.as_integer_ratio()
            times, rest = divmod(scale, denominator)
            if rest:
                if not half_up:
                    raise _Scalar
                append(cents(v))
            else:
                append(numerator * times)
    return out


def read_table(raws: Sequence[Any]) -> tuple[pl.DataFrame, list[int]]:
    """The decoded records as the batch table (rows that pass every check) and the indexes of
    the records the scalar reader must look at."""
    n = len(raws)
    odd: set[int] = set()
    dicts = raws
    if not all(type(r) is dict for r in raws):
        odd.update(i for i, r in enumerate(raws) if type(r) is not dict)
        dicts = [r if type(r) is dict else {} for r in raws]
    fields = (*_REQUIRED, "categories", *OPTIONAL_FIELDS)
    # one pass over the records, then a transpose: both at C speed
    get = dict(zip(fields, zip(*(map(r.get, fields) for r in dicts), strict=True), strict=True))
    for name in _REQUIRED:
        if not _screen(get[name], (str,), odd) or None in get[name]:
            get[name] = [v if type(v) is str else None for v in get[name]]
    cats = get["categories"]
    _screen(cats, (list,), odd)
    flags: dict[str, list[bool]] = {}
    try:
        seen = set().union(*(x for x in cats if type(x) is list))
        clean = seen <= _CATEGORY_SET
    except TypeError:  # an unhashable element
        clean = False
    if not clean:
        for i, x in enumerate(cats):
            if type(x) is list and not all(type(e) is str and e in _CATEGORY_SET for e in x):
                odd.add(i)
    for flag in ("poverty_alleviated", "employment_difficulty", "rural"):
        flags[flag] = [type(x) is list and flag in x for x in cats]
    columns: dict[str, Any] = {
        "idx": pl.Series(range(n), dtype=pl.Int64),
        "id": get["id"],
        "person_raw": get["person_id"],
        "region": get["region"],
        "date_raw": get["date"],
        "program": get["program"],
        "pa": flags["poverty_alleviated"],
        "ed": flags["employment_difficulty"],
        "rural": flags["rural"],
    }
    numbers_present = {}
    for field, kind in OPTIONAL_FIELDS.items():
        values = get[field]
        clean = _screen(values, _TYPES[kind], odd)
        name = _COLUMN[field]
        if kind == "number":
            values = _scaled(
                values if clean else [v if type(v) in (int, Decimal) else None for v in values],
                100 if field == "requested_amount" else MICRO,
                half_up=field == "requested_amount",
            )
        elif kind == "integer":
            if not clean or any(v is not None and not -_BIG < v < _BIG for v in values):
                odd.update(
                    i for i, v in enumerate(values) if type(v) is int and not -_BIG < v < _BIG
                )
                values = [v if type(v) is int and -_BIG < v < _BIG else None for v in values]
        elif kind in ("string", "date"):
            if not clean:
                values = [v if type(v) is str else None for v in values]
        else:
            default = False if field in _FALSE_BY_DEFAULT else None
            if not clean or (default is not None and None in values):
                values = [v if type(v) is bool else default for v in values]
        if kind == "date":
            name += "_raw"
        columns[name] = values
        numbers_present[name] = kind
    schema = {
        name: (
            SCHEMA.get(name) or (pl.String if name.endswith("_raw") or name == "id" else pl.Int64)
        )
        for name in columns
    }
    schema["person_raw"] = pl.String
    for name, kind in numbers_present.items():
        if kind in ("number", "integer"):
            schema[name] = pl.Int64
    try:
        table = pl.DataFrame(columns, schema=schema)
    except Exception:  # a number beyond 64 bits, a lone surrogate: the scalar path reads it
        raise _Scalar from None

    person = c("person_raw").str.to_uppercase()
    checksum = pl.sum_horizontal(
        person.str.slice(i, 1).cast(pl.Int64, strict=False) * w for i, w in enumerate(_ID_WEIGHTS)
    )
    check_char = (checksum % 11).replace_strict(
        list(range(11)), list("10X98765432"), return_dtype=pl.String, default=None
    )
    born = person.str.slice(6, 8).str.strptime(pl.Date, "%Y%m%d", strict=False)

    def day(column: str) -> pl.Expr:
        raw = c(column)
        parsed = raw.str.strptime(pl.Date, "%Y-%m-%d", strict=False)
        # years before 1000 are written differently by Polars: the scalar reader takes them
        return pl.when(raw.str.contains(_ISO) & (parsed.dt.year() >= 1000)).then(parsed)

    table = table.with_columns(
        person=person,
        date=day("date_raw"),
        contract_signed=day("contract_signed_raw"),
        training_started=day("training_started_raw"),
    )
    ok = (
        pl.all_horizontal(c(name).is_not_null() for name in ("id", "person", "region", "program"))
        & c("date").is_not_null()
        & c("person").str.contains(r"^[0-9]{17}[0-9X]$")
        & (check_char == c("person").str.slice(17, 1))
        & born.is_not_null()
        & (born.dt.year() >= 1)
        & (born <= c("date"))
        & c("region").str.contains(r"^[0-9]{6}$")
        & c("program").is_in(list(PROGRAMS))
        & (c("contract_signed_raw").is_null() | c("contract_signed").is_not_null())
        & (c("training_started_raw").is_null() | c("training_started").is_not_null())
        & (c("level").is_null() | c("level").is_in(list(LEVELS)))
        & (c("competition_level").is_null() | c("competition_level").is_in(COMPETITION_LEVELS))
        & (c("title").is_null() | c("title").is_in(TITLES))
        & pl.all_horizontal(
            (c(name).is_null() | (c(name) >= 0))
            for name, kind in numbers_present.items()
            if kind in ("number", "integer")
        )
    )
    table = table.with_columns(ok=ok.fill_null(False))
    if odd:
        table = table.with_columns(ok=c("ok") & ~c("idx").is_in(sorted(odd)))
    rest = table.filter(~c("ok"))["idx"].to_list()
    frame = table.filter(c("ok")).select(pl.col(name).cast(dtype) for name, dtype in SCHEMA.items())
    return frame, rest


# -- 3. sentences -------------------------------------------------------------------------------

_E = ("epoch",)
# code (or an item's rule) → the columns its sentence depends on, besides the code itself.
DEPENDS: dict[str, tuple[str, ...]] = {
    "not_in_force": ("region", "date"),
    "trn.unset": ("region", "date"),
    "crt.not_passed": _E,
    "hrs.missing": _E,
    "hrs.short": (*_E, "practical", "total"),
    "trn.no_occupation": _E,
    "trn.no_standard": (*_E, "occupation", "level"),
    "liv.no_category": _E,
    "liv.no_days": (*_E, "attended"),
    "sub.not_passed": _E,
    "sub.insurance_missing": _E,
    "sub.insurance": (*_E, "insured"),
    "sub.level": (*_E, "level"),
    "online.not_online": _E,
    "online.hours": ("attended",),
    "pj.missing": _E,
    "pj.contract": (*_E, "contract_years"),
    "pj.window": (*_E, "contract_signed", "training_started"),
    "pj.hours": (*_E, "total"),
    "pj.insured": (*_E, "cons_insured"),
    "pj.not_employed": _E,
    "zero_request": _E,
    "ps.hours": (*_E, "total"),
    "ps.hours_missing": _E,
    "ps.not_passed": _E,
    "wft.months": (*_E, "months"),
    "cmp.no_level": _E,
    "cmp.not_finalist": _E,
    "tec.no_title": _E,
    # items, by rule
    "GA23-TRN-1": (*_E, "occupation", "level"),
    "GA23-FEE-1": _E,
    "WH20-SUB-1": (*_E, "level", "insured"),
    "WH20-SUB-2": (*_E, "level", "insured"),
    "WH20-SUB-3": _E,
    "HB61-PJ-2": (
        *_E,
        "contract_years",
        "contract_signed",
        "training_started",
        "total",
        "cons_insured",
        "requested",
    ),
    "HB61-PS-2": (*_E, "total", "requested"),
    "HB61-WFT-1": (*_E, "months"),
    "HB61-CMP-1": (*_E, "competition_level"),
    "HB61-CMP-2": (*_E, "competition_level"),
    "HB45-TEC-1": (*_E, "title"),
    "HB45-APP-1": _E,
}


def _epochs(params: ParameterSet, pairs: pl.DataFrame) -> pl.DataFrame:
    """One small integer per distinct set of parameter versions in force (region, date)."""
    keys: dict[tuple, int] = {}
    out = []
    for region, on in pairs.iter_rows():
        view = params.view(region, on)
        key = tuple(sorted((name, id(version)) for name, version in view.items()))
        out.append(keys.setdefault(key, len(keys)))
    return pairs.with_columns(epoch=pl.Series(out, dtype=pl.Int64))


def _json(text: str) -> str:
    return orjson.dumps(text).decode()


def _esc(text: str) -> str:
    """A piece of a JSON string: escaped as orjson escapes it, without the quotes."""
    return _json(text)[1:-1]


def _yuan(expr: pl.Expr, scale: int) -> pl.Expr:
    """explain.fmt of a Decimal integer/scale: 400, 333.3, 12.05 (no trailing zeros)."""
    digits = len(str(scale)) - 1
    whole = (expr // scale).cast(pl.String)
    frac = (expr % scale).cast(pl.String).str.zfill(digits).str.strip_chars_end("0")
    return pl.when(frac == "").then(whole).otherwise(pl.concat_str(whole, pl.lit("."), frac))


def _fill(template: str, fields: dict[str, pl.Expr], fixed: dict[str, str]) -> pl.Expr:
    parts: list[pl.Expr] = []
    for literal, name, _spec, _conv in string.Formatter().parse(template):
        if literal:
            parts.append(pl.lit(_esc(literal)))
        if name is not None:
            parts.append(fields[name] if name in fields else pl.lit(_esc(fixed[name])))
    return pl.concat_str(parts)


def _iso(column: str) -> pl.Expr:
    return c(column).dt.strftime("%Y-%m-%d")


def _request_text(lang: str) -> pl.Expr:
    requested = _yuan(c("requested"), 100)
    text = (
        pl.concat_str(pl.lit("申请 "), requested, pl.lit(" 元，"))
        if lang == "zh"
        else pl.concat_str(requested, pl.lit(" yuan applied for, "))
    )
    return pl.when(c("requested").is_not_null()).then(text).otherwise(pl.lit(""))


def _living_fields(figures: dict, lang: str) -> dict[str, pl.Expr]:
    attended = _yuan(c("attended").fill_null(0), MICRO)
    total = _yuan(c("total"), MICRO)
    longer = c("total").is_not_null() & (c("attended").fill_null(0) > c("total"))
    if lang == "zh":
        hours = (
            pl.when(longer)
            .then(pl.concat_str(attended, pl.lit(" 课时，按标准课时 "), total, pl.lit(" 计")))
            .otherwise(pl.concat_str(attended, pl.lit(" 课时")))
        )
    else:
        hours = (
            pl.when(longer)
            .then(
                pl.concat_str(
                    attended, pl.lit(" class hours attended, counted as the standard "), total
                )
            )
            .otherwise(pl.concat_str(attended, pl.lit(" class hours attended")))
        )
    return {
        "hours_text": hours,
        "days": (c("cents") // figures["rate_cents"]).cast(pl.String),
        "amount": _yuan(c("cents"), 100),
    }


def _pre_job_fields(figures: dict, lang: str) -> dict[str, pl.Expr]:
    return {
        "years": _yuan(c("contract_years"), MICRO),
        "signed": _iso("contract_signed"),
        "started": _iso("training_started"),
        "hours": _yuan(c("total"), MICRO),
        "insured": c("cons_insured").cast(pl.String),
        "request_text": _request_text(lang),
        "amount": _yuan(c("cents"), 100),
    }


def _window_fields(figures: dict, lang: str) -> dict[str, pl.Expr]:
    from ._common import _anniversary

    return {
        "signed": _iso("contract_signed"),
        "started": _iso("training_started"),
        "last": _anniversary(c("contract_signed"), pl.lit(int(figures["window"]))).dt.strftime(
            "%Y-%m-%d"
        ),
    }


def _attended_fields(figures: dict, lang: str) -> dict[str, pl.Expr]:
    return {"hours": _yuan(c("attended").fill_null(0), MICRO)}


def _where_fields(figures: dict, lang: str) -> dict[str, pl.Expr]:
    return {"region": c("region"), "date": _iso("date")}


# Sentences that print figures of every record (hours, dates): templates over columns. The
# other figures (the parameters' values, the reference) are one representative's, per rule and
# parameter versions in force.
ROW_FIELDS: dict[str, Callable[[dict, str], dict[str, pl.Expr]]] = {
    "liv.item": _living_fields,
    "liv.no_days": _attended_fields,
    "online.hours": _attended_fields,  # WH20-PRG-1: the hours learnt, every record's own
    "pj.item": _pre_job_fields,
    "pj.window": _window_fields,
    "not_in_force": _where_fields,
    "trn.unset": _where_fields,
}
_ITEM_CODES = {"GA23-LIV-1": "liv.item", "GA23-LIV-2": "liv.item", "HB61-PJ-2": "pj.item"}


def _templated(
    code: str, part: pl.DataFrame, lang: str, representative: Callable[[int], Any]
) -> pl.DataFrame:
    from ..explain import TEMPLATES

    out = []
    template = TEMPLATES[code][1 if lang == "en" else 0]
    for _epoch, group in part.group_by("epoch"):
        found = representative(group["idx"][0])
        fixed = _prepare(code, found.rule, found.figures, lang)
        text = _fill(template, ROW_FIELDS[code](found.figures, lang), fixed)
        if found.rule != "INPUT":
            ref = reference_text(found.rule, found.figures)
            tail = f"（{ref}）" if lang == "zh" else f" ({ref.replace('，', ', ')})"
        else:
            tail = ""
        message = pl.concat_str(pl.lit('"'), text, pl.lit(_esc(tail) + '"'))
        out.append(group.select("idx", "slot", message=message))
    return pl.concat(out)


# -- the door -----------------------------------------------------------------------------------


def _result_json(result: Result, lang: str, encode: Callable[[Any], bytes]) -> str:
    from ..contract import result_dict

    return encode(result_dict(result, lang)).decode()


def evaluate_raws(
    raws: Sequence[Any],
    params: ParameterSet,
    lang: str,
    encode: Callable[[Any], bytes],
) -> bytes | None:
    """``{"results": [...]}`` for the decoded records, or None where the scalar path must run
    (see the module's note)."""
    try:
        frame, rest = read_table(raws)
    except _Scalar:
        return None
    singles: dict[int, str] = {}  # index → the result's JSON, from the scalar path
    for index in rest:
        record, problems = read_record(raws[index], index)
        if record is not None:
            return None  # a valid record the table could not take (an oddly typed value)
        raw = raws[index]
        raw_id = raw.get("id") if isinstance(raw, dict) else None
        singles[index] = _result_json(Result(raw_id, "invalid", [], problems), lang, encode)
    if not len(frame):
        return _assemble_only(len(raws), singles)

    out = evaluate_frame(frame, params)
    # The persons the caps or the shared work-for-training months touched: the scalar engine.
    touched_persons = out.filter(c("touched"))["person"].unique()
    touched = frame.filter(c("person").is_in(touched_persons.implode()))["idx"].to_list()
    if touched:
        records = [read_record(raws[i], i)[0] for i in touched]
        candidates = []
        results: dict[int, Result] = {}
        for record in records:
            outcome = evaluate_record(record, params)
            result = Result(record.id, "accepted", outcome.items, outcome.reasons)
            results[record.index] = result
            if outcome.rejected:
                result.status, result.items = REJECTED, []
            else:
                candidates.append((record, outcome))
        apply_caps(candidates, params)
        for record, outcome in candidates:
            result = results[record.index]
            result.items, result.reasons = outcome.items, outcome.reasons
            if outcome.rejected:
                result.status = REJECTED
        for index, result in results.items():
            singles[index] = _result_json(result, lang, encode)

    rows = out.filter(~c("idx").is_in(touched))
    pairs = frame.select("region", "date").unique()
    frame_plus = frame.join(_epochs(params, pairs), on=["region", "date"], how="left")
    messages = _messages(rows, frame_plus, raws, params, lang)
    capped = _cap_messages(rows, frame_plus, params, lang)
    if capped is not None:
        messages = pl.concat([messages, capped])
    return _assemble(len(raws), rows, messages, singles)


def _messages(
    rows: pl.DataFrame,
    frame: pl.DataFrame,
    raws: Sequence[Any],
    params: ParameterSet,
    lang: str,
) -> pl.DataFrame:
    """(idx, slot, message as a JSON string) for every item and reason of the rows."""
    long = []
    for k in range(ITEM_SLOTS):
        long.append(
            rows.select(
                "idx",
                slot=pl.lit(f"i{k}"),
                code=c(f"item{k + 1}_rule"),
                cents=c(f"item{k + 1}_cents"),
            )
        )
    for k in range(REASON_SLOTS):
        long.append(
            rows.select(
                "idx",
                slot=pl.lit(f"r{k}"),
                code=c(f"reason{k + 1}"),
                cents=pl.lit(None, dtype=pl.Int64),
            )
        )
    slots = pl.concat(long).filter(c("code").is_not_null())
    text_of = dict(enumerate(CODES))
    slots = slots.join(frame, on="idx", how="left")
    cache: dict[int, Any] = {}

    def outcome_of(index: int):
        if index not in cache:
            record, _ = read_record(raws[index], index)
            cache[index] = evaluate_record(record, params)
        return cache[index]

    def representative(index: int, rule: str, code: tuple | None):
        outcome = outcome_of(index)
        if code is None:
            return next(item for item in outcome.items if item.rule == rule)
        name, rule, field = code
        return next(
            reason
            for reason in outcome.reasons
            if reason.code == name and reason.rule == rule and reason.figures.get("field") == field
        )

    parts = []
    for number in slots["code"].unique().to_list():
        text = text_of[number]
        if text.startswith("cap."):
            continue  # _cap_messages
        part = slots.filter(c("code") == number)
        is_item = "|" not in text
        pieces = text.split("|")
        name = _ITEM_CODES.get(text, text) if is_item else pieces[0]
        if name in ROW_FIELDS:
            field = pieces[2] if len(pieces) > 2 else None
            parts.append(
                _templated(
                    name,
                    part,
                    lang,
                    lambda index, text=text, pieces=pieces, field=field: (
                        representative(index, text, None)
                        if "|" not in text
                        else representative(index, pieces[1], (pieces[0], pieces[1], field))
                    ),
                )
            )
            continue
        depends = DEPENDS.get(name) or tuple(n for n in SCHEMA if n not in ("idx", "id", "person"))
        groups = part.group_by(depends, maintain_order=True).agg(first=c("idx").first())
        rendered = []
        for index in groups["first"].to_list():
            if is_item:
                found = representative(index, text, None)
            else:
                field = pieces[2] if len(pieces) > 2 else None
                found = representative(index, pieces[1], (pieces[0], pieces[1], field))
            rendered.append(_json(render(found.code, found.rule, found.figures, lang)))
        groups = groups.with_columns(message=pl.Series(rendered, dtype=pl.String))
        parts.append(
            part.join(groups.drop("first"), on=list(depends), how="left", nulls_equal=True).select(
                "idx", "slot", "message"
            )
        )
    return (
        pl.concat(parts)
        if parts
        else pl.DataFrame(schema={"idx": pl.Int64, "slot": pl.String, "message": pl.String})
    )


def _cap_messages(
    rows: pl.DataFrame, frame: pl.DataFrame, params: ParameterSet, lang: str
) -> pl.DataFrame | None:
    """HB45-CAP-1's refusals, with the figures the sequential rule would give: the accepted
    records of the person's year before this one, or the earlier accepted record of the same
    occupation and level (records in order of date, then input order)."""
    repeat, year = code_id("cap.repeat|HB45-CAP-1"), code_id("cap.year|HB45-CAP-1")
    refused = rows.filter(c("reason1").is_in([repeat, year]))
    if not len(refused):
        return None
    table = (
        rows.select("idx", "status", "reason1")
        .join(
            frame.select("idx", "id", "person", "region", "date", "occupation", "level"),
            on="idx",
        )
        .sort("person", "date", "idx")
        .with_columns(
            year=c("date").dt.year(),
            accepted=(c("status") == code_id("accepted")).cast(pl.Int64),
        )
        .with_columns(count=c("accepted").cum_sum().over("person", "year"))
    )
    key = ["person", "occupation", "level"]
    earlier = (
        table.filter(
            (c("accepted") == 1) & c("occupation").is_not_null() & c("level").is_not_null()
        )
        .group_by(key, maintain_order=True)
        .agg(earlier_date=c("date").first(), earlier_id=c("id").first())
    )
    table = table.filter(c("reason1").is_in([repeat, year])).join(
        earlier, on=key, how="left", maintain_order="left"
    )
    messages = []
    for row in table.iter_rows(named=True):
        version = params.lookup("caps.trainings_per_year", row["region"], row["date"])
        if row["reason1"] == repeat:
            code = "cap.repeat"
            figures = {
                "occupation": row["occupation"],
                "level": row["level"],
                "earlier_date": row["earlier_date"],
                "earlier_id": row["earlier_id"],
            }
        else:
            code = "cap.year"
            figures = {"year": row["year"], "count": row["count"], "max": version.value}
        if version is not None:
            figures["ref"] = version.reference
        messages.append(_json(render(code, "HB45-CAP-1", figures, lang)))
    return table.select("idx", slot=pl.lit("r0"), message=pl.Series(messages, dtype=pl.String))


# -- 4. writing ---------------------------------------------------------------------------------


def _amount(expr: pl.Expr) -> pl.Expr:
    """An amount of fen as the scalar path writes ``Decimal(fen).scaleb(-2)``: 400.00, 0.05."""
    return pl.concat_str(
        (expr // 100).cast(pl.String), pl.lit("."), (expr % 100).cast(pl.String).str.zfill(2)
    )


def _code_text(prefixes: dict[int, str], column: str) -> pl.Expr:
    keys = list(prefixes)
    return c(column).replace_strict(
        keys, [prefixes[k] for k in keys], default=None, return_dtype=pl.String
    )


def _assemble(n: int, rows: pl.DataFrame, messages: pl.DataFrame, singles: dict[int, str]) -> bytes:
    used = set()
    for k in range(ITEM_SLOTS):
        used.update(rows[f"item{k + 1}_rule"].drop_nulls().unique().to_list())
    for k in range(REASON_SLOTS):
        used.update(rows[f"reason{k + 1}"].drop_nulls().unique().to_list())
    item_prefix, reason_prefix = {}, {}
    for code in used:
        text = CODES[code]
        if "|" not in text:
            kind, payee = ITEM_KINDS[text]
            item_prefix[code] = (
                '{"rule":'
                + _json(text)
                + ',"kind":'
                + _json(kind)
                + ',"payee":'
                + _json(payee)
                + ',"amount":'
            )
        else:
            reason_prefix[code] = '{"rule":' + _json(text.split("|")[1]) + ',"message":'
    table = rows.select(
        "idx",
        "id",
        "status",
        "total",
        *[f"item{k + 1}_{p}" for k in range(ITEM_SLOTS) for p in ("rule", "cents")],
        *[f"reason{k + 1}" for k in range(REASON_SLOTS)],
    )
    # ids that need escaping (quotes, backslashes, control characters) are escaped by orjson
    plain = ~c("id").str.contains(r'["\\\x00-\x1f]')
    odd_ids = table.filter(~plain)
    table = table.with_columns(
        id_json=pl.when(plain).then(pl.concat_str(pl.lit('"'), c("id"), pl.lit('"')))
    )
    if len(odd_ids):
        escaped = odd_ids.select(
            "idx", escaped=pl.Series([_json(x) for x in odd_ids["id"].to_list()], dtype=pl.String)
        )
        table = table.join(escaped, on="idx", how="left", maintain_order="left").with_columns(
            id_json=pl.coalesce("id_json", "escaped")
        )
    wide = messages.pivot("slot", index="idx", values="message")
    table = table.join(wide, on="idx", how="left")
    for k in range(ITEM_SLOTS + REASON_SLOTS):
        name = f"i{k}" if k < ITEM_SLOTS else f"r{k - ITEM_SLOTS}"
        if name not in table.columns:
            table = table.with_columns(pl.lit(None, dtype=pl.String).alias(name))
    items = [
        pl.concat_str(
            _code_text(item_prefix, f"item{k + 1}_rule"),
            _amount(c(f"item{k + 1}_cents")),
            pl.lit(',"message":'),
            c(f"i{k}"),
            pl.lit("}"),
        )
        for k in range(ITEM_SLOTS)
    ]
    reasons = [
        pl.concat_str(_code_text(reason_prefix, f"reason{k + 1}"), c(f"r{k}"), pl.lit("}"))
        for k in range(REASON_SLOTS)
    ]
    status = _code_text({code: CODES[code] for code in set(rows["status"].unique())}, "status")
    json = table.select(
        "idx",
        json=pl.concat_str(
            pl.lit('{"id":'),
            c("id_json"),
            pl.lit(',"status":"'),
            status,
            pl.lit('","items":['),
            pl.concat_str(items, separator=",", ignore_nulls=True),
            pl.lit('],"total":'),
            _amount(c("total")),
            pl.lit(',"reasons":['),
            pl.concat_str(reasons, separator=",", ignore_nulls=True),
            pl.lit("]}"),
        ),
    )
    if singles:
        json = pl.concat(
            [
                json,
                pl.DataFrame(
                    {"idx": list(singles), "json": list(singles.values())},
                    schema={"idx": pl.Int64, "json": pl.String},
                ),
            ]
        ).sort("idx")
    if len(json) != n:
        raise AssertionError("every record has one result")
    # joined and turned into bytes by Polars: no Python string of the whole answer
    joined = json.select(
        pl.concat_str(pl.lit('{"results":['), c("json").str.join(","), pl.lit("]}")).cast(pl.Binary)
    )
    return joined.item()


def _assemble_only(n: int, singles: dict[int, str]) -> bytes:
    return b'{"results":[' + ",".join(singles[i] for i in range(n)).encode() + b"]}"
