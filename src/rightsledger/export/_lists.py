"""Public names for list sources: a public source keeps its id, others get a number.

The id of a restricted or confidential source may itself say too much (whose list,
from where), so it never leaves the ledger: such a list is "non-public list 1", "2",
... numbered in the order of the hidden ids.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from rightsledger.domain import Confidentiality, Origin, Source

from ._tables import ListTable


def is_public(source: Source | None) -> bool:
    """True for a source the ledger knows and whose confidentiality is public."""
    return source is not None and source.confidentiality is Confidentiality.PUBLIC


def list_labels(ids: Iterable[str], sources: Mapping[str, Source]) -> dict[str, str]:
    """Published label of each list id: the id when public, else a number."""
    unique = set(ids)
    public = sorted(i for i in unique if is_public(sources.get(i)))
    hidden = sorted(unique.difference(public))
    labels = {i: i for i in public}
    labels.update({i: f"non-public list {n}" for n, i in enumerate(hidden, start=1)})
    return labels


def ordered_labels(labels: Mapping[str, str]) -> list[str]:
    """Labels in publishing order: public ids sorted, then non-public by number."""
    hidden = sorted(
        (lab for i, lab in labels.items() if lab != i),
        key=lambda lab: int(lab.rsplit(" ", 1)[1]),
    )
    return sorted(lab for i, lab in labels.items() if lab == i) + hidden


def lists_table(labels: Mapping[str, str], sources: Mapping[str, Source]) -> ListTable:
    """What is said of each list: kind and title only when the source is public;
    whether it is simulated for every list."""
    by_label = {lab: sources.get(i) for i, lab in labels.items()}
    rows = []
    for label in ordered_labels(labels):
        src = by_label[label]
        public = is_public(src)
        simulated = src is not None and src.origin is Origin.SIMULATED
        rows.append(
            (
                label,
                src.kind.value if src is not None and public else "",
                src.title if src is not None and public else "",
                public,
                simulated,
            )
        )
    return ListTable(
        name="lists",
        title="List sources of the record tables and the estimates",
        fields=("list", "kind", "title", "public", "simulated"),
        rows=tuple(rows),
    )
