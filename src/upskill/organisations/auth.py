"""Permissions come from the user's role (one role per user)."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend


class RoleBackend(ModelBackend):
    """Django's model backend, with the role standing where groups would: a user's permissions
    are their role's plus any given to them directly. Inactive organisations grant nothing."""

    def _get_group_permissions(self, user_obj):
        from django.contrib.auth.models import Permission

        if user_obj.role_id is None or (
            user_obj.organisation_id is not None and not user_obj.organisation.is_active
        ):
            return Permission.objects.none()
        return Permission.objects.filter(role=user_obj.role_id)
