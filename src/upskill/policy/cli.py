"""``upskill policy evaluate FILE|-``, ``upskill policy show`` and ``upskill bench policy``.

Exit codes: 0 done, 2 a malformed call (not JSON, no ``records`` list, bad arguments).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date

from .contract import PayloadError, evaluate_json
from .parameters import ParameterSet, default_parameters, parameters_in_force

ParamsFactory = Callable[[], ParameterSet]


def _read(source: str) -> bytes:
    if source == "-":
        return sys.stdin.buffer.read()
    with open(source, "rb") as handle:
        return handle.read()


def _evaluate(args: argparse.Namespace, params_factory: ParamsFactory) -> int:
    try:
        body = _read(args.file)
    except OSError as exc:
        print(f"upskill policy evaluate: cannot read {args.file}: {exc.strerror}", file=sys.stderr)
        return 2
    try:
        out = evaluate_json(body, params=params_factory(), lang=args.lang)
    except PayloadError as exc:
        print(f"upskill policy evaluate: {exc}", file=sys.stderr)
        return 2
    sys.stdout.buffer.write(out + b"\n")
    sys.stdout.flush()
    return 0


def _show(args: argparse.Namespace, params_factory: ParamsFactory) -> int:
    rows = parameters_in_force(params_factory(), args.region, args.date, lang=args.lang)
    width = max(len(row["name"]) for row in rows)
    header = (
        f"参数在 {args.region} 于 {args.date} 的取值"
        if args.lang == "zh"
        else (f"Parameters in force for {args.region} on {args.date}")
    )
    print(header)
    for row in rows:
        period = (
            f"{row['valid_from'] or '…'} – {row['valid_until'] or '…'}" if row["region"] else ""
        )
        where = f"[{row['region']} {period}]" if row["region"] else ""
        print(
            f"{row['name']:<{width}}  {row['value_text']:<12} {row['rule']:<11} "
            f"{row['reference']['document']} {row['reference']['clause']} {where}".rstrip()
        )
        print(f"{'':<{width}}  {row['description']}")
    return 0


def _region(text: str) -> str:
    if len(text) != 6 or not text.isdigit():
        raise argparse.ArgumentTypeError("a region is a 6-digit division code, e.g. 421022")
    return text


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError("a date is YYYY-MM-DD") from None


def register(subparsers, params_factory: ParamsFactory = default_parameters) -> None:
    policy = subparsers.add_parser("policy", help="the policy calculator")
    commands = policy.add_subparsers(dest="policy_command", required=True)

    evaluate = commands.add_parser(
        "evaluate", help="evaluate training records (JSON as in the contract) from FILE or -"
    )
    evaluate.add_argument("file", help="a JSON file, or - for standard input")
    evaluate.add_argument("--lang", choices=["zh", "en"], default="zh")
    evaluate.set_defaults(func=lambda args: _evaluate(args, params_factory))

    show = commands.add_parser("show", help="every parameter in force for a region on a date")
    show.add_argument("--region", type=_region, required=True)
    show.add_argument("--date", type=_date, required=True)
    show.add_argument("--lang", choices=["zh", "en"], default="zh")
    show.set_defaults(func=lambda args: _show(args, params_factory))

    bench = subparsers.add_parser("bench", help="benchmarks (not tests)")
    benches = bench.add_subparsers(dest="bench_command", required=True)
    policy_bench = benches.add_parser("policy", help="the batch path over N records")
    policy_bench.add_argument("--n", type=int, default=1_000_000)
    policy_bench.add_argument(
        "--sample",
        type=int,
        default=20_000,
        help="records timed through the scalar path for the ratio",
    )
    policy_bench.add_argument("--seed", type=int, default=2023)

    def run_bench(args: argparse.Namespace) -> int:
        from .bench import main as bench_main

        return bench_main(n=args.n, sample=args.sample, seed=args.seed, params=params_factory())

    policy_bench.set_defaults(func=run_bench)


def main(argv: list[str] | None = None) -> int:
    """Without Django: ``python -m upskill.policy.cli policy evaluate -`` (shipped parameters)."""
    parser = argparse.ArgumentParser(prog="upskill")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
