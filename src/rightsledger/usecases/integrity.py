"""Checking the ledger: the custody chain, its seal, ciphertexts and the vault."""

from __future__ import annotations

import hmac
from collections.abc import Iterator

from sqlalchemy.orm import Session

from ..access import Permission
from ..errors import IntegrityError
from ..paths import vault_path_for
from ..store import ciphertexts, custody_log, parse_url, sqlite_path, vault_rows
from ..store.tables import Meta
from ..vault import CustodyEntry, FieldCipher, chain_problems
from ..vault.files import VaultFiles
from .base import LedgerBase


class IntegrityCases(LedgerBase):
    """Checking the ledger: the custody chain, its seal, ciphertexts and the vault."""

    # -- integrity ---------------------------------------------------------------
    def custody(self, last: int | None = None) -> list[CustodyEntry]:
        """The custody log, oldest first (only the ``last`` entries when given).
        Entries name actors, actions and targets (ids), never an identity."""
        self._require(Permission.READ_EVIDENCE, "custody log")
        with self.sessions.read() as s:
            entries = list(custody_log.entries(s))
        return entries[-last:] if last else entries

    def verify(self) -> list[str]:
        """Every problem found (empty when intact): custody entries altered,
        inserted, removed or reordered; the log's end cut off; encrypted values
        that fail authentication; vault files altered, missing or unknown."""
        self._require(Permission.READ_PUBLIC, "verify")
        with self.sessions.read() as s:
            last: list[CustodyEntry] = []

            def tracked() -> Iterator[CustodyEntry]:
                for entry in custody_log.entries(s):
                    last[:] = [entry]
                    yield entry

            problems = chain_problems(tracked())
            anchor = s.get(Meta, "custody_anchor")
            problems += seal_problems(
                last[0] if last else None,
                None if anchor is None else anchor.value,
                self._cipher,
            )
            problems += ciphertexts.problems(s, self._cipher)
            problems += self._vault_problems(s)
        return problems

    def _vault_problems(self, s: Session) -> list[str]:
        rows = vault_rows.files(s)
        if (
            not rows
            and self.settings.vault_dir is None
            and (sqlite_path(parse_url(self.settings.database_url)) is None)
        ):
            return []
        files = VaultFiles(vault_path_for(self.settings))
        out: list[str] = []
        for row in rows:
            try:
                key = self._cipher.unwrap(row.wrapped_key, context=row.sha256)
            except IntegrityError:
                continue  # reported with the encrypted values
            problem = files.check(row.sha256, key)
            if problem is not None:
                out.append(problem)
        known = {files.relative(r.sha256) for r in rows}
        for name in files.names():
            if name not in known:
                out.append(
                    f"vault file {name} is not in the ledger (inserted, or left by an "
                    "interrupted intake)"
                )
        return out

    def require_intact(self) -> None:
        problems = self.verify()
        if problems:
            raise IntegrityError("ledger altered:\n" + "\n".join(problems))


def seal_problems(
    last: CustodyEntry | None, seal: str | None, cipher: FieldCipher
) -> list[str]:
    """What the keyed seal of the custody log's last entry (``"<seq>:<hmac>"``,
    see :meth:`FieldCipher.anchor`) says about the log's end: entries removed from
    it or added after it, or the log rewritten, none of which the hash chain alone
    can show."""
    if last is None:
        return ["the custody log is empty (every entry removed)"]
    sealed, _, mac = (seal or "").rpartition(":")
    if sealed in ("", str(last.seq)) and hmac.compare_digest(
        mac, cipher.anchor(last.seq, last.hash)
    ):
        return []
    n = int(sealed) if sealed.isdigit() else None
    if n is not None and n > last.seq:
        span = (
            f"entry {n} was"
            if n == last.seq + 1
            else f"entries {last.seq + 1}-{n} were"
        )
        return [
            f"the log ends at entry {last.seq}, but the ledger's seal names entry "
            f"{n}: {span} removed from the end"
        ]
    if n is not None and n < last.seq:
        return [
            f"the log ends at entry {last.seq}, but the ledger's seal names entry "
            f"{n}: entries were inserted or appended without the ledger's key"
        ]
    return [
        f"the log's last entry ({last.seq}) does not match the ledger's seal: the log "
        "was rewritten, or the seal altered"
    ]
