"""Backup and restore: one encrypted, self-verifying archive of a whole ledger.

``write_backup`` puts every table, every vault file and a manifest of hashes into
one stream-encrypted tar file; ``check_backup`` proves an archive complete and
unaltered without writing anything; ``restore_backup`` checks it, then rebuilds
the ledger in an empty database and vault. The format is in docs/backup.md.
"""

from .archive import check_backup, write_backup
from .envelope import read_public
from .manifest import BackupManifest, Member
from .restore import restore_backup

__all__ = [
    "BackupManifest",
    "Member",
    "check_backup",
    "read_public",
    "restore_backup",
    "write_backup",
]
