from django.apps import AppConfig


class NewsletterConfig(AppConfig):
    name = "newsletter"
    verbose_name = "Newsletter"

    def ready(self):
        # The email worker also keeps the privacy notice's promises on retention.
        from newsletter import jobs, mailer

        if jobs.purge_if_due not in mailer.PERIODIC_JOBS:
            mailer.PERIODIC_JOBS.append(jobs.purge_if_due)
