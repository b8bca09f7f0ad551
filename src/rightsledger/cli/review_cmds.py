"""`link review` and `link explain`: the review queue of uncertain pairs, and why
two records were (or were not) linked."""

from __future__ import annotations

import click

from ..chain import review_queue
from ._common import console, open_ledger


@click.command()
@click.option(
    "--accept",
    nargs=2,
    metavar="LEFT RIGHT",
    help="Record ids of a pair that is one person.",
)
@click.option(
    "--reject",
    nargs=2,
    metavar="LEFT RIGHT",
    help="Record ids of a pair that are two people.",
)
@click.option("--note", default="", help="Why (kept with the decision).")
@click.option("--limit", default=20, show_default=True, help="Pairs to show.")
@click.pass_context
def review(
    ctx: click.Context,
    accept: tuple[str, str] | None,
    reject: tuple[str, str] | None,
    note: str,
    limit: int,
) -> None:
    """Show the pairs of the latest linkage run in the uncertain band, or record
    a decision on one (investigators).

    Without --accept/--reject: the queue, most uncertain first, with both
    records' names side by side (the read is logged) and each comparison's
    match weight. Decisions are append-only (who, when, why); later runs keep
    accepted pairs together and rejected pairs apart, and use the decisions as
    labelled pairs when they train a model.
    """
    with open_ledger(ctx) as ledger:
        if accept or reject:
            left, right = accept or reject  # type: ignore[misc]
            ledger.decide_link(left, right, accept=bool(accept), note=note)
            what = "one person" if accept else "two people"
            console.print(f"Recorded: {left} and {right} are {what}.")
            return
        queue = review_queue(ledger, count=limit)
    if not queue.pairs:
        console.print("The review queue is empty.")
        return
    console.print(
        f"{queue.total} pairs in the uncertain band {queue.band[0]:.2f}-"
        f"{queue.band[1]:.2f}; showing {len(queue.pairs)}."
    )
    for item in queue.pairs:
        console.print(
            f"\n[bold]{item.pair.left}[/bold] / [bold]{item.pair.right}[/bold]  "
            f"p={item.pair.probability:.3f}  weight={item.pair.match_weight:+.2f}"
        )
        for side in (item.left, item.right):
            console.print(f"  {side}")
        weights = ", ".join(f"{k} {v:+.2f}" for k, v in item.pair.weights.items())
        console.print(f"  {weights}")
    console.print(
        "\nDecide with: rightsledger link review --accept LEFT RIGHT "
        "(or --reject LEFT RIGHT)"
    )


@click.command()
@click.argument("left")
@click.argument("right")
@click.pass_context
def explain(ctx: click.Context, left: str, right: str) -> None:
    """Why LEFT and RIGHT were linked or not: each comparison's match weight in
    the latest linkage run (record ids only, no names)."""
    a, b = sorted((left, right))
    with open_ledger(ctx) as ledger:
        pairs = ledger.link_pairs()
        clustering = ledger.latest_clustering()
    found = next((p for p in pairs if (p.left, p.right) == (a, b)), None)
    person_a, person_b = clustering.assignment.get(a), clustering.assignment.get(b)
    same = person_a is not None and person_a == person_b
    verdict = "the same person" if same else "different persons"
    if found is None:
        console.print(
            f"{a} / {b}: not scored above the run's floor (blocked apart or too "
            f"unlike); in the latest run they are {verdict}."
        )
        return
    console.print(
        f"{a} / {b}: match probability {found.probability:.4f}, total match weight "
        f"{found.match_weight:+.2f}; in the latest run they are {verdict}."
    )
    for name, weight in found.weights.items():
        console.print(f"  {name:<20} {weight:+.2f}")
