"""Imports of files, attachments to the vault, and reads of identities."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import BinaryIO

from sqlalchemy.orm import Session

from ..access import Permission
from ..domain import Attachment, Origin, PersonRecord
from ..errors import InputError, NotFound
from ..intake.importer import ImportSummary, Progress, import_rows
from ..intake.kinds import Context, intake_kind
from ..intake.readers import Row, RowFile, format_of
from ..paths import vault_path_for
from ..store import catalogue_rows, evidence_rows, vault_rows
from ..vault.files import VaultFiles, sha256_of
from .base import guess_media_type
from .evidence import EvidenceCases


class IntakeCases(EvidenceCases):
    """Imports of files, attachments to the vault, and reads of identities."""

    # -- intake ------------------------------------------------------------------
    def import_file(
        self,
        path: Path,
        kind: str,
        *,
        fmt: str | None = None,
        origin: Origin = Origin.REAL,
        rows: Iterator[Row] | None = None,
        progress: Progress | None = None,
    ) -> ImportSummary:
        """Import one file of one kind (sources, observations, facilities, records,
        witnesses, testimonies) in one transaction.

        A file whose content was imported before changes nothing. ``rows`` lets a
        translation layer (an Uwazi mapping) feed rows instead of the file.

        Raises:
            InputErrors: any problem, each with file, row and field; nothing lands.
        """
        self._require(Permission.WRITE_EVIDENCE, f"import {path.name}")
        spec = intake_kind(kind)
        content_hash = sha256_of(path)
        source = RowFile(path, format_of(path, fmt), kind)
        with self.sessions.transaction() as s:
            done = vault_rows.already_imported(s, content_hash)
            if done is not None:
                return ImportSummary(
                    kind,
                    path.name,
                    content_hash,
                    done.rows,
                    0,
                    0,
                    already_imported=True,
                )
            ctx = self._intake_context(s, content_hash, origin)
            summary = import_rows(s, spec, source, ctx, rows=rows, progress=progress)
            vault_rows.record_import(
                s,
                content_hash=content_hash,
                kind=kind,
                # file names often name the person or the witness: kept sealed
                file_name=self._cipher.encrypt_text(
                    path.name, context=f"import:{content_hash}"
                ).hex(),
                rows=summary.rows,
                at=ctx.at,
                by=self.actor.name,
            )
            self._log(
                s,
                f"import-{kind}",
                content_hash,
                {"rows": summary.rows, "added": summary.added},
            )
        return summary

    def _intake_context(self, s: Session, content_hash: str, origin: Origin) -> Context:
        try:
            indicators = {i.key for i in self.catalogue().indicators()}
        except NotFound:  # no catalogue yet: each indicator is reported unknown
            indicators = set()
        return Context(
            cipher=self._cipher,
            actor=self.actor.name,
            at=self._clock(),
            today=self._clock().date(),
            import_hash=content_hash,
            origin=origin,
            sources={k: v.kind.value for k, v in evidence_rows.load_sources(s).items()},
            facilities=catalogue_rows.facility_ids(s),
            indicators=indicators,
            witnesses=evidence_rows.witness_ids(s),
        )

    def attach(
        self,
        source_id: str,
        path: Path,
        *,
        collected_by: str,
        method: str,
        collected_on: date | None = None,
        media_type: str | None = None,
    ) -> Attachment:
        """Store a file in the vault and attach it to a source, with the Berkeley
        Protocol's intake metadata (who collected it, when, how, original name,
        size, media type, hash at intake).

        Raises:
            NotFound: no such source or file.
            InputError: the file was already attached to this source.
        """
        self._require(Permission.WRITE_EVIDENCE, f"attach to {source_id}")
        if not path.is_file():
            raise NotFound(f"no file at {path}")
        if source_id not in self.sources():
            raise NotFound(f"no source {source_id!r} in the ledger")
        files = VaultFiles(vault_path_for(self.settings))
        with self.sessions.transaction() as s:
            known = {
                r.sha256: self._cipher.unwrap(r.wrapped_key, context=r.sha256)
                for r in vault_rows.files(s)
            }
            stored = files.store(path, existing_key=known)
            if vault_rows.attachment(s, source_id, stored.sha256) is not None:
                raise InputError(
                    f"already attached to {source_id} (sha256 {stored.sha256})",
                    file=path.name,
                )
            kind = media_type or guess_media_type(path)
            if stored.new:
                vault_rows.add_file(
                    s,
                    sha256=stored.sha256,
                    size=stored.size,
                    media_type=kind,
                    wrapped=self._cipher.wrap(stored.data_key, context=stored.sha256),
                    at=self._clock(),
                )
            vault_rows.add_attachment(
                s,
                source_id=source_id,
                sha256=stored.sha256,
                original_name=self._cipher.encrypt_text(
                    path.name, context=f"attachment:{source_id}:{stored.sha256}"
                ),
                collected_by=collected_by,
                collected_on=collected_on,
                method=method,
                at=self._clock(),
                by=self.actor.name,
            )
            self._log(
                s,
                "attach",
                source_id,
                {"sha256": stored.sha256, "size": stored.size, "media_type": kind},
            )
        return Attachment(
            source_id,
            stored.sha256,
            stored.size,
            kind,
            path.name,
            collected_by,
            collected_on,
            method,
        )

    def attachments(self, source_id: str | None = None) -> list[Attachment]:
        """Files attached to sources. The original file name (which often names
        someone) is shown only to investigators; others see "(hidden)"."""
        self._require(Permission.READ_EVIDENCE, "attachments")
        names = self.actor.may(Permission.READ_IDENTITIES)
        with self.sessions.read() as s:
            out = []
            for a, v in vault_rows.attachments(s, source_id):
                original = (
                    self._cipher.decrypt_text(
                        a.original_name, context=f"attachment:{a.source_id}:{a.sha256}"
                    )
                    if names
                    else "(hidden)"
                )
                out.append(
                    Attachment(
                        a.source_id,
                        a.sha256,
                        v.size,
                        v.media_type,
                        original,
                        a.collected_by,
                        a.collected_on,
                        a.method,
                    )
                )
        return out

    def read_attachment(self, sha256: str, dst: BinaryIO) -> None:
        """Decrypt a vault file into ``dst`` (investigators; logged).

        Raises:
            NotFound: no such file. IntegrityError: the file was altered.
        """
        self._require(Permission.READ_IDENTITIES, f"vault file {sha256}")
        with self.sessions.transaction() as s:
            wrapped = vault_rows.wrapped_key(s, sha256)
            if wrapped is None:
                raise NotFound(f"no vault file {sha256}")
            self._log(s, "read-file", sha256)
        key = self._cipher.unwrap(wrapped, context=sha256)
        VaultFiles(vault_path_for(self.settings)).read(sha256, key, dst)

    # -- identities --------------------------------------------------------------
    def pseudonymous_records(self) -> list[PersonRecord]:
        """Every record with its pseudonym in place of the name and no birth year:
        what an analyst works with."""
        self._require(Permission.READ_EVIDENCE, "records")
        with self.sessions.read() as s:
            return evidence_rows.load_pseudonymous_records(s)

    def witnesses(self, *, purpose: str) -> list[dict[str, object]]:
        """Witnesses with their identities (investigators; logged)."""
        self._require(Permission.READ_IDENTITIES, "witnesses")
        with self.sessions.transaction() as s:
            out = evidence_rows.load_witnesses(s, self._cipher)
            self._log(
                s,
                "read-identities",
                "witnesses",
                {"count": len(out), "purpose": purpose},
            )
        return out

    def testimony(self, testimony_id: str, *, purpose: str) -> dict[str, object]:
        """One testimony with its text (investigators; logged).

        Raises:
            NotFound: no such testimony.
        """
        self._require(Permission.READ_IDENTITIES, f"testimony {testimony_id}")
        with self.sessions.transaction() as s:
            out = evidence_rows.load_testimony(s, self._cipher, testimony_id)
            self._log(s, "read-testimony", testimony_id, {"purpose": purpose})
        return out
