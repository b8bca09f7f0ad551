"""Moving data to and from the tools documentation groups already use.

* Uwazi (HURIDOCS): a CSV export of a collection, read through a mapping file
  (:func:`read_mapping`, :func:`uwazi_rows`, :func:`uwazi_import`).
* followthemoney, the entity model of OpenSanctions and Aleph: the ledger written
  as FtM JSON Lines (:func:`write_ftm`), and Person entities read back as person
  records (:func:`ftm_person_rows`, :func:`ftm_import`).

Everything goes through the :class:`~rightsledger.ledger.Ledger` façade, so the
role checks, the one-transaction import and the custody log apply as for any
other intake or export. docs/interop.md describes the formats.
"""

from .ftm import write_ftm
from .ftm_read import FtmImport, ftm_import, ftm_person_rows
from .uwazi import UwaziExport, uwazi_import, uwazi_rows
from .uwazi_mapping import UwaziMapping, read_mapping

__all__ = [
    "FtmImport",
    "UwaziExport",
    "UwaziMapping",
    "ftm_import",
    "ftm_person_rows",
    "read_mapping",
    "uwazi_import",
    "uwazi_rows",
    "write_ftm",
]
