"""``upskill bench policy --n 1000000``: the batch path over an in-memory columnar table of
synthetic records, every rule, cap and reason code included; in the same run, the scalar path
on a sample, and the ratio. Then the calculator's JSON door (``upskill policy evaluate``,
``POST /api/policy/evaluate``) on 100,000 of those records, sentences included, against a
plain Python loop over the same JSON that computes the same rules and caps without writing
sentences (:func:`naive_loop`), and the door on the scalar path: all three in the same run,
the doors' outputs checked equal byte for byte. A benchmark, not a test: it prints figures for
the README.

The record mix imitates a province's year: Gong'an-style classroom training (employment and
poverty-alleviated, 2023, county 421022) and Wuhan enterprise programs (2020–2021, 420100),
about 1.8 records a person, with a few per cent of persons over the yearly cap or repeating an
occupation and level.
"""

from __future__ import annotations

import gc
import os
import resource
import threading
import time
from datetime import date
from decimal import Decimal

import polars as pl

from .batch import CODES, MICRO, SCHEMA, evaluate_frame
from .contract import decode, encode, evaluate_json
from .engine import apply_caps, evaluate_record
from .parameters import ParameterSet
from .records import Record, read_record

PROGRAM_MIX = {
    "employment": 0.25,
    "poverty": 0.40,
    "online_skill_level": 0.12,
    "post_skill": 0.08,
    "pre_job": 0.05,
    "work_for_training": 0.04,
    "competition": 0.02,
    "new_technician": 0.02,
    "new_apprentice": 0.02,
}
OCCUPATIONS = [
    "中式烹调师",
    "家政服务员",
    "养老护理员",
    "育婴员",
    "电工",
    "焊工",
    "美容师",
    "农作物植保员",
    "电子商务师",
    "保育师",
    "茶艺师",
    "汽车维修工",
]
CLASSROOM = {"employment", "poverty"}


def _uniform(n: int, seed: int) -> pl.Expr:
    """n pseudo-random numbers in [0, 1), from Polars' hash of a range (no numpy needed)."""
    return (pl.int_range(0, n, dtype=pl.UInt64).hash(seed) % 1_000_003).cast(pl.Float64) / 1_000_003


def _ints(low: int, high: int, n: int, seed: int) -> pl.Expr:
    return (pl.int_range(0, n, dtype=pl.UInt64).hash(seed) % (high - low)).cast(pl.Int64) + low


_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def _resident_id(number: pl.Expr) -> pl.Expr:
    """A valid GB 11643 number per person number: Gong'an's region code, a birth date between
    1960 and 2000, a sequence number and the check character (the JSON door refuses others)."""
    birth = (pl.lit(date(1960, 1, 1)) + pl.duration(days=number % 14_600)).dt.strftime("%Y%m%d")
    body = pl.concat_str(
        pl.lit("421022"), birth, (number // 14_600 % 1000).cast(pl.String).str.zfill(3)
    )
    total = pl.sum_horizontal(
        body.str.slice(i, 1).cast(pl.Int64) * weight for i, weight in enumerate(_ID_WEIGHTS)
    )
    check = (total % 11).replace_strict(
        list(range(11)), list("10X98765432"), return_dtype=pl.String
    )
    return pl.concat_str(body, check)


def _choice(values: list, n: int, seed: int, weights: list[float] | None = None) -> pl.Series:
    if weights:
        values = [v for v, w in zip(values, weights, strict=True) for _ in range(round(w * 100))]
    return pl.Series(values).sample(n, with_replacement=True, seed=seed)


def synthetic_frame(n: int, seed: int = 2023) -> pl.DataFrame:
    """n records as the batch table (hours in micro-hours, money in fen)."""
    persons = max(2, int(n / 1.8))
    epoch = date(1970, 1, 1).toordinal()
    program = _choice(list(PROGRAM_MIX), n, seed, list(PROGRAM_MIX.values()))
    base = pl.DataFrame({"program": program}).with_columns(
        idx=pl.int_range(0, n, dtype=pl.Int64),
        # About 1.8 records a person: most have 1–2; 4 % of records go to a small group who
        # train often (those meet the caps).
        person_no=pl.when(_uniform(n, seed + 1) < 0.04)
        .then(_ints(0, max(1, persons // 50), n, seed + 2))
        .otherwise(_ints(0, persons, n, seed + 3)),
        classroom=pl.col("program").is_in(list(CLASSROOM)),
        u=_uniform(n, seed + 4),
        total=_choice([40, 60, 80, 90, 120], n, seed + 5) * MICRO,
        share=_choice([0.5, 0.6, 0.65, 0.7], n, seed + 6),
    )
    frame = base.with_columns(
        id=pl.col("idx").cast(pl.String),
        person=_resident_id(pl.col("person_no")),
        region=pl.when(pl.col("classroom")).then(pl.lit("421022")).otherwise(pl.lit("420100")),
        day=pl.when(pl.col("classroom"))
        .then(date(2023, 1, 1).toordinal() - epoch + (pl.col("u") * 365).cast(pl.Int64))
        .otherwise(date(2020, 1, 1).toordinal() - epoch + (pl.col("u") * 730).cast(pl.Int64)),
        pa=(pl.col("program") == "poverty") | (_uniform(n, seed + 7) < 0.05),
        ed=_uniform(n, seed + 8) < 0.10,
        rural=_uniform(n, seed + 9) < 0.60,
        passed=_uniform(n, seed + 10) < 0.92,
        occupation=_choice(OCCUPATIONS, n, seed + 11),
        level=_choice([3, 4, 5], n, seed + 12),
        practical=(pl.col("total") * pl.col("share")).cast(pl.Int64),
        attended=(pl.col("total") * _uniform(n, seed + 13) * 1.1).cast(pl.Int64),
        insured=_ints(0, 40, n, seed + 14),
        online=_uniform(n, seed + 15) < 0.8,
        contract_years=_choice([500_000, MICRO, 2 * MICRO, 3 * MICRO], n, seed + 16),
        cons_insured=_ints(0, 12, n, seed + 17),
        still_employed=_uniform(n, seed + 18) < 0.95,
        months=_ints(0, 9, n, seed + 19),
        competition_level=_choice(
            ["enterprise", "county", "city", "province", "national"], n, seed + 20
        ),
        finalist=_uniform(n, seed + 21) < 0.7,
        title=_choice(["senior_technician", "technician", "senior_worker"], n, seed + 22),
        requested=_choice([None, 20_000, 50_000, 60_000], n, seed + 23),
    ).with_columns(
        date=pl.col("day").cast(pl.Int32).cast(pl.Date),
        contract_signed=(pl.col("day") - _ints(0, 500, n, seed + 24)).cast(pl.Int32).cast(pl.Date),
        training_started=(pl.col("day") - _ints(0, 60, n, seed + 25)).cast(pl.Int32).cast(pl.Date),
    )
    return frame.select(pl.col(name).cast(dtype) for name, dtype in SCHEMA.items())


def records_from_frame(frame: pl.DataFrame) -> list[Record]:
    """The same rows as the scalar path's records."""
    out = []
    for row in frame.iter_rows(named=True):
        categories = frozenset(
            name
            for name, flag in (
                ("poverty_alleviated", row["pa"]),
                ("employment_difficulty", row["ed"]),
                ("rural", row["rural"]),
            )
            if flag
        )
        out.append(
            Record(
                index=row["idx"],
                id=row["id"],
                person_id=row["person"],
                region=row["region"],
                date=row["date"],
                program=row["program"],
                categories=categories,
                passed=row["passed"],
                occupation=row["occupation"],
                level=row["level"],
                total_hours=Decimal(row["total"]) / MICRO,
                practical_hours=Decimal(row["practical"]) / MICRO,
                attended_hours=Decimal(row["attended"]) / MICRO,
                insured_months=row["insured"],
                online=row["online"],
                contract_signed=row["contract_signed"],
                contract_years=Decimal(row["contract_years"]) / MICRO,
                training_started=row["training_started"],
                consecutive_insured_months=row["cons_insured"],
                still_employed=row["still_employed"],
                months=row["months"],
                competition_level=row["competition_level"],
                finalist=row["finalist"],
                title=row["title"],
                requested_amount=None
                if row["requested"] is None
                else Decimal(row["requested"]) / 100,
            )
        )
    return out


def contract_records(records: list[Record]) -> list[dict]:
    """The same records as the JSON contract's RECORDs (for timing the JSON door)."""
    out = []
    for r in records:
        raw = {
            "id": r.id,
            "person_id": r.person_id,
            "region": r.region,
            "date": r.date.isoformat(),
            "program": r.program,
            "categories": sorted(r.categories),
            "passed": r.passed,
            "occupation": r.occupation,
            "level": r.level,
            "total_hours": r.total_hours,
            "practical_hours": r.practical_hours,
            "attended_hours": r.attended_hours,
            "insured_months": r.insured_months,
            "online": r.online,
            "contract_signed": r.contract_signed.isoformat(),
            "contract_years": r.contract_years,
            "training_started": r.training_started.isoformat(),
            "consecutive_insured_months": r.consecutive_insured_months,
            "still_employed": r.still_employed,
            "months": r.months,
            "competition_level": r.competition_level,
            "finalist": r.finalist,
            "title": r.title,
            "requested_amount": r.requested_amount,
        }
        out.append({k: v for k, v in raw.items() if v is not None})
    return out


def naive_loop(body: bytes, params: ParameterSet) -> bytes:
    """The baseline of the doors: a plain Python loop over the same JSON, reading and checking
    each record, computing the same rules and caps (the scalar formulas), and writing each
    result's status, items, total and reasons' rules, without the sentences."""
    raws = decode(body)
    results: list[dict] = []
    candidates = []
    for index, raw in enumerate(raws):
        record, problems = read_record(raw, index)
        if record is None:
            results.append(
                {"id": raw.get("id") if isinstance(raw, dict) else None, "status": "invalid"}
            )
            results[-1]["reasons"] = [p.rule for p in problems]
            continue
        outcome = evaluate_record(record, params)
        results.append({"id": record.id, "status": "accepted"})
        if outcome.rejected:
            results[-1].update(status="rejected", reasons=[r.rule for r in outcome.reasons])
        else:
            candidates.append((record, outcome))
    apply_caps(candidates, params)
    for record, outcome in candidates:
        result = results[record.index]
        if outcome.rejected:
            result["status"] = "rejected"
        items = [] if outcome.rejected else outcome.items
        result["items"] = [
            {"rule": i.rule, "kind": i.kind, "payee": i.payee, "amount": i.cents / 100}
            for i in items
        ]
        result["total"] = sum(i.cents for i in items) / 100
        result["reasons"] = [r.rule for r in outcome.reasons]
    return encode({"results": results})


def _scalar(records: list[Record], params: ParameterSet) -> None:
    candidates = []
    for record in records:
        outcome = evaluate_record(record, params)
        if not outcome.rejected:
            candidates.append((record, outcome))
    apply_caps(candidates, params)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class _RssSampler(threading.Thread):
    """The process's resident memory sampled while the batch path runs (Linux /proc)."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak = 0
        self.running = True
        self.page = os.sysconf("SC_PAGE_SIZE")

    def run(self) -> None:
        while self.running:
            try:
                with open("/proc/self/statm") as handle:
                    rss = int(handle.read().split()[1]) * self.page
            except OSError:
                return
            self.peak = max(self.peak, rss)
            time.sleep(0.002)


def main(*, n: int, sample: int, seed: int, params: ParameterSet) -> int:
    t0 = time.perf_counter()
    frame = synthetic_frame(n, seed)
    made = time.perf_counter() - t0
    persons = frame["person"].n_unique()
    mix = frame["program"].value_counts(normalize=True).sort("program")
    print(
        f"records {n:,}  persons {persons:,}  records/person {n / persons:.2f}  "
        f"(table built in {made:.1f} s, not timed)"
    )
    print(
        "program mix: " + ", ".join(f"{program} {share:.0%}" for program, share in mix.iter_rows())
    )

    evaluate_frame(frame.head(1000), params)  # warm up Polars' thread pool
    timings = []
    result = None
    sampler = _RssSampler()
    sampler.start()
    for _ in range(3):
        start = time.perf_counter()
        result = evaluate_frame(frame, params)
        timings.append(time.perf_counter() - start)
    sampler.running = False
    sampler.join()
    batch_s = min(timings)
    peak = _peak_mb()

    status = result["status"].map_elements(CODES.__getitem__, return_dtype=pl.String)
    accepted = (status == "accepted").sum()
    capped = (
        result.filter(pl.col("reason1").is_not_null())
        .with_columns(
            reason=pl.col("reason1").map_elements(CODES.__getitem__, return_dtype=pl.String)
        )
        .filter(pl.col("reason").str.ends_with("|HB45-CAP-1"))
    )
    capped_persons = capped["person"].n_unique()
    total_yuan = Decimal(int(result["total"].sum())) / 100

    records = records_from_frame(frame.head(sample))
    start = time.perf_counter()
    _scalar(records, params)
    scalar_s = time.perf_counter() - start
    per_record = scalar_s / len(records)
    ratio = per_record * n / batch_s

    print(
        f"batch path: {batch_s:.3f} s for {n:,} records (best of 3: "
        f"{', '.join(f'{t:.3f}' for t in timings)}), {n / batch_s:,.0f} records/s"
    )
    print(
        f"  accepted {accepted:,}, refused by HB45-CAP-1 {len(capped):,} records of "
        f"{capped_persons:,} persons ({capped_persons / persons:.1%} of persons), "
        f"total {total_yuan:,} yuan"
    )
    print(
        f"scalar path: {per_record * 1e6:.1f} µs a record on a sample of {len(records):,} "
        f"→ {per_record * n:.1f} s for {n:,}"
    )
    print(f"ratio scalar/batch: {ratio:.0f}x")
    print(
        f"peak memory while the batch path ran: {sampler.peak / 2**20:,.0f} MB resident "
        f"(input table included); process peak so far {peak:,.0f} MB"
    )
    json_n = min(n, 100_000)
    body = encode({"records": contract_records(records_from_frame(frame.head(json_n)))})
    timed = {}
    answers = {}

    def paused(run):  # the same loop with Python's collector paused, as the batch door runs
        gc.disable()
        try:
            return run()
        finally:
            gc.enable()

    for name, door in (
        ("naive", lambda: naive_loop(body, params)),
        ("naive_nogc", lambda: paused(lambda: naive_loop(body, params))),
        ("scalar", lambda: evaluate_json(body, params=params, batch=False)),
        ("batch", lambda: evaluate_json(body, params=params)),
        ("batch_en", lambda: evaluate_json(body, params=params, lang="en")),
    ):
        start = time.perf_counter()
        answers[name] = door()
        timed[name] = time.perf_counter() - start
    same = answers["scalar"] == answers["batch"]
    print(
        f"JSON door on {json_n:,} records ({len(body) / 2**20:.0f} MB in, "
        f"{len(answers['batch']) / 2**20:.0f} MB out, every sentence rendered):"
    )
    print(
        f"  naive loop (rules and caps, no sentences): {timed['naive']:.2f} s "
        f"({timed['naive_nogc']:.2f} s with the collector paused)"
    )
    print(f"  door on the scalar path: {timed['scalar']:.2f} s")
    print(
        f"  door on the batch path: {timed['batch']:.2f} s (English {timed['batch_en']:.2f} s), "
        f"same bytes as the scalar path: {'yes' if same else 'NO'}"
    )
    print(
        f"ratio door/naive loop: {timed['batch'] / timed['naive']:.2f}x "
        f"(English {timed['batch_en'] / timed['naive']:.2f}x; the door on the scalar path "
        f"{timed['scalar'] / timed['naive']:.2f}x); against the loop with the collector paused "
        f"{timed['batch'] / timed['naive_nogc']:.2f}x"
    )
    return 0 if same else 1
