"""Settings shared by every environment, read from the environment (DESIGN.md 5).

Every variable is listed in `.env.example` and the README. SQLite is the default database;
`DATABASE_URL` switches to PostgreSQL. With DEBUG off, SECRET_KEY is required and the
HTTPS hardening that `check --deploy` asks for is on.
"""

from __future__ import annotations

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from config.log_format import JSON_FORMATTER

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")  # optional; real environment variables win

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-for-debug-mode"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "config.apps.SiteConfig",  # deployment checks, task recovery
    "accounts",
    "courses",
    "learners",
    "certification",
    "operations",
    "cms",
    "simple_history",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "accounts.wagtail_users.UsersAppConfig",  # wagtail.users, staff left to superusers
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.postgres",  # Wagtail's search backend needs it on PostgreSQL
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "config.request_log.RequestLogMiddleware",  # first: every answer gets its id and line
    "config.health.HealthCheckMiddleware",  # /healthz, /readyz: before host check and auth
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "config.page_cache.PublicPageCacheMiddleware",  # before sessions: a hit skips the rest
    "config.early_downloads.EarlyDownloadMiddleware",  # a learner's own kept PDFs, ditto
    # Headers of every answer below the page cache (kept with the copies above).
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "accounts.middleware.AdminContentSecurityPolicyMiddleware",
    "config.read_ahead.ReadAheadMiddleware",  # what a view reads first, with the session
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "accounts.middleware.AuthenticationMiddleware",  # Django's, the user read at once
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.StaffTwoFactorMiddleware",
    "accounts.middleware.AdminDoorMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",  # who changed a rule
    "config.nul_bytes.RefuseNulBytesMiddleware",  # inside the CSP: its 400 page gets the headers
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers queue instead of failing with "database is locked" (healthchecks does the same).
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
else:
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["default"]["ENGINE"] = "config.postgres"  # its health check: no round trip
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Lets the few statements that ask for it be prepared (config/prepared.py); Django's own
    # cursors bind on the client and are never prepared.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("prepare_threshold", 5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Rate limits count in the cache: production needs one all processes share (REDIS_URL);
# `check --deploy` refuses a per-process cache (config/checks.py).
REDIS_URL = env.str("REDIS_URL", default="")
CACHES = {
    "default": (
        {"BACKEND": "config.redis_cache.PooledClientRedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Enrollment (DESIGN.md 3.3): how long a seat is held while the learner pays.
SEAT_HOLD_MINUTES = env.int("SEAT_HOLD_MINUTES", default=15)
# ...and how long a seat freed for the first learner on the waitlist is kept for them.
WAITLIST_OFFER_HOURS = env.int("WAITLIST_OFFER_HOURS", default=48)
# A prepared XLSX export holds personal data: its file is deleted this many days after it is
# made (`expire_export_files`, hourly); the record of the export stays.
EXPORT_FILE_DAYS = env.int("EXPORT_FILE_DAYS", default=7)

# Stripe (DESIGN.md 5). Offline, STRIPE_API_BASE and STRIPE_JS_URL point at localstripe.
STRIPE_SECRET_KEY = env.str("STRIPE_SECRET_KEY", default="sk_test_offline" if DEBUG else "")
STRIPE_PUBLISHABLE_KEY = env.str("STRIPE_PUBLISHABLE_KEY", default="pk_test_offline")
STRIPE_WEBHOOK_SECRET = env.str("STRIPE_WEBHOOK_SECRET", default="")
STRIPE_API_BASE = env.str("STRIPE_API_BASE", default="")
STRIPE_JS_URL = env.str("STRIPE_JS_URL", default="https://js.stripe.com/v3/")

# Background work (DESIGN.md 5). Wagtail's own tasks read this same setting.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# The site's name, wherever it is written: pages, every email (subject, greeting, sign-off),
# the authenticator app, the admin. The demo's value is the default.
SITE_NAME = env.str("SITE_NAME", default="DN Tracker")

AUTH_USER_MODEL = "accounts.User"
# allauth's backend alone: it signs in by email and, being a ModelBackend, answers
# permissions; beside Django's own, a wrong password was hashed twice (once per backend).
# Ours is allauth's, reading the signed-in user from the shared cache (accounts/user_cache.py).
AUTHENTICATION_BACKENDS = ["accounts.backends.AuthenticationBackend"]
# Argon2id first: memory-hard, so stronger against GPU guessing than PBKDF2, and with Django's
# parameters (100 MiB, 2 passes) above OWASP's minimum, for a fraction of PBKDF2's 1.5M rounds
# of CPU time per login. Older PBKDF2 hashes still verify and are re-hashed at the next login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"

# django-allauth: email is the identity, verified before first login, rate limits on.
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "  # every email's subject (config/site.py)
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = SITE_NAME

# Wagtail: registrars sign in through allauth (with two-factor) like everyone else, and so
# do visitors of private pages; Wagtail's own login paths redirect there (config/urls.py).
WAGTAIL_SITE_NAME = SITE_NAME
WAGTAIL_ADMIN_PATH = "/admin/"
DJANGO_ADMIN_PATH = "/django-admin/"  # superusers only: task results and raw tables
WAGTAILADMIN_BASE_URL = env.str("WAGTAILADMIN_BASE_URL", default="http://127.0.0.1:8000")
WAGTAILADMIN_LOGIN_URL = LOGIN_URL
WAGTAIL_FRONTEND_LOGIN_URL = LOGIN_URL
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # nothing may call out to the internet
WAGTAILEMBEDS_FINDERS: list[dict] = []
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "png", "jpg", "jpeg"]

# Django 6.1 configures mail through MAILERS; EMAIL_URL (django-environ's syntax,
# e.g. smtp+tls://user:password@host:587) is translated into it.
# The default prints mail to the console in DEBUG, and uses a local MTA otherwise.
_EMAIL = env.email_url("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25")
_SMTP_OPTIONS = {
    "EMAIL_HOST": "host",
    "EMAIL_PORT": "port",
    "EMAIL_HOST_USER": "username",
    "EMAIL_HOST_PASSWORD": "password",
    "EMAIL_USE_TLS": "use_tls",
    "EMAIL_USE_SSL": "use_ssl",
}
MAILERS = {
    "default": {
        "BACKEND": _EMAIL["EMAIL_BACKEND"],
        "OPTIONS": {
            option: _EMAIL[key]
            for key, option in _SMTP_OPTIONS.items()
            if _EMAIL["EMAIL_BACKEND"].endswith("smtp.EmailBackend") and _EMAIL.get(key)
        },
    }
}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default=f"{SITE_NAME} <no-reply@dntracker.test>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LANGUAGE_CODE = "en-us"
TIME_ZONE = "America/New_York"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
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

# Content Security Policy: the site's own pages carry no inline script or style.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],  # allauth's TOTP QR code is a data: URI
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
# Wagtail's admin still relies on inline scripts and styles; it gets its own, looser policy.
ADMIN_CSP = {
    **SECURE_CSP,
    "script-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "frame-ancestors": [CSP.SELF],  # the page editor's live preview is a same-site iframe
}
# The API docs (Swagger UI, served locally) carry a small inline stylesheet; no inline script.
API_DOCS_CSP = {**SECURE_CSP, "style-src": [CSP.SELF, CSP.UNSAFE_INLINE]}

# Browser features no page of ours uses are switched off for us and anything we embed.
# The camera stays ours: the instructor's roster is to scan learners' QR codes under /teach/.
# Payments: Stripe.js collects cards on our pages (its iframes need nothing more today).
PERMISSIONS_POLICY: dict[str, list[str]] = {
    "accelerometer": [],
    "autoplay": [],
    "bluetooth": [],
    "browsing-topics": [],
    "camera": ["self"],
    "display-capture": [],
    "geolocation": [],
    "gyroscope": [],
    "hid": [],
    "idle-detection": [],
    "magnetometer": [],
    "microphone": [],
    "midi": [],
    "payment": ["self"],
    "serial": [],
    "usb": [],
    "xr-spatial-tracking": [],
}

SESSION_COOKIE_HTTPONLY = True
# Sessions read from the shared cache, written through to the database (issue 17: one query
# less on every signed-in page; a cache flush loses no session).
SESSION_ENGINE = "accounts.sessions"
X_FRAME_OPTIONS = "DENY"  # Wagtail marks its preview views SAMEORIGIN itself
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# Logs: one JSON object a line (config/logs.py) unless LOG_FORMAT=text (the default in
# debug). Every record logged during a request or a task carries its request_id or task_id.
LOG_FORMAT = env.str("LOG_FORMAT", default="text" if DEBUG else "json")
if LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be json or text, not {LOG_FORMAT!r}.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "context": {"()": "config.logs.LogContextFilter"},
        "warnings_only": {"()": "config.logs.MinLevelFilter", "level": "WARNING"},
    },
    "formatters": {
        "json": JSON_FORMATTER,
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["context"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # Django's default config gives "django" a console handler of its own: one line, not two.
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # Our request line replaces the development server's and gunicorn's access lines.
        "django.server": {"level": "WARNING"},
        # Our task line replaces Django's "started" and "finished" lines; failures stay.
        "django.tasks": {"filters": ["warnings_only"]},
        # WeasyPrint narrates every rendering step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Proxies in front of the app: behind them, the client's address comes from X-Forwarded-For
# (rate limits) and the request id from X-Request-ID (config/request_log.py).
NUM_PROXIES = env.int("NUM_PROXIES", default=0)

# The public API (DESIGN.md 4): JSON only, sessions for the learner's own endpoint, and
# rate limits per client (the cache holds the counters: set REDIS_URL with several processes).
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # A service's refusal (config/errors.py ApplicationError) is a 400 with its reasons.
    "EXCEPTION_HANDLER": "config.errors.api_exception_handler",
    # Rate limits know a client by address: REMOTE_ADDR, or behind NUM_PROXIES proxies the
    # address the outermost of them saw. Left unset, DRF would key on the whole
    # X-Forwarded-For header, which any client can vary to dodge every limit.
    "NUM_PROXIES": NUM_PROXIES,
    "DEFAULT_THROTTLE_CLASSES": [
        "config.throttling.AnonymousRateThrottle",
        "config.throttling.SignedInRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_RATE_ANON", default="60/minute"),
        "user": env.str("API_RATE_USER", default="240/minute"),
        "verify": env.str("VERIFY_RATE", default="30/minute"),  # certificate lookups by code
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "DN Tracker API",
    "DESCRIPTION": "State eligibility for dry needling, the rules on file, and certificates.",
    "VERSION": "1.0.0",
    "SCHEMA_PATH_PREFIX": "/api/",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",  # served from our static files, no CDN
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "PREPROCESSING_HOOKS": ["certification.api.only_public_api"],  # not Wagtail's admin API
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",  # the default
        "certification.api.closed_response_objects",
    ],
}

# Verifiable credentials (Open Badges 3.0) are signed with this Ed25519 key (URL-safe base64
# of the 32-byte private key); `manage.py credential_key` makes one. Keep it secret and stable:
# credentials already handed out are checked against its public half, published at /issuer/.
CREDENTIAL_SIGNING_KEY = env.str("CREDENTIAL_SIGNING_KEY", default="")
CREDENTIAL_ISSUER_NAME = env.str("CREDENTIAL_ISSUER_NAME", default=SITE_NAME)
