"""Apply the key store's Alembic migrations programmatically."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from clientkeep.adapters.crypto._engine import db_errors
from clientkeep.adapters.crypto.tables import VERSION_TABLE

MIGRATIONS = Path(__file__).parent / "migrations"


def _config(url: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if url is not None:
        # Alembic's ini interpolation treats % specially (URL-encoded passwords have them).
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    config = _config(engine.url.render_as_string(hide_password=False))
    with db_errors(), engine.connect() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, revision)
        conn.commit()


def current_revision(engine: Engine) -> str | None:
    with db_errors(), engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE})
        return context.get_current_revision()


def head_revision() -> str | None:
    return ScriptDirectory.from_config(_config()).get_current_head()
