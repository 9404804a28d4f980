"""The JSON API: each app's ``api.py`` router assembled into one OpenAPI document
(``/api/openapi.json``, browsable at ``/api/docs``). Same scoping as the pages."""

from __future__ import annotations

from ninja import NinjaAPI

from upskill import __version__
from upskill.core.api import ActiveSessionAuth, TokenAuth, install_error_handlers
from upskill.organisations.api import router as organisations_router
from upskill.policy_admin.api import router as policy_router
from upskill.registry.api import router as registry_router

api = NinjaAPI(
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
api.add_router("/", policy_router)
