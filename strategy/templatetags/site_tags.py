"""Template tags for the site's shared page furniture."""

from django import template
from django.urls import reverse
from django.utils.html import format_html

register = template.Library()

# (label, URL name, URL names that count as "in this section")
NAVIGATION = [
    (
        "The strategy",
        "strategy:overview",
        {"overview", "editions", "edition", "vision", "priorities"},
    ),
    ("Ambitions", "strategy:ambitions", {"ambitions", "ambition"}),
    ("Children's rights", "strategy:rights", {"rights"}),
    ("Action plan", "strategy:action_plan", {"action_plan", "action_item"}),
    ("News and updates", "strategy:news", {"news", "news_detail"}),
]


@register.inclusion_tag("includes/service_navigation.html", takes_context=True)
def service_navigation(context):
    """The main menu, marking the section the reader is in."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    current = match.url_name if match and match.namespace == "strategy" else None
    path = request.path if request else None
    items = []
    for label, name, section in NAVIGATION:
        url = reverse(name)
        items.append(
            {"label": label, "url": url, "active": current in section, "is_page": path == url}
        )
    return {"items": items}


NEWSLETTER_LINK_WORDS = "sign up to our newsletter"


@register.simple_tag
def newsletter_prompt(prompt, url):
    """The strategy's newsletter sentence, with its "sign up" words made into the link."""
    if NEWSLETTER_LINK_WORDS in prompt:
        before, after = prompt.split(NEWSLETTER_LINK_WORDS, 1)
        return format_html(
            '{}<a class="govuk-link" href="{}">{}</a>{}', before, url, NEWSLETTER_LINK_WORDS, after
        )
    return format_html(
        '{} <a class="govuk-link" href="{}">Sign up to the newsletter</a>', prompt, url
    )


@register.filter
def page_numbers(page):
    """The page numbers to link to around ``page``, with None for each gap ("1 … 4 5 6 … 40")."""
    paginator = page.paginator
    return [
        None if number == paginator.ELLIPSIS else number
        for number in paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
    ]
