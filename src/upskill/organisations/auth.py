"""Who is acting: permissions come from the user's role (one role per user); a partner system
acts through its API token."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from ninja.security import HttpBearer

from upskill.core.actor import set_actor

from .models import ApiToken
from .services import api_token_authenticate


class RoleBackend(ModelBackend):
    """Django's model backend, with the role standing where groups would: a user's permissions
    are their role's plus any given to them directly. Inactive organisations grant nothing."""

    def _get_group_permissions(self, user_obj):
        if user_obj.role_id is None or (
            user_obj.organisation_id is not None and not user_obj.organisation.is_active
        ):
            return Permission.objects.none()
        return Permission.objects.filter(role=user_obj.role_id)


class TokenAuth(HttpBearer):
    """``Authorization: Bearer usk_…``: a partner system acting for one organisation. Here, not
    in ``core.api``: tokens are the organisations' (core sits below organisations)."""

    def authenticate(self, request, token: str) -> ApiToken | None:
        api_token = api_token_authenticate(token)
        if api_token is not None:
            set_actor(api_token)  # the middleware resets it when the request ends
        return api_token
