"""What HB61-DOC-1 asks of a claim and what is there, and what still stops its submission."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from upskill.assessment.models import Certificate
from upskill.supervision.services import blocked_problems, class_compliance

from ..models import (
    Claim,
    ClaimKind,
)


def _certificate(enrolment):

    return (
        Certificate.objects.filter(person=enrolment.person)
        .filter(Q(training_class=enrolment.training_class) | Q(attempt__enrolment=enrolment))
        .first()
    )


# HB61-DOC-1: the documents of a claim.
DOCUMENTS = {
    "application": gettext_lazy("Application form"),
    "roster": gettext_lazy("Roster of qualified trainees"),
    "certificates": gettext_lazy("Certificate copies"),
}


ENTERPRISE_DOCUMENTS = {"contracts": gettext_lazy("Labour contracts")}


# A township's fee claim rests on organiser claims already reviewed with their rosters and
# certificates: its application form is what it adds.
TOWNSHIP_DOCUMENTS = {"application": DOCUMENTS["application"]}


@dataclass(frozen=True)
class DocumentCheck:
    key: str
    label: str
    done: bool
    note: str


def documents_checklist(claim: Claim) -> list[DocumentCheck]:
    """What HB61-DOC-1 asks of the claim, and what is there. Certificates the system holds are
    verifiable inside it and need no copy."""
    wanted = dict(TOWNSHIP_DOCUMENTS) if claim.kind == ClaimKind.TOWNSHIP else dict(DOCUMENTS)
    if claim.kind == ClaimKind.ENTERPRISE:
        wanted.update(ENTERPRISE_DOCUMENTS)
    have = {d.key: d for d in claim.documents.all()}
    checks = []
    for key, label in wanted.items():
        if key == "certificates" and key not in have and _certificates_in_system(claim):
            checks.append(
                DocumentCheck(key, str(label), True, _("verifiable in the system: no copy needed"))
            )
            continue
        doc = have.get(key)
        checks.append(
            DocumentCheck(key, str(label), doc is not None, doc.original_name if doc else "")
        )
    return checks


def _certificates_in_system(claim: Claim) -> bool:
    lines = [line for line in claim.lines.all() if line.is_accepted and line.enrolment_id]
    return bool(lines) and all(_certificate(line.enrolment) is not None for line in lines)


def submission_problems(claim: Claim, *, on: date | None = None) -> list[str]:
    """Why the claim cannot be submitted now: the class's compliance checklist is red
    (GA23-INS-1, GA23-PHO-1, GA23-VID-1, GA23-EXM-1, GA23-SYS-1), the claimant is blacklisted
    (HB45-BLK-1), documents are missing (HB61-DOC-1) or nothing is claimable."""

    problems: list[str] = []
    if claim.training_class_id:
        compliance = class_compliance(training_class=claim.training_class)
        if not compliance.ok:
            problems.append(
                _("The class's compliance checklist is not complete: %(missing)s")
                % {"missing": "; ".join(compliance.missing)}
            )
    problems += [str(p) for p in blocked_problems(claim.claimant, on)]
    missing_docs = [c.label for c in documents_checklist(claim) if not c.done]
    if missing_docs:
        problems.append(
            _("HB61-DOC-1: documents missing: %(docs)s") % {"docs": "、".join(missing_docs)}
        )
    if not any(line.is_accepted for line in claim.lines.all()):
        problems.append(_("No line of the claim is payable."))
    return problems
