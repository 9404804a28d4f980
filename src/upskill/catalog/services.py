"""Writes to the catalogues (HB45-CAT-1). Every function takes the acting user or token first.

Only a draft version is edited; publishing freezes it. A mid-year adjustment is a new version
(:func:`catalog_new_version`) that copies the previous one's entries, so the old version stays
readable as it was.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from upskill import policy
from upskill.core.scoping import Actor, get_visible_or_404, require_perm
from upskill.organisations.models import Organisation, OrganisationKind, Region
from upskill.organisations.selectors import in_jurisdiction

from .models import (
    ADD_CATALOG,
    CHANGE_CATALOG,
    PUBLISH_CATALOG,
    Catalog,
    CatalogEntry,
    CatalogKind,
    DesignatedInstitution,
    EvaluationInstitution,
    Occupation,
    OnlinePlatform,
)

WH20_OCCUPATIONS = Path(__file__).parent / "data" / "wh20_occupations.csv"

_LEVEL_WORDS = {"一级": 1, "二级": 2, "三级": 3, "四级": 4, "五级": 5}


def _check_region(actor: Actor, region: Region) -> None:
    # a bureau writes only the catalogues of regions in its jurisdiction
    if not in_jurisdiction(actor=actor, region_code=region.code):
        raise ValidationError(
            {"region": _("You may edit catalogues only for regions in your jurisdiction.")}
        )


def _draft(actor, catalog: Catalog, *, kind: str | None = None) -> Catalog:
    """The catalogue, re-fetched through the scope, if the actor may edit it and it is a
    draft of the expected kind."""
    catalog = get_visible_or_404(Catalog, actor, perm=CHANGE_CATALOG, pk=catalog.pk)
    _check_region(actor, catalog.region)
    if catalog.is_published:
        raise ValidationError(
            _("A published catalogue is not changed: create a new version (HB45-CAT-1).")
        )
    if kind and catalog.kind != kind:
        raise ValidationError(
            _("This is a catalogue of %(kind)s.") % {"kind": catalog.get_kind_display()}
        )
    return catalog


def _actor_organisation(actor) -> Organisation | None:
    return getattr(actor, "organisation", None)


@transaction.atomic
def catalog_create(
    *,
    actor: Actor,
    kind: str,
    region: Region,
    year: int,
    title: str = "",
    document: str = "",
    note: str = "",
) -> Catalog:
    """A first, empty draft of a region's catalogue of a kind for a year (version 1)."""
    require_perm(actor, ADD_CATALOG)
    _check_region(actor, region)
    if Catalog.objects.filter(kind=kind, region=region, year=year).exists():
        raise ValidationError(
            _("This catalogue exists already for %(year)s: create a new version of it.")
            % {"year": year}
        )
    catalog = Catalog(
        kind=kind,
        region=region,
        year=year,
        version=1,
        title=title.strip(),
        document=document.strip(),
        note=note,
        organisation=_actor_organisation(actor),
    )
    catalog.full_clean(exclude=["organisation", "previous"])
    catalog.save()
    return catalog


@transaction.atomic
def catalog_update(
    *, actor: Actor, catalog: Catalog, title: str, document: str = "", note: str = ""
) -> Catalog:
    catalog = _draft(actor, catalog)
    catalog.title = title.strip()
    catalog.document = document.strip()
    catalog.note = note
    catalog.save(update_fields=["title", "document", "note"])
    return catalog


@transaction.atomic
def catalog_publish(*, actor: Actor, catalog: Catalog) -> Catalog:
    """Publish a draft: from now on the public sees it and it is no longer edited."""
    catalog = _draft(actor, catalog)
    require_perm(actor, PUBLISH_CATALOG)
    catalog.published_at = timezone.now()
    catalog.save(update_fields=["published_at"])
    return catalog


@transaction.atomic
def catalog_new_version(*, actor: Actor, catalog: Catalog, note: str = "") -> Catalog:
    """A mid-year adjustment (HB45-CAT-1): a new draft version that starts as a copy of
    ``catalog``; the copied version is left exactly as it was."""
    require_perm(actor, ADD_CATALOG)
    source = get_visible_or_404(Catalog, actor, perm=CHANGE_CATALOG, pk=catalog.pk)
    _check_region(actor, source.region)
    siblings = Catalog.objects.select_for_update().filter(
        kind=source.kind, region=source.region, year=source.year
    )
    if siblings.filter(published_at__isnull=True).exists():
        raise ValidationError(
            _("A draft version of this catalogue exists already: edit and publish it first.")
        )
    latest = siblings.aggregate(v=Max("version"))["v"] or 0
    new = Catalog.objects.create(
        kind=source.kind,
        region=source.region,
        year=source.year,
        version=latest + 1,
        title=source.title,
        document=source.document,
        note=note,
        previous=source,
        organisation=_actor_organisation(actor),
    )
    occupation_map: dict[int, Occupation] = {}
    for occupation in source.occupations.all():
        old_pk = occupation.pk
        occupation_map[old_pk] = _copy_into(occupation, new)

    def _occupations(old_pks) -> list[Occupation]:
        # Within an occupation catalogue the copies; elsewhere the same occupations.
        return [occupation_map.get(pk) or Occupation(pk=pk) for pk in old_pks]

    for entry in source.entries.all():
        _copy_into(entry, new)
    for institutions in (source.institutions, source.evaluation_institutions):
        for institution in institutions.prefetch_related("occupations"):
            pks = [o.pk for o in institution.occupations.all()]
            _copy_into(institution, new).occupations.set(_occupations(pks))
    for platform in source.platforms.all():
        _copy_into(platform, new)
    return new


def _copy_into(row, catalog: Catalog):
    """Save ``row`` again as a new row of ``catalog`` (a new version copies its predecessor)."""
    row.pk = None
    row.id = None
    row.catalog = catalog
    row._state.adding = True
    row.save()
    return row


# --- occupations -------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    duplicates: list[str]  # "name level" of rows that repeat an earlier row


def _parse_level(raw: str) -> int:
    raw = raw.strip()
    level = _LEVEL_WORDS.get(raw)
    if level is None:
        try:
            level = int(raw)
        except ValueError:
            level = 0
    if level not in range(1, 6):
        raise ValidationError(_("Unknown level %(level)r.") % {"level": raw})
    return level


def _parse_money(raw: str) -> Decimal:
    try:
        value = Decimal(raw.strip().replace(",", ""))
    except InvalidOperation:
        raise ValidationError(_("Not an amount: %(value)r.") % {"value": raw}) from None
    if value < 0:
        raise ValidationError(_("Not an amount: %(value)r.") % {"value": raw})
    return value


@transaction.atomic
def occupation_import(
    *, actor: Actor, catalog: Catalog, path: Path | str = WH20_OCCUPATIONS
) -> ImportResult:
    """Load occupations from a CSV file (columns category, occupation, level, price and
    optionally exam_fee) into a draft occupation catalogue.

    The occupation list of WH20 attachment 2 repeats some rows (水泥生产工, 石膏制品生产工,
    水泥混凝土制品工, 机动车检测工): a row that repeats an occupation and level already read is
    skipped and reported, not an error. An occupation already in the catalogue is updated."""
    catalog = _draft(actor, catalog, kind=CatalogKind.OCCUPATIONS)
    seen: set[tuple[str, int]] = set()
    duplicates: list[str] = []
    created = updated = 0
    with open(path, encoding="utf-8-sig", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            name = (row.get("occupation") or "").strip()
            if not name:
                continue
            try:
                level = _parse_level(row.get("level") or "")
                price = _parse_money(row.get("price") or "")
                exam_fee = (
                    _parse_money(row["exam_fee"]) if (row.get("exam_fee") or "").strip() else None
                )
            except ValidationError as exc:
                raise ValidationError(
                    _("Line %(line)s: %(error)s") % {"line": line, "error": " ".join(exc.messages)}
                ) from None
            key = (name, level)
            if key in seen:
                duplicates.append(f"{name} {level}")
                continue
            seen.add(key)
            _occupation, was_created = Occupation.objects.update_or_create(
                catalog=catalog,
                name=name,
                level=level,
                defaults={
                    "category": (row.get("category") or "").strip(),
                    "price": price,
                    "exam_fee": exam_fee,
                },
            )
            if was_created:
                created += 1
            else:
                updated += 1
    return ImportResult(created=created, updated=updated, duplicates=duplicates)


@transaction.atomic
def occupation_set(
    *,
    actor: Actor,
    catalog: Catalog,
    name: str,
    level: int,
    price: Decimal,
    category: str = "",
    exam_fee: Decimal | None = None,
) -> Occupation:
    """Add an occupation at a level to a draft occupation catalogue, or change its price."""
    catalog = _draft(actor, catalog, kind=CatalogKind.OCCUPATIONS)
    occupation, _created = Occupation.objects.update_or_create(
        catalog=catalog,
        name=name.strip(),
        level=level,
        defaults={"category": category.strip(), "price": price, "exam_fee": exam_fee},
    )
    occupation.full_clean()
    return occupation


# --- training project entries -------------------------------------------------------------


def _check_entry(
    program: str, occupation: Occupation, standard_hours: Decimal, share: Decimal | None
) -> None:
    errors: dict[str, str] = {}
    if program not in policy.PROGRAMS:
        errors["program"] = _("Unknown programme %(program)s.") % {"program": program}
    if occupation.catalog.kind != CatalogKind.OCCUPATIONS or not occupation.catalog.is_published:
        errors["occupation"] = _("Choose an occupation of a published occupation catalogue.")
    if standard_hours is None or standard_hours <= 0:
        errors["standard_hours"] = _("The standard class hours must be more than zero.")
    if share is not None and not (0 <= share <= 1):
        errors["min_practical_share"] = _("A share is between 0 and 1.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def entry_add(
    *,
    actor: Actor,
    catalog: Catalog,
    program: str,
    occupation: Occupation,
    standard_hours: Decimal,
    min_practical_share: Decimal | None = None,
    subsidy_parameter: str = "training_subsidy.standard",
    is_specialty: bool = False,
) -> CatalogEntry:
    """Add a subsidised training project to a draft project catalogue (``is_specialty``: a
    特色技能 project, GA23-EVAL-1)."""
    catalog = _draft(actor, catalog, kind=CatalogKind.PROJECTS)
    occupation = Occupation.objects.select_related("catalog").get(pk=occupation.pk)
    _check_entry(program, occupation, standard_hours, min_practical_share)
    if CatalogEntry.objects.filter(
        catalog=catalog, program=program, occupation=occupation
    ).exists():
        raise ValidationError(_("This project is in the catalogue already."))
    return CatalogEntry.objects.create(
        catalog=catalog,
        program=program,
        occupation=occupation,
        standard_hours=standard_hours,
        min_practical_share=min_practical_share,
        subsidy_parameter=subsidy_parameter.strip() or "training_subsidy.standard",
        is_specialty=is_specialty,
    )


@transaction.atomic
def entry_change(
    *,
    actor: Actor,
    entry: CatalogEntry,
    standard_hours: Decimal,
    min_practical_share: Decimal | None = None,
    subsidy_parameter: str = "training_subsidy.standard",
) -> CatalogEntry:
    entry = get_visible_or_404(CatalogEntry, actor, perm=CHANGE_CATALOG, pk=entry.pk)
    _draft(actor, entry.catalog, kind=CatalogKind.PROJECTS)
    _check_entry(entry.program, entry.occupation, standard_hours, min_practical_share)
    entry.standard_hours = standard_hours
    entry.min_practical_share = min_practical_share
    entry.subsidy_parameter = subsidy_parameter.strip() or "training_subsidy.standard"
    entry.save()
    return entry


@transaction.atomic
def entry_set_active(*, actor: Actor, entry: CatalogEntry, active: bool) -> CatalogEntry:
    """Deactivate (or reactivate) a project in a draft version; it stays in the list."""
    entry = get_visible_or_404(CatalogEntry, actor, perm=CHANGE_CATALOG, pk=entry.pk)
    _draft(actor, entry.catalog, kind=CatalogKind.PROJECTS)
    entry.is_active = active
    entry.save(update_fields=["is_active"])
    return entry


def entry_deactivate(*, actor: Actor, entry: CatalogEntry) -> CatalogEntry:
    return entry_set_active(actor=actor, entry=entry, active=False)


# --- institutions and platforms ----------------------------------------------------------


@transaction.atomic
def institution_designate(
    *,
    actor: Actor,
    catalog: Catalog,
    organisation: Organisation,
    occupations: list[Occupation],
    valid_from: date | None = None,
    valid_until: date | None = None,
) -> DesignatedInstitution:
    """Put a training institution in a draft institution catalogue for some occupations."""
    catalog = _draft(actor, catalog, kind=CatalogKind.INSTITUTIONS)
    if organisation.kind != OrganisationKind.INSTITUTION:
        raise ValidationError({"organisation": _("Only a training institution is designated.")})
    if valid_from and valid_until and valid_until < valid_from:
        raise ValidationError({"valid_until": _("The end is before the start.")})
    designation, _created = DesignatedInstitution.objects.update_or_create(
        catalog=catalog,
        organisation=organisation,
        defaults={"valid_from": valid_from, "valid_until": valid_until},
    )
    designation.occupations.set(occupations)
    return designation


@transaction.atomic
def evaluation_institution_add(
    *,
    actor: Actor,
    catalog: Catalog,
    name: str,
    region: Region,
    occupations: list[Occupation],
    accreditation_number: str = "",
) -> EvaluationInstitution:
    catalog = _draft(actor, catalog, kind=CatalogKind.EVALUATION)
    institution = EvaluationInstitution.objects.create(
        catalog=catalog,
        name=name.strip(),
        region=region,
        accreditation_number=accreditation_number.strip(),
    )
    institution.occupations.set(occupations)
    return institution


_PERMIT_FIELDS = (
    "project_permit",
    "project_permit_valid_from",
    "project_permit_valid_until",
    "assessment_permit",
    "assessment_permit_valid_from",
    "assessment_permit_valid_until",
    "training_permit",
    "training_permit_valid_from",
    "training_permit_valid_until",
)


@transaction.atomic
def platform_add(
    *,
    actor: Actor,
    catalog: Catalog,
    name: str,
    operator: str,
    website: str = "",
    organisation: Organisation | None = None,
    **permits,
) -> OnlinePlatform:
    """Add an online platform to a draft platform catalogue, with whatever permits it holds
    (``project_permit``, ``project_permit_valid_from``, ``project_permit_valid_until``,
    ``assessment_permit`` … WH20-PLT-1) and the platform organisation whose operator logs in
    (the link a new catalogue version keeps)."""
    catalog = _draft(actor, catalog, kind=CatalogKind.PLATFORMS)
    unknown = set(permits) - set(_PERMIT_FIELDS)
    if unknown:
        raise TypeError(f"unknown permit fields: {sorted(unknown)}")
    if organisation is not None and organisation.kind != OrganisationKind.PLATFORM:
        raise ValidationError(
            {"organisation": _("Choose the organisation of an online training platform.")}
        )
    platform = OnlinePlatform(
        catalog=catalog,
        name=name.strip(),
        operator=operator.strip(),
        website=website,
        organisation=organisation,
        **permits,
    )
    platform.full_clean()
    platform.save()
    return platform


@transaction.atomic
def platform_permits_set(
    *,
    actor: Actor,
    platform: OnlinePlatform,
    project_permit: str = "",
    project_permit_valid_until: date | None = None,
    assessment_permit: str = "",
    assessment_permit_valid_until: date | None = None,
    training_permit: str = "",
    training_permit_valid_until: date | None = None,
    project_permit_valid_from: date | None = None,
    assessment_permit_valid_from: date | None = None,
    training_permit_valid_from: date | None = None,
) -> OnlinePlatform:
    """Record the three permits of WH20-PLT-1 (number and validity from, until) of a
    platform."""
    platform = get_visible_or_404(OnlinePlatform, actor, perm=CHANGE_CATALOG, pk=platform.pk)
    _draft(actor, platform.catalog, kind=CatalogKind.PLATFORMS)
    platform.project_permit = project_permit.strip()
    platform.project_permit_valid_from = project_permit_valid_from
    platform.project_permit_valid_until = project_permit_valid_until
    platform.assessment_permit = assessment_permit.strip()
    platform.assessment_permit_valid_from = assessment_permit_valid_from
    platform.assessment_permit_valid_until = assessment_permit_valid_until
    platform.training_permit = training_permit.strip()
    platform.training_permit_valid_from = training_permit_valid_from
    platform.training_permit_valid_until = training_permit_valid_until
    platform.full_clean()
    platform.save()
    return platform


# --- which catalogues a region publishes itself (HB45-CAT-1) ------------------------------


@transaction.atomic
def region_own_catalogues_set(*, actor, region: Region, kinds: list[str]) -> Region:
    """Record the kinds of catalogue a region publishes itself (HB45-CAT-1); a county that uses
    its province's catalogues records none and its catalogue page is never flagged. Needs the
    right to edit catalogues and the region in the actor's jurisdiction."""
    require_perm(actor, CHANGE_CATALOG)
    _check_region(actor, region)
    unknown = sorted(set(kinds) - set(CatalogKind.values))
    if unknown:
        raise ValidationError({"kinds": _("Unknown kind of catalogue: %s") % ", ".join(unknown)})
    if region.level == "township":
        raise ValidationError({"region": _("A township publishes no catalogues.")})
    region.own_catalogues = [kind for kind in CatalogKind.values if kind in set(kinds)]
    region.save(update_fields=["own_catalogues"])
    return region
