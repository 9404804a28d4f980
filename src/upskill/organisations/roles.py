"""Default roles per organisation kind (ROLES.md). Created once after migrate; administrators
then adjust each role's permissions in the product (the admin's Role page). A later release that
gives a default role a new permission ships a data migration for existing deployments."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .models import OrganisationKind as K

VIEW_PERSON = "registry.view_person"
ADD_PERSON = "registry.add_person"
CHANGE_PERSON = "registry.change_person"
REVEAL = "registry.reveal_identity"
EXPORT_SENSITIVE = "registry.export_sensitive"
MANAGE_CATEGORIES = "registry.change_category"
ADD_PERSON_CATEGORY = "registry.add_personcategory"
VIEW_ORG = "organisations.view_organisation"
CHANGE_ORG = "organisations.change_organisation"
MANAGE_USERS = "organisations.manage_users"
MANAGE_TOKENS = "organisations.manage_api_tokens"
VIEW_AUDIT = "core.view_audit_trail"
VIEW_ACCESS_LOG = "core.view_accesslog"
ADD_PARAMETER = "policy_admin.add_parameterversion"
WITHDRAW_PARAMETER = "policy_admin.change_parameterversion"

_BUREAU = {
    "admin": (
        _("Administrator"),
        True,
        [
            VIEW_ORG,
            CHANGE_ORG,
            MANAGE_USERS,
            MANAGE_TOKENS,
            VIEW_PERSON,
            ADD_PERSON,
            CHANGE_PERSON,
            ADD_PERSON_CATEGORY,
            MANAGE_CATEGORIES,
            VIEW_AUDIT,
            VIEW_ACCESS_LOG,
            ADD_PARAMETER,
            WITHDRAW_PARAMETER,
        ],
    ),
    "reviewer": (_("Reviewer"), False, [VIEW_ORG, VIEW_PERSON, REVEAL, VIEW_AUDIT]),
    "inspector": (_("Inspector"), False, [VIEW_ORG, VIEW_PERSON]),
    "payment_clerk": (_("Payment clerk"), False, [VIEW_ORG, VIEW_PERSON, REVEAL, EXPORT_SENSITIVE]),
    "auditor": (_("Auditor"), False, [VIEW_ORG, VIEW_PERSON, REVEAL, VIEW_AUDIT, VIEW_ACCESS_LOG]),
}

# kind → role code → (name, may use the admin site, permissions)
DEFAULT_ROLES: dict[str, dict[str, tuple]] = {
    K.PROVINCE_HR: {
        "policy_admin": (
            _("Policy administrator"),
            True,
            [VIEW_ORG, CHANGE_ORG, MANAGE_USERS, VIEW_PERSON, MANAGE_CATEGORIES, VIEW_AUDIT,
             ADD_PARAMETER, WITHDRAW_PARAMETER],
        ),
        "statistician": (_("Statistician"), False, [VIEW_ORG]),
    },
    K.CITY_HR: _BUREAU,
    K.COUNTY_HR: _BUREAU,
    K.TRAINING_CENTRE: {code: _BUREAU[code] for code in ("reviewer", "inspector", "auditor")},
    K.TOWNSHIP_CENTRE: {
        "clerk": (
            _("Clerk"),
            False,
            [VIEW_ORG, VIEW_PERSON, ADD_PERSON, CHANGE_PERSON, ADD_PERSON_CATEGORY],
        ),
    },
    K.INSTITUTION: {
        "admin": (
            _("Administrator"),
            False,
            [VIEW_ORG, MANAGE_USERS, VIEW_PERSON, ADD_PERSON, CHANGE_PERSON, REVEAL],
        ),
        "clerk": (_("Clerk"), False, [VIEW_ORG, VIEW_PERSON, ADD_PERSON, CHANGE_PERSON]),
        "teacher": (_("Teacher"), False, [VIEW_ORG, VIEW_PERSON]),
    },
    K.ENTERPRISE: {
        "hr_clerk": (_("HR clerk"), False, [VIEW_ORG, VIEW_PERSON, ADD_PERSON, CHANGE_PERSON]),
    },
    K.ASSOCIATION: {
        "clerk": (_("Clerk"), False, [VIEW_ORG]),
    },
    K.HR_SERVICE_CENTRE: {
        "counsellor": (_("Employment counsellor"), False, [VIEW_ORG, VIEW_PERSON]),
    },
    K.RURAL_REVITALISATION: {
        "clerk": (
            _("Clerk"),
            False,
            [VIEW_ORG, VIEW_PERSON, ADD_PERSON, CHANGE_PERSON, ADD_PERSON_CATEGORY],
        ),
    },
}
