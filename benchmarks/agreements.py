"""Accuracy of `rightsledger agreement check` on the labelled clause set.

Prints precision and recall of the clause-to-benchmark mapping per source of
clauses (real texts, the catalogue's agreement summaries, drafted clauses,
held-out paraphrases), for the development set and for all clauses, then the
misses. Counted over (clause, benchmark) pairs: "binds" compares the binding
benchmarks only, "covered" compares binds and mentions together.

Usage:
    .venv/bin/python benchmarks/agreements.py [--misses]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the labelled set's loader lives in tests/

from tests.texts.labelled import load_labelled, render, table  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list every miss")
    args = parser.parse_args()
    rows = table(load_labelled())
    print(render(rows))
    if args.misses:
        everything = dict(rows)["all"]
        print("\nbinds misses:")
        print("\n".join(f"- {m}" for m in everything.binds.misses) or "- none")
        print("\ncovered misses:")
        print("\n".join(f"- {m}" for m in everything.covered.misses) or "- none")


if __name__ == "__main__":
    main()
