"""Shared material of the security tests.

* Synthetic people (person records, witnesses, testimonies, an attached file) and
  every identifying string about them (:data:`SECRETS`), with the byte forms in
  which each could leak (:func:`needles`): UTF-8, NFD, JSON ``\\uXXXX`` escapes,
  UTF-16, in any case, and the linkage name key. Nobody here is real.
* :func:`populate` puts them into a ledger the way a documentation group would:
  intake files imported by an investigator, a file attached, a linkage run.
* :class:`Built`: a populated ledger built once per database kind and session and
  copied for each test (a SQLite folder copied, a PostgreSQL schema copied table
  by table), so that dozens of attacks on a ledger stay fast.
"""

from __future__ import annotations

import csv
import json
import logging
import random
import re
import shutil
import unicodedata
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import pytest
from pydantic import SecretStr
from sqlalchemy import create_engine, inspect, text

from rightsledger.catalogue import parse_catalogue
from rightsledger.chain import run_link
from rightsledger.config import Settings
from rightsledger.domain import Role
from rightsledger.ledger import Ledger
from rightsledger.names import name_key
from rightsledger.names.synthetic import random_name

from ..conftest import FixedClock

# -- the synthetic people --------------------------------------------------------------
#: (record id, list, name as the list wrote it, birth year, sex, year arrested).
#: rec-b1 is rec-a1
#: romanised on another list, and rec-b2 is rec-a2 in McCune-Reischauer spelling, so
#: linkage has persons to find.
RECORDS = (
    ("rec-a1", "list-a", "탁솔휘", 1937, "M", 2001),
    ("rec-a2", "list-a", "변하람", 1952, "F", 2004),
    ("rec-a3", "list-a", "옹지석", 1948, "M", 1999),
    ("rec-b1", "list-b", "Tak Sol-hwi", 1937, "M", 2001),
    ("rec-b2", "list-b", "Pyŏn Ha-ram", 1952, "F", 2004),
    ("rec-b3", "list-b", "Mo Chanbyeol", 1944, "M", 2010),
)


def _filler(
    n: int = 120, seed: int = 11
) -> tuple[tuple[str, str, str, int, str, int], ...]:
    """More synthetic people on both lists (random names, no secret), so that the
    probabilistic linkage has enough pairs to train on."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        sex = rng.choice("MF")
        name, year = random_name(rng, sex).hangul, rng.randint(1935, 1990)
        arrested = rng.randint(1995, 2015)
        for source in ("list-a", "list-b"):
            if rng.random() < 0.7:
                out.append(
                    (f"fill-{source[-1]}{i:03d}", source, name, year, sex, arrested)
                )
    return tuple(out)


FILLER = _filler()

WITNESSES = (
    {
        "witness_id": "wit-1",
        "full_name": "도은결",
        "consent": "internal-only",
        "birth_year": "1961",
        "contact": "+82 10 5550 0147 / eungyeol.do.synthetic@example.org",
        "residence": "Synthetic-ro 19, Anyang-si",
        "family_inside": "yes",
        "notes": "Her mother still lives in Musan-Synthetic-ri; never call after 9pm.",
    },
    {
        "witness_id": "wit-2",
        "full_name": "Yeom Darae-Testwitness",
        "consent": "anonymised",
        "birth_year": "1974",
        "contact": "darae.yeom.synthetic@example.net",
        "residence": "Testhaus 4, Gimhae-Synthetic-dong",
        "family_inside": "no",
        "notes": "Brother-in-law works at the Hyesan-Synthetic customs post.",
    },
)

TESTIMONIES = (
    {
        "testimony_id": "tes-1",
        "source_id": "t-src",
        "witness_id": "wit-1",
        "recorded_on": "2024-03-02",
        "language": "ko",
        "text": "감시원이 새벽마다 우리를 광산으로 데려갔다. The guard called "
        "Stonehand-Synthetic beat my cousin at the north gate of block nine.",
    },
    {
        "testimony_id": "tes-2",
        "source_id": "t-src",
        "witness_id": "wit-2",
        "recorded_on": "2024-05-11",
        "language": "en",
        "text": "We crossed the river at the Wolfcub-Synthetic ford; the broker "
        "kept our papers in a red tin box.",
    },
)

#: The attached file: its name and content both name people.
ATTACHMENT_NAME = "탁솔휘_Tak-Sol-hwi_interview.txt"
#: An investigator's link-review note: free text that names a relative.
REVIEW_NOTE = "Same man: his sister Tak Ok-synthetic confirmed the camp by phone"
ATTACHMENT_LINE = (
    "Interview with 탁솔휘 (Tak Sol-hwi), born 1937, reached at "
    "+82 10 5550 0147. He recalls the Stonehand-Synthetic guard.\n"
)
#: Over one 64 KiB vault chunk, so tampering can hit a later chunk too.
ATTACHMENT_CONTENT = (ATTACHMENT_LINE * 700).encode()

#: Phrases of the testimonies searched for (whole texts are searched too).
PHRASES = (
    "새벽마다 우리를 광산으로",
    "Stonehand-Synthetic",
    "beat my cousin",
    "Wolfcub-Synthetic",
    "red tin box",
)


def names(*, written_only: bool = False) -> list[str]:
    """Every person's name as written, and its linkage key."""
    written = [r[2] for r in RECORDS] + [w["full_name"] for w in WITNESSES]
    if written_only:
        return written
    return written + sorted({name_key(n) for n in written} - {""})


def birth_contexts() -> list[str]:
    """Birth years in the contexts that would identify (a bare year would not)."""
    years = {r[3] for r in RECORDS} | {int(w["birth_year"]) for w in WITNESSES}
    out = []
    for y in sorted(years):
        out += [f'"birth_year": {y}', f'"birth_year":{y}', f"birth_year={y}"]
        out += [f"born {y}", f'"birth_year": "{y}"']
    return out


def contacts(*, variants: bool = True) -> list[str]:
    """Contact, residence and notes of the witnesses, whole and in parts, and
    other ways of writing the phone number."""
    out = []
    for w in WITNESSES:
        for key in ("contact", "residence", "notes"):
            out.append(w[key])
            out += [p.strip() for p in re.split(r"[/;,]", w[key]) if len(p) > 8]
    return out + (["5550 0147", "5550-0147", "55500147"] if variants else [])


SECRETS: tuple[str, ...] = tuple(
    dict.fromkeys(
        [
            *names(),
            *birth_contexts(),
            *contacts(),
            *PHRASES,
            *(t["text"] for t in TESTIMONIES),
            ATTACHMENT_NAME,
            ATTACHMENT_LINE.strip(),
            REVIEW_NOTE,
        ]
    )
)


#: The secrets that contain no other secret: finding none of these finds none.
MINIMAL: tuple[str, ...] = tuple(
    s for s in SECRETS if not any(o != s and o in s for o in SECRETS)
)


def _escaped(value: str) -> set[str]:
    return {json.dumps(value, ensure_ascii=True)[1:-1]}


@cache
def needles(secret: str) -> frozenset[bytes]:
    """The byte forms in which ``secret`` could sit in a file or a column, in
    lower case (:func:`found_in` lowers the haystack): as written, decomposed
    (NFD), JSON-escaped (``\\uXXXX``), in UTF-8 and UTF-16."""
    cased = {secret.lower(), secret.upper()}  # upper: for letters like Ŏ
    variants = cased | {unicodedata.normalize("NFD", v) for v in cased}
    out: set[bytes] = set()
    for v in variants:
        out.add(v.encode())
        out |= {e.lower().encode() for e in _escaped(v)}
        out |= {v.encode("utf-16-le"), v.encode("utf-16-be")}
    # lowered as the haystack is (bytes.lower() touches UTF-16 code units too)
    return frozenset(n.lower() for n in out)


def found_in(haystack: bytes, secrets: Iterable[str] = MINIMAL) -> list[str]:
    """The secrets of which some form occurs in ``haystack``, in any case."""
    lowered = haystack.lower()  # ASCII letters only: UTF-8 and UTF-16 stay intact
    return [s for s in secrets if any(n in lowered for n in needles(s))]


class Haystack:
    """Named pieces of data to search for secrets all at once."""

    def __init__(self) -> None:
        self.parts: dict[str, bytes] = {}

    def add(self, name: str, data: bytes | str) -> None:
        self.parts[name] = data.encode() if isinstance(data, str) else data

    def add_files(self, folder: Path, label: str) -> None:
        """Every file under ``folder``: its content and its name."""
        for path in all_files(folder):
            rel = path.relative_to(folder).as_posix()
            self.add(f"{label}/{rel}", path.read_bytes())
            self.add(f"{label}/{rel} (name)", rel)

    def leaks(self) -> dict[str, list[str]]:
        """Each secret found, with the pieces it was found in (empty: none)."""
        whole = b"\0".join(self.parts.values())
        return {
            secret: [
                name for name, data in self.parts.items() if found_in(data, [secret])
            ]
            for secret in found_in(whole)
        }


# -- intake files ----------------------------------------------------------------------
SOURCES = (
    ("list-a", "ngo-list", "Detainee list A (synthetic)", "NGO A", "B", "restricted"),
    ("list-b", "ngo-list", "Detainee list B (synthetic)", "NGO B", "C", "restricted"),
    ("t-src", "testimony", "Interviews 2024 (synthetic)", "NGO A", "B", "confidential"),
    ("pub-1", "un-report", "Public report (synthetic)", "UN", "A", "public"),
)


def _csv(path: Path, header: list[str], rows: Iterable[Iterable[object]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_intake_files(folder: Path) -> dict[str, Path]:
    """The synthetic people as intake files (kind -> file), plus the attachment."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "sources": _csv(
            folder / "sources.csv",
            ["id", "kind", "title", "owner", "reliability", "confidentiality"],
            SOURCES,
        ),
        "records": _csv(
            folder / "records.csv",
            [
                "record_id",
                "source_id",
                "full_name",
                "birth_year",
                "sex",
                "year_arrested",
                "facility_id",
            ],
            [(*r, "kwanliso-16") for r in RECORDS + FILLER],
        ),
        "witnesses": _csv(
            folder / "witnesses.csv",
            list(WITNESSES[0]),
            [list(w.values()) for w in WITNESSES],
        ),
        "testimonies": _csv(
            folder / "testimonies.csv",
            list(TESTIMONIES[0]),
            [list(t.values()) for t in TESTIMONIES],
        ),
    }
    (folder / ATTACHMENT_NAME).write_bytes(ATTACHMENT_CONTENT)
    return files


# -- users -----------------------------------------------------------------------------
ADMIN = "admin"
#: Users of a populated ledger by role (the admin made it).
USERS = {
    Role.INVESTIGATOR: "inv",
    Role.ANALYST: "ana",
    Role.VIEWER: "viewer",
}
#: An analyst with a password.
PASSWORD_USER, PASSWORD = "ana-pw", "synthetic-pass-0451"
#: A viewer whom others act on (roles, passwords, tokens).
BYSTANDER = "bystander"


def as_user(settings: Settings, name: str, password: str | None = None) -> Settings:
    values: dict[str, object] = {"actor": name}
    if password is not None:
        values["password"] = SecretStr(password)
    return settings.model_copy(update=values)


def open_as(settings: Settings, name: str, clock: FixedClock) -> Ledger:
    password = PASSWORD if name == PASSWORD_USER else None
    return Ledger.open(as_user(settings, name, password), clock=clock)


@dataclass(frozen=True)
class Populated:
    attachment_sha256: str


def populate(
    admin: Ledger, settings: Settings, clock: FixedClock, folder: Path
) -> Populated:
    """Users, then the synthetic people imported and attached by an investigator,
    then a (probabilistic) linkage run by an analyst."""
    for role, name in USERS.items():
        admin.add_user(name, role)
    admin.add_user(PASSWORD_USER, Role.ANALYST, password=PASSWORD)
    admin.add_user(BYSTANDER, Role.VIEWER)
    files = write_intake_files(folder)
    with open_as(settings, USERS[Role.INVESTIGATOR], clock) as inv:
        for kind, path in files.items():
            inv.import_file(path, kind)
        attached = inv.attach(
            "t-src",
            folder / ATTACHMENT_NAME,
            collected_by="field team 3",
            method="interview recording transcript",
        )
    with open_as(settings, USERS[Role.ANALYST], clock) as ana:
        run_link(ana)
    return Populated(attached.sha256)


# -- a built ledger, copied per test ---------------------------------------------------
def later_clock() -> FixedClock:
    """A clock for opening a copy: after everything the build did."""
    return FixedClock(datetime(2026, 11, 28, 9, 0, tzinfo=UTC))


def _in_schema(server: str, schema: str) -> str:
    """The server URL with ``schema`` as the search path (as tests/conftest.py)."""
    return f"{server}?options=-csearch_path%3D{schema}"


@dataclass
class Built:
    """A populated ledger of one database kind, kept closed, copied per test."""

    kind: str
    folder: Path
    settings: Settings
    populated: Populated
    log: str  # every log record the build emitted, SQL statements included
    server: str | None = None  # the PostgreSQL server URL
    schema: str = ""  # the PostgreSQL schema the ledger was built in
    _copies: list[str] = field(default_factory=list)

    def copy(self, dst: Path) -> Settings:
        """A private copy of the ledger (database, key file, vault) under ``dst``."""
        shutil.copytree(self.folder, dst)
        if self.server is None:
            return Settings(
                database_url=f"sqlite:///{dst / 'ledger.sqlite'}", actor=ADMIN
            )
        schema = f"rl_sec_{uuid.uuid4().hex[:12]}"
        _copy_schema(self.server, self.schema, schema)
        self._copies.append(schema)
        return Settings(
            database_url=_in_schema(self.server, schema),
            key_file=dst / "ledger.key",
            vault_dir=dst / "vault",
            actor=ADMIN,
        )

    def discard(self, settings: Settings) -> None:
        """Drop a copy's schema (its folder goes with the test's tmp_path)."""
        schema = settings.database_url.rpartition("%3D")[2]
        if self.server is not None and schema in self._copies:
            self._copies.remove(schema)
            _autocommit(self.server, f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')

    def close(self) -> None:
        if self.server is None:
            return
        for schema in [*self._copies, self.schema]:
            _autocommit(self.server, f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        self._copies.clear()


def _autocommit(server: str, *sql: str) -> None:
    engine = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            for statement in sql:
                conn.execute(text(statement))
    finally:
        engine.dispose()


def _copy_schema(server: str, source: str, target: str) -> None:
    """Copy every table of ``source`` into a new schema ``target``: columns,
    defaults, keys, indexes, rows, then the foreign keys. (A schema copy takes a
    tenth of ``CREATE DATABASE ... TEMPLATE``.)"""
    engine = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(f'SET search_path TO "{source}"'))
            tables = inspect(conn).get_table_names(schema=source)
            foreign = conn.execute(
                text(
                    "SELECT c.conrelid::regclass::text, c.conname, "
                    "pg_get_constraintdef(c.oid) FROM pg_constraint c "
                    "JOIN pg_namespace n ON n.oid = c.connamespace "
                    "WHERE n.nspname = :schema AND c.contype = 'f'"
                ),
                {"schema": source},
            ).all()
            statements = [f'CREATE SCHEMA "{target}"', f'SET search_path TO "{target}"']
            for table in tables:
                statements.append(
                    f'CREATE TABLE "{table}" (LIKE "{source}"."{table}" INCLUDING ALL)'
                )
                statements.append(
                    f'INSERT INTO "{table}" SELECT * FROM "{source}"."{table}"'  # noqa: S608 - names from the catalog
                )
            statements += [
                f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'
                for table, name, definition in foreign
            ]
            conn.execute(text(";\n".join(statements)))
    finally:
        engine.dispose()


def build(kind: str, folder: Path, server: str | None) -> Built:
    """Build a populated ledger in ``folder`` (and, for PostgreSQL, in a schema
    of its own on ``server``)."""
    folder.mkdir(parents=True, exist_ok=True)
    schema = ""
    if kind == "sqlite":
        settings = Settings(
            database_url=f"sqlite:///{folder / 'ledger.sqlite'}", actor=ADMIN
        )
        server = None
    else:
        assert server is not None  # noqa: S101 - the fixture passes it
        schema = f"rl_sec_tpl_{uuid.uuid4().hex[:12]}"
        _autocommit(server, f'CREATE SCHEMA "{schema}"')
        settings = Settings(
            database_url=_in_schema(server, schema),
            key_file=folder / "ledger.key",
            vault_dir=folder / "vault",
            actor=ADMIN,
        )
    clock = FixedClock(datetime(2026, 11, 27, 12, 0, tzinfo=UTC))
    intake = folder.parent / f"{folder.name}-intake"
    with (
        fast_paths(),
        capture_logs() as lines,
        Ledger.init(settings, clock=clock) as admin,
    ):
        admin.load_catalogue()
        populated = populate(admin, settings, clock, intake)
    return Built(kind, folder, settings, populated, "\n".join(lines), server, schema)


def all_files(folder: Path) -> Iterator[Path]:
    if folder.exists():
        yield from (p for p in sorted(folder.rglob("*")) if p.is_file())


#: Database kinds of the built ledgers, as fixture parameters.
KINDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
_BUILT = pytest.StashKey[dict[str, Built]]()


def shared_build(request: pytest.FixtureRequest, kind: str) -> Built:
    """The session's built ledger of ``kind``, built on first use; every module
    of the security tests copies the same one."""
    cache = request.config.stash.setdefault(_BUILT, {})
    if kind not in cache:
        server = request.getfixturevalue("pg_server") if kind == "postgres" else None
        factory: pytest.TempPathFactory = request.getfixturevalue("tmp_path_factory")
        built = build(kind, factory.mktemp(f"built-{kind}") / "ledger", server)
        request.config.add_cleanup(built.close)
        cache[kind] = built
    return cache[kind]


def cli_args(settings: Settings, actor: str) -> list[str]:
    """The global options that point the CLI at ``settings``' ledger as ``actor``."""
    url = settings.database_url
    key = settings.key_file or Path(url.removeprefix("sqlite:///") + ".key")
    vault = settings.vault_dir or Path(url.removeprefix("sqlite:///") + ".vault")
    return [
        "-d",
        url,
        "--key-file",
        str(key),
        "--vault-dir",
        str(vault),
        "--actor",
        actor,
    ]


def cli_env(actor: str) -> dict[str, str | None]:
    """The environment of a CLI run as ``actor``: their password when they have
    one, and nothing inherited that could stand in for another ledger's."""
    names = ("DATABASE_URL", "KEY_FILE", "VAULT_DIR", "ACTOR", "PASSWORD", "PASSPHRASE")
    env: dict[str, str | None] = {f"RIGHTSLEDGER_{n}": None for n in names}
    if actor == PASSWORD_USER:
        env["RIGHTSLEDGER_PASSWORD"] = PASSWORD
    return env


_PARSED: dict[str, object] = {}


@contextmanager
def fast_paths() -> Iterator[None]:
    """Make two slow, deliberate costs cheap for the tests:

    * the stored catalogue is parsed once per process instead of once per opened
      ledger (a pure function of the stored files, about a second each);
    * password hashes use argon2id at a small cost (the real one takes a few
      hundred milliseconds per hash and per check, on purpose). Hashes keep their
      parameters, so checks work either way.
    """
    from argon2 import PasswordHasher

    from rightsledger.usecases import evidence as evidence_module
    from rightsledger.vault import passwords

    def parse_once(files: dict[str, str], *, name: str) -> object:
        key = json.dumps([files, name], sort_keys=True)
        if key not in _PARSED:
            _PARSED[key] = parse_catalogue(files, name=name)
        return _PARSED[key]

    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(evidence_module, "parse_catalogue", parse_once)
        mp.setattr(passwords, "_HASHER", cheap)
        yield


class _Lines(logging.Handler):
    def __init__(self, lines: list[str]) -> None:
        super().__init__(logging.DEBUG)
        self.lines = lines

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(
            f"{record.name} {record.getMessage()} {record.exc_text or ''}"
        )


@contextmanager
def capture_logs() -> Iterator[list[str]]:
    """Every log record of every logger, at DEBUG (SQLAlchemy then logs each
    statement with its parameters)."""
    lines: list[str] = []
    root, handler = logging.getLogger(), _Lines(lines)
    sql = logging.getLogger("sqlalchemy.engine")
    levels = root.level, sql.level
    root.setLevel(logging.DEBUG)
    sql.setLevel(logging.INFO)  # SQLAlchemy keeps its loggers at WARN otherwise
    root.addHandler(handler)
    try:
        yield lines
    finally:
        root.removeHandler(handler)
        root.setLevel(levels[0])
        sql.setLevel(levels[1])
