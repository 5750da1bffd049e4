"""Settings shared by every environment; the others import and adjust these."""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent


def _origins(*urls):
    """Return the scheme://host[:port] of each non-empty URL (for a Content-Security-Policy source list)."""
    return [f"{part.scheme}://{part.netloc}" for part in map(urlsplit, urls) if part.scheme and part.netloc]


def get_env_var(name, default=None):
    """Return the environment variable `name`, or `default` when it is unset or empty."""
    value = os.environ.get(name, "")
    return value if value != "" else default


INSTALLED_APPS = [
    # Before the admin and the apps it registers: it adds a column per language to the catalogue's names
    # (ratings/translation.py, surveys/translation.py).
    "modeltranslation",
    "accounts",
    "ratings",
    "surveys",
    "analytics",
    "cms",
    "wagtail.contrib.forms",
    # Pages in French and English: an editor translates a page with "Translate" (a copy in the other
    # language's tree); cms.models.translation shows the French original where no translation exists.
    "wagtail.contrib.simple_translation",
    "wagtail.locales",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "api",
    "operations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy (django-csp, CONTENT_SECURITY_POLICY below) and Permissions-Policy.
    "csp.middleware.CSPMiddleware",
    "config.middleware.PermissionsPolicyMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Readers who are not signed in get the public pages from the shared cache (cms/page_cache.py), before
    # compression, sessions and the views; PAGE_CACHE_SECONDS = 0 turns it off.
    "cms.page_cache.AnonymousPageCacheMiddleware",
    # Pages compressed on the way out (static files come compressed from whitenoise, which answers before
    # this); Django pads each compressed page at random against BREACH.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # After the locale (its reason is translated), before any view or lookup hands a NUL to the database.
    "config.middleware.RefuseNulBytesMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: it answers locked-out sign-ins.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

# Nothing is loaded from another site and no script runs inline: scripts, styles, images and fonts come
# from this origin only (the JSON the charts read sits in data blocks, which no policy runs). Styles may
# be inline: plotly.js styles what it draws. The Wagtail and Django admins, whose own pages run inline
# scripts, keep their framework's defaults (and X-Frame-Options).
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/", "/django-admin/"],
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        # Forms post here only; signing out of a Pro Santé Connect session continues at the provider's.
        "form-action": [SELF, *_origins(get_env_var("PSC_DISCOVERY_URL", ""))],
        # Wagtail's preview frames the site's own pages; no other site may.
        "frame-ancestors": [SELF],
    },
}
# No page here needs a camera, a microphone, the position or payments: browsers refuse them to any script.
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "cms.context_processors.vendor_access",
                "cms.context_processors.language_versions",
                "surveys.context_processors.pro_sante_connect",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# SQLite is the embedded default; DATABASE_URL points anywhere else (PostgreSQL in production).
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(get_env_var("CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while the recompute or an import writes.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", "timeout": 20}
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "surveys:login"
LOGIN_REDIRECT_URL = "surveys:my_ratings"
LOGOUT_REDIRECT_URL = "/"

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [PROJECT_DIR / "static"]
# Where `collectstatic` writes (the production settings serve from there).
STATIC_ROOT = Path(get_env_var("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATIC_URL = "/static/"
MEDIA_ROOT = Path(get_env_var("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"
# Files no URL serves directly (vendor reports): views check who asks before sending them.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "private"))
PRIVATE_STORAGE = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": PRIVATE_MEDIA_ROOT},
}

# The open data (/donnees/): one folder per campaign, rewritten atomically after each recompute.
OPEN_DATA_ROOT = Path(get_env_var("OPEN_DATA_ROOT", BASE_DIR / "open-data"))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "private": PRIVATE_STORAGE,
}

# Rate limits and the report de-duplication count in this cache, so it must be shared by every worker
# process: Redis when REDIS_URL is set, else a database table (`manage.py createcachetable`).
# django-ratelimit's increment is atomic on Redis only; on the database two requests at the same
# instant may both pass, which is a few requests over the limit, not 4× as with a per-process cache.
CACHE_TABLE = "django_cache"
if get_env_var("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": get_env_var("REDIS_URL"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": CACHE_TABLE}}
# Wagtail's image renditions (logos): found in this cache rather than by a query per image. Shared on Redis;
# without it each process keeps them 10 minutes (a replaced logo shows everywhere within that time).
CACHES["renditions"] = (
    {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": get_env_var("REDIS_URL")}
    if get_env_var("REDIS_URL")
    else {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "renditions",
        "TIMEOUT": 600,
    }
)
# Figures derived from one score snapshot, in each process's memory (analytics/published/cache.py): their keys
# name the snapshot's version, so no process ever serves another snapshot's figures and nothing is shared.
CACHES["snapshot"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "snapshot-figures",
    "OPTIONS": {"MAX_ENTRIES": 5000},
}

# Pro Santé Connect, the national sign-in of health professionals (OpenID Connect; README "Pro Santé
# Connect"). Offered on the sign-in and sign-up pages only when the discovery URL, client id and secret
# are all set; the values come from the service's registration with the Agence du numérique en santé.
PRO_SANTE_CONNECT = {
    "DISCOVERY_URL": get_env_var("PSC_DISCOVERY_URL", ""),
    "CLIENT_ID": get_env_var("PSC_CLIENT_ID", ""),
    "CLIENT_SECRET": get_env_var("PSC_CLIENT_SECRET", ""),
    "SCOPES": get_env_var("PSC_SCOPES", "openid scope_all"),
    "ACR_VALUES": get_env_var("PSC_ACR_VALUES", "eidas1"),
    # Seconds of clock difference tolerated when checking the ID token's times.
    "LEEWAY": int(get_env_var("PSC_LEEWAY", "60")),
}

# How long a public page stays in the anonymous readers' page cache (cms/page_cache.py) at most; a change
# readers can see drops every page at once before that. 0 turns the cache off.
PAGE_CACHE_SECONDS = int(get_env_var("PAGE_CACHE_SECONDS", "600"))

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Background work: the database backend keeps a queue that `manage.py db_worker` drains.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Sign-in brute force: lock an account × address after 5 failures for one hour.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "surveys.views.locked_out"
AXES_USERNAME_CALLABLE = "config.axes_hooks.username"

# Sign-up, sign-in and survey submission are rate limited per address (django-ratelimit).
RATELIMIT_VIEW = "surveys.views.rate_limited"

WAGTAIL_SITE_NAME = "Observatoire des logiciels médicaux"
# A page restricted to signed-in readers sends them to the site's own sign-in, in their language, rather
# than to Wagtail's bare fallback form (/_util/login/).
WAGTAIL_FRONTEND_LOGIN_URL = "surveys:login"
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
# The catalogue's names (category, facet, campaign) in every language of LANGUAGES; a name not yet
# translated shows in French.
MODELTRANSLATION_DEFAULT_LANGUAGE = "fr"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("fr",)
# Site search (/recherche/): Wagtail's database backend, which is PostgreSQL full-text search on PostgreSQL
# (French stemming and stop words, accents ignored: cms migration 0005) and SQLite's FTS5 on SQLite.
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
if DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql"):
    WAGTAILSEARCH_BACKENDS["default"]["SEARCH_CONFIG"] = "french_unaccent"  # cms migration 0005
WAGTAILADMIN_BASE_URL = get_env_var("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILDOCS_EXTENSIONS = ["csv", "pdf", "txt", "xlsx", "odt", "docx"]
# Uploaded images (logos, illustrations): Wagtail checks the extension, that the content really is an image
# of that kind (Willow reads it), the file's size and its pixel count before keeping anything. No SVG
# (it can carry scripts) and no image large enough to exhaust a worker's memory when resized.
WAGTAILIMAGES_EXTENSIONS = ["png", "jpg", "jpeg", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 5 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 20_000_000
WAGTAIL_ENABLE_UPDATE_CHECK = False

# Where the contact form's messages go (they are also listed in the admin).
CONTACT_EMAIL = get_env_var("CONTACT_EMAIL", "contact@observatoire.invalid")
DEFAULT_FROM_EMAIL = get_env_var("DEFAULT_FROM_EMAIL", "Observatoire <no-reply@observatoire.invalid>")

# The public API (api/, FORMATS.md "Public API"): read-only JSON, anonymous clients throttled on the
# shared cache above (so the limit holds across processes), open to other origins for GET only.
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": get_env_var("API_ANON_RATE", "120/minute")},
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pages",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Observatoire des logiciels médicaux — public API",
    "DESCRIPTION": (
        "Read-only access to the published scores of e-health software, with their 95 % intervals, and to the "
        "catalogue. Field names and values are those of the scores export; figures describing fewer than 5 "
        "respondents are null. Licence of the data: Licence Ouverte / Open Licence 2.0."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "PREPROCESSING_HOOKS": ["api.schema.only_public_api"],
    # Two status fields: a product's (it may be "insufficient") and a subgroup row's (never: no row below 5).
    "ENUM_NAME_OVERRIDES": {
        "StatusEnum": ["ok", "limited", "insufficient"],
        "SubgroupStatusEnum": ["ok", "limited"],
    },
}
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_CREDENTIALS = False
