"""The poverty-alleviated roster import (GA23-OBJ-2): all or nothing, as a background job."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from upskill.core import crypto
from upskill.core.history import bulk_create_audited
from upskill.core.imports import (
    CUT_NUMBER_MESSAGE,
    Column,
    ImportRejected,
    RowProblem,
    RowProblems,
    is_cut,
    read_rows,
    run_import,
)
from upskill.core.jobs import import_job_start
from upskill.core.masking import mask_account
from upskill.core.scoping import Actor, require_perm
from upskill.organisations.models import OrganisationKind, Region

from .. import tasks
from ..identity import IdentityError, ResidentId, check_bank_account, parse_resident_id
from ..lookup import id_number_hash, persons_by_id_number_hash
from ..models import AccountKind, BankAccount, Category, Hukou, PersonCategory
from ..rosters import (
    check_person_name,
    check_phone,
    person_columns,
    person_name,
    roster_words,
    township_index,
)
from ..vocabulary import Vocabulary, vocabulary
from ._common import ACCOUNT_PURPOSE
from .persons import NewPerson, persons_register_bulk

# -- the poverty-alleviated roster (GA23-OBJ-2) --------------------------------------------

_SEX_WORDS = {
    "男": "M",
    "男性": "M",
    "m": "M",
    "male": "M",
    "女": "F",
    "女性": "F",
    "f": "F",
    "female": "F",
}
_KIND_WORDS = {
    "卡": AccountKind.CARD,
    "银行卡": AccountKind.CARD,
    "借记卡": AccountKind.CARD,
    "社保卡": AccountKind.CARD,
    "card": AccountKind.CARD,
    "存折": AccountKind.PASSBOOK,
    "折": AccountKind.PASSBOOK,
    "passbook": AccountKind.PASSBOOK,
}


def roster_columns(*, township_known: bool, words: Vocabulary | None = None) -> list[Column]:
    """The roster's columns and the header wordings offices use for them (the roster
    vocabulary ``words``; the general one if None). The township column is optional for a
    township centre (its own township is meant)."""
    words = words or vocabulary()
    return [
        *person_columns(township_required=not township_known, words=words),
        Column("sex", words.headers("sex"), gettext_lazy("Sex"), required=False),
        Column("category", words.headers("category"), gettext_lazy("Category")),
        Column(
            "account_number",
            words.headers("account_number"),
            gettext_lazy("Bank account"),
            required=False,
        ),
        Column("bank_name", words.headers("bank_name"), gettext_lazy("Bank"), required=False),
        Column(
            "account_kind",
            words.headers("account_kind"),
            gettext_lazy("Account kind"),
            required=False,
        ),
    ]


@dataclass(frozen=True)
class _RosterRow:
    resident: ResidentId  # the full ID number (never logged, never in a report)
    digest: str
    name: str
    phone: str
    township: Region | None
    hukou: str
    categories: tuple[Category, ...]
    person_id: int | None  # registered already
    account: tuple[str, str, str, str] | None  # kind, number, bank name, warning


class _RosterChecker:
    """Checks one roster row against what the registry holds (looked up in bulk)."""

    def __init__(
        self, *, actor, rows: list[tuple[int, dict[str, str]]], columns, words: Vocabulary
    ) -> None:
        self.actor = actor
        self.vocabulary = words
        self.organisation = getattr(actor, "organisation", None)
        self.labels = {column.key: column.name for column in columns}
        self.own_township: Region | None = None
        if self.organisation is not None and self.organisation.kind == (
            OrganisationKind.TOWNSHIP_CENTRE
        ):
            self.own_township = self.organisation.region
        # The townships the importer may name: its county's (a city or province bureau: its
        # jurisdiction's; a name two of them share is refused as ambiguous).
        prefix = None
        if self.organisation is not None:
            prefix = self.organisation.jurisdiction_prefix or self.organisation.county_code
        self.townships = township_index(prefix)
        self.categories = {
            c.code: c for c in Category.objects.filter(code__in=set(words.categories.values()))
        }
        self.county = (
            Region.objects.filter(code=self.organisation.region.code[:6]).first()
            if self.organisation is not None
            else None
        )
        # Parse every ID number once, and look the registered ones up in one query per chunk.
        self.parsed: dict[int, tuple[ResidentId, str] | IdentityError] = {}
        digests: dict[str, int] = {}
        for number, values in rows:
            raw = values.get("id_number", "")
            if is_cut(raw):
                self.parsed[number] = IdentityError(str(CUT_NUMBER_MESSAGE))
                continue
            try:
                resident = parse_resident_id(raw)
            except IdentityError as exc:
                self.parsed[number] = exc
                continue
            digest = id_number_hash(resident.number)
            self.parsed[number] = (resident, digest)
            digests[digest] = number
        self.registered: dict[str, tuple[int, str]] = {
            digest: (person.pk, person.name)
            for digest, person in persons_by_id_number_hash(digests, only=("name",)).items()
        }
        self.seen: dict[str, int] = {}

    def problem(self, key: str, message: str) -> RowProblem:
        return RowProblem(self.labels.get(key, key), message)

    def __call__(self, row: int, values: dict[str, str]) -> _RosterRow:
        """The row checked; raises RowProblems naming every problem of the row (a bad ID
        number does not hide an unknown category, a bad township or a bad bank account)."""
        problems: list[RowProblem] = []

        def fail(key: str, message: str) -> None:
            problems.append(self.problem(key, message))

        def check(step, *args):
            try:
                return step(*args)
            except RowProblem as problem:
                problems.append(problem)
                return None

        parsed = self.parsed.get(row)
        resident: ResidentId | None = None
        digest = ""
        if not isinstance(parsed, tuple):
            fail("id_number", str(parsed or _("The ID number is empty.")))
        else:
            resident, digest = parsed
            if digest in self.seen:
                fail(
                    "id_number",
                    _("The same ID number is also in row %(row)d.") % {"row": self.seen[digest]},
                )
            else:
                self.seen[digest] = row
        name = ""
        try:
            name = check_person_name(values["name"])
        except ValueError as exc:
            fail("name", str(exc))
        registered = self.registered.get(digest) if digest else None
        if registered is not None and name and person_name(registered[1]) != name:
            fail(
                "name",
                _(
                    "The name differs from the name registered with this ID number: check the "
                    "name and the ID number."
                ),
            )
        sex_text = roster_words(values["sex"])
        if sex_text:
            sex = _SEX_WORDS.get(sex_text)
            if sex is None:
                fail("sex", _("Write 男 or 女."))
            elif resident is not None and sex != resident.sex:
                fail(
                    "sex",
                    _(
                        "The sex does not match the ID number (its 17th digit is odd for men, "
                        "even for women): check both."
                    ),
                )
        categories = self._categories(values["category"], fail)
        if registered is not None:
            # Registered already: the roster adds the category; the person's details are
            # changed on their page, not by a roster. A township named is still checked.
            if values["township"]:
                check(self._township, values["township"])
            if problems:
                raise RowProblems(problems)
            return _RosterRow(
                resident=resident,
                digest=digest,
                name=name,
                phone="",
                township=None,
                hukou="",
                categories=tuple(categories),
                person_id=registered[0],
                account=None,
            )
        phone = ""
        try:
            phone = check_phone(values["phone"])
        except ValueError as exc:
            fail("phone", str(exc))
        township = check(self._township, values["township"])
        # Blank: the roster lists rural households (建档立卡 poverty alleviation is rural).
        hukou = self.vocabulary.hukou(values["hukou"]) if values["hukou"] else Hukou.AGRICULTURAL
        if hukou is None:
            fail("hukou", _("Write 农业 or 非农业."))
        account = self._account(values, fail)
        if problems:
            raise RowProblems(problems)
        return _RosterRow(
            resident=resident,
            digest=digest,
            name=name,
            phone=phone,
            township=township,
            hukou=hukou,
            categories=tuple(categories),
            person_id=None,
            account=account,
        )

    def _categories(self, text: str, fail) -> list[Category]:
        categories: list[Category] = []
        unknown: list[str] = []
        for word in re.split(r"[、,，/;；]+", text):
            if not roster_words(word):
                continue
            code = self.vocabulary.category(word)
            if code is None or code not in self.categories:
                unknown.append(word.strip())
            elif self.categories[code] not in categories:
                categories.append(self.categories[code])
        if unknown:
            fail(
                "category",
                _(
                    "Unknown category “%(words)s”: write 脱贫户 (脱贫人口), 监测户 (监测对象, "
                    "脱贫不稳定户, 边缘易致贫户, 突发严重困难户) or 两后生; several are separated "
                    "by 、."
                )
                % {"words": "、".join(unknown)},
            )
        elif not categories:
            fail("category", _("The category is required: 脱贫户, 监测户 or 两后生."))
        return categories

    def _township(self, text: str) -> Region | None:
        key = roster_words(text)
        if self.own_township is not None:
            if key and self.townships.get(key) != self.own_township:
                raise self.problem(
                    "township",
                    _("Your centre imports the roster of %(township)s only.")
                    % {"township": self.own_township.name},
                )
            return self.own_township
        if not key:
            raise self.problem("township", _("The township is required."))
        township = self.townships.get(key)
        if township is None:
            raise self.problem(
                "township",
                _("No township of %(county)s has this name.")
                % {"county": self.county.name if self.county else "—"},
            )
        return township

    def _account(self, values: dict[str, str], fail) -> tuple[str, str, str, str] | None:
        raw = values["account_number"]
        if not raw:
            return None
        kind_text = roster_words(values["account_kind"])
        kind = _KIND_WORDS.get(kind_text) if kind_text else AccountKind.CARD
        checked = None
        if kind is None:
            fail("account_kind", _("Write 卡 or 存折."))
        elif is_cut(raw):
            fail("account_number", str(CUT_NUMBER_MESSAGE))
        else:
            try:
                checked = check_bank_account(raw, kind=kind)
            except IdentityError as exc:
                hint = (
                    ""
                    if kind_text
                    else " " + _("If it is a passbook, write 存折 in a column headed 账户类型.")
                )
                fail("account_number", str(exc) + hint)
        bank = " ".join(values["bank_name"].split())
        if not bank:
            fail("bank_name", _("Name the bank of the account."))
        elif len(bank) > 64:
            fail("bank_name", _("The bank name is longer than 64 characters."))
        if checked is None or not bank or len(bank) > 64:
            return None
        return (kind, checked.number, bank, checked.warning)


def _roster_apply(
    *,
    actor: Actor,
    checked: list[tuple[int, _RosterRow]],
    source: str,
    valid_from: date,
    valid_until: date | None,
    county: Region | None,
) -> dict[str, int]:
    organisation = getattr(actor, "organisation", None)
    new_rows = [row for _number, row in checked if row.person_id is None]
    created = persons_register_bulk(
        actor=actor,
        persons=[
            NewPerson(
                resident=row.resident,
                digest=row.digest,
                name=row.name,
                hukou=row.hukou,
                county=row.township.parent if row.township is not None else county,
                township=row.township,
                phone=row.phone,
            )
            for row in new_rows
        ],
    )
    person_ids = {row.digest: row.person_id for _number, row in checked if row.person_id}
    person_ids.update({person.id_number_hash: person.pk for person in created})
    # A category entry already recorded from the same roster is not recorded twice, so a
    # roster imported again changes nothing.
    existing = (
        set(
            PersonCategory.objects.filter(
                person_id__in=[pk for pk in person_ids.values()],
                source=source,
                valid_from=valid_from,
            ).values_list("person_id", "category_id")
        )
        if len(person_ids) > len(created)
        else set()
    )
    entries = []
    for _number, row in checked:
        pk = person_ids[row.digest]
        for category in row.categories:
            if (pk, category.pk) in existing:
                continue
            entries.append(
                PersonCategory(
                    person_id=pk,
                    category=category,
                    source=source,
                    source_organisation=organisation,
                    valid_from=valid_from,
                    valid_until=valid_until,
                )
            )
    bulk_create_audited(entries, PersonCategory, actor=actor)
    accounts = [
        BankAccount(
            person_id=person_ids[row.digest],
            kind=row.account[0],
            account_name=row.name,
            account_number=row.account[1],
            account_number_hash=crypto.lookup_hash(row.account[1], purpose=ACCOUNT_PURPOSE),
            account_number_masked=mask_account(row.account[1]),
            bank_name=row.account[2],
            warning=row.account[3],
        )
        for row in new_rows
        if row.account is not None
    ]
    bulk_create_audited(accounts, BankAccount, actor=actor)
    return {
        "rows": len(checked),
        "registered": len(created),
        "already_registered": len(checked) - len(created),
        "categories": len(entries),
        "accounts": len(accounts),
    }


def roster_import_run(
    *,
    actor: Actor,
    upload,
    source: str,
    valid_from: date,
    valid_until: date | None = None,
    progress=None,
) -> dict:
    """Read, check and record a roster (GA23-OBJ-2) now; all or nothing. Raises ImportRejected
    with every problem by row and column. Used by the background job and the benchmark."""
    require_perm(actor, "registry.add_person")
    require_perm(actor, "registry.add_personcategory")
    if valid_until is not None and valid_until < valid_from:
        raise ValidationError({"valid_until": _("The end of validity is before its start.")})
    organisation = getattr(actor, "organisation", None)
    words = vocabulary(organisation.region.code if organisation is not None else "")
    columns = roster_columns(
        township_known=organisation is not None
        and organisation.kind == OrganisationKind.TOWNSHIP_CENTRE,
        words=words,
    )
    rows = read_rows(upload, columns)
    checker = _RosterChecker(actor=actor, rows=rows, columns=columns, words=words)
    source = " ".join(str(source).split())[:128]
    try:
        counts = run_import(
            rows=rows,
            validate=checker,
            apply=lambda checked: _roster_apply(
                actor=actor,
                checked=checked,
                source=source,
                valid_from=valid_from,
                valid_until=valid_until,
                county=checker.county,
            ),
            progress=progress,
        )
    except IntegrityError:
        raise ImportRejected.file(
            _(
                "Someone registered one of these persons while the file was being checked; "
                "nothing was imported. Upload the file again."
            )
        ) from None
    return counts


def roster_import(
    *,
    actor: Actor,
    upload,
    source: str,
    valid_from: date,
    valid_until: date | None = None,
):
    """Import a roster of poverty-alleviated persons, "two-after" graduates and monitored
    households (GA23-OBJ-2) as a background job; returns the Job (core/jobs.py), whose page
    shows the progress and then the result or the row-by-row report. A file over the size
    limit is refused at once (ImportRejected) and nothing is stored."""
    require_perm(actor, "registry.add_person")
    require_perm(actor, "registry.add_personcategory")
    if valid_until is not None and valid_until < valid_from:
        raise ValidationError({"valid_until": _("The end of validity is before its start.")})
    filename = str(getattr(upload, "name", "") or "roster")
    source = " ".join(str(source or "").split()) or filename.rsplit(".", 1)[0]
    return import_job_start(
        actor=actor,
        upload=upload,
        kind="registry.roster_import",
        title=lambda name: _("Roster import: %(file)s") % {"file": name[:200]},
        task=tasks.roster_import_task,
        default_name="roster",
        source=source,
        valid_from=valid_from.isoformat(),
        valid_until=valid_until.isoformat() if valid_until else None,
    )
