"""The legend and the README.txt that travel with every public export."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

from ._tables import CrossTable, ListTable
from .suppression import WITHHELD


def legend(threshold: int) -> dict[str, str]:
    """What each mark in a table means."""
    return {
        f"<{threshold}": (
            f"a count from 1 to {threshold - 1}, not shown so that no small group "
            "of people can be pointed at"
        ),
        WITHHELD: (
            f"withheld so that no '<{threshold}' can be worked out from the other "
            "numbers and the totals; a count of 1 or more"
        ),
        "0": "none (zero is always shown)",
    }


_NEVER = """\
This export never contains: names, birth years, record ids, pseudonyms,
provinces, sighting dates, the text of testimonies or observation summaries,
reasons or diagnostics written by the analysis, the names of non-public sources
(they appear as "non-public list 1", "2", ...), or anything that a non-public
source says."""


def readme(header: Mapping[str, Any], tables: Sequence[CrossTable | ListTable]) -> str:
    """README.txt: what the files are, what the marks mean, how to check them."""
    t = int(header["threshold"])
    lines = [
        f"Public export of a rightsledger ledger: {header['country']}",
        "=" * 60,
        "",
        f"Generated on:    {header['generated_on']}",
        f"Catalogue:       {header['catalogue']}",
        f"Software:        rightsledger {header['software_version']}",
        f"Threshold:       {t} (counts of people from 1 to {t - 1} are hidden)",
        f"Dates shown to:  the {header['date_precision']}",
        "",
        "Aggregates only. Counts of people are counts of records in lists; one",
        "person may appear in several lists.",
        "",
        "Marks",
        "-----",
    ]
    for mark, text in legend(t).items():
        lines += textwrap.wrap(
            text, width=76, initial_indent=f"  {mark:<5}", subsequent_indent=" " * 7
        )
    lines += [
        "",
        "Files",
        "-----",
        "  export.json\n      every table below, with the legend",
    ]
    lines += [f"  {table.name}.csv\n      {table.title}" for table in tables]
    lines += [
        "  manifest.json\n      size and SHA-256 of every other file",
        "",
        "Suppression",
        "-----------",
        "Tables of records show row totals, column totals and a grand total.",
        "Besides the small counts, other cells (and totals) are withheld so that",
        "no hidden count can be worked out exactly by subtraction, and the three",
        "record tables are protected together because they share totals. The",
        "export checked, with linear programming, that every hidden count could",
        "take at least two values given everything published.",
        "",
        _NEVER,
        "",
    ]
    return "\n".join(lines)
