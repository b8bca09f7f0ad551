"""Probabilistic linkage through the ledger: stored runs, review decisions,
incremental runs, alternatives for estimation, and no name in any table."""

from __future__ import annotations

import pytest
from sqlalchemy import bindparam, select, text

from rightsledger.chain import linkage_alternatives, review_queue, run_link
from rightsledger.demo import store_scenario
from rightsledger.domain import Role
from rightsledger.errors import Forbidden
from rightsledger.ledger import Ledger
from rightsledger.linkage.probabilistic import LinkageConfig, ProbabilisticLinker
from rightsledger.simulate import ScenarioConfig, simulate
from rightsledger.store.tables import LinkModelRow, LinkPairRow, RunRow
from rightsledger.usecases.linkage import UNREADABLE_NOTE

CONFIG = LinkageConfig(seed=7, max_pairs=3e5)


@pytest.fixture(scope="module")
def scenario():
    return simulate(ScenarioConfig(years=2, initial_population={}), seed=5)


@pytest.fixture
def linked(ledger, scenario):
    store_scenario(ledger, scenario)
    summary = run_link(ledger, config=CONFIG)
    return ledger, summary


def test_a_run_is_stored_with_its_pairs_and_reproduces(linked, scenario):
    ledger, summary = linked
    assert not summary.incremental
    stored = ledger.latest_link_result()
    assert stored is not None
    fresh = ProbabilisticLinker(CONFIG).run(scenario.records)
    assert stored.clustering.assignment == fresh.clustering.assignment
    assert len(stored.pairs) == len(fresh.pairs) == summary.pairs
    with ledger.sessions.read() as s:
        run = s.get(RunRow, summary.run_id)
        assert run is not None and run.seed == CONFIG.seed
        assert "model" not in run.parameters  # the model is stored sealed


def test_no_name_reaches_a_linkage_table(linked, scenario):
    ledger, _ = linked
    names = {r.full_name for r in scenario.records}
    with ledger.sessions.read() as s:
        sealed = s.scalars(select(LinkModelRow.model)).all()
        weights = s.scalars(select(LinkPairRow.weights)).all()
        params = s.scalars(select(RunRow.parameters)).all()
    blob = " ".join(map(str, [*sealed, *weights, *params]))
    leaked = [n for n in names if n in blob]
    assert leaked == []
    # the model (with its frequency tables of name values) is sealed, not JSON
    assert sealed and all('"levels"' not in m and '"tf"' not in m for m in sealed)


def test_decisions_are_respected_by_later_runs(linked, open_as):
    ledger, _ = linked
    investigator = open_as(Role.INVESTIGATOR)
    latest = ledger.latest_link_result()
    assert latest is not None
    assignment = latest.clustering.assignment
    linked_pair = next(
        p for p in latest.pairs if assignment[p.left] == assignment[p.right]
    )
    apart_pair = next(
        p for p in latest.pairs if assignment[p.left] != assignment[p.right]
    )
    investigator.decide_link(linked_pair.left, linked_pair.right, accept=False)
    investigator.decide_link(apart_pair.left, apart_pair.right, accept=True)
    run_link(ledger, config=CONFIG)
    after = ledger.latest_clustering().assignment
    assert after[linked_pair.left] != after[linked_pair.right]
    assert after[apart_pair.left] == after[apart_pair.right]
    # decisions are append-only and a later one on the same pair wins
    investigator.decide_link(linked_pair.left, linked_pair.right, accept=True)
    decisions = ledger.link_decisions()
    assert [d.accept for d in decisions if d.key == linked_pair_key(linked_pair)] == [
        False,
        True,
    ]
    # alternatives for estimation respect them too
    for clustering in linkage_alternatives(ledger).values():
        a = clustering.assignment
        assert a[apart_pair.left] == a[apart_pair.right]


def linked_pair_key(pair):
    return (min(pair.left, pair.right), max(pair.left, pair.right))


def test_incremental_run_equals_a_full_run_with_the_same_model(ledger, scenario):
    records = sorted(scenario.records, key=lambda r: r.record_id)
    first, rest = records[: len(records) // 2], records[len(records) // 2 :]
    store_scenario(ledger, scenario)
    with ledger.sessions.transaction() as s:  # hold back the second half
        ids = [r.record_id for r in rest]
        query = text("DELETE FROM records WHERE id IN :ids")
        s.execute(query.bindparams(bindparam("ids", expanding=True)), {"ids": ids})
    run_link(ledger, config=CONFIG)
    model = ledger.latest_link_result()
    assert model is not None
    ledger.add_evidence(records=rest, label="second half")
    summary = run_link(ledger, config=CONFIG)
    assert summary.incremental
    full = ProbabilisticLinker(CONFIG, model=model.model).run(first + rest)
    assert ledger.latest_clustering().assignment == full.clustering.assignment


def test_only_investigators_review(linked, open_as):
    ledger, _ = linked
    analyst = open_as(Role.ANALYST)
    with pytest.raises(Forbidden):
        review_queue(analyst)
    left, right = sorted(ledger.latest_clustering().assignment)[:2]
    with pytest.raises(Forbidden):
        analyst.decide_link(left, right, accept=True)
    queue = review_queue(open_as(Role.INVESTIGATOR))
    low, high = queue.band
    assert all(low <= item.pair.probability < high for item in queue.pairs)


def test_a_run_whose_pairs_fail_to_store_leaves_no_trace(linked, monkeypatch):
    """Run, clustering, pairs and model land in one transaction: a failure while
    storing the pairs must not leave a run without them (which a later
    incremental run would then read as the latest)."""
    ledger, summary = linked
    with ledger.sessions.read() as s:
        before = (
            s.scalar(text("select count(*) from runs")),
            s.scalar(text("select count(*) from link_pairs")),
            s.scalar(text("select count(*) from custody_log")),
        )
    latest = ledger.latest_link_result()
    assert latest is not None

    def broken(*args, **kwargs):
        raise OSError("disk full while storing pairs")

    monkeypatch.setattr("rightsledger.store.link_rows.save_pairs", broken)
    with pytest.raises(OSError, match="disk full"):
        ledger.record_link_run(latest, {"records": "same"})
    with ledger.sessions.read() as s:
        after = (
            s.scalar(text("select count(*) from runs")),
            s.scalar(text("select count(*) from link_pairs")),
            s.scalar(text("select count(*) from custody_log")),
        )
    assert after == before
    assert ledger.verify() == []


def _a_scored_pair(ledger):
    latest = ledger.latest_link_result()
    assert latest is not None
    return next(iter(latest.pairs))


def test_review_notes_are_sealed_and_read_back(linked, open_as):
    """A note is stored as ciphertext bound to its row; reviewers read it back.
    A note from before notes were sealed reads as written; a tampered one reads
    as a marker, never as a crash."""
    ledger, _ = linked
    investigator = open_as(Role.INVESTIGATOR)
    pair = _a_scored_pair(ledger)
    investigator.decide_link(pair.left, pair.right, accept=True, note="sister said so")
    investigator.decide_link(pair.left, pair.right, accept=False, note="")
    with ledger.sessions.read() as s:
        rows = s.execute(text("select id, note, note_sealed from link_decisions")).all()
    assert [r[1] for r in rows] == ["", ""] and all(r[2] for r in rows)
    assert "sister" not in " ".join(r[2] for r in rows)
    notes = [d.note for d in investigator.review_history()]
    assert notes == ["sister said so", ""]
    # one pair's decisions, ids in either order
    on_pair = investigator.review_history((pair.right, pair.left))
    assert [d.note for d in on_pair] == notes
    assert investigator.review_history(("no-such", "record")) == []
    first, second = rows[0][0], rows[1][0]
    # a legacy row: written before the boundary, in clear, no ciphertext
    with ledger.sessions.transaction() as s:
        s.execute(
            text("insert into ledger_meta (key, value) values (:k, :v)"),
            {"v": str(second), "k": "review_notes_sealed_from"},
        )
        s.execute(
            text(
                "update link_decisions set note = 'old words', note_sealed = null "
                "where id = :i"
            ),
            {"i": first},
        )
        s.execute(
            text("update link_decisions set note_sealed = :x where id = :i"),
            {
                "x": rows[1][2][:-2] + ("00" if rows[1][2][-2:] != "00" else "11"),
                "i": second,
            },
        )
    notes = [d.note for d in investigator.review_history()]
    assert notes == ["old words", UNREADABLE_NOTE]
    assert ledger.verify() == [
        f"link review note {second}: encrypted note_sealed fails authentication "
        "(altered, or moved from another row)"
    ]
    with pytest.raises(Forbidden):
        open_as(Role.ANALYST).review_history()


def test_a_key_rotation_seals_the_notes_written_in_clear(linked, open_as):
    ledger, _ = linked
    investigator = open_as(Role.INVESTIGATOR)
    pair = _a_scored_pair(ledger)
    investigator.decide_link(pair.left, pair.right, accept=True, note="")
    with ledger.sessions.transaction() as s:  # as a ledger from before 0006 has it
        s.execute(
            text("insert into ledger_meta (key, value) values (:k, '2')"),
            {"k": "review_notes_sealed_from"},
        )
        s.execute(
            text("update link_decisions set note = 'his aunt', note_sealed = null")
        )
    assert ledger.verify() == []
    # every user is added before the rotation: the fixture's ledger keeps the old key
    admin = open_as(Role.ADMIN, "rotating-admin")
    later = open_as(Role.INVESTIGATOR, "second-investigator")
    counts = admin.rotate_key()
    assert counts["link review note written in clear, now sealed"] == 1
    with ledger.sessions.read() as s:
        row = s.execute(text("select note, note_sealed from link_decisions")).one()
        boundary = s.execute(
            text("select count(*) from ledger_meta where key = :k"),
            {"k": "review_notes_sealed_from"},
        ).scalar()
    assert row[0] == "" and row[1] and boundary == 0
    reopened = Ledger.open(later.settings)  # with the new key
    try:
        assert [d.note for d in reopened.review_history()] == ["his aunt"]
    finally:
        reopened.close()
    assert admin.verify() == []
