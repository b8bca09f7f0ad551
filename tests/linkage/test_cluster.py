from __future__ import annotations

import random

from rightsledger.linkage.cluster import Decision, cluster_pairs


def groups(assignment):
    by: dict[str, set[str]] = {}
    for rid, pid in assignment.items():
        by.setdefault(pid, set()).add(rid)
    return sorted(sorted(g) for g in by.values())


LISTS = {"a1": "A", "a2": "A", "b1": "B", "c1": "C"}


def run(pairs, **kw):
    left, right, w, p = zip(*pairs, strict=True) if pairs else ((), (), (), ())
    return groups(cluster_pairs(LISTS, left, right, w, p, threshold=0.9, **kw))


def test_one_record_per_list_stops_namesake_chaining():
    # a1 and a2 are namesakes on list A; both look like b1
    pairs = [("a1", "b1", 10.0, 0.99), ("a2", "b1", 8.0, 0.98)]
    assert run(pairs) == [["a1", "b1"], ["a2"], ["c1"]]


def test_repeating_list_may_hold_one_person_twice():
    pairs = [("a1", "b1", 10.0, 0.99), ("a2", "b1", 8.0, 0.98)]
    assert run(pairs, repeating_lists=("A",)) == [["a1", "a2", "b1"], ["c1"]]


def test_threshold_and_order_independence():
    pairs = [
        ("a1", "b1", 10.0, 0.99), ("b1", "c1", 3.0, 0.8), ("a2", "c1", 5.0, 0.95),
    ]  # fmt: skip
    expected = [["a1", "b1"], ["a2", "c1"]]
    assert run(pairs) == expected
    shuffled = pairs[:]
    random.Random(1).shuffle(shuffled)
    assert run(shuffled) == expected


def test_decisions_forced_and_forbidden():
    pairs = [("a1", "b1", 10.0, 0.99), ("b1", "c1", 9.0, 0.99)]
    rejected = [Decision("c1", "a1", accept=False)]
    assert run(pairs, decisions=rejected) == [["a1", "b1"], ["a2"], ["c1"]]
    accepted = [Decision("a2", "c1", accept=True)]
    got = run([], decisions=accepted)
    assert ["a2", "c1"] in got
    # the latest decision on a pair wins
    flip = [Decision("a1", "b1", accept=False), Decision("b1", "a1", accept=True)]
    assert ["a1", "b1"] in run([], decisions=flip)


def test_person_ids_are_stable():
    pairs = [("a1", "b1", 10.0, 0.99)]
    a = cluster_pairs(LISTS, *zip(*pairs, strict=True), threshold=0.5)
    b = cluster_pairs(LISTS, *zip(*pairs, strict=True), threshold=0.5)
    assert a == b and a["a1"] == a["b1"] != a["c1"]
