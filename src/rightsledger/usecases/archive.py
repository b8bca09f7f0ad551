"""Public exports, backups and restores."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..access import Permission
from ..backup import BackupManifest, write_backup
from ..errors import ConfigError, NotFound
from ..export import ExportSummary, write_public_export
from ..paths import vault_path_for
from ..store.tables import Meta
from .accounts import AccountCases


class ArchiveCases(AccountCases):
    """Public exports, backups and restores."""

    # -- export, backup, restore -------------------------------------------------
    def export_public(
        self, out_dir: Path, *, date_precision: str = "year"
    ) -> ExportSummary:
        """Write the public export: aggregates only, small cells suppressed
        (``small_cell_threshold``) with complementary suppression, dates coarsened,
        no identifying field (docs/export.md). Names are never decrypted for it.
        """
        self._require(Permission.EXPORT_PUBLIC, str(out_dir))
        try:
            assessments = self.latest_assessments()
        except NotFound:
            assessments = {}
        summary = write_public_export(
            out_dir,
            catalogue=self.catalogue(),
            sources=self.sources(),
            observations=self.observations(),
            records=self.pseudonymous_records(),
            assessments=assessments,
            estimates=self.estimates(),
            generated_on=self._clock().date(),
            threshold=self.settings.small_cell_threshold,
            date_precision=date_precision,
        )
        with self.sessions.transaction() as s:
            self._log(
                s,
                "export-public",
                out_dir.name,
                {"files": len(summary.files), "suppressed": summary.suppressed},
            )
        return summary

    def backup(
        self, out_path: Path, *, progress: Callable[[str], None] | None = None
    ) -> BackupManifest:
        """Write one encrypted, self-verifying archive of the database, the vault
        and the custody log (admins). The custody entry of the backup is written
        first, so the archive holds it. Restoring needs this ledger's key."""
        self._require(Permission.BACKUP, out_path.name)
        if out_path.exists():
            raise ConfigError(f"{out_path} exists; refusing to overwrite a file")
        with self.sessions.transaction() as s:
            self._log(s, "backup", out_path.name)
            meta = {m.key: m.value for m in s.query(Meta)}
        public = {"key_source": meta.get("key_source", "file")}
        if "key_salt" in meta:
            public["key_salt"] = meta["key_salt"]
        return write_backup(
            self.engine,
            vault_path_for(self.settings),
            self._cipher.backup_key,
            out_path,
            progress=progress,
            key_fingerprint=self._key.fingerprint,
            public=public,
            now=self._clock(),
        )
