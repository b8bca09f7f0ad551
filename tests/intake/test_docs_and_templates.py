"""docs/intake.md agrees with the code, and the template files import cleanly
into a new ledger without a single name reaching the database in clear."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import yaml

from rightsledger.domain import Role
from rightsledger.intake.kinds import KINDS

from . import TEMPLATES, database_file

DOC = Path(__file__).parents[2] / "docs" / "intake.md"


def _doc_tables() -> dict[str, list[tuple[str, str, str, str]]]:
    """Each kind's table in docs/intake.md as (column, required, accepts, meaning)."""
    tables: dict[str, list[tuple[str, str, str, str]]] = {}
    kind = None
    for line in DOC.read_text(encoding="utf-8").splitlines():
        heading = re.fullmatch(r"### `(\w+)`", line)
        if heading:
            kind = heading.group(1)
            tables[kind] = []
            continue
        cells = re.fullmatch(r"\| `(\w+)` \|(.*)\|(.*)\|(.*)\|", line)
        if kind is not None and cells:
            name, required, accepts, meaning = (c.strip() for c in cells.groups())
            tables[kind].append((name, required, accepts, meaning))
    return tables


def test_the_docs_tables_are_the_kinds():
    tables = _doc_tables()
    assert list(tables) == list(KINDS)
    for name, kind in KINDS.items():
        expected = [
            (f.name, "yes" if f.required else "", f.accepts, f.doc) for f in kind.fields
        ]
        shown = "\n".join(f"| `{a}` | {b} | {c} | {d} |" for a, b, c, d in expected)
        assert tables[name] == expected, f"docs/intake.md, {name} should read:\n{shown}"


def test_every_encrypted_field_says_so():
    """The docs' list of encrypted fields names exactly the fields marked so."""
    text = DOC.read_text(encoding="utf-8")
    rules = text[text.index("- **Encryption.**") : text.index("- **Custody.**")]
    for kind in KINDS.values():
        for f in kind.fields:
            if f.doc.endswith("encrypted"):
                assert f"`{f.name}`" in rules, (kind.name, f.name)


def test_a_template_for_every_kind():
    for name in KINDS:
        path = TEMPLATES / f"{name}.csv"
        with path.open(encoding="utf-8", newline="") as fh:
            header = next(csv.reader(fh))
        assert set(header) == KINDS[name].names, name
    assert json.loads((TEMPLATES / "records.json").read_text())["records"]
    assert yaml.safe_load((TEMPLATES / "records.yaml").read_text())


def test_the_templates_import_in_the_documented_order(ledger, open_as):
    order = [
        "sources.csv",
        "facilities.csv",
        "observations.csv",
        "records.csv",
        "witnesses.csv",
        "testimonies.csv",
        "records.json",
        "records.yaml",
    ]
    doc = DOC.read_text(encoding="utf-8")
    assert [m.group(1) for m in re.finditer(r"rightsledger import (\S+)", doc)] == order
    for name in order:
        kind = name.split(".")[0]
        summary = ledger.import_file(TEMPLATES / name, kind)
        assert summary.added == summary.rows > 0, name
    assert ledger.verify() == []

    reader = open_as(Role.INVESTIGATOR)
    names = [r.full_name for r in reader.records(purpose="test")]
    names += [str(w["full_name"]) for w in reader.witnesses(purpose="test")]
    secrets = names + [
        str(w[k])
        for w in reader.witnesses(purpose="test")
        for k in ("contact", "notes")
        if w.get(k)
    ]
    texts = [
        str(reader.testimony(t, purpose="test")["text"]) for t in ("T-001", "T-002")
    ]
    assert len(names) == 10
    path = database_file(ledger)
    if path is not None:  # the raw bytes of the ledger hold none of it
        ledger.engine.dispose()
        raw = path.read_bytes()
        for value in secrets + texts:
            assert value.encode() not in raw, value
