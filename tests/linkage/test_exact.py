from __future__ import annotations

import re

import pytest

from rightsledger.domain import PersonRecord
from rightsledger.linkage import (
    ExactKeyLinker,
    LinkageBackend,
    link_exact,
    pairwise_scores,
    person_id,
)


def key(name: str) -> str:
    return re.sub(r"[^a-z]", "", name.lower())


def rec(rid: str, source: str, name: str, year: int | None) -> PersonRecord:
    return PersonRecord(rid, source, name, None, year, None, None, None)


def groups(records, **kwargs):
    clustering = link_exact(records, key, **kwargs)
    by_person: dict[str, set[str]] = {}
    for rid, pid in clustering.assignment.items():
        by_person.setdefault(pid, set()).add(rid)
    return sorted(sorted(g) for g in by_person.values())


def test_same_key_and_year_across_lists_is_one_person():
    records = [
        rec("a1", "A", "Kim Chol-su", 1960),
        rec("b1", "B", "KIM CHOLSU", 1960),
        rec("c1", "C", "kim chol su", 1960),
        rec("b2", "B", "Kim Chol-su", 1961),
        rec("a2", "A", "Ri Yong-ho", 1960),
    ]
    assert groups(records) == [["a1", "b1", "c1"], ["a2"], ["b2"]]


def test_one_record_per_list_stops_chaining_namesakes():
    records = [
        rec("a2", "A", "Pak Min", 1970),
        rec("a1", "A", "Pak Min", 1970),
        rec("b1", "B", "Pak Min", 1970),
    ]
    # the smaller record id links; its namesake on the same list stays apart
    assert groups(records) == [["a1", "b1"], ["a2"]]


def test_birth_year_tolerance():
    records = [rec("a1", "A", "Han Su", 1950), rec("b1", "B", "Han Su", 1951)]
    assert groups(records) == [["a1"], ["b1"]]
    assert groups(records, birth_year_tolerance=1) == [["a1", "b1"]]
    three = [*records, rec("c1", "C", "Han Su", 1952)]
    # every member must be within the tolerance of every other
    assert groups(three, birth_year_tolerance=1) == [["a1", "b1"], ["c1"]]


def test_missing_birth_year_joins_only_an_unambiguous_cluster():
    one = [rec("a1", "A", "Choe Il", 1955), rec("b1", "B", "Choe Il", None)]
    assert groups(one) == [["a1", "b1"]]
    two = [
        rec("a1", "A", "Choe Il", 1955),
        rec("a2", "A", "Choe Il", 1980),
        rec("b1", "B", "Choe Il", None),
    ]
    assert groups(two) == [["a1"], ["a2"], ["b1"]]
    undated = [rec("a1", "A", "Jo Un", None), rec("b1", "B", "Jo Un", None)]
    assert groups(undated) == [["a1", "b1"]]


def test_deterministic_ids_and_order_independence():
    records = [
        rec("a1", "A", "Kim Chol-su", 1960),
        rec("b1", "B", "Kim Cholsu", 1960),
        rec("a2", "A", "Ri Yong", None),
    ]
    first = link_exact(records, key)
    second = link_exact(list(reversed(records)), key)
    assert first.assignment == second.assignment
    assert first.assignment["a1"] == person_id(["b1", "a1"])
    assert re.fullmatch(r"P-[0-9a-f]{12}", first.assignment["a2"])
    assert first.parameters["method"] == "exact-key"
    assert first.parameters["birth_year_tolerance"] == 0


def test_empty_input():
    clustering = link_exact([], key)
    assert clustering.assignment == {}
    assert clustering.n_persons == 0


def test_bad_arguments():
    with pytest.raises(ValueError, match="tolerance"):
        link_exact([], key, birth_year_tolerance=-1)
    with pytest.raises(ValueError, match="unique"):
        link_exact([rec("a", "A", "x", 1), rec("a", "B", "x", 1)], key)


def test_linker_implements_the_backend_protocol():
    linker = ExactKeyLinker(key, birth_year_tolerance=1)
    assert isinstance(linker, LinkageBackend)
    records = [rec("a1", "A", "Han Su", 1950), rec("b1", "B", "Han Su", 1951)]
    assert linker.link(records).n_persons == 1


def test_scores_against_truth():
    records = [
        rec("a1", "A", "Kim Chol-su", 1960),
        rec("b1", "B", "Kim Chol-su", 1960),
        rec("b2", "B", "Kim Chol-su", 1960),
        rec("c1", "C", "Kim Chulsoo", 1960),
    ]
    truth = {"a1": "t1", "b1": "t1", "c1": "t1", "b2": "t2"}
    precision, recall, f1 = pairwise_scores(link_exact(records, key), truth)
    # predicted pairs: (a1, b1); true pairs: (a1, b1), (a1, c1), (b1, c1)
    assert precision == 1.0
    assert recall == pytest.approx(1 / 3)
    assert f1 == pytest.approx(0.5)
