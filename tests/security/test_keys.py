"""Key rotation and passphrase keys.

Rotation re-encrypts every encrypted value under a new key without loss, keeps
the old key file (backups made before need it) and retires it for the ledger.
It is safe to interrupt at any moment: an exception inside the transaction, a
crash between the commit and the renaming of the key files, and a real SIGKILL
of `rightsledger keys rotate` at random moments on a ledger of 100,000 records
all leave a ledger that opens, verifies and decrypts every record.
"""

from __future__ import annotations

import csv
import io
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, select

from rightsledger.cli import cli
from rightsledger.config import Settings
from rightsledger.domain import Role
from rightsledger.errors import ConfigError, InputError
from rightsledger.ledger import Ledger, PassphraseRequired
from rightsledger.names.synthetic import random_name
from rightsledger.paths import key_path_for
from rightsledger.store import ciphertexts
from rightsledger.store.tables import Base, RecordRow
from rightsledger.usecases import accounts as accounts_module
from rightsledger.vault import FieldCipher, LedgerKey

from ..conftest import FixedClock
from . import (
    ADMIN,
    FILLER,
    RECORDS,
    USERS,
    as_user,
    cli_args,
    later_clock,
    open_as,
)

INVESTIGATOR, ANALYST = USERS[Role.INVESTIGATOR], USERS[Role.ANALYST]


# -- what must survive a rotation ------------------------------------------------------
def _everything(settings: Settings) -> dict[str, Any]:
    """Every decrypted value, every pseudonym, and the file's content."""
    clock = later_clock()
    with open_as(settings, INVESTIGATOR, clock) as inv:
        files = {}
        for a in inv.attachments():
            out = io.BytesIO()
            inv.read_attachment(a.sha256, out)
            files[a.sha256] = (a.original_name, out.getvalue())
        seen: dict[str, Any] = {
            "records": inv.records(purpose="check"),
            "witnesses": inv.witnesses(purpose="check"),
            "testimonies": [
                inv.testimony(t, purpose="check") for t in ("tes-1", "tes-2")
            ],
            "files": files,
            "review notes": [d.note for d in inv.review_history()],
        }
    with open_as(settings, ANALYST, clock) as ana:
        seen["pseudonyms"] = ana.pseudonymous_records()
        model = ana.latest_link_result()  # its model is encrypted too
        assert model is not None
        seen["linkage model"] = model.model.to_json()
        seen["witness pseudonyms"] = [w["pseudonym"] for w in seen["witnesses"]]
    return seen


def _rows(settings: Settings) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, for before/after comparisons."""
    engine = create_engine(settings.database_url)
    try:
        with engine.connect() as conn:
            return {
                name: sorted(map(tuple, conn.execute(select(table))), key=repr)
                for name, table in Base.metadata.tables.items()
            }
    finally:
        engine.dispose()


def _fingerprint(settings: Settings) -> str:
    meta = {str(k): str(v) for k, v in _rows(settings)["ledger_meta"]}
    return meta["key_fingerprint"]


def test_rotation_keeps_everything_and_retires_the_old_key(copy: Settings):
    with open_as(copy, INVESTIGATOR, later_clock()) as inv:
        inv.decide_link("rec-a1", "rec-b1", accept=True, note="his sister confirmed")
    before = _everything(copy)
    assert before["review notes"] == ["his sister confirmed"]
    key = key_path_for(copy)
    old = key.read_bytes()
    with open_as(copy, ADMIN, later_clock()) as admin:
        counts = admin.rotate_key()
        assert admin.verify() == []
    assert counts == {
        "record": len(RECORDS) + len(FILLER),
        "witness": 2,
        "testimony": 2,
        "attachment": 1,
        "vault file key": 1,
        "linkage model": 1,
        "link review note": 1,
    }
    assert _everything(copy) == before
    kept = list(key.parent.glob(key.name + ".old-*"))
    assert [p.read_bytes() for p in kept] == [old]
    assert key.read_bytes() != old
    assert not key.with_name(key.name + ".next").exists()
    with pytest.raises(ConfigError, match="does not belong to this ledger"):
        Ledger.open(copy.model_copy(update={"key_file": kept[0]}), clock=later_clock())
    # the old key does decrypt nothing any more
    old_cipher = FieldCipher(LedgerKey.load(kept[0]))
    with open_as(copy, ADMIN, later_clock()) as admin, admin.sessions.read() as s:
        failed = ciphertexts.problems(s, old_cipher)  # every value fails under it
        assert len(failed) == sum(counts.values())


class _FailingCipher:
    """A new-key cipher that fails after a few values, as a disk or a bug would."""

    def __init__(self, inner: FieldCipher, after: int) -> None:
        self._inner, self._left = inner, after

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def _tick(self) -> None:
        self._left -= 1
        if self._left < 0:
            raise OSError("simulated failure in the middle of the rotation")

    def encrypt(self, *args: Any, **kwargs: Any) -> bytes:
        self._tick()
        return self._inner.encrypt(*args, **kwargs)

    def encrypt_text(self, *args: Any, **kwargs: Any) -> bytes:
        self._tick()
        return self._inner.encrypt_text(*args, **kwargs)


def test_a_failure_inside_the_transaction_changes_nothing(
    copy: Settings, monkeypatch: pytest.MonkeyPatch
):
    before, rows = _everything(copy), _rows(copy)
    reencrypt = ciphertexts.reencrypt
    calls: list[int] = []

    def failing(session: Any, old: Any, new: Any, progress: Any = None) -> Any:
        calls.append(1)
        failing_cipher: Any = _FailingCipher(new, after=7)
        return reencrypt(session, old, failing_cipher, progress)

    monkeypatch.setattr(ciphertexts, "reencrypt", failing)
    with open_as(copy, ADMIN, later_clock()) as admin:
        with pytest.raises(OSError, match="simulated failure"):
            admin.rotate_key()
        assert calls == [1]
        assert admin.verify() == []  # the open ledger still works with the old key
    monkeypatch.undo()
    assert _rows(copy) == rows  # not one value, meta entry or custody entry changed
    key = key_path_for(copy)
    pending = key.with_name(key.name + ".next")
    assert pending.exists()  # the new key was written first ...
    with open_as(copy, ADMIN, later_clock()) as admin:
        assert admin.verify() == []
    assert not pending.exists()  # ... and the next open removed it
    assert not list(key.parent.glob(key.name + ".old-*"))
    assert _everything(copy) == before


def test_a_crash_between_commit_and_renaming_is_finished_at_the_next_open(
    copy: Settings, monkeypatch: pytest.MonkeyPatch
):
    before = _everything(copy)
    key = key_path_for(copy)
    old = key.read_bytes()
    monkeypatch.setattr(accounts_module, "finish_rotation", lambda *_: None)
    with open_as(copy, ADMIN, later_clock()) as admin:
        admin.rotate_key()
    monkeypatch.undo()
    pending = key.with_name(key.name + ".next")
    assert pending.exists() and key.read_bytes() == old  # the crash's state
    assert LedgerKey.load(pending).fingerprint == _fingerprint(copy)
    with open_as(copy, ADMIN, later_clock()) as admin:
        assert admin.verify() == []
    assert not pending.exists()
    assert [p.read_bytes() for p in key.parent.glob(key.name + ".old-*")] == [old]
    assert _everything(copy) == before


def test_a_crash_inside_the_renaming_is_finished_too(copy: Settings):
    """The old key file already moved aside, the new one not yet in place."""
    key = key_path_for(copy)
    with open_as(copy, ADMIN, later_clock()) as admin:
        admin.rotate_key()
    newest = key.read_bytes()
    # undo the last step of the renaming by hand
    key.rename(key.with_name(key.name + ".next"))
    assert not key.exists()
    with open_as(copy, ADMIN, later_clock()) as admin:
        assert admin.verify() == []
    assert key.read_bytes() == newest


# -- SIGKILL of a real rotation --------------------------------------------------------
BIG = 100_000


@pytest.fixture(scope="module")
def big_ledger(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, list[tuple[str, str, int]]]:
    """A SQLite ledger of 100,000 synthetic person records (built once)."""
    folder = tmp_path_factory.mktemp("big") / "ledger"
    folder.mkdir()
    rng = random.Random(20261127)
    people = []
    for i in range(BIG):
        sex = rng.choice("MF")
        people.append(
            (f"r{i:06d}", random_name(rng, sex).hangul, rng.randint(1930, 1995))
        )
    intake = folder.parent / "records.csv"
    with intake.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["record_id", "source_id", "full_name", "birth_year"])
        writer.writerows((rid, "list-a", name, year) for rid, name, year in people)
    sources = folder.parent / "sources.csv"
    sources.write_text("id,kind,title,owner,reliability\nlist-a,ngo-list,A,NGO A,B\n")
    settings = Settings(
        database_url=f"sqlite:///{folder / 'ledger.sqlite'}", actor=ADMIN
    )
    clock = FixedClock(later_clock().now)
    with Ledger.init(settings, clock=clock) as admin:
        admin.load_catalogue()
        admin.add_user(INVESTIGATOR, Role.INVESTIGATOR)
        admin.import_file(sources, "sources")
        admin.import_file(intake, "records")
    return folder, people


def _rotate_and_kill(ledgers: list[Settings], delays: list[float]) -> list[str]:
    """Start `rightsledger keys rotate` on each ledger at once, SIGKILL each
    its delay after its write transaction began (or let it finish); say which."""
    exe = Path(sys.executable).with_name("rightsledger")
    env = {k: v for k, v in os.environ.items() if not k.startswith("RIGHTSLEDGER_")}
    procs = [
        subprocess.Popen(  # noqa: S603 - our own entry point
            [str(exe), *cli_args(settings, ADMIN), "keys", "rotate"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=env,
        )
        for settings in ledgers
    ]
    journals = [
        Path(s.database_url.removeprefix("sqlite:///") + "-journal") for s in ledgers
    ]
    began: list[float | None] = [None] * len(procs)
    how: list[str | None] = [None] * len(procs)
    deadline = time.monotonic() + 120
    while None in how:
        assert time.monotonic() < deadline, "a rotation never started"
        for i, proc in enumerate(procs):
            if how[i] is not None:
                continue
            if began[i] is None and journals[i].exists():
                began[i] = time.monotonic()
            start = began[i]
            if proc.poll() is not None:
                how[i] = "finished"
                assert proc.returncode == 0, proc.communicate()[1]
            elif start is not None and time.monotonic() >= start + delays[i]:
                proc.send_signal(signal.SIGKILL)
                proc.wait()
                how[i] = "killed"
        time.sleep(0.002)
    for proc in procs:
        proc.communicate()
    return [h for h in how if h is not None]


def _decrypted(settings: Settings, cipher: FieldCipher) -> dict[str, tuple[str, int]]:
    """Every record's name and birth year, decrypted with ``cipher`` (what
    ``Ledger.records`` does, minus the ORM: a second per 100,000 records)."""
    engine = create_engine(settings.database_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(select(RecordRow.id, RecordRow.identity))
            out = {}
            for rid, blob in rows:
                identity = cipher.decrypt(blob, context=rid)
                out[rid] = (identity["full_name"], identity["birth_year"])
            return out
    finally:
        engine.dispose()


def test_a_rotation_killed_at_random_moments_leaves_a_working_ledger(
    big_ledger: tuple[Path, list[tuple[str, str, int]]], tmp_path: Path
):
    folder, people = big_ledger
    expected = {rid: (name, year) for rid, name, year in people}
    assert len(expected) == BIG
    rng = random.Random(7)
    delays = [0.05, rng.uniform(0.2, 1.0), rng.uniform(0.5, 2.5)]
    ledgers = []
    for attempt in range(len(delays)):
        here = tmp_path / f"attempt-{attempt}"
        shutil.copytree(folder, here)
        ledgers.append(
            Settings(database_url=f"sqlite:///{here / 'ledger.sqlite'}", actor=ADMIN)
        )
    old = LedgerKey.load(key_path_for(ledgers[0])).fingerprint
    outcomes = []
    for settings, how in zip(ledgers, _rotate_and_kill(ledgers, delays), strict=True):
        with Ledger.open(settings, clock=later_clock()) as admin:  # finishes or undoes
            assert admin.verify() == []
        key = LedgerKey.load(key_path_for(settings))
        assert key.fingerprint == _fingerprint(settings)
        assert _decrypted(settings, FieldCipher(key)) == expected
        outcomes.append((how, "rotated" if key.fingerprint != old else "not rotated"))
    # at least one kill landed inside the transaction, which then did not count
    assert ("killed", "not rotated") in outcomes, outcomes


# -- passphrase ledgers ----------------------------------------------------------------
@pytest.fixture
def cheap_scrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    """scrypt at a small cost: the real one (128 MiB) is for real ledgers.
    ``LedgerKey.from_passphrase`` binds SCRYPT_N when defined, so the method is
    wrapped rather than the constant set."""
    derive: Any = LedgerKey.from_passphrase.__func__  # type: ignore[attr-defined]

    def cheap(
        cls: type[LedgerKey], passphrase: str, salt: bytes, /, **_: Any
    ) -> LedgerKey:
        key: LedgerKey = derive(cls, passphrase, salt, n=2**10, r=8)
        return key

    monkeypatch.setattr(LedgerKey, "from_passphrase", classmethod(cheap))


PASS1, PASS2 = "correct horse synthetic staple", "another synthetic passphrase"


def _with_passphrase(settings: Settings, passphrase: str | None) -> Settings:
    from pydantic import SecretStr

    value = None if passphrase is None else SecretStr(passphrase)
    return settings.model_copy(update={"passphrase": value})


@pytest.mark.usefixtures("cheap_scrypt")
def test_a_passphrase_ledger_needs_its_passphrase_and_rotates_to_a_new_one(
    settings: Settings, tmp_path: Path
):
    """``settings``: a new, empty database of each kind (tests/conftest.py)."""
    records = tmp_path / "records.csv"
    records.write_text(
        "record_id,source_id,full_name,birth_year\nr1,list-a,탁솔휘,1937\n",
        encoding="utf-8",
    )
    sources = tmp_path / "sources.csv"
    sources.write_text("id,kind,title,owner,reliability\nlist-a,ngo-list,A,NGO A,B\n")
    with Ledger.init(settings, clock=later_clock(), passphrase=PASS1) as admin:
        admin.load_catalogue()
        admin.add_user(INVESTIGATOR, Role.INVESTIGATOR)
        admin.import_file(sources, "sources")
        admin.import_file(records, "records")
    assert not key_path_for(settings).exists()  # nothing written: the key is derived

    with pytest.raises(PassphraseRequired, match="derived from a passphrase"):
        Ledger.open(settings, clock=later_clock())
    with pytest.raises(PassphraseRequired, match="wrong passphrase"):
        Ledger.open(_with_passphrase(settings, PASS2), clock=later_clock())

    with Ledger.open(_with_passphrase(settings, PASS1), clock=later_clock()) as admin:
        with pytest.raises(InputError, match="give the new one"):
            admin.rotate_key()
        counts = admin.rotate_key(new_passphrase=PASS2)
        assert counts["record"] == 1
        assert admin.verify() == []
    with pytest.raises(PassphraseRequired, match="wrong passphrase"):
        Ledger.open(_with_passphrase(settings, PASS1), clock=later_clock())
    inv = as_user(_with_passphrase(settings, PASS2), INVESTIGATOR)
    with Ledger.open(inv, clock=later_clock()) as led:
        assert [(r.full_name, r.birth_year) for r in led.records(purpose="check")] == [
            ("탁솔휘", 1937)
        ]
    assert not key_path_for(settings).exists()


@pytest.mark.usefixtures("cheap_scrypt")
def test_the_command_line_asks_for_and_rotates_the_passphrase(tmp_path: Path):
    db = tmp_path / "ledger.sqlite"
    runner = CliRunner()
    base = ["-d", str(db), "--actor", ADMIN]
    env = {"RIGHTSLEDGER_PASSPHRASE": PASS1}
    done = runner.invoke(
        cli, [*base, "init", "--passphrase", "--no-catalogue"], env=env
    )
    assert done.exit_code == 0, done.output
    assert "derived from your passphrase" in done.output
    assert not db.with_name(db.name + ".key").exists()
    assert runner.invoke(cli, [*base, "verify"], env=env).exit_code == 0
    missing = runner.invoke(
        cli, [*base, "verify"], env={"RIGHTSLEDGER_PASSPHRASE": None}
    )
    assert missing.exit_code == 1 and "passphrase" in missing.output
    wrong = runner.invoke(
        cli, [*base, "verify"], env={"RIGHTSLEDGER_PASSPHRASE": PASS2}
    )
    assert wrong.exit_code == 1 and "wrong passphrase" in wrong.output
    rotated = runner.invoke(
        cli,
        [*base, "keys", "rotate", "--new-passphrase"],
        env=env,
        input=f"{PASS2}\n{PASS2}\n",
    )
    assert rotated.exit_code == 0, rotated.output
    assert runner.invoke(cli, [*base, "verify"], env=env).exit_code == 1
    ok = runner.invoke(cli, [*base, "verify"], env={"RIGHTSLEDGER_PASSPHRASE": PASS2})
    assert ok.exit_code == 0, ok.output
