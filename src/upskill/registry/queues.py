"""What waits in the registry (core/queues.py): bank-account changes waiting for the bureau's
decision (Security: an account changed while money is unpaid is confirmed by the payment
clerk); the learner account links an enterprise or institution handed out that no learner has
used yet (WH20 online path). Counted with the list's own selector."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from upskill.core.queues import QueueEntry
from upskill.organisations.models import OrganisationKind

from . import selectors

# the payment clerk's permission (named here: the constant moves between modules)
CONFIRM_CHANGE = "registry.confirm_bankaccountchangerequest"


def account_changes_pending(user) -> int:
    return selectors.bank_account_changes(actor=user).order_by().count()


def learner_links_open(user) -> int:
    return selectors.learner_invitations(actor=user, state="open").order_by().count()


ENTRIES = (
    QueueEntry(
        "registry.learner_links",
        _("Learner account links not used yet"),
        "registry:learner_links",
        learner_links_open,
        perm="registry.change_person",
        kinds=frozenset({OrganisationKind.ENTERPRISE, OrganisationKind.INSTITUTION}),
        query="state=open",
        order=46,
    ),
    QueueEntry(
        "registry.account_changes",
        _("Bank-account changes to decide"),
        "registry:bank_account_changes",
        account_changes_pending,
        perm=CONFIRM_CHANGE,
        order=45,
    ),
)
