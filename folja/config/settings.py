"""The one settings file. Everything that differs between machines comes from the environment.

FOLJA_ENV       development (default) | test | production
DATABASE_URL    sqlite:///path or postgres://user@host:port/name; default: var/folja.sqlite3
SECRET_KEY      required in production
ALLOWED_HOSTS   comma-separated; default localhost names
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("FOLJA_VAR_DIR", BASE_DIR / "var"))

FOLJA_ENV = os.environ.get("FOLJA_ENV", "development")
PRODUCTION = FOLJA_ENV == "production"
DEBUG = os.environ.get("DEBUG", "0" if PRODUCTION else "1") == "1" and not PRODUCTION

if PRODUCTION:
    SECRET_KEY = os.environ["SECRET_KEY"]
else:
    # A fixed key is fine off production: demo data only, and it keeps sessions across restarts.
    SECRET_KEY = os.environ.get("SECRET_KEY", "folja-development-key-not-for-production-use")

ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "folja.accounts",
    "folja.audit",
    "folja.people",
    "folja.guidelines",
    "folja.cases",
    "folja.providers",
    "folja.delivery",
    "folja.payments",
    "folja.followup",
    "folja.ledger",
    "folja.portal",
    "folja.accessible",
    "folja.simulation",
    "folja.reports",
    "folja.surveys",
    "folja.handbook",
    "folja.questions",
    "folja.core",
]

MIDDLEWARE = [
    # Outermost: turns a lost database (even one lost inside another middleware) into a clean
    # 503 page instead of a 500 traceback.
    "folja.config.middleware.DatabaseUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "folja.accounts.middleware.SlidingSessionMiddleware",
    "folja.core.middleware.SwedishByDefaultMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Right after the user is known: no response to a signed-in user or from the API is cached.
    "folja.core.middleware.NoStoreMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # axes documents its middleware as the last one.
    "axes.middleware.AxesMiddleware",
    # Innermost: a view that loses the database answers 503 (no exception signal, so the
    # test client sees the page exactly as a browser would).
    "folja.config.middleware.DatabaseUnavailableViewMiddleware",
]

ROOT_URLCONF = "folja.config.urls"
WSGI_APPLICATION = "folja.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "folja.core.context_processors.city",
            ],
        },
    },
]

DEFAULT_SQLITE = f"sqlite:///{VAR_DIR / 'folja.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", DEFAULT_SQLITE), conn_max_age=60, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite serialises writers; a timeout avoids "database is locked" under the dev server.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
elif os.environ.get("FOLJA_DB_PREPARED_STATEMENTS", "1") == "1":
    # Parameters bound by the server and statements prepared after their fifth use on a
    # connection: PostgreSQL then plans each page's queries once per connection instead of on
    # every request, which halved its CPU per page under load (bench/bench_load.py). Behind a
    # pooler in transaction mode (PgBouncer < 1.21) set FOLJA_DB_PREPARED_STATEMENTS=0.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True, prepare_threshold=5
    )

# Background jobs (django-tasks). A recalculation after a new guideline version or rate is
# queued as a row in the database (django-tasks-db) and stays there until a worker runs it:
# `folja db_worker`, which `make run` starts beside the server. Tests run each job at once in
# their own process (the immediate backend), so they are deterministic; the tests that prove
# durability switch to the database backend themselves.
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if FOLJA_ENV == "test"
            else "django_tasks_db.DatabaseBackend"
        ),
        "QUEUES": ["default"],
    }
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTHENTICATION_BACKENDS = [
    # First, as axes documents: refuses locked-out credentials before any password check.
    "folja.accounts.backends.LockoutBackend",
    # Django's password check, refusing demo accounts when FOLJA_ENV=production.
    "folja.accounts.backends.PasswordBackend",
    # e-ID / SITHS through the municipality's identity provider; inert unless configured.
    "folja.accounts.oidc.FoljaOIDCBackend",
]

# Lockout (django-axes): five failures for the same username from the same address lock that
# combination for 15 minutes. Keying on the pair stops guessing without letting anyone lock a
# colleague out from elsewhere, or a whole office behind one NAT address.
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False

# OIDC (mozilla-django-oidc) for e-ID / SITHS. Off unless OIDC_RP_CLIENT_ID and OIDC_OP_ISSUER
# are set. The endpoints and signing keys are discovered from the issuer's
# /.well-known/openid-configuration on first use and cached; an endpoint set here wins over the
# discovered one. Users are matched on the personnummer or samordningsnummer (persons) or the
# HSA-id (staff) claim and never created.
OIDC_OP_ISSUER = os.environ.get("OIDC_OP_ISSUER", "")
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_RP_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_RP_CLIENT_SECRET", "")
# How the client authenticates at the token endpoint: client_secret_basic (the OIDC default)
# or client_secret_post, as registered with the provider.
OIDC_RP_TOKEN_ENDPOINT_AUTH_METHOD = os.environ.get(
    "OIDC_RP_TOKEN_ENDPOINT_AUTH_METHOD", "client_secret_basic"
)
if OIDC_RP_TOKEN_ENDPOINT_AUTH_METHOD not in ("client_secret_basic", "client_secret_post"):
    raise ValueError(
        "OIDC_RP_TOKEN_ENDPOINT_AUTH_METHOD must be client_secret_basic or client_secret_post"
    )
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_OP_JWKS_ENDPOINT", "")
OIDC_OP_LOGOUT_ENDPOINT = os.environ.get("OIDC_OP_LOGOUT_ENDPOINT", "")
OIDC_DISCOVERY_CACHE_SECONDS = int(os.environ.get("OIDC_DISCOVERY_CACHE_SECONDS", "3600"))
OIDC_CLOCK_SKEW_SECONDS = 60
OIDC_TIMEOUT = 10  # seconds per request to the provider: a hung provider must not hang a worker
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = os.environ.get("OIDC_RP_SCOPES", "openid profile")
OIDC_PERSONNUMMER_CLAIM = os.environ.get("OIDC_PERSONNUMMER_CLAIM", "personal_identity_number")
# The Swedish OpenID Connect profile carries a samordningsnummer in a claim of its own.
OIDC_COORDINATION_NUMBER_CLAIM = os.environ.get(
    "OIDC_COORDINATION_NUMBER_CLAIM", "https://id.oidc.se/claim/coordinationNumber"
)
OIDC_HSA_ID_CLAIM = os.environ.get("OIDC_HSA_ID_CLAIM", "hsa_id")
OIDC_CREATE_USER = False
OIDC_USE_PKCE = True
# Kept in the session as the id_token_hint for logging out of the provider too.
OIDC_STORE_ID_TOKEN = True
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_authentication_callback"
LOGIN_REDIRECT_URL_FAILURE = "/konto/login/?oidc=misslyckades"

OTP_TOTP_ISSUER = "Följa"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Svenska")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "folja" / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
# Session times are local wall-clock times (CALC.md): the rules engine works on naive local
# datetimes, so the database stores them as such rather than converting to UTC.
USE_TZ = False

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024

SESSION_COOKIE_AGE = int(os.environ.get("FOLJA_SESSION_SECONDS", 30 * 60))
# The idle timeout slides: folja.accounts.middleware.SlidingSessionMiddleware renews the session
# at most once a minute instead of writing it on every request.
SESSION_SAVE_EVERY_REQUEST = False
FOLJA_SESSION_RENEW_SECONDS = 60
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Strict CSP: no inline script or style anywhere; htmx and the stylesheet are served from self.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    CSRF_TRUSTED_ORIGINS = [f"https://{h}" for h in ALLOWED_HOSTS if h and h != "*"]

FOLJA_CITY_NAME = os.environ.get("FOLJA_CITY_NAME", "Stockholms stad")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
