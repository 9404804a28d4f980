"""``upskill bench import --n 10000``: a roster of N synthetic persons read, checked and
recorded into a fresh SQLite database, timed. A benchmark, not a test; the target is under
10 seconds for 10,000 rows (all or nothing, with the audit trail)."""

from __future__ import annotations

import argparse
import io
import os
import random
import secrets
import shutil
import tempfile
import time
from datetime import date, timedelta

# Set before Django reads its settings (see upskill/cli.py).
_FRESH = {"dir": None}


def use_fresh_database() -> str:
    """Point Django at an empty SQLite file in a temporary directory."""
    directory = tempfile.mkdtemp(prefix="upskill-bench-")
    _FRESH["dir"] = directory
    os.environ["DATABASE_URL"] = f"sqlite:///{directory}/bench.sqlite3"
    return directory


def fresh_world(org_key: str):
    """Migrate the fresh database and make the demo's organisations and a clerk of
    ``world[org_key]``: returns the organisations, the clerk and the names of Gong'an's
    townships."""
    from django.core.management import call_command
    from django.db import connection

    from upskill.core.scoping import SYSTEM
    from upskill.demo.seed import organisations
    from upskill.organisations.models import Region
    from upskill.organisations.services import role_for, user_create

    print(f"database: {connection.settings_dict['NAME']} (fresh SQLite)")
    call_command("migrate", verbosity=0, interactive=False)
    world = organisations()
    clerk = user_create(
        actor=SYSTEM,
        organisation=world[org_key],
        role=role_for(world[org_key].kind, "clerk"),
        username=f"bench_{org_key}",
        password=secrets.token_urlsafe(16),  # never logs in
        check_password=False,
    )
    townships = list(
        Region.objects.filter(level="township", parent__code="421022").values_list(
            "name", flat=True
        )
    )
    return world, clerk, townships


def timed_import(run, *, n: int, read_seconds: float):
    """Run ``run(progress)`` (an import of n rows: read + validate + commit), print the wall
    time of each step, rows/s, the CPU time and the load average, and return
    ``(result, wall seconds)``."""
    marks: dict[str, float] = {}

    def progress(done: int, total: int) -> None:
        if done == total and "validated" not in marks:
            marks["validated"] = time.perf_counter()

    load = os.getloadavg()
    started = time.perf_counter()
    cpu_started = time.process_time()
    result = run(progress)
    finished = time.perf_counter()
    cpu = time.process_time() - cpu_started
    total = finished - started
    validated = marks.get("validated", finished) - started
    print(f"read alone:                 {read_seconds:6.2f} s")
    print(f"read + validate:            {validated:6.2f} s")
    print(f"commit (bulk, with history): {finished - marks.get('validated', finished):5.2f} s")
    print(f"total read+validate+commit: {total:6.2f} s  →  {n / total:,.0f} rows/s")
    print(
        f"CPU time of this process:   {cpu:6.2f} s  (the wall time above also counts waiting "
        "for a CPU on a busy machine)"
    )
    print(f"load average before the run (1, 5, 15 min): {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print(f"recorded: {result}")
    return result, total


def finish(total: float, n: int) -> int:
    """Say whether the run kept to the target (10 s for 10,000 rows) and remove the database."""
    from django.db import connection

    target = 10.0 * n / 10_000
    print(("within" if total < target else "OVER") + f" the target of {target:.1f} s")
    connection.close()
    if _FRESH["dir"]:
        shutil.rmtree(_FRESH["dir"], ignore_errors=True)
    return 0


def add_command(bench_parser: argparse.ArgumentParser, name: str, help_text: str, main) -> None:
    """Add ``upskill bench <name> --n N --seed S`` beside ``upskill bench policy``."""
    benches = next(
        action for action in bench_parser._actions if isinstance(action, argparse._SubParsersAction)
    )
    command = benches.add_parser(name, help=help_text)
    command.add_argument("--n", type=int, default=10_000)
    command.add_argument("--seed", type=int, default=2023)
    command.set_defaults(func=lambda args: main(n=args.n, seed=args.seed))


def _roster(n: int, seed: int, townships: list[str]) -> bytes:
    from openpyxl import Workbook
    from stdnum import luhn
    from stdnum.cn import ric

    rng = random.Random(seed)
    surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
    given = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀英华"
    categories = ["脱贫人员", "脱贫人员", "脱贫人员", "监测户", "两后生"]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(["公安县2023年脱贫人员培训花名册"])
    sheet.append(
        [
            "序号",
            "姓名",
            "身份证号码",
            "性别",
            "联系电话",
            "乡镇",
            "户籍性质",
            "人员类别",
            "银行卡号",
            "开户行",
        ]
    )
    seen: set[str] = set()
    row = 0
    while row < n:
        born = date(1960, 1, 1) + timedelta(days=rng.randrange(365 * 45))
        body = f"421022{born:%Y%m%d}{rng.randrange(1000):03d}"
        number = body + ric.calc_check_digit(body + "0")
        if number in seen:
            continue
        seen.add(number)
        row += 1
        card = ""
        if row % 3 == 0:
            card_body = f"622848{rng.randrange(10**12):012d}"
            card = card_body + luhn.calc_check_digit(card_body)
        sheet.append(
            [
                row,
                rng.choice(surnames) + rng.choice(given) + rng.choice(("", rng.choice(given))),
                number,
                "男" if int(number[16]) % 2 else "女",
                f"13{rng.randrange(10**9):09d}",
                rng.choice(townships),
                "农业",
                rng.choice(categories),
                card,
                "中国农业银行公安支行" if card else "",
            ]
        )
    sheet.append(["合计", f"{n}人"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def main(*, n: int, seed: int) -> int:
    from upskill.core.imports import read_rows

    from .models import BankAccount, Person, PersonCategory
    from .services import roster_columns, roster_import_run

    _world, clerk, townships = fresh_world("rural")
    started = time.perf_counter()
    data = _roster(n, seed, townships)
    print(
        f"roster: {n} rows, {len(data) / 1e6:.1f} MB .xlsx, built in "
        f"{time.perf_counter() - started:.1f} s (not timed below)"
    )

    started = time.perf_counter()
    rows = read_rows(io.BytesIO(data), roster_columns(township_known=False))
    read_seconds = time.perf_counter() - started
    assert len(rows) == n

    counts, total = timed_import(
        lambda progress: roster_import_run(
            actor=clerk,
            upload=io.BytesIO(data),
            source="公安县2023年脱贫人口名册（基准）",
            valid_from=date(2023, 1, 1),
            progress=progress,
        ),
        n=n,
        read_seconds=read_seconds,
    )
    assert Person.objects.count() == counts["registered"] == n
    assert PersonCategory.objects.count() == n
    assert BankAccount.objects.count() == counts["accounts"]
    assert Person.history.count() == n
    return finish(total, n)


def register(bench_parser: argparse.ArgumentParser) -> None:
    """Add ``import`` beside ``upskill bench policy``."""
    add_command(
        bench_parser,
        "import",
        "a roster of N rows read, checked and recorded into a fresh SQLite file",
        main,
    )
