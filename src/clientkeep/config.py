"""The one place that reads the environment.

Every setting is typed and checked at start-up; a bad value stops the program with a message
naming the variable, rather than failing later in the middle of someone's work.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

PREFIX = "CLIENTKEEP_"
DEFAULT_AUTH_FAILURES_PER_MINUTE = 10
DEFAULT_MAX_BODY_BYTES = 1024 * 1024


class ConfigError(Exception):
    """A setting is wrong; the message names the environment variable."""


EMAIL_SENDERS = ("none", "smtp", "demo")
SMS_SENDERS = ("none", "http", "demo")
SMTP_TLS = ("starttls", "tls", "none")
_SMTP_PORTS = {"starttls": 587, "tls": 465, "none": 25}
_LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}
DEFAULT_OUTBOX_MAX_ATTEMPTS = 5
DEFAULT_OUTBOX_INTERVAL = 10


@dataclass(frozen=True, slots=True)
class SmtpSettings:
    host: str
    port: int
    # "starttls" (upgrade after connecting), "tls" (implicit, from the first byte) or "none"
    # (plain: allowed only to this machine, for a local relay or a test server).
    tls: str
    from_address: str
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    timeout_seconds: float = 30.0


@dataclass(frozen=True, slots=True)
class SmsSettings:
    url: str
    from_name: str | None = None
    api_key: str | None = field(default=None, repr=False)
    # The header the key travels in: "Authorization" sends "Bearer <key>", any other its value.
    api_key_header: str = "Authorization"
    timeout_seconds: float = 30.0


@dataclass(frozen=True, slots=True)
class OutboxSettings:
    """How messages to customers leave: a sender per channel ("none" keeps them waiting;
    "demo" marks them delivered to the Messages page and sends nothing)."""

    email_sender: str = "none"
    sms_sender: str = "none"
    smtp: SmtpSettings | None = None
    sms: SmsSettings | None = None
    max_attempts: int = DEFAULT_OUTBOX_MAX_ATTEMPTS
    # Seconds between the server's passes over the outbox.
    interval_seconds: int = DEFAULT_OUTBOX_INTERVAL


@dataclass(frozen=True, slots=True)
class Settings:
    data_dir: Path
    database_url: str
    keystore_url: str
    master_key: str | None
    policy_path: Path | None
    log_level: str = "INFO"
    # Only ever true for tests and the local demo: lets cookies travel over plain http.
    insecure_cookies: bool = False
    # Failed sign-ins and bad API tokens one client address may make in a minute before it is
    # refused (429) without a database lookup.
    auth_failures_per_minute: int = DEFAULT_AUTH_FAILURES_PER_MINUTE
    # Request bodies over this are refused (413) before they are parsed.
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    # Senders of messages to customers (email by SMTP, SMS over HTTP), and how hard to try.
    outbox: OutboxSettings = field(default_factory=OutboxSettings)

    @property
    def master_key_file(self) -> Path:
        return self.data_dir / "master.key"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


_LOG_LEVELS = {"DEBUG", "INFO", "WARNING", "ERROR"}
_DB_SCHEMES = ("sqlite", "postgresql")
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if environ is None else environ

    def get(name: str) -> str | None:
        value = env.get(PREFIX + name)
        return value.strip() if value is not None and value.strip() else None

    data_dir = Path(get("DATA_DIR") or "./clientkeep-data").expanduser().resolve()
    database_url = get("DATABASE_URL") or f"sqlite:///{data_dir / 'clientkeep.db'}"
    keystore_url = get("KEYSTORE_URL") or f"sqlite:///{data_dir / 'keystore.db'}"
    for name, url in (("DATABASE_URL", database_url), ("KEYSTORE_URL", keystore_url)):
        _check_url(name, url)
    if database_url == keystore_url:
        raise ConfigError(
            f"{PREFIX}KEYSTORE_URL must differ from {PREFIX}DATABASE_URL: keys are kept "
            "apart from the data so that destroying a key destroys every copy of the data"
        )

    master_key = get("MASTER_KEY")
    if master_key is not None:
        _check_master_key(master_key)

    policy_raw = get("POLICY")
    policy_path = Path(policy_raw).expanduser().resolve() if policy_raw else None
    if policy_path is not None and not policy_path.is_file():
        raise ConfigError(f"{PREFIX}POLICY: no policy file at {policy_path}")

    log_level = (get("LOG_LEVEL") or "INFO").upper()
    if log_level not in _LOG_LEVELS:
        raise ConfigError(f"{PREFIX}LOG_LEVEL must be one of {', '.join(sorted(_LOG_LEVELS))}")

    insecure_raw = (get("INSECURE_COOKIES") or "").lower()
    if insecure_raw not in _TRUE | _FALSE:
        raise ConfigError(f"{PREFIX}INSECURE_COOKIES must be true or false")

    failures_per_minute = _whole_number(
        "AUTH_FAILURES_PER_MINUTE", get, DEFAULT_AUTH_FAILURES_PER_MINUTE, low=1, high=10_000
    )
    # Below a few kilobytes not even the sign-in form would fit.
    max_body_bytes = _whole_number(
        "MAX_BODY_BYTES", get, DEFAULT_MAX_BODY_BYTES, low=4096, high=1024**3
    )

    return Settings(
        data_dir=data_dir,
        database_url=_normalise_url(database_url),
        keystore_url=_normalise_url(keystore_url),
        master_key=master_key,
        policy_path=policy_path,
        log_level=log_level,
        insecure_cookies=insecure_raw in _TRUE,
        auth_failures_per_minute=failures_per_minute,
        max_body_bytes=max_body_bytes,
        outbox=_outbox_settings(get),
    )


def _outbox_settings(get: Callable[[str], str | None]) -> OutboxSettings:
    email = _sender_choice("EMAIL_SENDER", get, EMAIL_SENDERS, "smtp" if get("SMTP_HOST") else None)
    sms = _sender_choice("SMS_SENDER", get, SMS_SENDERS, "http" if get("SMS_URL") else None)
    return OutboxSettings(
        email_sender=email,
        sms_sender=sms,
        smtp=_smtp_settings(get) if email == "smtp" else None,
        sms=_sms_settings(get) if sms == "http" else None,
        max_attempts=_whole_number(
            "OUTBOX_MAX_ATTEMPTS", get, DEFAULT_OUTBOX_MAX_ATTEMPTS, low=1, high=50
        ),
        interval_seconds=_whole_number(
            "OUTBOX_INTERVAL", get, DEFAULT_OUTBOX_INTERVAL, low=1, high=3600
        ),
    )


def _sender_choice(
    name: str, get: Callable[[str], str | None], choices: tuple[str, ...], implied: str | None
) -> str:
    raw = get(name)
    value = raw.lower() if raw is not None else (implied or "none")
    if value not in choices:
        raise ConfigError(f"{PREFIX}{name} must be one of {', '.join(choices)}")
    return value


def _smtp_settings(get: Callable[[str], str | None]) -> SmtpSettings:
    host, from_address = get("SMTP_HOST"), get("SMTP_FROM")
    if host is None:
        raise ConfigError(f"{PREFIX}SMTP_HOST is needed to send email by SMTP")
    if from_address is None or "@" not in from_address:
        raise ConfigError(f"{PREFIX}SMTP_FROM must be the address email is sent from")
    tls = (get("SMTP_TLS") or "starttls").lower()
    if tls not in SMTP_TLS:
        raise ConfigError(f"{PREFIX}SMTP_TLS must be one of {', '.join(SMTP_TLS)}")
    if tls == "none" and host.lower() not in _LOCAL_HOSTS:
        # Messages carry one-time codes and personal data: plain SMTP only to this machine.
        raise ConfigError(f"{PREFIX}SMTP_TLS may be none only for a server on this machine")
    username, password = get("SMTP_USERNAME"), get("SMTP_PASSWORD")
    if (username is None) != (password is None):
        raise ConfigError(f"{PREFIX}SMTP_USERNAME and {PREFIX}SMTP_PASSWORD go together")
    return SmtpSettings(
        host=host,
        port=_whole_number("SMTP_PORT", get, _SMTP_PORTS[tls], low=1, high=65535),
        tls=tls,
        from_address=from_address,
        username=username,
        password=password,
    )


def _sms_settings(get: Callable[[str], str | None]) -> SmsSettings:
    url = get("SMS_URL")
    parts = urlsplit(url or "")
    if url is None or parts.scheme not in {"https", "http"} or not parts.hostname:
        raise ConfigError(f"{PREFIX}SMS_URL must be the provider's https:// address")
    if parts.scheme == "http" and parts.hostname not in _LOCAL_HOSTS:
        raise ConfigError(f"{PREFIX}SMS_URL must use https unless the server is on this machine")
    header = get("SMS_API_KEY_HEADER") or "Authorization"
    if not header.isascii() or not all(ch.isalnum() or ch == "-" for ch in header):
        raise ConfigError(f"{PREFIX}SMS_API_KEY_HEADER must be a header name")
    return SmsSettings(
        url=url, from_name=get("SMS_FROM"), api_key=get("SMS_API_KEY"), api_key_header=header
    )


def _whole_number(
    name: str, get: Callable[[str], str | None], default: int, *, low: int, high: int
) -> int:
    raw = get(name)
    if raw is None:
        return default
    value = int(raw) if raw.isascii() and raw.isdigit() else None
    if value is None or not low <= value <= high:
        raise ConfigError(f"{PREFIX}{name} must be a whole number from {low} to {high}")
    return value


def _check_url(name: str, url: str) -> None:
    scheme = url.split(":", 1)[0].split("+", 1)[0]
    if scheme not in _DB_SCHEMES or "://" not in url:
        raise ConfigError(
            f"{PREFIX}{name} must be a sqlite:/// or postgresql:// URL, got scheme {scheme!r}"
        )


def _normalise_url(url: str) -> str:
    # psycopg 3 is the driver we ship; a bare postgresql:// would ask for psycopg2.
    if url.startswith("postgresql://"):
        return "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def _check_master_key(value: str) -> None:
    # Imported here so config stays importable without the crypto adapter's dependencies.
    from clientkeep.adapters.crypto.master_keys import MasterKeyError, parse_master_key_env

    try:
        parse_master_key_env(value)
    except MasterKeyError as exc:
        raise ConfigError(f"{PREFIX}MASTER_KEY: {exc}") from None
