"""A learner (a registry person's own account, no organisation) reaches only the learner's pages:
the portal under ``/me/`` (and the enrolment pages of the Wuhan path under
``/nominations/me/``), logging out, the language switch and static files. The home page
sends them to their portal; any other page does not exist for them (404, as outside a scope),
so no staff page has to think about learners."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect

from upskill.core.scoping import person_of

LEARNER_PREFIXES = (
    "/me/",
    "/nominations/me/",  # the Wuhan path's own enrolment pages (register online, agreements)
    "/api/me/",  # the learner's own JSON (the online exam's attempts)
    "/accounts/logout/",
    "/i18n/",
    "/static/",
    "/healthz",
)


class LearnerPagesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not user.is_superuser
            and person_of(user) is not None
            and not request.path_info.startswith(LEARNER_PREFIXES)
        ):
            if request.path_info == "/":
                return redirect("learner_portal")
            raise Http404
        return self.get_response(request)
