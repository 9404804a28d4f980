"""Mistakes in the registry put right by the county bureau (issue 15.7): a person registered
under a mistyped ID number gets the right one, and two records of one person become one.

**The ID number** is corrected on the same row: the encrypted number, its keyed hash (the
look-up), its masked copy, and the birth date and sex it carries. The enrolments, claims,
certificates and everything else that points at the person follow by themselves; the old
number stays in the person's history (its encrypted copy and its masked form, with the reason).

**A merge** moves everything that points at the second record onto the first, walking the
relations generically (``Person._meta.related_objects``, hidden ones included), so a relation
added by a later app is moved as well without changing this module. Before anything moves, the
bureau sees the preview: what moves, per kind of record, and what stops the merge. A merge is
refused when a moved row would break a unique constraint (both records enrolled in the same
class, both with an active bank account …): the refusal names the two rows. An affiliation
held by both is kept once. The second record is then deleted: its history (and that of every
moved row) stays in the audit trail with the reason, and the first record's history says which
record was merged into it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from upskill.core.masking import mask_id_number
from upskill.core.scoping import Actor, get_visible_or_404

from ..identity import IdentityError, parse_resident_id
from ..lookup import id_number_hash
from ..models import Person
from ..selectors import may_correct_identity

# Rows that are never rewritten (the hash-chained payment ledger): a record that holds some is
# the one to keep.
APPEND_ONLY = frozenset({"subsidies.LedgerEntry"})
# Rows that both records may hold; the second record's copy is dropped, the first's kept.
KEPT_ONCE = frozenset({"registry.Affiliation"})
# The person's own fields the kept record takes from the other when it has none.
FILLED_FROM_OTHER = ("phone", "township", "address", "town_residence_since")


def _check_may_correct(actor: Actor) -> None:
    if not may_correct_identity(actor=actor):
        raise PermissionDenied(_("Only the county bureau corrects or merges registry records."))


def _reason(reason: str) -> str:
    reason = " ".join(str(reason or "").split())
    if not reason:
        raise ValidationError({"reason": _("Give the reason (for the history).")})
    return reason


@transaction.atomic
def person_id_number_correct(
    *, actor: Actor, person: Person, id_number: str, reason: str
) -> Person:
    """Give the person the right ID number. The old one stays in the person's history; a number
    registered for another record is refused (merge the two records instead)."""
    _check_may_correct(actor)
    person = get_visible_or_404(
        Person.objects.select_for_update(), actor, perm="registry.change_person", pk=person.pk
    )
    reason = _reason(reason)
    try:
        resident = parse_resident_id(id_number)
    except IdentityError as exc:
        raise ValidationError({"id_number": str(exc)}) from None
    digest = id_number_hash(resident.number)
    if digest == person.id_number_hash:
        raise ValidationError({"id_number": _("This is the number the person has already.")})
    if Person.objects.filter(id_number_hash=digest).exists():
        raise ValidationError(
            {
                "id_number": _(
                    "Another record holds this ID number: if it is the same person, merge the "
                    "two records."
                )
            }
        )
    old_masked = person.id_number_masked
    person.id_number = resident.number
    person.id_number_hash = digest
    person.id_number_masked = mask_id_number(resident.number)
    person.birth_date = resident.birth_date
    person.sex = resident.sex
    person._change_reason = _("ID number corrected (was %(old)s): %(reason)s") % {
        "old": old_masked,
        "reason": reason,
    }
    person.save()
    # copies of the masked number kept beside the person (a certificate's) follow it
    for relation in _relations():
        model = relation.related_model
        if any(f.name == "id_number_masked" for f in model._meta.concrete_fields):
            for obj in model._base_manager.filter(**{relation.field.name: person}):
                obj.id_number_masked = person.id_number_masked
                obj._change_reason = person._change_reason
                obj.save(update_fields=["id_number_masked"])
    return person


# -- merge ---------------------------------------------------------------------------------


def _is_history(model) -> bool:
    return hasattr(model, "instance_type") and model.__name__.startswith("Historical")


def _relations() -> list:
    """Every foreign key and one-to-one field of another model pointing at Person (hidden
    ``related_name="+"`` ones included), the audit trail's copies left out."""
    return [
        f
        for f in Person._meta.get_fields(include_hidden=True)
        if f.auto_created
        and not f.concrete
        and (f.one_to_many or f.one_to_one)
        and not _is_history(f.related_model)
    ]


def _unique_sets(model, field_name: str) -> list[tuple[tuple[str, ...], Q | None]]:
    """The unique constraints of ``model`` that hold ``field_name``: their other fields and
    their condition."""
    sets = []
    for constraint in model._meta.constraints:
        fields = tuple(getattr(constraint, "fields", ()) or ())
        if isinstance(constraint, models.UniqueConstraint) and field_name in fields:
            sets.append((tuple(f for f in fields if f != field_name), constraint.condition))
    for together in model._meta.unique_together:
        if field_name in together:
            sets.append((tuple(f for f in together if f != field_name), None))
    if model._meta.get_field(field_name).unique:
        sets.append(((), None))
    return sets


@dataclass(frozen=True)
class MergeMove:
    label: str
    count: int
    examples: list[str]


@dataclass
class MergePreview:
    """What a merge of ``other`` into ``kept`` does: the rows that move (per kind), those kept
    once, and the problems that stop it (each naming its rows)."""

    kept: Person
    other: Person
    moves: list[MergeMove] = field(default_factory=list)
    kept_once: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    fills: list[str] = field(default_factory=list)

    @property
    def possible(self) -> bool:
        return not self.problems


def _plan(kept: Person, other: Person) -> tuple[MergePreview, list]:
    preview = MergePreview(kept=kept, other=other)
    work = []  # (relation, rows to move, rows to drop)
    if kept.pk == other.pk:
        preview.problems.append(_("Choose two different records."))
        return preview, work
    if kept.account_id and other.account_id:
        preview.problems.append(
            _("Both records have a learner account (%(a)s, %(b)s): close one first.")
            % {"a": kept.account, "b": other.account}
        )
    for relation in _relations():
        model, name = relation.related_model, relation.field.name
        rows = list(model._base_manager.filter(**{name: other}))
        if not rows:
            continue
        label = str(model._meta.verbose_name_plural)
        if model._meta.label in APPEND_ONLY:
            preview.problems.append(
                _(
                    "%(count)s %(kind)s are recorded for %(other)s and are never rewritten: keep "
                    "that record and merge the other into it."
                )
                % {"count": len(rows), "kind": label, "other": other}
            )
            continue
        moving, dropped = [], []
        for row in rows:
            clash = None
            for others, condition in _unique_sets(model, name):
                if (
                    condition is not None
                    and not model._base_manager.filter(condition, pk=row.pk).exists()
                ):
                    continue
                kept_rows = model._base_manager.filter(**{name: kept})
                if condition is not None:
                    kept_rows = kept_rows.filter(condition)
                clash = kept_rows.filter(**{f: getattr(row, f) for f in others}).first()
                if clash is not None:
                    break
            if clash is None:
                moving.append(row)
            elif model._meta.label in KEPT_ONCE:
                dropped.append(row)
            else:
                preview.problems.append(
                    _(
                        "%(kind)s: “%(kept_row)s” of %(kept)s and “%(other_row)s” of "
                        "%(other)s cannot be one."
                    )
                    % {
                        "kind": str(model._meta.verbose_name).capitalize(),
                        "kept_row": clash,
                        "kept": kept,
                        "other_row": row,
                        "other": other,
                    }
                )
        if moving:
            preview.moves.append(MergeMove(label, len(moving), [str(r) for r in moving[:3]]))
        if dropped:
            preview.kept_once.extend(str(r) for r in dropped)
        work.append((relation, moving, dropped))
    for name in FILLED_FROM_OTHER:
        if not getattr(kept, name) and getattr(other, name):
            preview.fills.append(str(Person._meta.get_field(name).verbose_name))
    return preview, work


def _pair(actor: Actor, kept: Person, other: Person) -> tuple[Person, Person]:
    _check_may_correct(actor)
    queryset = Person.objects.select_related("account")
    return (
        get_visible_or_404(queryset, actor, perm="registry.change_person", pk=kept.pk),
        get_visible_or_404(queryset, actor, perm="registry.change_person", pk=other.pk),
    )


def person_merge_preview(*, actor: Actor, kept: Person, other: Person) -> MergePreview:
    """What :func:`person_merge` would do, nothing changed."""
    kept, other = _pair(actor, kept, other)
    return _plan(kept, other)[0]


@transaction.atomic
def person_merge(*, actor: Actor, kept: Person, other: Person, reason: str) -> MergePreview:
    """Merge ``other`` into ``kept`` (see the module): refused, nothing changed, when the
    preview has problems."""
    reason = _reason(reason)
    kept, other = _pair(actor, kept, other)
    Person.objects.select_for_update().filter(pk__in=[kept.pk, other.pk]).exists()
    preview, work = _plan(kept, other)
    if not preview.possible:
        raise ValidationError(preview.problems)
    why = _("Merged record %(other)s (#%(pk)s) into %(kept)s: %(reason)s") % {
        "other": other,
        "pk": other.pk,
        "kept": kept,
        "reason": reason,
    }
    for relation, moving, dropped in work:
        for row in dropped:
            row._change_reason = why
            row.delete()
        for row in moving:
            setattr(row, relation.field.attname, kept.pk)
            row._change_reason = why
            row.save(update_fields=[relation.field.name])
    account = other.account
    for name in FILLED_FROM_OTHER:
        if not getattr(kept, name) and getattr(other, name):
            setattr(kept, name, getattr(other, name))
    other._change_reason = why
    other.delete()
    if account is not None and kept.account_id is None:
        kept.account = account
    kept._change_reason = why
    kept.save()
    return preview
