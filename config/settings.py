"""Settings, driven by the environment.

SQLite is the default so that a fresh clone runs with nothing else installed;
set DATABASE_URL (for example postgres://postgres@127.0.0.1:5432/test) for PostgreSQL.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: str) -> bool:
    value = os.getenv(name, default).strip().lower()
    if value not in {"true", "false", "1", "0", "yes", "no"}:
        raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")
    return value in {"true", "1", "yes"}


def envint(name: str, default: str) -> int:
    value = os.getenv(name, default)
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from exc


DEBUG = envbool("DEBUG", "true")
SECRET_KEY = os.getenv("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is false")
    SECRET_KEY = "dev-only-not-secret-" + "x" * 40  # noqa: S105 - development default only
ALLOWED_HOSTS = os.getenv("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
CSRF_TRUSTED_ORIGINS = [o for o in os.getenv("CSRF_TRUSTED_ORIGINS", "").split(",") if o]
SITE_ROOT = os.getenv("SITE_ROOT", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "django_htmx",
    "tribu.core",
    "tribu.platforms",
    "tribu.agents",
    "tribu.ledger",
    "tribu.reports",
    "tribu.community",
    "tribu.spaces",
    "tribu.observatory",
    "tribu.forecasts",
    "tribu.dossiers",
    "tribu.web",
    "tribu.api",
    "tribu.demo",
]

# Every append-only guard (tribu.core.guards.AppendOnly): installed after each migrate,
# checked by `tribu check`, lifted only to empty a test database.
TRIBU_GUARDS = [
    "tribu.ledger.guards.LEDGER",
    "tribu.ledger.guards.CATALOGUE",
    "tribu.ledger.guards.DECLARED",
    "tribu.ledger.guards.CHAIN",
    "tribu.platforms.guards.ROLES",
    "tribu.platforms.guards.SETTINGS_HISTORY",
    "tribu.community.guards.HISTORY",
    "tribu.forecasts.guards.VERSIONS",
    "tribu.spaces.guards.INVOICE_HISTORY",
    "tribu.spaces.guards.INVOICES",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "tribu" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "tribu.web.awaiting.awaiting",
            ],
        },
    },
]

# SQLite: WAL so readers never block the writer, IMMEDIATE so a write transaction takes
# the lock at BEGIN (a check-then-write cannot interleave), and a busy timeout instead of
# "database is locked" errors under contention.
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": ("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"),
}
DATABASE_URL = os.getenv("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    SQLITE_PATH = Path(os.getenv("SQLITE_PATH", BASE_DIR / "var" / "tribu.sqlite3"))
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": SQLITE_PATH,
            "OPTIONS": SQLITE_OPTIONS,
        }
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", SQLITE_OPTIONS)
    # A file, not memory: concurrency tests need several connections to one database.
    DATABASES["default"]["TEST"] = {
        "NAME": os.getenv("SQLITE_TEST_PATH", str(BASE_DIR / "var" / "test-tribu.sqlite3"))
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SITE_ID = 1
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = os.getenv("ACCOUNT_EMAIL_VERIFICATION", "none")
# Failed logins, counted in the shared cache: 5 per account in 5 minutes from anywhere, and a
# short per-address window (against spraying many accounts) that holds back the other people
# behind that address for a minute at most. A successful login does not count.
ACCOUNT_RATE_LIMITS = {"login_failed": "20/m/ip,5/5m/key"}
# In development mail goes to the console; in production to an SMTP server (EMAIL_HOST…).
MAILERS = {
    "default": {
        "BACKEND": os.getenv(
            "EMAIL_BACKEND",
            "django.core.mail.backends.console.EmailBackend"
            if DEBUG
            else "django.core.mail.backends.smtp.EmailBackend",
        )
    }
}
if MAILERS["default"]["BACKEND"] == "django.core.mail.backends.smtp.EmailBackend":
    # The SMTP server (docs/deploy.md); a mailer without a host is refused.
    MAILERS["default"]["OPTIONS"] = {
        "host": os.getenv("EMAIL_HOST", "localhost"),
        "port": envint("EMAIL_PORT", "587" if envbool("EMAIL_USE_TLS", "true") else "25"),
        "username": os.getenv("EMAIL_HOST_USER", ""),
        "password": os.getenv("EMAIL_HOST_PASSWORD", ""),
        "use_tls": envbool("EMAIL_USE_TLS", "true"),
        "timeout": 20,
    }
DEFAULT_FROM_EMAIL = os.getenv("DEFAULT_FROM_EMAIL", "tribu@localhost")

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "tribu" / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.getenv("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "tribu" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed and compressed, with DEBUG on or off: see tribu/web/storage.py.
    "staticfiles": {"BACKEND": "tribu.web.storage.StaticStorage"},
}
MEDIA_ROOT = Path(os.getenv("MEDIA_ROOT", BASE_DIR / "var" / "media"))
MEDIA_URL = "/media/"

# Shared by every worker (login limits, report figures): the database by default (its table is
# made by `manage.py createcachetable`), Redis where REDIS_URL is set (needs the redis package).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "tribu_cache",
        "OPTIONS": {"MAX_ENTRIES": 20000},
    }
}
if os.getenv("REDIS_URL"):
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["REDIS_URL"],
    }

# Monte Carlo draws for on-line reports; the CLI and the impact-map evaluation take more.
TRIBU_REPORT_DRAWS = envint("TRIBU_REPORT_DRAWS", "10000")
TRIBU_REPORT_SEED = envint("TRIBU_REPORT_SEED", "2026")
# Impact-map evaluations (POST /api/reports/impact-map) per token and per minute.
TRIBU_IMPACT_MAP_PER_MINUTE = envint("TRIBU_IMPACT_MAP_PER_MINUTE", "10")
# Lifetime of an API token, in days from its issue.
TRIBU_TOKEN_DAYS = envint("TRIBU_TOKEN_DAYS", "90")

# Content-Security-Policy: the app's own scripts, styles, images and fonts, nothing inline
# (images as data: URIs only, which the API docs' stylesheet uses), no plugins, no framing.
# Never say whether an account exists (login, password reset, and signup wherever e-mail
# verification is mandatory, as it is in production).
ACCOUNT_PREVENT_ENUMERATION = True

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

if not DEBUG:
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "true")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    # Signing up with an e-mail already known then answers as for a new one (the owner
    # is told by mail): signup does not reveal who has an account.
    ACCOUNT_EMAIL_VERIFICATION = os.getenv("ACCOUNT_EMAIL_VERIFICATION", "mandatory")
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", "31536000")
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.getenv("LOG_LEVEL", "WARNING")},
}
