"""The small public interface other apps may use; they never reach into strategy's models."""


def privacy_notice_version():
    """A label for the privacy notice as published now; it changes whenever staff edit it."""
    from strategy.models import Page

    page = Page.objects.filter(kind=Page.Kind.PRIVACY).only("updated_at").first()
    return f"privacy-{page.updated_at:%Y%m%d%H%M%S}" if page else "privacy-not-published"
