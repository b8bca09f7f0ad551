"""Who may do what: the one policy that the CLI, the web app and the API all pass
through (the :class:`~rightsledger.ledger.Ledger` façade checks it on every use
case and logs every refusal in the custody log).

Roles, from least to most trusted with people's identities:

* ``viewer``: the public picture. Catalogue, benchmark statuses, estimates, and
  the evidence of public sources; small counts suppressed.
* ``analyst``: all evidence, person records by pseudonym only; runs linkage,
  estimation and assessment (linkage decrypts names in memory, never shows them);
  writes the public export.
* ``investigator``: what an analyst may, plus names, witnesses, testimony text and
  attached files; imports evidence and reviews uncertain links.
* ``admin``: runs the ledger: users, keys, backups, catalogue, imports. An admin
  does *not* see names: whoever needs them must hold the investigator role, so
  that reading an identity is always a deliberate, attributable act.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from .domain import Role


class Permission(StrEnum):
    READ_PUBLIC = "read public results"
    READ_EVIDENCE = "read evidence"
    READ_IDENTITIES = "read identities"
    WRITE_EVIDENCE = "write evidence"
    RUN_ANALYSIS = "run analyses"
    REVIEW_LINKS = "review links"
    LOAD_CATALOGUE = "load a catalogue"
    EXPORT_PUBLIC = "write the public export"
    MANAGE_USERS = "manage users"
    MANAGE_KEYS = "manage keys"
    BACKUP = "back up and restore"


_VIEWER = frozenset({Permission.READ_PUBLIC})
_ANALYST = _VIEWER | {
    Permission.READ_EVIDENCE,
    Permission.RUN_ANALYSIS,
    Permission.EXPORT_PUBLIC,
}
_INVESTIGATOR = _ANALYST | {
    Permission.READ_IDENTITIES,
    Permission.WRITE_EVIDENCE,
    Permission.REVIEW_LINKS,
}
_ADMIN = frozenset(Permission) - {Permission.READ_IDENTITIES, Permission.REVIEW_LINKS}

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.VIEWER: _VIEWER,
    Role.ANALYST: _ANALYST,
    Role.INVESTIGATOR: _INVESTIGATOR,
    Role.ADMIN: _ADMIN,
}


def allows(role: Role, permission: Permission) -> bool:
    """Whether ``role`` holds ``permission``."""
    return permission in ROLE_PERMISSIONS[role]


@dataclass(frozen=True, slots=True)
class Actor:
    """The user a ledger is opened for: every check and custody entry names them."""

    name: str
    role: Role

    def may(self, permission: Permission) -> bool:
        return allows(self.role, permission)
