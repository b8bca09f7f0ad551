"""Creating and opening ledgers, and the clear errors when that cannot be done."""

from __future__ import annotations

import pytest

from rightsledger.config import Settings
from rightsledger.errors import ConfigError
from rightsledger.ledger import Ledger
from rightsledger.paths import key_path_for
from rightsledger.vault import LedgerKey


def test_init_then_open(settings, clock):
    Ledger.init(settings, clock=clock).close()
    with Ledger.open(settings, clock=clock) as led:
        assert led.verify() == []


def test_init_refuses_a_database_that_holds_tables(settings, clock):
    Ledger.init(settings, clock=clock).close()
    key_path_for(settings).unlink()
    with pytest.raises(ConfigError, match="already holds tables"):
        Ledger.init(settings, clock=clock)


def test_open_refuses_the_wrong_key(settings, clock, tmp_path):
    Ledger.init(settings, clock=clock).close()
    other = tmp_path / "other.key"
    LedgerKey.generate().save(other)
    wrong = settings.model_copy(update={"key_file": other})
    with pytest.raises(ConfigError, match="does not belong to this ledger"):
        Ledger.open(wrong, clock=clock)


def test_open_refuses_a_missing_key(settings, clock):
    Ledger.init(settings, clock=clock).close()
    key_path_for(settings).unlink()
    with pytest.raises(ConfigError, match="key file .* not found"):
        Ledger.open(settings, clock=clock)


def test_open_refuses_an_empty_database(settings, clock):
    if settings.database_url.startswith("sqlite"):
        with pytest.raises(ConfigError, match="no ledger at"):
            Ledger.open(settings, clock=clock)
    else:
        with pytest.raises(ConfigError, match="not a rightsledger ledger"):
            Ledger.open(settings, clock=clock)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://root@localhost/x", "'mysql' is not supported"),
        ("postgresql+psycopg://nobody@127.0.0.1:1/none", "cannot reach the database"),
        ("sqlite:////no/such/folder/x.sqlite", "does not exist"),
        ("postgresql+psycopg://x@[bad/y", "cannot be parsed|cannot reach"),
    ],
)
def test_bad_database_urls_get_a_clear_message(url, message, tmp_path):
    settings = Settings(database_url=url, key_file=tmp_path / "k.key")
    with pytest.raises(ConfigError, match=message):
        Ledger.init(settings)
    assert not (tmp_path / "k.key").exists()


def test_key_file_is_required_for_postgres():
    settings = Settings(database_url="postgresql+psycopg://x@127.0.0.1/test")
    with pytest.raises(ConfigError, match="key file is required"):
        key_path_for(settings)


def test_key_file_is_private_and_never_overwritten(tmp_path):
    path = tmp_path / "k.key"
    LedgerKey.generate().save(path)
    assert path.stat().st_mode & 0o077 == 0
    with pytest.raises(ConfigError, match="refusing to overwrite"):
        LedgerKey.generate().save(path)
