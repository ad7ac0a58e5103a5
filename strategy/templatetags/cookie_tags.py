"""The cookies page's table of cookies, made from strategy.cookies and the settings."""

from django import template

from strategy.cookies import site_cookies

register = template.Library()


@register.inclusion_tag("includes/cookie_table.html")
def cookie_table():
    """A table of every cookie the site sets: where, what for, and for how long."""
    return {"cookies": site_cookies()}
