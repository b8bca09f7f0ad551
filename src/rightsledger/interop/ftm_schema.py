"""The part of the followthemoney (FtM) model that rightsledger writes and reads.

An FtM entity, one per line in the JSON Lines files that OpenSanctions publishes
and Aleph reads, is ``{"id", "schema", "properties": {name: [text, ...]}}``:
every property holds a list of strings, dates are ISO 8601 prefixes (``1956``,
``1956-03``, ``1956-03-02``), links to other entities hold their ids. The
property names below are those of the FtM schema files (``Person.yaml``,
``Organization.yaml``/``LegalEntity.yaml``, ``Sanction.yaml``, ``Event.yaml``
and the ``Thing`` and ``Interval`` schemata they extend); :func:`entity` refuses
any other, so a typo cannot produce a file that FtM tools reject. The
``followthemoney`` package is not needed for so small a part of the model.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from typing import Any

_THING = {
    "name",
    "alias",
    "summary",
    "description",
    "country",
    "keywords",
    "topics",
    "address",
    "notes",
    "publisher",
    "sourceUrl",
}
_INTERVAL = {
    "startDate",
    "endDate",
    "date",
    "summary",
    "description",
    "recordId",
    "sourceUrl",
    "publisher",
}
#: Schema -> the properties rightsledger may write (a subset of FtM's).
PROPERTIES: dict[str, frozenset[str]] = {
    "Person": frozenset(
        _THING | {"birthDate", "deathDate", "gender", "nationality", "birthPlace"}
    ),
    "Organization": frozenset(_THING),
    "Sanction": frozenset(
        _INTERVAL
        | {
            "entity",
            "authority",
            "authorityId",
            "program",
            "programId",
            "provisions",
            "status",
            "reason",
            "country",
            "listingDate",
        }
    ),
    "Event": frozenset(
        _THING | _INTERVAL | {"location", "important", "organizer", "involved"}
    ),
}

#: FtM's gender values and the record's sex.
GENDER_TO_SEX = {"male": "M", "female": "F", "other": None}
SEX_TO_GENDER = {"M": "male", "F": "female"}

#: Concrete FtM schemata: entities of these are known to FtM but hold no person
#: record; an import of persons passes over them (anything else is an error).
KNOWN_SCHEMATA = frozenset(
    {
        "Address",
        "Airplane",
        "Article",
        "Assessment",
        "Asset",
        "Associate",
        "Audio",
        "BankAccount",
        "Call",
        "CallForTenders",
        "Company",
        "Contract",
        "ContractAward",
        "Control",
        "CourtCase",
        "CourtCaseParty",
        "CryptoWallet",
        "Debt",
        "Directorship",
        "Document",
        "Documentation",
        "EconomicActivity",
        "Email",
        "Employment",
        "Event",
        "Family",
        "Folder",
        "HyperText",
        "Identification",
        "Image",
        "LegalEntity",
        "License",
        "Membership",
        "Mention",
        "Message",
        "Note",
        "Occupancy",
        "Organization",
        "Ownership",
        "Package",
        "Page",
        "Pages",
        "Passport",
        "Payment",
        "Person",
        "PlainText",
        "Position",
        "Project",
        "ProjectParticipant",
        "PublicBody",
        "RealEstate",
        "Representation",
        "Risk",
        "Sanction",
        "Security",
        "Similar",
        "Succession",
        "Table",
        "TaxRoll",
        "Territory",
        "Trip",
        "UnknownLink",
        "UserAccount",
        "Vehicle",
        "Vessel",
        "Video",
        "Workbook",
    }
)


def entity_id(prefix: str, *parts: str) -> str:
    """A stable entity id: ``rl-<prefix>-`` and 40 hex digits of a SHA-256 of the
    parts, so the same ledger fact always gets the same id.

    Examples:
        >>> entity_id("org", "UN")[:7]
        'rl-org-'
    """
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
    return f"rl-{prefix}-{digest[:40]}"


def entity(
    schema: str, eid: str, properties: Mapping[str, Iterable[Any] | Any]
) -> dict[str, Any]:
    """An FtM entity: each property a list of non-empty strings, empty ones left out.

    Raises:
        ValueError: a schema or property outside :data:`PROPERTIES` (a bug).
    """
    allowed = PROPERTIES.get(schema)
    if allowed is None:
        raise ValueError(f"rightsledger does not write FtM {schema} entities")
    props: dict[str, list[str]] = {}
    for name, value in properties.items():
        if name not in allowed:
            raise ValueError(f"FtM {schema} has no property {name!r} here")
        items = value if isinstance(value, list | tuple) else [value]
        texts = [str(v).strip() for v in items if v is not None and str(v).strip()]
        if texts:
            props[name] = texts
    return {"id": eid, "schema": schema, "properties": props}
