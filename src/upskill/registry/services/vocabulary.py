"""The roster vocabulary: wordings a county adds to the shipped ones (security item 10)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from upskill.core.scoping import Actor, require_perm
from upskill.organisations.models import OrganisationKind
from upskill.organisations.selectors import in_jurisdiction

from ..models import Category, Hukou, TermKind, VocabularyTerm
from ..vocabulary import DEFAULT_HEADERS
from ..vocabulary import clear_cache as vocabulary_cache_clear
from ..vocabulary import words as vocabulary_words

# --- the roster vocabulary (security item 10) ------------------------------------------------


def _regions_overlap(a: str, b: str) -> bool:
    return a.startswith(b) or b.startswith(a)


def vocabulary_region_allowed(*, actor: Actor, region: str) -> bool:
    """May ``actor`` add or change a wording for ``region``? A bureau: inside its
    jurisdiction; the province's department also the wordings of every county (blank)."""
    organisation = getattr(actor, "organisation", None)
    if region == "" and organisation is not None:
        return organisation.kind == OrganisationKind.PROVINCE_HR
    return in_jurisdiction(actor=actor, region_code=region)


def vocabulary_term_check(*, term: VocabularyTerm) -> None:
    """What a wording must be (service and admin): a known kind and meaning, not empty, and
    no other meaning for the same wording where both would hold. ValidationError if not."""
    term.wording = " ".join(str(term.wording or "").split())
    term.region = str(term.region or "").strip()
    if not term.wording:
        raise ValidationError({"wording": _("Write the wording.")})
    if term.kind == TermKind.HEADER:
        known = set(DEFAULT_HEADERS)
    elif term.kind == TermKind.CATEGORY:
        known = set(Category.objects.values_list("code", flat=True))
    else:
        known = set(Hukou.values)
    if term.target not in known:
        raise ValidationError(
            {"target": _("Choose one of: %(known)s.") % {"known": ", ".join(sorted(known))}}
        )
    if term.region and not term.region.isdigit():
        raise ValidationError({"region": _("A region code has digits only.")})
    key = vocabulary_words(term.wording)
    for other in VocabularyTerm.objects.filter(kind=term.kind, is_active=True).exclude(pk=term.pk):
        if vocabulary_words(other.wording) != key or not _regions_overlap(
            other.region, term.region
        ):
            continue
        if other.target == term.target and other.region == term.region:
            raise ValidationError({"wording": _("This wording is known already.")})
        if other.target != term.target:
            raise ValidationError(
                {
                    "wording": _(
                        "This wording already means “%(target)s” where it would hold: a roster "
                        "would be read two ways."
                    )
                    % {"target": other.target}
                }
            )


@transaction.atomic
def vocabulary_term_add(
    *,
    actor: Actor,
    kind: str,
    target: str,
    wording: str,
    region: str | None = None,
    source: str = "",
) -> VocabularyTerm:
    """Add a wording to the roster vocabulary: the next import understands it, no deploy. A
    bureau's wording holds in its jurisdiction (``region`` defaults to it); only the
    province's department adds a wording for every county (``region=""``). Audited."""
    require_perm(actor, "registry.add_vocabularyterm")
    organisation = getattr(actor, "organisation", None)
    if region is None:
        region = (organisation.jurisdiction_prefix or "") if organisation is not None else ""
        if organisation is not None and organisation.kind == OrganisationKind.PROVINCE_HR:
            region = ""
    if not vocabulary_region_allowed(actor=actor, region=str(region).strip()):
        raise PermissionDenied
    if kind not in TermKind.values:
        raise ValidationError({"kind": _("Choose heading, category word or household word.")})
    term = VocabularyTerm(
        kind=kind,
        target=target,
        wording=wording,
        region=region,
        source=" ".join(str(source).split())[:128],
        organisation=organisation,
    )
    vocabulary_term_check(term=term)
    term.full_clean()
    term.save()
    vocabulary_cache_clear()
    return term
