"""The admin site: every admin page answers odd input with 400 or a message, never a 500.

Staff can put anything in an admin web address or form, on purpose or by a
slip, and Django's admin passes some of it straight to the database. So:

- A NUL character anywhere in the address or a form gets 400 before any admin
  view runs. PostgreSQL refuses NUL in text, so wherever one reached a query
  (a list filter, the search box, an item's id, its history) it was a 500.
  Forms already refuse NUL in their text fields; this covers what no form reads.
- A list filter the database itself refuses (a bad regular expression, a range
  that is not two values, a number too big for a column, a year past 9999) gets
  the admin's own answer to a filter it cannot use: the whole list, with a
  message. Django checks what it can when the query is built; these only fail
  when the database runs it.
- A list action or list edit naming rows that are not ids of that list gets 400.

Every model admin registered here gets these, the ones other apps register
(users, groups, authenticator apps) included.
"""

from functools import wraps

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import BadRequest, ValidationError
from django.db import DatabaseError, transaction

# What odd filter values make the database (or its driver) raise when the list is counted.
REFUSED_BY_DATABASE = (DatabaseError, ValueError, TypeError, IndexError, OverflowError)


def valid_pks(model, values):
    """Those of ``values`` that could be primary keys of ``model``: well-formed and in range."""
    pk = model._meta.pk
    valid = []
    for value in values:
        try:
            value = pk.to_python(value)
            pk.run_validators(value)  # in the column's range, which SQLite checks by raising
        except ValidationError:
            continue
        valid.append(value)
    return valid


def posted_pks(model, request):
    """The ids a list page's POST names: its ticked rows, or the rows of its list edits."""
    return request.POST.getlist(ACTION_CHECKBOX_NAME) or [
        value
        for key, value in request.POST.items()
        if key.startswith("form-") and key.endswith(f"-{model._meta.pk.name}") and value
    ]


def _carries_nul(request):
    if "\x00" in request.path:
        return True
    data = [request.GET]
    if request.method == "POST":
        data.append(request.POST)
    for query in data:
        for key, values in query.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                return True
    return any("\x00" in upload.name for _, uploads in request.FILES.lists() for upload in uploads)


def _refusing_nul(view):
    @wraps(view)
    def checked(request, *args, **kwargs):
        if _carries_nul(request):
            raise BadRequest("A NUL character in the address or the form.")
        return view(request, *args, **kwargs)

    return checked


class CheckedChangeList(ChangeList):
    """A list page whose filters, if the database refuses them, count as filters it cannot use."""

    def get_filters(self, request):
        try:
            return super().get_filters(request)
        except OverflowError as exc:  # a date-hierarchy year Python's dates cannot hold
            raise IncorrectLookupParameters(exc) from exc

    def get_results(self, request):
        try:
            # A savepoint, so a refused query leaves the transaction usable.
            with transaction.atomic(using=self.root_queryset.db):
                super().get_results(request)
        except REFUSED_BY_DATABASE as exc:
            if not (self.get_filters_params() or self.query):
                raise  # nothing from the address to blame: a real fault
            raise IncorrectLookupParameters(exc) from exc


class OddInputAdminMixin:
    """Added to every model admin by AdminSite.register."""

    def get_changelist(self, request, **kwargs):
        return CheckedChangeList

    def get_changelist_instance(self, request):
        try:
            return super().get_changelist_instance(request)
        except IncorrectLookupParameters:
            self.message_user(
                request,
                "The list could not be filtered by what was in the web address, "
                "so it shows everything.",
                messages.WARNING,
            )
            raise

    def changelist_view(self, request, extra_context=None):
        if request.method == "POST":
            posted = posted_pks(self.model, request)
            if len(valid_pks(self.model, posted)) < len(posted):
                raise BadRequest("Rows of this list that are not ids of this list.")
        return super().changelist_view(request, extra_context)


class AdminSite(admin.AdminSite):
    """Django's admin site, refusing odd input politely (see the module docstring)."""

    @property
    def login_form(self):
        from staff.forms import StaffSignInForm  # the auth forms need the app registry

        return StaffSignInForm

    def admin_view(self, view, cacheable=False):
        return super().admin_view(_refusing_nul(view), cacheable)

    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, OddInputAdminMixin):
            admin_class = type(
                admin_class.__name__,
                (OddInputAdminMixin, admin_class),
                {"__module__": admin_class.__module__, "__doc__": admin_class.__doc__},
            )
        return super().register(model_or_iterable, admin_class, **options)
