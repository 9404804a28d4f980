"""Writes to the real-name registry. Every function takes the acting user or token first.

One module per sub-domain: ``persons`` (register, update, bulk, the learner's account),
``reveals`` (the look-up by ID number and the reveals), ``exports`` (the audited export of
persons), ``affiliations``, ``categories``, ``accounts`` (bank accounts and change requests),
``imports`` (the poverty-alleviated roster) and ``vocabulary`` (the roster wordings). Reads are
in ``registry.selectors``; the roster vocabulary every roster shares in ``registry.rosters``;
the look-up by ID number hash in ``registry.lookup``. The names below stay importable from
here, as the other apps and the tests import them.
"""

from __future__ import annotations

from ..lookup import ID_PURPOSE, id_number_hash
from ..rosters import (
    CATEGORY_HEADERS,
    HUKOU_HEADERS,
    ID_NUMBER_HEADERS,
    NAME_HEADERS,
    NAME_MAX_LENGTH,
    PHONE_HEADERS,
    TOWNSHIP_HEADERS,
    check_person_name,
    check_phone,
    hukou_from_words,
    person_columns,
    person_name,
    roster_words,
    township_index,
)
from ..selectors import (
    REVEAL_PHONE,
    has_unpaid_money,
    person_find_by_id_number,
    person_for_declaration,
)
from ._common import ACCOUNT_PURPOSE
from .accounts import (
    CONFIRM_CHANGE,
    DECIDE_EXCEPTION,
    AccountResult,
    bank_account_change_confirm,
    bank_account_exception_decide,
    bank_account_set,
)
from .affiliations import affiliation_ensure, affiliations_ensure_bulk
from .categories import person_category_add
from .corrections import (
    MergePreview,
    person_id_number_correct,
    person_merge,
    person_merge_preview,
)
from .imports import roster_columns, roster_import, roster_import_run
from .learners import (
    CHANGE_PERSON,
    invitation_qr_svg,
    learner_account_activate,
    learner_invitation_create,
    learner_invitation_find,
    learner_password_reset,
    learner_username,
)
from .persons import (
    UPDATABLE_FIELDS,
    DuplicatePerson,
    NewPerson,
    may_correct_name,
    person_account_create,
    person_register,
    person_update,
    persons_register_bulk,
)
from .reveals import (
    LookupResult,
    bank_account_reveal,
    person_lookup,
    person_reveal_id_number,
    person_reveal_phone,
)
from .vocabulary import vocabulary_region_allowed, vocabulary_term_add, vocabulary_term_check

__all__ = [
    "ACCOUNT_PURPOSE",
    "CATEGORY_HEADERS",
    "CHANGE_PERSON",
    "CONFIRM_CHANGE",
    "DECIDE_EXCEPTION",
    "HUKOU_HEADERS",
    "ID_NUMBER_HEADERS",
    "ID_PURPOSE",
    "NAME_HEADERS",
    "NAME_MAX_LENGTH",
    "PHONE_HEADERS",
    "REVEAL_PHONE",
    "TOWNSHIP_HEADERS",
    "UPDATABLE_FIELDS",
    "AccountResult",
    "DuplicatePerson",
    "LookupResult",
    "MergePreview",
    "NewPerson",
    "affiliation_ensure",
    "affiliations_ensure_bulk",
    "bank_account_change_confirm",
    "bank_account_exception_decide",
    "bank_account_reveal",
    "bank_account_set",
    "check_person_name",
    "check_phone",
    "has_unpaid_money",
    "hukou_from_words",
    "id_number_hash",
    "invitation_qr_svg",
    "learner_account_activate",
    "learner_invitation_create",
    "learner_invitation_find",
    "learner_password_reset",
    "learner_username",
    "may_correct_name",
    "person_account_create",
    "person_category_add",
    "person_columns",
    "person_find_by_id_number",
    "person_for_declaration",
    "person_id_number_correct",
    "person_lookup",
    "person_merge",
    "person_merge_preview",
    "person_name",
    "person_register",
    "person_reveal_id_number",
    "person_reveal_phone",
    "person_update",
    "persons_register_bulk",
    "roster_columns",
    "roster_import",
    "roster_import_run",
    "roster_words",
    "township_index",
    "vocabulary_region_allowed",
    "vocabulary_term_add",
    "vocabulary_term_check",
]
