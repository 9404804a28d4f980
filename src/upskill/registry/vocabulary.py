"""The roster vocabulary (security item 10): which column headings, category words and
household-registration words rosters use, and what each means. It is data
(:class:`~.models.VocabularyTerm`): the defaults below are seeded by a data migration, and a
bureau adds its county's own wording in the admin or through
:func:`upskill.registry.services.vocabulary_term_add`, without a deploy.

Real rural-revitalisation rosters head the category column 脱贫属性, 人员类别, 监测对象类型
or 户类型 and use the official terms: 脱贫户 / 脱贫人口 (poverty-alleviated), 监测户 / 监测对象
and its three subtypes 脱贫不稳定户, 边缘易致贫户, 突发严重困难户 (monitored household; GA23-OBJ-2).

Imports read the vocabulary once per file, from a cache the model's save and delete clear; never
once per row.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from .models import TermKind, VocabularyTerm

# Column key → the headings offices use (the first is the one a message names).
DEFAULT_HEADERS: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "学员姓名", "人员姓名", "名字", "Name"),
    "id_number": (
        "身份证号码",
        "身份证号",
        "公民身份号码",
        "身份证",
        "证件号码",
        "身份证件号码",
        "ID number",
    ),
    "phone": ("联系电话", "手机号码", "手机号", "电话", "电话号码", "联系方式", "Phone"),
    "township": ("乡镇", "所在乡镇", "乡镇街道", "镇(乡)", "乡(镇)", "Township"),
    "hukou": ("户籍性质", "户口性质", "户籍类型", "户口类型", "Household registration"),
    "category": (
        "人员类别",
        "人员类型",
        "类别",
        "身份类别",
        "人员身份",
        "脱贫属性",
        "监测对象类型",
        "户类型",
        "Category",
        "Categories",
    ),
    "sex": ("性别", "Sex"),
    "account_number": ("银行卡号", "银行账号", "银行卡账号", "账号", "卡号", "Bank account"),
    "bank_name": ("开户行", "开户银行", "银行名称", "Bank"),
    "account_kind": ("账户类型", "卡折类型", "Account kind"),
}

# Category word → Category.code (registry/categories.py).
DEFAULT_CATEGORY_WORDS: dict[str, str] = {
    "脱贫人员": "poverty_alleviated",
    "脱贫人口": "poverty_alleviated",
    "脱贫户": "poverty_alleviated",
    "建档立卡脱贫户": "poverty_alleviated",
    "建档立卡脱贫人口": "poverty_alleviated",
    "poverty_alleviated": "poverty_alleviated",
    "两后生": "two_after_graduate",
    "贫困家庭两后生": "two_after_graduate",
    "脱贫家庭两后生": "two_after_graduate",
    "two_after_graduate": "two_after_graduate",
    "监测户": "monitored_household",
    "监测对象": "monitored_household",
    "防止返贫监测对象": "monitored_household",
    "防返贫监测对象": "monitored_household",
    # the three kinds of monitored household the monitoring mechanism names
    "脱贫不稳定户": "monitored_household",
    "边缘易致贫户": "monitored_household",
    "突发严重困难户": "monitored_household",
    "monitored_household": "monitored_household",
}

# Household-registration word → Hukou value.
DEFAULT_HUKOU_WORDS: dict[str, str] = {
    "农业": "agricultural",
    "农业户口": "agricultural",
    "农村": "agricultural",
    "农村户口": "agricultural",
    "农村户籍": "agricultural",
    "agricultural": "agricultural",
    "rural": "agricultural",
    "非农业": "non_agricultural",
    "非农业户口": "non_agricultural",
    "城镇": "non_agricultural",
    "城镇户口": "non_agricultural",
    "城镇户籍": "non_agricultural",
    "non_agricultural": "non_agricultural",
}

DEFAULT_SOURCE = "upskill"
CACHE_KEY = "registry:vocabulary:v1"
CACHE_SECONDS = 3600


def default_terms() -> list[tuple[str, str, str]]:
    """(kind, target, wording) of every default wording."""
    terms = [("header", key, w) for key, words in DEFAULT_HEADERS.items() for w in words]
    terms += [("category", code, w) for w, code in DEFAULT_CATEGORY_WORDS.items()]
    terms += [("hukou", code, w) for w, code in DEFAULT_HUKOU_WORDS.items()]
    return terms


def seed_terms(VocabularyTerm) -> None:
    """Create the default wordings missing (the data migration; idempotent). One read and one
    insert: it also runs after every flush of a transactional test."""
    have = set(VocabularyTerm.objects.filter(region="").values_list("kind", "wording"))
    missing: dict[tuple[str, str], VocabularyTerm] = {}
    for kind, target, wording in default_terms():
        if (kind, wording) not in have:  # the first wording of a pair wins, as before
            missing.setdefault(
                (kind, wording),
                VocabularyTerm(
                    kind=kind, wording=wording, region="", target=target, source=DEFAULT_SOURCE
                ),
            )
    if missing:
        VocabularyTerm.objects.bulk_create(missing.values())
        cache.delete(CACHE_KEY)  # bulk_create sends no post_save to clear it


def words(value: str) -> str:
    """A cell's words compared without spaces, quotes or case, full-width made half-width."""
    text = unicodedata.normalize("NFKC", str(value or ""))
    return "".join(ch for ch in text if ch not in " “”\"'‘’「」").casefold()


def _terms() -> list[tuple[str, str, str, str]]:
    """Every active term as (kind, target, wording, region), from the cache."""
    terms = cache.get(CACHE_KEY)
    if terms is None:
        terms = list(
            VocabularyTerm.objects.filter(is_active=True)
            .order_by("region", "pk")
            .values_list("kind", "target", "wording", "region")
        )
        if not terms:
            # a database the data migration has not seeded (or a test's flush emptied): the
            # defaults, rather than refusing every roster
            terms = [(kind, target, wording, "") for kind, target, wording in default_terms()]
        cache.set(CACHE_KEY, terms, CACHE_SECONDS)
    return terms


def clear_cache(**_kwargs) -> None:
    cache.delete(CACHE_KEY)
    # and once the change is committed: a read between the save and the commit cached it
    transaction.on_commit(lambda: cache.delete(CACHE_KEY))


post_save.connect(clear_cache, sender="registry.VocabularyTerm", dispatch_uid="vocabulary-save")
post_delete.connect(clear_cache, sender="registry.VocabularyTerm", dispatch_uid="vocabulary-delete")


@dataclass(frozen=True)
class Vocabulary:
    """The wordings that hold for one importer's region (every county's, and its own county's
    city's or province's added ones; a more local wording wins)."""

    headers_by_key: dict[str, tuple[str, ...]]
    categories: dict[str, str]
    hukou_words: dict[str, str]

    def headers(self, key: str) -> tuple[str, ...]:
        return self.headers_by_key.get(key) or DEFAULT_HEADERS.get(key, (key,))

    def category(self, word: str) -> str | None:
        """The category code a roster word names, or None."""
        return self.categories.get(words(word))

    def hukou(self, word: str) -> str | None:
        """The household registration a roster word names, or None."""
        return self.hukou_words.get(words(word))


def vocabulary(region_code: str | None = "") -> Vocabulary:
    """The vocabulary for an importer in ``region_code`` (a region code; "" or None: only the
    wordings every county uses). One cached read, however many rows follow."""
    code = region_code or ""
    headers: dict[str, list[str]] = {}
    categories: dict[str, str] = {}
    hukou: dict[str, str] = {}
    # general wordings first, so a county's own wording of the same word wins
    for kind, target, wording, region in sorted(_terms(), key=lambda t: len(t[3])):
        if region and not code.startswith(region):
            continue
        if kind == TermKind.HEADER:
            headers.setdefault(target, [])
            if wording not in headers[target]:
                headers[target].append(wording)
        elif kind == TermKind.CATEGORY:
            categories[words(wording)] = target
        elif kind == TermKind.HUKOU:
            hukou[words(wording)] = target
    # the column's first default heading stays first: messages name the column by it
    ordered = {}
    for key, wordings in headers.items():
        first = [w for w in DEFAULT_HEADERS.get(key, ())[:1] if w in wordings]
        ordered[key] = tuple(first + [w for w in wordings if w not in first])
    return Vocabulary(headers_by_key=ordered, categories=categories, hukou_words=hukou)
