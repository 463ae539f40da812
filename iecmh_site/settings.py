"""The one settings module: every difference between environments is read from the environment."""

from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from iecmh_site.release import code_digest

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    # Values already in the process environment win over the file.
    env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)

INSECURE_SECRET_KEY_PREFIX = "django-insecure"
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY and DEBUG:
    SECRET_KEY = f"{INSECURE_SECRET_KEY_PREFIX}-development-only-key"
if not DEBUG and (not SECRET_KEY or SECRET_KEY.startswith(INSECURE_SECRET_KEY_PREFIX)):
    raise ImproperlyConfigured(
        "SECRET_KEY is missing or insecure while DEBUG is off. Set SECRET_KEY to a long random "
        "value (python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
        "or set DEBUG=true for local development."
    )
# Old keys stay valid for signatures (newsletter links) during a key rotation.
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Production must say where it lives and how it sends mail: a development default there
# would put localhost in every email link and silently print confirmations to a log.
if not DEBUG:
    missing = [name for name in ("SITE_URL", "EMAIL_URL") if not env.str(name, default="")]
    if missing:
        raise ImproperlyConfigured(
            f"{' and '.join(missing)} must be set while DEBUG is off "
            "(e.g. SITE_URL=https://www.example.org, EMAIL_URL=smtp+tls://user:pass@host:587)."
        )
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
SITE_NAME = "Massachusetts IECMH Workforce Partnership"

INSTALLED_APPS = [
    # Before the admin: it patches the admin's forms for the translated fields.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.redirects",
    "django.contrib.sitemaps",
    "django.contrib.syndication",
    "django.forms",
    "axes",
    "csp",
    "django_prose_editor",
    "easy_thumbnails",
    "django_tasks",
    "django_tasks_db",
    "reversion",
    "pages",
    "reports",
    "events",
    "newsletter",
    # After the content apps: its post_migrate gives the staff groups their permissions.
    "iecmh_site.apps.SiteConfig",
]

MIDDLEWARE = [
    "iecmh_site.health.HealthCheckMiddleware",
    "iecmh_site.middleware.AccessLogMiddleware",
    # The language comes from the URL alone (/es/...: Spanish; anything else: English), never
    # a cookie or Accept-Language, so cached pages are the same for everyone at one URL; early,
    # so the 400 and 413 answers below are in it too.
    "iecmh_site.middleware.LanguageFromURLMiddleware",
    "iecmh_site.middleware.RequestSizeLimitMiddleware",
    "iecmh_site.middleware.BadQueryMiddleware",
    "iecmh_site.middleware.AcceptEncodingMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "iecmh_site.cache.PublicPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "iecmh_site.middleware.SecurityHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    "iecmh_site.middleware.AdminStyleCSPMiddleware",
    # contrib.redirects' fallback, keeping the query string (?utm_source=...) on the way.
    "iecmh_site.middleware.RedirectFallbackMiddleware",
    "iecmh_site.middleware.ServiceUnavailableMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "iecmh_site.urls"
# Form widgets may use the site's templates (templates/widgets/).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
WSGI_APPLICATION = "iecmh_site.wsgi.application"
SITE_ID = 1

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
                "iecmh_site.context_processors.site",
                "iecmh_site.context_processors.navigation",
                "iecmh_site.context_processors.languages",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Fail fast when the database is unreachable instead of hanging a worker.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 3)
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several workers write at once: each write transaction takes the lock when it begins
    # and waits for it (instead of failing with "database is locked"); WAL lets pages be
    # read while someone writes.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        transaction_mode="IMMEDIATE",
        timeout=20,
        init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The whole-page cache ("pages", also "default"). Without CACHE_URL: files under
# PAGE_CACHE_DIR, shared by every worker on this machine, at most PAGE_CACHE_MAX_ENTRIES
# entries. With CACHE_URL=redis://...: Redis, shared by every server; while Redis is down,
# pages are served uncached. Rate-limit and lock-out counters are not cache entries: they
# live in the database (iecmh_site/ratelimits.py, django-axes), where pages cannot evict them.
CACHE_URL = env.str("CACHE_URL", default="")
if CACHE_URL:
    PAGE_CACHE = {
        **env.cache_url_config(CACHE_URL),
        "BACKEND": "iecmh_site.cache.TolerantRedisCache",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
else:
    PAGE_CACHE = {
        "BACKEND": "iecmh_site.cache.FileCache",
        "LOCATION": env.str("PAGE_CACHE_DIR", default=str(BASE_DIR / ".page-cache")),
        "OPTIONS": {"MAX_ENTRIES": env.int("PAGE_CACHE_MAX_ENTRIES", default=5000)},
    }
# Each release keeps its pages and fragments under its own name (PAGE_CACHE_RELEASE, below).
PAGE_CACHE["KEY_FUNCTION"] = "iecmh_site.cache.make_key"
CACHES = {"default": PAGE_CACHE, "pages": PAGE_CACHE}
# Anonymous public pages are cached whole for this long (0 turns the page cache off);
# saving content in the admin clears them once the save commits.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=300)

EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="IECMH Workforce Partnership <no-reply@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Trusted reverse proxies in front of the app (iecmh_site/clients.py); 0 trusts no header.
PROXY_COUNT = env.int("PROXY_COUNT", default=0)
# Lock a username+address pair out for a while after repeated admin login failures, so a
# stranger elsewhere cannot lock a staff member out; one address is also limited across
# usernames (ADMIN_LOGIN_RATE).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "lockout.html"
AXES_CLIENT_IP_CALLABLE = "iecmh_site.clients.client_ip"
# Admin login posts one address may make across all usernames, per hour.
ADMIN_LOGIN_LIMIT_PER_HOUR = env.int("ADMIN_LOGIN_LIMIT_PER_HOUR", default=20)

ADMIN_URL = env.str("ADMIN_URL", default="admin/").strip("/") + "/"

LANGUAGE_CODE = "en"
# English at the unprefixed URLs, Spanish under /es/ (iecmh_site/urls.py).
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Content: Spanish fields beside the English ones (django-modeltranslation, each app's
# translation.py); an empty Spanish field shows the English text.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
MODELTRANSLATION_AUTO_POPULATE = False
TIME_ZONE = "America/New_York"
# Dates and times in the forms as US staff type them: 10/21/2026, 3:00 PM, 3pm, 15:00.
FORMAT_MODULE_PATH = ["iecmh_site.formats"]
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = env.str("MEDIA_URL", default="/media/")
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
# Report PDFs and covers: never under MEDIA_URL, handed out only by views that check them.
PRIVATE_MEDIA_ROOT = Path(env.str("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "private-media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {"BACKEND": "iecmh_site.storage.PrivateFileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed files in production; plain files in development and tests,
        # so nothing needs collectstatic before it runs.
        "BACKEND": env.str(
            "STATICFILES_STORAGE",
            default="django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
# Several app servers share uploads through S3-compatible storage: two buckets, one readable
# by anyone (pictures, toolkits) and one readable by no one but the app (report PDFs, covers).
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
AWS_PRIVATE_BUCKET_NAME = env.str("AWS_PRIVATE_BUCKET_NAME", default="")
MEDIA_ORIGIN = ""  # where public uploads are served from, when not this site (for the CSP)
if AWS_STORAGE_BUCKET_NAME:
    if not AWS_PRIVATE_BUCKET_NAME:
        raise ImproperlyConfigured(
            "AWS_PRIVATE_BUCKET_NAME must be set with AWS_STORAGE_BUCKET_NAME: report PDFs and "
            "covers need a bucket nobody can read from outside."
        )
    from iecmh_site.s3 import media_origin, s3_storages

    s3 = {
        "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default=None),
        "custom_domain": env.str("AWS_S3_CUSTOM_DOMAIN", default=None),
    }
    STORAGES.update(
        s3_storages(
            public_bucket=AWS_STORAGE_BUCKET_NAME,
            private_bucket=AWS_PRIVATE_BUCKET_NAME,
            region_name=env.str("AWS_S3_REGION_NAME", default=None),
            **s3,
        )
    )
    MEDIA_ORIGIN = media_origin(public_bucket=AWS_STORAGE_BUCKET_NAME, **s3)
# The name the page cache keeps this release's pages and fragments under: a digest of the code
# and of the settings that show in them (ADMIN_URL in robots.txt). While a rolling release runs
# old and new workers side by side, neither serves what the other drew; the content generation
# is shared by every release, so a save through either shows on both (iecmh_site.cache.make_key).
PAGE_CACHE_RELEASE = code_digest(also=(SITE_URL, MEDIA_URL, MEDIA_ORIGIN, ADMIN_URL))
WHITENOISE_MAX_AGE = 60 * 60  # unhashed files; hashed ones get a year automatically
# Background jobs (Django's tasks API, the django-tasks backport): email and file work, run by
# `manage.py run_worker` beside the web server. Jobs live in the database.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Uploaded files are processed in a child process with these limits (iecmh_site/sandbox.py).
SANDBOX_MEMORY_MB = env.int("SANDBOX_MEMORY_MB", default=1024)
SANDBOX_SECONDS = env.int("SANDBOX_SECONDS", default=60)
# Largest upload accepted by the site's forms (PDF reports, toolkit files, images).
MAX_UPLOAD_MB = env.int("MAX_UPLOAD_MB", default=25)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_PERMISSIONS = 0o644
# Picture renditions (easy-thumbnails): WebP, which every supported browser shows.
THUMBNAIL_EXTENSION = "webp"
THUMBNAIL_TRANSPARENCY_EXTENSION = "webp"
THUMBNAIL_QUALITY = 80
THUMBNAIL_NAMER = "easy_thumbnails.namers.hashed"

# Sessions and cookies
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 8)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG

# Transport security. X-Forwarded-Proto is believed only from a declared proxy, which must
# set it itself (overwriting whatever the client sent).
if PROXY_COUNT > 0:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *([MEDIA_ORIGIN] if MEDIA_ORIGIN else [])],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

# One line per request (iecmh_site.middleware.AccessLogMiddleware), with the client address
# the proxies vouch for; off in development, where runserver logs requests itself.
ACCESS_LOG = env.bool("ACCESS_LOG", default=not DEBUG)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "iecmh_site.access": {"level": "INFO" if ACCESS_LOG else "WARNING"},
    },
}

# ---- newsletter ----
# Confirmation links expire after this many days.
NEWSLETTER_CONFIRM_MAX_AGE_DAYS = env.int("NEWSLETTER_CONFIRM_MAX_AGE_DAYS", default=7)
# A signup form posted faster than this after it was shown is treated as a bot.
NEWSLETTER_MIN_FILL_SECONDS = env.float("NEWSLETTER_MIN_FILL_SECONDS", default=2.0)
# Signup and resend posts per network address: this many per window, and per day. A room of
# colleagues shares one address (40 people on a training's Wi-Fi, some sending twice, stay
# under 100 in 10 minutes); a flood from one address is cut to 100 per 10 minutes, 500 a day.
NEWSLETTER_RATE_LIMIT = env.int("NEWSLETTER_RATE_LIMIT", default=100)
NEWSLETTER_RATE_LIMIT_WINDOW_SECONDS = env.int("NEWSLETTER_RATE_LIMIT_WINDOW_SECONDS", default=600)
NEWSLETTER_RATE_LIMIT_DAILY = env.int("NEWSLETTER_RATE_LIMIT_DAILY", default=500)
# One mailbox (+tag variants included) gets at most this many confirmation emails a day,
# across signup, resend and staff, whoever asks.
NEWSLETTER_MAILS_PER_MAILBOX = env.int("NEWSLETTER_MAILS_PER_MAILBOX", default=3)
