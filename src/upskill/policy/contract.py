"""The calculator's public contract (docs/calculator.md): ``{"records": [...]}`` in,
``{"results": [...]}`` out, the same for the command line, HTTP and Python.

JSON is read with msgspec, floats decoded as ``Decimal`` from their text (orjson reads numbers
only as binary floats), and written with orjson, Decimal amounts as JSON numbers. Sentences are
rendered only here, at output. The JSON door runs on the batch path (:mod:`.batch.doors`), whose
output is the scalar path's byte for byte; ``batch=False`` asks for the scalar path.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

import msgspec
import orjson

from .engine import PriorTraining, Result, evaluate_records
from .explain import render
from .parameters import ParameterSet, default_parameters

_decoder = msgspec.json.Decoder(float_hook=Decimal)
_encoder = msgspec.json.Encoder(decimal_format="number")


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return orjson.Fragment(str(value))
    raise TypeError(type(value).__name__)


class PayloadError(ValueError):
    """The call as a whole is malformed (not JSON, or no ``records`` list): exit 2 / HTTP 400."""


def records_of(payload: Any) -> list:
    if not isinstance(payload, dict):
        raise PayloadError('the body must be a JSON object: {"records": [...]}')
    records = payload.get("records")
    if not isinstance(records, list):
        raise PayloadError('the body must have a list "records"')
    return records


def decode(body: bytes | str) -> list:
    try:
        payload = _decoder.decode(body)
    except msgspec.DecodeError as exc:
        raise PayloadError(f"the body is not valid JSON: {exc}") from None
    return records_of(payload)


def result_dict(result: Result, lang: str = "zh") -> dict:
    return {
        "id": result.id,
        "status": result.status,
        "items": [
            {
                "rule": item.rule,
                "kind": item.kind,
                "payee": item.payee,
                "amount": item.amount,
                "message": render(item.code, item.rule, item.figures, lang),
            }
            for item in result.items
        ],
        "total": Decimal(result.total_cents).scaleb(-2),
        "reasons": [
            {"rule": reason.rule, "message": render(reason.code, reason.rule, reason.figures, lang)}
            for reason in result.reasons
        ],
    }


def run(
    records: Sequence[Any],
    params: ParameterSet | None = None,
    history: Iterable[PriorTraining] = (),
) -> list[Result]:
    """Results in input order, with the codes and figures their sentences are made from (the
    scalar path: the Python door and the product's own callers, which pass a history). The JSON
    door computes on the batch path (:mod:`.batch.doors`) and writes the same bytes."""
    return evaluate_records(records, params or default_parameters(), history)


def evaluate(
    payload: dict,
    *,
    params: ParameterSet | None = None,
    lang: str = "zh",
    history: Iterable[PriorTraining] = (),
) -> dict:
    """The Python door: the contract's structures in and out (amounts as Decimal).
    ``history`` is the person's earlier subsidised trainings, for the caps (inside the product)."""
    results = run(records_of(payload), params, history)
    return {"results": [result_dict(result, lang) for result in results]}


def evaluate_json(
    body: bytes | str,
    *,
    params: ParameterSet | None = None,
    lang: str = "zh",
    batch: bool = True,
) -> bytes:
    """The JSON door (command line and HTTP): bytes in, bytes out. The batch path gives the
    scalar path's bytes; a call it cannot carry exactly runs on the scalar path."""
    params = params or default_parameters()
    if batch:
        from .batch.doors import evaluate_raws

        # The batch door makes no reference cycles: the collector, which would walk the
        # decoded records again and again while the columns are built, waits until the end.
        collecting = gc.isenabled()
        gc.disable()
        try:
            raws = decode(body)
            out = evaluate_raws(raws, params, lang, encode) if raws else None
        finally:
            if collecting:
                gc.enable()
        if out is not None:
            return out
    else:
        raws = decode(body)
    results = run(raws, params)
    return encode({"results": [result_dict(result, lang) for result in results]})


def encode(data: Any) -> bytes:
    """JSON with orjson; an integer beyond 64 bits (only ever in a caller's ``id``), which
    orjson refuses, is written by msgspec the same way."""
    try:
        return orjson.dumps(data, default=_default)
    except orjson.JSONEncodeError:
        return _encoder.encode(data)
