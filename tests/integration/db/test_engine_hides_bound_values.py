"""Bound values (personal data) never appear in database error messages or SQL logging."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from clientkeep.adapters.db.engine import make_engine

VALUE = "jane.doe@example.com"


@pytest.fixture
def engine(database_urls):
    main, _ = database_urls
    if main.startswith("sqlite"):
        Path(main.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    made = make_engine(main)
    yield made
    made.dispose()


def test_a_failed_statement_does_not_quote_its_values(engine) -> None:
    with pytest.raises(DBAPIError) as caught, engine.connect() as conn:
        conn.execute(text("SELECT email FROM no_such_table WHERE email = :email"), {"email": VALUE})
    assert VALUE not in str(caught.value)
    assert "hidden" in str(caught.value)


def test_sql_logging_does_not_show_values(engine, caplog) -> None:
    with caplog.at_level(logging.INFO, logger="sqlalchemy.engine"), engine.connect() as conn:
        conn.execute(text("SELECT :email"), {"email": VALUE})
    assert "SELECT" in caplog.text
    assert VALUE not in caplog.text
