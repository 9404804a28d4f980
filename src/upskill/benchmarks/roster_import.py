"""``upskill bench import --n 10000``: a roster of N synthetic persons read, checked and
recorded into a fresh SQLite database, timed. A benchmark, not a test; the target is under
10 seconds for 10,000 rows (all or nothing, with the audit trail)."""

from __future__ import annotations

import argparse
import io
import random
import time
from datetime import date, timedelta

from openpyxl import Workbook
from stdnum import luhn
from stdnum.cn import ric

from upskill.core.imports import read_rows
from upskill.registry.models import BankAccount, Person, PersonCategory
from upskill.registry.services import roster_columns, roster_import_run

from .common import add_command, finish, fresh_world, timed_import


def _roster(n: int, seed: int, townships: list[str]) -> bytes:
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
