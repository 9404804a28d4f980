"""The caps (HB45-CAP-1): sequential per person, vectorised for every person whose records
cannot conflict."""

from __future__ import annotations

import polars as pl

from ..engine import CapCandidate, MonthsUsed, PriorTraining, cap_decisions, refusal_rule
from ._common import CODE, c, code_id


def caps_apply(result: pl.DataFrame, history: list[PriorTraining]) -> pl.DataFrame:
    """HB61-WFT-1 per person and HB45-CAP-1. Persons whose records cannot conflict (no repeated
    occupation and level, no year over the cap, no history) need nothing. The others are
    settled year by year in vectorised form (:func:`_caps_by_year`); a person whose cap
    parameter differs within one year (a new version mid-year), or whose work-for-training
    months may add up (two paying records, or history with months), goes through the
    sequential function the scalar path uses. Returns ``idx``, ``cap_reason`` (refusals) and
    ``wft_cents`` (a work-for-training item reduced to the months left)."""
    wft_id = code_id("HB61-WFT-1")
    cand = result.filter(~c("pre_rejected")).select(
        "idx",
        "id",
        "person",
        "date",
        "occupation",
        "level",
        "cap",
        year=c("date").dt.year(),
        wft_months=pl.when(c("item1_rule") == wft_id).then(c("months")),
        wft_max=c("wft_max"),
        wft_rate=c("wft_rate"),
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
    wft_history = pl.DataFrame(
        {"person": sorted({h.person_id for h in history if h.months})},
        schema={"person": pl.String},
    )
    wft = cand.filter(c("wft_months").is_not_null())
    wft_persons = pl.concat(
        [
            wft.group_by("person").len().filter(c("len") > 1).select("person"),
            wft.select("person").join(wft_history, on="person", how="semi"),
        ]
    )
    subset = cand.join(pl.concat([conflicted, wft_persons]).unique(), on="person", how="semi")
    mixed = pl.concat(
        [
            subset.group_by("person", "year")
            .agg(kinds=c("cap").fill_null(-1).n_unique())
            .filter(c("kinds") > 1)
            .select("person"),
            wft_persons,
        ]
    ).unique()
    sequential = subset.join(mixed, on="person", how="semi")
    refused = _caps_by_year(
        subset.join(mixed, on="person", how="anti").drop("wft_months", "wft_max", "wft_rate"),
        history,
    ).with_columns(wft_cents=pl.lit(None, dtype=pl.Int64))
    candidates = []
    rates = {}
    for row in sequential.iter_rows(named=True):
        rates[row["idx"]] = row["wft_rate"]
        candidates.append(
            CapCandidate(
                row["person"],
                row["date"],
                row["idx"],
                row["occupation"],
                row["level"],
                row["cap"],
                row["id"],
                row["wft_months"],
                row["wft_max"],
            )
        )
    persons = set(sequential["person"].to_list())
    used: dict[int, MonthsUsed] = {}
    decided = cap_decisions(candidates, [h for h in history if h.person_id in persons], used)
    slow = pl.DataFrame(
        {
            "idx": [*decided, *used],
            "cap_reason": [
                *(code_id(f"{code}|{refusal_rule(code)}") for code, _ in decided.values()),
                *(None for _ in used),
            ],
            "wft_cents": [
                *(None for _ in decided),
                *(months.paid * rates[idx] for idx, months in used.items()),
            ],
        },
        schema={"idx": pl.Int64, "cap_reason": CODE, "wft_cents": pl.Int64},
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
