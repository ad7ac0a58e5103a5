"""The project's own configuration of Django's admin app: it uses our admin site."""

from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class AdminConfig(DjangoAdminConfig):
    """django.contrib.admin, with medway_send.admin_site.AdminSite as ``admin.site``."""

    default_site = "medway_send.admin_site.AdminSite"
