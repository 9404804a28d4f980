"""The JSON API: each app's ``api.py`` router assembled into one OpenAPI document
(``/api/openapi.json``, browsable at ``/api/docs``). Same scoping as the pages."""

from __future__ import annotations

from upskill import __version__
from upskill.assessment.api import router as assessment_router
from upskill.catalog.api import router as catalog_router
from upskill.core.api import ActiveSessionAuth, DocumentedAPI, install_error_handlers
from upskill.core.api import router as jobs_router
from upskill.employment.api import router as employment_router
from upskill.enterprise.api import router as enterprise_router
from upskill.exams.api import router as exams_router
from upskill.learning.api import router as learning_router
from upskill.nominations.api import router as nominations_router
from upskill.organisations.api import router as organisations_router
from upskill.organisations.auth import TokenAuth
from upskill.policy_admin.api import router as policy_router
from upskill.registry.api import router as registry_router
from upskill.reports.api import router as reports_router
from upskill.subsidies.api import router as subsidies_router
from upskill.supervision.api import router as supervision_router
from upskill.training.api import router as training_router

api = DocumentedAPI(
    title="upskill API",
    version=__version__,
    description=(
        "Vocational skills training administration. Authenticate with a partner token "
        "(`Authorization: Bearer usk_…`, issued per organisation) or a browser session. "
        "Every list and object is limited to what the organisation may see: outside its "
        "scope an object answers 404, inside it without the permission 403."
    ),
    auth=[TokenAuth(), ActiveSessionAuth()],
    urls_namespace="api",
)
install_error_handlers(api)
api.add_router("/", organisations_router)
api.add_router("/", registry_router)
api.add_router("/", jobs_router)
api.add_router("/", policy_router)
api.add_router("/", catalog_router)
api.add_router("/", training_router)
api.add_router("/", supervision_router)
api.add_router("/", assessment_router)
api.add_router("/", employment_router)
api.add_router("/", enterprise_router)
api.add_router("/", subsidies_router)
api.add_router("/", learning_router)
api.add_router("/", exams_router)
api.add_router("/", nominations_router)
api.add_router("/", reports_router)
