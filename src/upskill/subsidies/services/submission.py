"""A claim's documents (HB61-DOC-1) and its submission, refused while the checklist, the compliance
checklist or a blacklisting says no.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from upskill.core.actor import user_of
from upskill.core.scoping import Actor

from ..models import (
    Claim,
    ClaimDocument,
    ClaimStatus,
)
from ..selectors.documents import (
    DOCUMENTS,
    ENTERPRISE_DOCUMENTS,
    GENERATED_DOCUMENTS,
    PROGRAM_DOCUMENTS,
    submission_problems,
)
from ._common import _own_claim


@transaction.atomic
def claim_document_upload(*, actor: Actor, claim: Claim, key: str, upload) -> ClaimDocument:
    claim = _own_claim(actor, claim)
    if key in GENERATED_DOCUMENTS:  # HB61-DOC-1: the roster is generated, not uploaded
        raise ValidationError({"key": _("The system generates this document: nothing to upload.")})
    if key not in DOCUMENTS and key not in ENTERPRISE_DOCUMENTS and key not in PROGRAM_DOCUMENTS:
        raise ValidationError({"key": _("Unknown document.")})
    if claim.status not in (ClaimStatus.DRAFT, ClaimStatus.RETURNED):
        raise ValidationError(_("Documents are added before the claim is submitted."))
    ClaimDocument.objects.filter(claim=claim, key=key).delete()
    document = ClaimDocument(
        claim=claim,
        key=key,
        original_name=getattr(upload, "name", key)[:255],
        uploaded_by=user_of(actor),
    )
    document.file.save(document.original_name, upload, save=False)
    document.save()
    return document


@transaction.atomic
def claim_submit(*, actor: Actor, claim: Claim, today: date | None = None) -> Claim:
    claim = _own_claim(actor, claim)
    if claim.status not in (ClaimStatus.DRAFT, ClaimStatus.RETURNED):
        raise ValidationError(_("This claim has already been submitted."))
    problems = submission_problems(claim, on=today)
    if problems:
        raise ValidationError(problems)
    claim.status = ClaimStatus.SUBMITTED
    claim.submitted_by = user_of(actor)
    claim.submitted_at = timezone.now()
    claim.save(update_fields=["status", "submitted_by", "submitted_at"])
    return claim
