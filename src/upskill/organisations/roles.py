"""Default roles per organisation kind (docs/roles.md). Created once after migrate; administrators
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
ADD_CATALOG = "catalog.add_catalog"
CHANGE_CATALOG = "catalog.change_catalog"
PUBLISH_CATALOG = "catalog.publish_catalog"

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
            ADD_CATALOG,
            CHANGE_CATALOG,
            PUBLISH_CATALOG,
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
            [
                VIEW_ORG,
                CHANGE_ORG,
                MANAGE_USERS,
                VIEW_PERSON,
                MANAGE_CATEGORIES,
                VIEW_AUDIT,
                ADD_PARAMETER,
                WITHDRAW_PARAMETER,
                ADD_CATALOG,
                CHANGE_CATALOG,
                PUBLISH_CATALOG,
            ],
        ),
        "statistician": (_("Statistician"), False, [VIEW_ORG]),
    },
    K.CITY_HR: _BUREAU,
    K.COUNTY_HR: _BUREAU,
    K.TRAINING_CENTRE: {
        **{code: _BUREAU[code] for code in ("reviewer", "inspector", "auditor")},
        # the centre organises poverty-alleviation classes with the township centres (GA23 三(五))
        "organiser": (
            _("Class organiser"),
            False,
            [VIEW_ORG, VIEW_PERSON, ADD_PERSON, CHANGE_PERSON],
        ),
    },
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
    # An online platform's operator builds its courses and follows its learners (WH20-PLT-1).
    K.PLATFORM: {
        "operator": (
            _("Platform operator"),
            False,
            [
                VIEW_ORG,
                "learning.view_course",
                "learning.add_course",
                "learning.change_course",
                "learning.view_lessonprogress",
                # the online theory exam (WH20-EXM-1): question banks, blueprints, attempts
                "exams.view_questionbank",
                "exams.change_questionbank",
                "exams.view_examattempt",
            ],
        ),
    },
}


def _grant(grants: dict[str, dict[str, list[str]]]) -> None:
    """Add an app's permissions to the default roles. A county bureau's roles get what a city
    bureau's get (both are bureaus of their jurisdiction); the table keeps that entry, which the
    data migrations granting these to existing deployments read."""
    if K.CITY_HR in grants:
        grants[K.COUNTY_HR] = grants[K.CITY_HR]
    for kind, by_role in grants.items():
        for code, extra in by_role.items():
            name, staff, perms = DEFAULT_ROLES[kind][code]
            added = [p for p in extra if p not in perms]
            DEFAULT_ROLES[kind][code] = (name, staff, [*perms, *added])


# Training classes (HB61-PRJ-1, GA23-SYS-1): the organiser's clerk files and enrols, its teacher
# keeps attendance and records the first lesson, the bureau's reviewer approves.
_CLASS_VIEW = ["training.view_trainingclass", "training.view_teacher"]
_CLASS_FILE = [
    "training.add_trainingclass",
    "training.change_trainingclass",
    "training.add_teacher",
    "training.change_teacher",
    "training.add_enrolment",
    "training.add_leaverequest",
    "training.decide_leaverequest",
]
_CLASS_TEACH = [
    "training.change_attendance",
    "training.record_first_lesson",
    "training.add_leaverequest",
]
TOWNSHIP_RECRUITING = ["training.add_enrolment"]
_TRAINING_GRANTS = {
    K.PROVINCE_HR: {"policy_admin": _CLASS_VIEW, "statistician": _CLASS_VIEW},
    K.CITY_HR: {
        "admin": _CLASS_VIEW,
        "reviewer": [*_CLASS_VIEW, "training.review_trainingclass"],
        "inspector": _CLASS_VIEW,
        "payment_clerk": _CLASS_VIEW,
        "auditor": _CLASS_VIEW,
    },
    K.TRAINING_CENTRE: {
        "reviewer": [*_CLASS_VIEW, "training.review_trainingclass"],
        "inspector": _CLASS_VIEW,
        "auditor": _CLASS_VIEW,
        "organiser": [*_CLASS_VIEW, *_CLASS_FILE, *_CLASS_TEACH],
    },
    # the township centre recruits and enrols trainees for classes held in its township
    # (组织招生, GA23 三(五); training.services.organisers)
    K.TOWNSHIP_CENTRE: {"clerk": [*_CLASS_VIEW, *TOWNSHIP_RECRUITING]},
    K.INSTITUTION: {
        "admin": [*_CLASS_VIEW, *_CLASS_FILE, *_CLASS_TEACH],
        "clerk": [*_CLASS_VIEW, *_CLASS_FILE],
        "teacher": [*_CLASS_VIEW, *_CLASS_TEACH],
    },
    K.ENTERPRISE: {"hr_clerk": [*_CLASS_VIEW, *_CLASS_FILE, *_CLASS_TEACH]},
}
_grant(_TRAINING_GRANTS)

# Supervision (GA23-INS-1, GA23-PHO-1, GA23-VID-1, GA23-EXM-1, GA23-SPT-1, HB45-BLK-1): the
# bureau's inspector records inspections and spot checks, reviews fraud signals and blacklists;
# the organiser's clerk uploads the class's photos and videos; the sanctioned institution sees
# its own sanctions.
_SUPERVISION_VIEW = [
    "supervision.view_inspection",
    "supervision.view_inspectionscreenshot",
    "supervision.view_evidence",
    "supervision.view_sanction",
]
_SUPERVISION_INSPECT = [
    *_SUPERVISION_VIEW,
    "supervision.add_inspection",
    "supervision.record_inspection",
    "supervision.view_signal",
    "supervision.review_signal",
    "supervision.view_spotcheck",
    "supervision.record_spotcheck",
    "supervision.issue_sanction",
]
_SUPERVISION_UPLOAD = [*_SUPERVISION_VIEW, "supervision.upload_evidence"]
_SUPERVISION_GRANTS = {
    K.PROVINCE_HR: {"policy_admin": _SUPERVISION_VIEW, "statistician": _SUPERVISION_VIEW},
    K.CITY_HR: {
        "admin": [*_SUPERVISION_VIEW, "supervision.issue_sanction"],
        "reviewer": _SUPERVISION_VIEW,
        "inspector": _SUPERVISION_INSPECT,
        "payment_clerk": _SUPERVISION_VIEW,
        "auditor": [*_SUPERVISION_VIEW, "supervision.view_signal", "supervision.view_spotcheck"],
    },
    K.TRAINING_CENTRE: {
        "reviewer": _SUPERVISION_VIEW,
        "inspector": _SUPERVISION_INSPECT,
        "auditor": _SUPERVISION_VIEW,
        "organiser": _SUPERVISION_UPLOAD,
    },
    K.INSTITUTION: {
        "admin": _SUPERVISION_UPLOAD,
        "clerk": _SUPERVISION_UPLOAD,
        "teacher": _SUPERVISION_VIEW,
    },
    K.ENTERPRISE: {"hr_clerk": _SUPERVISION_UPLOAD},
}
_grant(_SUPERVISION_GRANTS)

# Assessment and certificates (GA23-CRT-1, WH20-EXM-1, HB61-ONL-1, HB61-CRT-1, HB45-QA-1): the
# organiser's clerk schedules exam sessions and records certificates issued elsewhere; its
# teacher (the examiner) enters scores and confirms results; the bureau sets pass marks and
# verifies recorded certificates. Employment services (GA23-EMP-1): the HR service centre's
# counsellor works the queue and keeps the vacancy list; the bureau reads the queue.
_EXAM_VIEW = [
    "assessment.view_examsession",
    "assessment.view_attempt",
    "assessment.view_passmark",
    "exams.view_examattempt",  # the online theory exam's attempts of the classes seen (read-only)
]
_CERT_VIEW = ["assessment.view_certificate"]
_ARCHIVE = ["assessment.view_archive"]
_PASS_MARKS = ["assessment.add_passmark", "assessment.change_passmark"]
_EXAM_SCHEDULE = ["assessment.add_examsession", "assessment.add_certificate"]
_EXAM_SCORE = ["assessment.enter_scores", "assessment.change_attempt"]
_REFERRAL_VIEW = ["employment.view_referral", "employment.view_followup"]
_COUNSEL = [
    *_REFERRAL_VIEW,
    "employment.change_referral",
    "employment.add_followup",
    "employment.view_vacancy",
    "employment.add_vacancy",
    "employment.change_vacancy",
]
_BUREAU_READ = [*_EXAM_VIEW, *_CERT_VIEW, *_ARCHIVE, *_REFERRAL_VIEW]
_ASSESSMENT_GRANTS = {
    K.PROVINCE_HR: {"policy_admin": [*_EXAM_VIEW, *_CERT_VIEW, *_PASS_MARKS]},
    K.CITY_HR: {
        "admin": [*_BUREAU_READ, *_PASS_MARKS, "assessment.verify_certificate"],
        "reviewer": [*_BUREAU_READ, "assessment.add_certificate", "assessment.verify_certificate"],
        "inspector": _BUREAU_READ,
        "payment_clerk": [*_EXAM_VIEW, *_CERT_VIEW],
        "auditor": _BUREAU_READ,
    },
    K.TRAINING_CENTRE: {
        "reviewer": [*_BUREAU_READ, "assessment.verify_certificate"],
        "inspector": _BUREAU_READ,
        "auditor": _BUREAU_READ,
        "organiser": [*_EXAM_VIEW, *_CERT_VIEW, *_EXAM_SCHEDULE, *_EXAM_SCORE],
    },
    K.TOWNSHIP_CENTRE: {"clerk": [*_EXAM_VIEW, *_ARCHIVE]},
    K.INSTITUTION: {
        "admin": [*_EXAM_VIEW, *_CERT_VIEW, *_EXAM_SCHEDULE, *_EXAM_SCORE],
        "clerk": [*_EXAM_VIEW, *_CERT_VIEW, *_EXAM_SCHEDULE],
        "teacher": [*_EXAM_VIEW, *_CERT_VIEW, *_EXAM_SCORE],
    },
    K.ENTERPRISE: {"hr_clerk": [*_EXAM_VIEW, *_CERT_VIEW, *_EXAM_SCHEDULE, *_EXAM_SCORE]},
    K.HR_SERVICE_CENTRE: {"counsellor": [*_CERT_VIEW, *_ARCHIVE, *_COUNSEL]},
}
_grant(_ASSESSMENT_GRANTS)

# Subsidies (HB45-PUB-1, HB45-ADV-1, HB45-BLK-1, HB61-DOC-1, GA23-LIV-1/2, GA23-FEE-1): the
# organiser's clerk assembles and submits claims; the bureau's reviewer reviews them; the payment
# clerk (never the reviewer of the same claim) makes batches and exports the bank files; the
# auditor reads the ledger; the administrator sets fund budgets and the working-day calendar.
_CLAIM_VIEW = [
    "subsidies.view_claim",
    "subsidies.view_claimline",
    "subsidies.view_claimitem",
    "subsidies.view_claimdocument",
    "subsidies.view_objection",
]
_CLAIM_SUBMIT = [*_CLAIM_VIEW, "subsidies.submit_claim", "subsidies.view_payeeaccount"]
_FUND_VIEW = ["subsidies.view_fund", "subsidies.view_paymentbatch", "subsidies.view_paymentitem"]
_SUBSIDY_GRANTS = {
    K.CITY_HR: {
        "admin": [
            *_CLAIM_VIEW,
            *_FUND_VIEW,
            "subsidies.add_fund",
            "subsidies.change_fund",
            "subsidies.add_calendarday",
            "subsidies.change_calendarday",
            "subsidies.delete_calendarday",
            "subsidies.add_ledgerentry",
            "subsidies.view_ledgerentry",
        ],
        "reviewer": [*_CLAIM_VIEW, "subsidies.review_claim", "subsidies.view_fund"],
        "inspector": _CLAIM_VIEW,
        "payment_clerk": [
            *_CLAIM_VIEW,
            *_FUND_VIEW,
            "subsidies.add_paymentbatch",
            "subsidies.export_paymentbatch",
            "subsidies.view_payeeaccount",
            "subsidies.change_payeeaccount",
        ],
        "auditor": [*_CLAIM_VIEW, *_FUND_VIEW, "subsidies.view_ledgerentry"],
    },
    K.TRAINING_CENTRE: {
        "reviewer": [*_CLAIM_VIEW, "subsidies.review_claim", "subsidies.view_fund"],
        "inspector": _CLAIM_VIEW,
        "auditor": [*_CLAIM_VIEW, *_FUND_VIEW, "subsidies.view_ledgerentry"],
        "organiser": _CLAIM_SUBMIT,
    },
    # the township's clerk claims its management fees (GA23-FEE-1) with a claim of its own
    K.TOWNSHIP_CENTRE: {"clerk": _CLAIM_SUBMIT},
    K.INSTITUTION: {"admin": _CLAIM_SUBMIT, "clerk": _CLAIM_SUBMIT},
    K.ENTERPRISE: {"hr_clerk": _CLAIM_SUBMIT},
}
_grant(_SUBSIDY_GRANTS)

# Enterprise records (HB61-PJ-1, WH20-OBJ-1, HB61-CMP-1/2, HB45-APP-1, HB45-TEC-1, HB61-WFT-1):
# the enterprise's HR clerk records its employees' labour contracts and program records; the
# bureau of its county or city and its association read them.
_ENTERPRISE_VIEW = ["enterprise.view_employmentcontract", "enterprise.view_enterpriserecord"]
_ENTERPRISE_GRANTS: dict[str, dict[str, list[str]]] = {
    K.PROVINCE_HR: {"policy_admin": _ENTERPRISE_VIEW, "statistician": _ENTERPRISE_VIEW},
    K.CITY_HR: {"admin": _ENTERPRISE_VIEW, "reviewer": _ENTERPRISE_VIEW},
    K.ASSOCIATION: {"clerk": _ENTERPRISE_VIEW},
    K.ENTERPRISE: {
        "hr_clerk": [
            *_ENTERPRISE_VIEW,
            "enterprise.add_employmentcontract",
            "enterprise.change_employmentcontract",
            "enterprise.add_enterpriserecord",
        ]
    },
}
_grant(_ENTERPRISE_GRANTS)

# Allowance accounts (GA23-LIV-1/2): the bureau's payment clerk confirms a change asked while the
# person has approved, unpaid money, the reviewer decides an account held by someone else; those
# who record accounts follow their requests.
_ACCOUNT_CHANGES_VIEW = ["registry.view_bankaccountchangerequest"]
_ACCOUNT_GRANTS = {
    K.CITY_HR: {
        "admin": _ACCOUNT_CHANGES_VIEW,
        "reviewer": [*_ACCOUNT_CHANGES_VIEW, "registry.decide_holder_exception"],
        "payment_clerk": [*_ACCOUNT_CHANGES_VIEW, "registry.confirm_bankaccountchangerequest"],
        "auditor": _ACCOUNT_CHANGES_VIEW,
    },
    K.TOWNSHIP_CENTRE: {"clerk": _ACCOUNT_CHANGES_VIEW},
    K.INSTITUTION: {"admin": _ACCOUNT_CHANGES_VIEW, "clerk": _ACCOUNT_CHANGES_VIEW},
    K.ENTERPRISE: {"hr_clerk": _ACCOUNT_CHANGES_VIEW},
}
_grant(_ACCOUNT_GRANTS)

# Phone numbers (encrypted, shown masked): the roles whose work is calling people reveal one with
# a click, logged, each for the persons it calls (registry.selectors.phone_revealable): the HR
# service centre's counsellor its referrals, the inspector its county's persons (spot checks by
# telephone, GA23-SPT-1), the township centre its residents, the institution its enrolled
# trainees. Enterprises never.
REVEAL_PHONE = "registry.reveal_phone"
_PHONE_GRANTS: dict[str, dict[str, list[str]]] = {
    K.CITY_HR: {"inspector": [REVEAL_PHONE]},
    K.TRAINING_CENTRE: {"inspector": [REVEAL_PHONE]},
    K.TOWNSHIP_CENTRE: {"clerk": [REVEAL_PHONE]},
    K.INSTITUTION: {"admin": [REVEAL_PHONE], "clerk": [REVEAL_PHONE]},
    K.HR_SERVICE_CENTRE: {"counsellor": [REVEAL_PHONE]},
}
_grant(_PHONE_GRANTS)

# The roster vocabulary (header wordings, category and household-registration words) is data:
# a bureau's administrator adds its county's wording, the province's policy administrator the
# wording every county uses (registry.vocabulary).
_VOCABULARY = ["registry.add_vocabularyterm", "registry.change_vocabularyterm"]
_VOCABULARY_GRANTS = {
    K.PROVINCE_HR: {"policy_admin": _VOCABULARY},
    K.CITY_HR: {"admin": _VOCABULARY},
}
_grant(_VOCABULARY_GRANTS)


# Targets, dashboards and reports (GA23-TGT-1, HB45-TGT-1, GA23-EVAL-1, HB45-RPT-1): the
# bureau's administrator (the province's policy administrator and statistician) sets and splits
# its targets; the other bureau roles, township centres and institutions read the dashboards
# in their scope.
_REPORTS_VIEW = ["reports.view_target", "reports.view_dashboard"]
# the reports upward (HB45-RPT-1) and the reimbursement request (HB61 五): generated by the
# bureau's administrator, read by its other roles
_UPWARD_VIEW = ["reports.view_upwardreport"]
_REPORTS_SET = [
    *_REPORTS_VIEW,
    *_UPWARD_VIEW,
    "reports.add_target",
    "reports.change_target",
    "reports.split_target",
    "reports.add_upwardreport",
]
_REPORTS_GRANTS = {
    K.PROVINCE_HR: {"policy_admin": _REPORTS_SET, "statistician": _REPORTS_SET},
    K.CITY_HR: {
        "admin": _REPORTS_SET,
        "reviewer": [*_REPORTS_VIEW, *_UPWARD_VIEW],
        "inspector": _REPORTS_VIEW,
        "payment_clerk": [*_REPORTS_VIEW, *_UPWARD_VIEW],
        "auditor": [*_REPORTS_VIEW, *_UPWARD_VIEW],
    },
    K.TRAINING_CENTRE: {
        "reviewer": _REPORTS_VIEW,
        "inspector": _REPORTS_VIEW,
        "auditor": _REPORTS_VIEW,
    },
    K.TOWNSHIP_CENTRE: {"clerk": _REPORTS_VIEW},
    K.INSTITUTION: {"admin": _REPORTS_VIEW, "clerk": _REPORTS_VIEW},
}
_grant(_REPORTS_GRANTS)

# The Wuhan enrolment path (WH20-ENR-1/2, WH20-OBJ-1, WH20-FEE-1, WH20-LVE-1, WH20-USE-1): the
# association's clerk keeps the members, opens calls, makes batches and schedules applications;
# the member enterprise's HR clerk applies, puts employees forward and records their agreements,
# receipts and leaving; the institution records receipts and the statement of use; the bureau
# reads everything of its jurisdiction.
_NOMINATION_VIEW = [
    "nominations.view_membership",
    "nominations.view_call",
    "nominations.view_batch",
    "nominations.view_application",
]
_NOMINATION_PERSONS = [
    "nominations.view_nomination",
    "nominations.view_feereceipt",
    "nominations.view_subsidyuse",
]
NOMINATION_GRANTS: dict[str, dict[str, list[str]]] = {
    K.PROVINCE_HR: {"policy_admin": [*_NOMINATION_VIEW, *_NOMINATION_PERSONS]},
    K.CITY_HR: {
        "admin": [*_NOMINATION_VIEW, *_NOMINATION_PERSONS],
        "reviewer": [*_NOMINATION_VIEW, *_NOMINATION_PERSONS],
    },
    K.ASSOCIATION: {
        "clerk": [
            *_NOMINATION_VIEW,
            "nominations.view_subsidyuse",
            "nominations.add_membership",
            "nominations.add_call",
            "nominations.add_batch",
            "nominations.change_application",
        ]
    },
    K.ENTERPRISE: {
        "hr_clerk": [
            *_NOMINATION_VIEW,
            *_NOMINATION_PERSONS,
            "nominations.add_application",
            "nominations.add_nomination",
            "nominations.change_nomination",
            "nominations.add_feereceipt",
        ]
    },
    K.INSTITUTION: {
        "admin": [
            *_NOMINATION_VIEW,
            *_NOMINATION_PERSONS,
            "nominations.add_feereceipt",
            "nominations.add_subsidyuse",
        ],
        "clerk": [
            *_NOMINATION_VIEW,
            *_NOMINATION_PERSONS,
            "nominations.add_feereceipt",
            "nominations.add_subsidyuse",
        ],
    },
}
_grant(NOMINATION_GRANTS)


# Weekly learning progress (WH20-PRG-1): the enterprise's HR follows its employees in online
# classes and takes the week's snapshot at once; the association its members' counts; the
# bureau its region's.
_WEEKLY_VIEW = ["learning.view_weeklyprogress"]
_WEEKLY_RUN = [*_WEEKLY_VIEW, "learning.add_weeklyprogress"]
LEARNING_GRANTS: dict[str, dict[str, list[str]]] = {
    K.CITY_HR: {"admin": _WEEKLY_VIEW, "reviewer": _WEEKLY_VIEW},
    K.ASSOCIATION: {"clerk": _WEEKLY_RUN},
    K.ENTERPRISE: {"hr_clerk": _WEEKLY_RUN},
}
_grant(LEARNING_GRANTS)
