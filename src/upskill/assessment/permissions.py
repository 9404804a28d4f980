"""Permission codenames of the assessment app (granted to roles in ``organisations/roles.py``)."""

VIEW_SESSION = "assessment.view_examsession"
ADD_SESSION = "assessment.add_examsession"
ENTER_SCORES = "assessment.enter_scores"
SET_PASS_MARK = "assessment.change_passmark"  # noqa: S105  (a permission name)
VIEW_CERTIFICATE = "assessment.view_certificate"
ADD_CERTIFICATE = "assessment.add_certificate"
VERIFY_CERTIFICATE = "assessment.verify_certificate"
VIEW_ARCHIVE = "assessment.view_archive"
