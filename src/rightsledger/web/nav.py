"""The pages in the navigation bar, and who sees each link.

A link is shown to a role that holds its permission; the route itself is still
checked by the ledger façade, so hiding a link is a courtesy, not the guard.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..access import Actor, Permission


@dataclass(frozen=True, slots=True)
class NavItem:
    path: str
    label: str  # an English message id, translated when shown
    permission: Permission


NAV: tuple[NavItem, ...] = (
    NavItem("/", "Scorecard", Permission.READ_PUBLIC),
    NavItem("/facilities", "Facilities", Permission.READ_PUBLIC),
    NavItem("/estimates", "Estimates", Permission.READ_PUBLIC),
    NavItem("/agreements", "Agreements", Permission.READ_PUBLIC),
    NavItem("/sanctions", "Sanctions", Permission.READ_PUBLIC),
    NavItem("/sources", "Sources", Permission.READ_PUBLIC),
    NavItem("/records", "Records", Permission.READ_EVIDENCE),
    NavItem("/review", "Link review", Permission.REVIEW_LINKS),
    NavItem("/jobs", "Jobs", Permission.READ_EVIDENCE),
)


def nav_for(actor: Actor | None) -> list[NavItem]:
    if actor is None:
        return []
    return [item for item in NAV if actor.may(item.permission)]
