"""Wagtail's user management with one rule on top: only superusers make or manage staff.

A registrar may create and edit learners' and instructors' accounts and give them the
learner and instructor roles; superuser status, staff roles and staff accounts are a
superuser's business. The rule is enforced on the server, on every path Wagtail offers:
the add and edit forms (fields removed, choices limited), the edit and delete pages of a
staff account (403), and the bulk actions (staff accounts are not actionable, staff roles
not offered).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseBase
from django.utils.functional import cached_property
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views import users
from wagtail.users.views.bulk_actions import (
    AssignRoleBulkAction,
    DeleteBulkAction,
    SetActiveStateBulkAction,
)

from learners.selectors import learner_display_name

from .roles import roles_grantable_by, user_may_manage_account


class _RolesLimitedFormMixin:
    """Without superuser status the editor gets no superuser field and only the roles
    they may grant: a posted `is_superuser` is ignored, a posted staff role refused."""

    def __init__(self, *args: Any, for_user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not for_user.is_superuser:
            self.fields.pop("is_superuser", None)
            self.fields["groups"].queryset = roles_grantable_by(for_user)


class AccountCreationForm(_RolesLimitedFormMixin, UserCreationForm):
    pass


class AccountEditForm(_RolesLimitedFormMixin, UserEditForm):
    pass


class _ForUserMixin:
    request: HttpRequest

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "for_user": self.request.user}  # type: ignore[misc]


class _StaffAccountsForSuperusersMixin:
    request: HttpRequest
    object: Any

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not user_may_manage_account(request.user, self.object):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


class AccountCreateView(_ForUserMixin, users.CreateView):
    pass


class AccountEditView(_StaffAccountsForSuperusersMixin, _ForUserMixin, users.EditView):
    pass


class AccountDeleteView(_StaffAccountsForSuperusersMixin, users.DeleteView):
    pass


class AccountIndexView(users.IndexView):
    """People named as everywhere else: a learner who signed up has no account name."""

    @cached_property
    def columns(self) -> list:
        columns = super().columns
        next(column for column in columns if column.name == "name").accessor = learner_display_name
        return columns

    def get_base_queryset(self) -> QuerySet:
        return super().get_base_queryset().select_related("learner_profile")


class AccountViewSet(users.UserViewSet):
    index_view_class = AccountIndexView
    add_view_class = AccountCreateView
    edit_view_class = AccountEditView
    delete_view_class = AccountDeleteView
    copy_view_enabled = False  # its form is bound to the source account, outside our rules

    def get_form_class(self, for_update: bool = False) -> type:
        return AccountEditForm if for_update else AccountCreationForm


class AccountAssignRoleBulkAction(AssignRoleBulkAction):
    def check_perm(self, obj: Any) -> bool:
        return super().check_perm(obj) and user_may_manage_account(self.request.user, obj)

    def get_form(self, form_class: type | None = None) -> Any:
        form = super().get_form(form_class)
        form.fields["role"].queryset = roles_grantable_by(self.request.user)
        return form


class AccountSetActiveStateBulkAction(SetActiveStateBulkAction):
    def check_perm(self, obj: Any) -> bool:
        return super().check_perm(obj) and user_may_manage_account(self.request.user, obj)


class AccountDeleteBulkAction(DeleteBulkAction):
    def check_perm(self, obj: Any) -> bool:
        return super().check_perm(obj) and user_may_manage_account(self.request.user, obj)


BULK_ACTIONS = [AccountAssignRoleBulkAction, AccountSetActiveStateBulkAction,
                AccountDeleteBulkAction]  # fmt: skip
