"""Settings for the Medway SEND Strategy site, all read from the environment.

Every variable is listed, with its default, in README.md ("Configuration").
With DJANGO_DEBUG off (the default) the site refuses to start without a real
secret key and an allowed-hosts list, so a half-configured server never runs.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from medway_send.env import env_bool, env_float, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", False)

# A development key is only ever used with DEBUG on; production must supply one.
_DEV_SECRET_KEY = "dev-only-insecure-key-never-used-in-production-0123456789abcdef"  # noqa: S105
SECRET_KEY = env_str("DJANGO_SECRET_KEY") or (_DEV_SECRET_KEY if DEBUG else "")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])

if not DEBUG:
    if (
        len(SECRET_KEY) < 50
        or SECRET_KEY == _DEV_SECRET_KEY
        or SECRET_KEY.startswith("django-insecure")
    ):
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set to a random value of at least 50 characters "
            "when DJANGO_DEBUG is off. Generate one with: "
            "python3 -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    if not ALLOWED_HOSTS or "*" in ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "DJANGO_ALLOWED_HOSTS must list this site's host names (comma-separated) "
            "when DJANGO_DEBUG is off; '*' is not allowed."
        )

# The public address of the site, used in emails, feeds and canonical links. In
# development it follows PORT, the port `make run` serves on.
SITE_URL = env_str(
    "SITE_URL", f"http://127.0.0.1:{env_int('PORT', 8000, minimum=1)}" if DEBUG else ""
).rstrip("/")
SITE_NAME = "Medway SEND Strategy"
ORGANISATION_NAME = "Medway Council"

INSTALLED_APPS = [
    "medway_send.apps.AdminConfig",  # django.contrib.admin, with our admin site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.forms",
    "crispy_forms",
    "crispy_forms_gds",
    "django_prose_editor",
    "reversion",
    "reversion_compare",
    # --- staff sign-in (two-factor, lockout): added by the staff sign-in work ---
    "django_otp",
    "staff.apps.AuthenticatorAppsConfig",  # django_otp.plugins.otp_totp
    "staff.apps.BackupCodesConfig",  # django_otp.plugins.otp_static
    "axes",
    "staff",
    "strategy",
    "newsletter",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outside our headers middleware, so that one reads the page before it is compressed.
    "django.middleware.gzip.GZipMiddleware",
    "medway_send.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Staff sign-in (staff app). No admin page, and no page for someone signed in, may
    # be stored: outside everything below, so their redirects and refusals are covered.
    "staff.middleware.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Timeouts first, so an expired session is never checked for its second step;
    # OTPMiddleware adds user.is_verified().
    "staff.middleware.StaffSessionTimeoutMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "staff.middleware.TwoFactorRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a lockout into the polite "sign-in paused" page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "medway_send.urls"
# Widgets render through the project's templates, so templates/admin/widgets/ can
# fix accessibility problems in Django's own widget markup.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
WSGI_APPLICATION = "medway_send.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "strategy.context_processors.site",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers carry on while a write happens; IMMEDIATE takes the write
    # lock at the start of a transaction, so concurrent writers queue instead of
    # failing with "database is locked" half-way through.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "medway-send",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Passwords and sessions ---------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"

# --- Staff sign-in: two-step codes, lockout, session timeouts (the staff app) ------
# Two-step sign-in (a code from an authenticator app) is required whenever DEBUG is
# off; staff/two_factor.py reads DEBUG itself, so production cannot opt out.
AUTHENTICATION_BACKENDS = [
    # Refuses a locked-out account or address before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
ADMIN_SESSION_IDLE_SECONDS = env_int("ADMIN_SESSION_IDLE_SECONDS", 1800, minimum=60)
ADMIN_SESSION_MAX_SECONDS = env_int("ADMIN_SESSION_MAX_SECONDS", 43200, minimum=60)
if ADMIN_SESSION_MAX_SECONDS < ADMIN_SESSION_IDLE_SECONDS:
    raise ImproperlyConfigured(
        "ADMIN_SESSION_MAX_SECONDS must be at least ADMIN_SESSION_IDLE_SECONDS."
    )
# A session cannot outlive the absolute timeout, so `clearsessions` removes abandoned ones.
SESSION_COOKIE_AGE = ADMIN_SESSION_MAX_SECONDS
# The name people see in their authenticator app.
OTP_TOTP_ISSUER = SITE_NAME
# After each wrong code the next try must wait twice as long (1, 2, 4, 8… seconds).
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
# Even superusers cannot read someone's secret key or backup codes in the admin.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# Lockout (django-axes). Wrong passwords or codes are counted twice, each count with
# its own limit: for one account from one client address (someone mistyping, or
# guessing one password from one place), and from one address for any accounts
# (someone trying many accounts). Nothing is counted per account alone, so failures
# from elsewhere never lock the real person out (README "Staff sign-in" says what
# that costs). staff.lockout_rules gives axes a limit per count.
STAFF_SIGN_IN_FAILURE_LIMIT = env_int("STAFF_SIGN_IN_FAILURE_LIMIT", 5, minimum=1)
STAFF_SIGN_IN_ADDRESS_FAILURE_LIMIT = env_int(
    "STAFF_SIGN_IN_ADDRESS_FAILURE_LIMIT",
    max(20, STAFF_SIGN_IN_FAILURE_LIMIT),
    minimum=STAFF_SIGN_IN_FAILURE_LIMIT,
)
STAFF_LOCKOUT_RULES = [
    (["username", "ip_address"], STAFF_SIGN_IN_FAILURE_LIMIT),
    (["ip_address"], STAFF_SIGN_IN_ADDRESS_FAILURE_LIMIT),
]
AXES_LOCKOUT_PARAMETERS = [fields for fields, _limit in STAFF_LOCKOUT_RULES]
AXES_HANDLER = "staff.lockout_rules.LockoutRulesHandler"
# The scale the handler reports every count on; each count locks at its own limit.
AXES_FAILURE_LIMIT = STAFF_SIGN_IN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=env_int("STAFF_LOCKOUT_MINUTES", 30, minimum=1))
# Tries during a lockout do not extend it, so "try again in 30 minutes" stays true.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_CLIENT_IP_CALLABLE = "staff.client_ip.client_ip"
AXES_LOCKOUT_CALLABLE = "staff.lockout.locked_out"
# Superusers see and lift locks on a plain page (/admin/two-factor/locks/) rather
# than axes' own admin tables, which show raw request data.
AXES_ENABLE_ADMIN = False
# Keep a record of each failed attempt for IT to review, beside the lockout counters.
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# The log names the account and address (IT needs them); never what was typed.
AXES_SENSITIVE_PARAMETERS = ["password", "code"]

# --- Language and time ----------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files -----------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT") or BASE_DIR / "staticfiles")
# Built CSS/JS/images (npm run build); the Sass and JS sources are not served.
STATICFILES_DIRS = [BASE_DIR / "static" / "build"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("DJANGO_MEDIA_ROOT") or BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Hashed file names never change content, so browsers and CDNs may keep them a year.
WHITENOISE_MAX_AGE = 31536000

# --- Email -------------------------------------------------------------------------
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", bool(EMAIL_HOST) and EMAIL_PORT == 587)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30, minimum=1)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Medway Council <send-strategy@medway.gov.uk>")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
EMAIL_FILE_PATH = Path(env_str("EMAIL_FILE_PATH") or BASE_DIR / "var" / "mail")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
else:
    # No relay configured: write each email to an .eml file a developer can open.
    EMAIL_BACKEND = env_str("EMAIL_BACKEND", "medway_send.mail_files.EmlFileBackend")
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("Set only one of EMAIL_USE_TLS and EMAIL_USE_SSL.")
# --- The email worker (newsletter.mailer) ---------------------------------------------
# Messages per second each worker process may hand to the relay (0 = no limit).
EMAIL_RATE_LIMIT = env_float("EMAIL_RATE_LIMIT", 10.0, minimum=0)
EMAIL_BATCH_SIZE = env_int("EMAIL_BATCH_SIZE", 10, minimum=1)
EMAIL_MAX_ATTEMPTS = env_int("EMAIL_MAX_ATTEMPTS", 8, minimum=1)
EMAIL_RETRY_BASE_SECONDS = env_int("EMAIL_RETRY_BASE_SECONDS", 30, minimum=1)
EMAIL_RETRY_MAX_SECONDS = env_int("EMAIL_RETRY_MAX_SECONDS", 3600, minimum=1)
# A message "sending" for longer than this is taken to be lost with its worker and re-queued.
EMAIL_CLAIM_TIMEOUT_SECONDS = env_int("EMAIL_CLAIM_TIMEOUT_SECONDS", 300, minimum=1)
# While the relay is down, the worker pauses: doubling from the base, at most the maximum.
EMAIL_OUTAGE_BACKOFF_BASE_SECONDS = env_float("EMAIL_OUTAGE_BACKOFF_BASE_SECONDS", 5.0, minimum=0.1)
EMAIL_OUTAGE_BACKOFF_MAX_SECONDS = env_float("EMAIL_OUTAGE_BACKOFF_MAX_SECONDS", 300.0, minimum=0.1)
if EMAIL_OUTAGE_BACKOFF_MAX_SECONDS < EMAIL_OUTAGE_BACKOFF_BASE_SECONDS:
    raise ImproperlyConfigured(
        "EMAIL_OUTAGE_BACKOFF_MAX_SECONDS must be at least EMAIL_OUTAGE_BACKOFF_BASE_SECONDS."
    )

# Jobs the worker runs about once a minute, beside sending email.
WORKER_PERIODIC_JOBS = ["strategy.publishing_jobs.publish_due"]

# --- Newsletter sign-up ------------------------------------------------------------------
# Seconds between two confirmation emails to one address, and how many a day at most.
NEWSLETTER_CONFIRMATION_INTERVAL_SECONDS = env_int(
    "NEWSLETTER_CONFIRMATION_INTERVAL_SECONDS", 120, minimum=0
)
NEWSLETTER_CONFIRMATIONS_PER_DAY = env_int("NEWSLETTER_CONFIRMATIONS_PER_DAY", 3, minimum=1)
NEWSLETTER_SIGNUPS_PER_IP_PER_HOUR = env_int("NEWSLETTER_SIGNUPS_PER_IP_PER_HOUR", 20, minimum=1)
# A form submitted faster than a person could type, or older than a day, is a robot's.
NEWSLETTER_MIN_FORM_SECONDS = env_float("NEWSLETTER_MIN_FORM_SECONDS", 2.0, minimum=0)
NEWSLETTER_MAX_FORM_AGE_SECONDS = env_int("NEWSLETTER_MAX_FORM_AGE_SECONDS", 86400, minimum=60)
# Retention, as stated in the privacy notice.
NEWSLETTER_PENDING_DAYS = 7
NEWSLETTER_SUPPRESSION_DAYS = 365
NEWSLETTER_OUTBOX_RETENTION_DAYS = 30
# Newsletter imports: the most rows one file may have (it is read and checked in one request).
NEWSLETTER_IMPORT_MAX_ROWS = env_int("NEWSLETTER_IMPORT_MAX_ROWS", 200_000, minimum=1)

# --- Bounces and complaints (newsletter.bounces) -----------------------------------------
# The envelope sender address bounces go back to. Each email is sent from
# <local>+<signed token>@<domain> of it (VERP), so a bounce names its email.
BOUNCE_ADDRESS = env_str("BOUNCE_ADDRESS")
if BOUNCE_ADDRESS and BOUNCE_ADDRESS.count("@") != 1:
    raise ImproperlyConfigured(
        "BOUNCE_ADDRESS must be one email address, like bounces@example.org."
    )
# The mailbox those bounces (and mailbox providers' spam complaints) arrive in,
# read over IMAP by the worker. Off unless BOUNCE_IMAP_HOST is set.
BOUNCE_IMAP_HOST = env_str("BOUNCE_IMAP_HOST")
BOUNCE_IMAP_SSL = env_bool("BOUNCE_IMAP_SSL", True)
BOUNCE_IMAP_PORT = env_int("BOUNCE_IMAP_PORT", 993 if BOUNCE_IMAP_SSL else 143, minimum=1)
BOUNCE_IMAP_USER = env_str("BOUNCE_IMAP_USER")
BOUNCE_IMAP_PASSWORD = env_str("BOUNCE_IMAP_PASSWORD")
BOUNCE_IMAP_FOLDER = env_str("BOUNCE_IMAP_FOLDER", "INBOX")
BOUNCE_IMAP_PROCESSED_FOLDER = env_str("BOUNCE_IMAP_PROCESSED_FOLDER", "Processed")
BOUNCE_IMAP_INTERVAL_SECONDS = env_int("BOUNCE_IMAP_INTERVAL_SECONDS", 300, minimum=10)
BOUNCE_IMAP_TIMEOUT = env_int("BOUNCE_IMAP_TIMEOUT", 30, minimum=1)
if BOUNCE_IMAP_HOST and not (BOUNCE_IMAP_USER and BOUNCE_IMAP_PASSWORD):
    raise ImproperlyConfigured("BOUNCE_IMAP_HOST needs BOUNCE_IMAP_USER and BOUNCE_IMAP_PASSWORD.")
if BOUNCE_IMAP_HOST and not BOUNCE_ADDRESS:
    raise ImproperlyConfigured(
        "BOUNCE_IMAP_HOST needs BOUNCE_ADDRESS, so bounces can be matched to their emails."
    )
# Soft bounces (a full mailbox, a server down for days) in a row before an address is suppressed.
BOUNCE_SOFT_LIMIT = env_int("BOUNCE_SOFT_LIMIT", 3, minimum=1)

# How many proxies in front of the site append to X-Forwarded-For (0: use the socket address).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)
# Where rate-limit counters live: the shared Redis cache if there is one, else the database.
RATE_LIMIT_STORE = "cache" if REDIS_URL else "database"

# --- Security ----------------------------------------------------------------------
# Only trust X-Forwarded-Proto when a TLS-terminating proxy in front of us sets it;
# otherwise any client could claim to be on HTTPS.
if env_bool("DJANGO_TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
if not DEBUG:
    # Every link in every email is built from SITE_URL: a wrong one breaks them all.
    if not SITE_URL:
        raise ImproperlyConfigured(
            "SITE_URL must be set to the site's public address (such as "
            "https://send-strategy.medway.gov.uk) when DJANGO_DEBUG is off."
        )
    if SECURE_SSL_REDIRECT and not SITE_URL.startswith("https://"):
        raise ImproperlyConfigured("SITE_URL must start with https:// when HTTPS is enforced.")
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0 if DEBUG else 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
CSRF_FAILURE_VIEW = "strategy.views.errors.csrf_failure"

# --- Forms ---
CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

# --- Logging: to stderr, where gunicorn and systemd collect it ------------------------
# Every line goes through one formatter that removes the tokens in confirm,
# unsubscribe and preview links (medway_send.redaction).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {
            "()": "medway_send.redaction.RedactingFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # runserver's request lines (development) have a handler of their own by default.
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
