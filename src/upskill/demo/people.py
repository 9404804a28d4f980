"""Synthetic but realistic persons: valid GB 11643 ID numbers and Luhn-valid card numbers."""

from __future__ import annotations

import random
from datetime import date, timedelta

from stdnum import luhn
from stdnum.cn import ric

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋"
    "唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁任沈姚卢"
)
GIVEN = """
伟 芳 娜 敏 静 丽 强 磊 军 洋 勇 艳 杰 娟 涛 明 超 秀英 霞 平 刚 桂英 华 玉兰 建华 国强 红梅 春花
志勇 海燕 德明 金凤 光荣 长江 翠兰 小红 文斌 家豪 子涵 雨轩 浩然 思远 建国 凤英 桂芳 永红 双喜
冬梅 秋菊 中华
""".split()
# Card BINs of banks that serve Gong'an (农行, 建行, 邮储, 农商行).
BANKS = [
    ("中国农业银行公安支行", "622848", "103537100015"),
    ("中国建设银行公安支行", "621700", "105537100027"),
    ("中国邮政储蓄银行公安县支行", "621799", "403537100019"),
    ("湖北公安农村商业银行", "621059", "402537100013"),
]


def id_number(rng: random.Random, address: str, born: date) -> str:
    sequence = rng.randint(1, 999)
    body = f"{address}{born:%Y%m%d}{sequence:03d}"
    return body + ric.calc_check_digit(body + "0")  # the function ignores the last character


def birth_date(rng: random.Random, youngest: int = 18, oldest: int = 68) -> date:
    today = date(2023, 6, 30)
    days = rng.randint(youngest * 365, oldest * 365)
    return today - timedelta(days=days)


def name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def phone(rng: random.Random) -> str:
    return rng.choice(["133", "135", "138", "139", "150", "157", "177", "187", "199"]) + "".join(
        str(rng.randint(0, 9)) for _ in range(8)
    )


def card_number(rng: random.Random, bin_prefix: str) -> str:
    body = bin_prefix + "".join(str(rng.randint(0, 9)) for _ in range(18 - len(bin_prefix)))
    return body + luhn.calc_check_digit(body)
