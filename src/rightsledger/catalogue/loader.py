"""Load and validate a catalogue folder into ``rightsledger.domain.Catalogue``.

``parse_catalogue`` is pure (file name -> YAML text in, domain values out);
``load_catalogue`` reads a folder and hands its files to it. Every problem in
every file is collected first and raised together as one ``CatalogueError``.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from rightsledger.domain import Catalogue
from rightsledger.errors import CatalogueError, InputError

from . import _checks as checks
from ._problems import describe_value, from_validation, item_label
from ._schema import (
    AgreementModel,
    BenchmarkModel,
    CatalogueInfo,
    ConditionModel,
    FacilityModel,
    SourceModel,
)
from ._yaml import parse_yaml
from .matching import MATCHING, matching_problems

M = TypeVar("M", bound=BaseModel)

CATALOGUE = "catalogue.yaml"
#: The files of a catalogue folder, all required.
REQUIRED_FILES: tuple[str, ...] = (
    CATALOGUE,
    checks.SOURCES,
    checks.BENCHMARKS,
    checks.FACILITIES,
    checks.AGREEMENTS,
    checks.CONDITIONS,
)
#: Files a catalogue folder may also hold: the lexicon for deal texts.
OPTIONAL_FILES: tuple[str, ...] = (MATCHING,)


def default_catalogue_path() -> Path:
    """The folder of the catalogue shipped with rightsledger (North Korea).

    Returns:
        The path of the packaged ``catalogue/data/nk`` folder.
    """
    return Path(__file__).resolve().parent / "data" / "nk"


def load_catalogue(path: Path | None = None) -> Catalogue:
    """Read a catalogue folder and validate it.

    Args:
        path: The folder holding the six catalogue files; the packaged North
            Korea catalogue when ``None``.

    Returns:
        The validated catalogue.

    Raises:
        CatalogueError: The folder is missing or any file has a problem; its
            ``errors`` list every problem with file and key.

    Examples:
        >>> catalogue = load_catalogue()
        >>> len(catalogue.benchmarks)
        17
    """
    folder = Path(path) if path is not None else default_catalogue_path()
    what = f"catalogue {folder}"
    if not folder.is_dir():
        problem = "catalogue folder not found (expected a folder of YAML files)"
        raise CatalogueError([InputError(problem, file=str(folder))], what=what)
    files, problems = _read_folder(folder)
    unreadable = {p.location[0] for p in problems}
    return _parse(files, what=what, problems=problems, unreadable=unreadable)


def _read_folder(folder: Path) -> tuple[dict[str, str], list[InputError]]:
    files: dict[str, str] = {}
    problems: list[InputError] = []
    for entry in sorted(folder.iterdir()):
        if entry.suffix not in (".yaml", ".yml") or not entry.is_file():
            continue
        try:
            files[entry.name] = entry.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            message = f"cannot read the file: {exc}"
            problems.append(InputError(message, file=entry.name))
    return files, problems


def parse_catalogue(files: Mapping[str, str], *, name: str = "") -> Catalogue:
    """Validate catalogue files given as text and build the catalogue.

    Args:
        files: File name (``benchmarks.yaml`` ...) -> YAML text.
        name: What to call the catalogue in the error summary (a folder path,
            say); the catalogue's own name comes from ``catalogue.yaml``.

    Returns:
        The validated catalogue.

    Raises:
        CatalogueError: Any file is missing, unknown or invalid; ``errors``
            list every problem with file and key.
    """
    what = f"catalogue {name}" if name else "catalogue"
    return _parse(files, what=what, problems=[], unreadable=set())


def _parse(
    files: Mapping[str, str],
    *,
    what: str,
    problems: list[InputError],
    unreadable: Collection[str],
) -> Catalogue:
    raw = _parse_files(files, problems, unreadable)
    info = _validate_info(raw, problems)
    sources = _validate_list(raw, checks.SOURCES, SourceModel, problems)
    benchmarks = _validate_list(raw, checks.BENCHMARKS, BenchmarkModel, problems)
    facilities = _validate_list(raw, checks.FACILITIES, FacilityModel, problems)
    agreements = _validate_list(raw, checks.AGREEMENTS, AgreementModel, problems)
    conditions = _validate_list(raw, checks.CONDITIONS, ConditionModel, problems)
    known = checks.Known(
        source_keys=_raw_ids(raw, checks.SOURCES, "key"),
        benchmark_ids=_raw_ids(raw, checks.BENCHMARKS, "id"),
    )
    problems += checks.check_benchmarks(benchmarks, known)
    problems += checks.check_facilities(facilities, known)
    problems += checks.check_agreements(agreements, known)
    problems += checks.check_conditions(conditions, known)
    if MATCHING in files and MATCHING not in unreadable:
        problems += matching_problems(
            files[MATCHING], benchmark_ids=known.benchmark_ids
        )
    if checks.BENCHMARKS in raw and raw[checks.BENCHMARKS] == []:
        problems.append(
            InputError("a catalogue needs benchmarks", file=checks.BENCHMARKS)
        )
    CatalogueError.raise_if_any(problems, what=what)
    if info is None:  # pragma: no cover (a missing info is always a problem)
        raise CatalogueError([InputError("unusable", file=CATALOGUE)], what=what)
    return Catalogue(
        name=info.name,
        country=info.country,
        sources=tuple(s.to_domain() for s in sources),
        benchmarks=tuple(b.to_domain() for b in benchmarks),
        facilities=tuple(f.to_domain() for f in facilities),
        agreements=tuple(a.to_domain() for a in agreements),
        conditions=tuple(c.to_domain() for c in conditions),
    )


def _parse_files(
    files: Mapping[str, str], problems: list[InputError], unreadable: Collection[str]
) -> dict[str, Any]:
    """YAML-parse the required files; report missing, unknown and broken ones."""
    for fname in sorted(set(files) - set(REQUIRED_FILES) - set(OPTIONAL_FILES)):
        expected = ", ".join(REQUIRED_FILES)
        optional = ", ".join(OPTIONAL_FILES)
        message = (
            f"unknown catalogue file (a catalogue has exactly: {expected};"
            f" optionally {optional})"
        )
        problems.append(InputError(message, file=fname))
    raw: dict[str, Any] = {}
    for fname in REQUIRED_FILES:
        if fname in unreadable:
            continue
        if fname not in files:
            problems.append(InputError("required file is missing", file=fname))
            continue
        data, problem = parse_yaml(files[fname], file=fname)
        if problem is not None:
            problems.append(problem)
        else:
            raw[fname] = data
    return raw


def _validate_info(
    raw: dict[str, Any], problems: list[InputError]
) -> CatalogueInfo | None:
    if CATALOGUE not in raw:
        return None
    data = raw[CATALOGUE]
    if not isinstance(data, dict):
        message = (
            f"expected a mapping (key: value) at the top, got {describe_value(data)}"
        )
        problems.append(InputError(message, file=CATALOGUE))
        return None
    try:
        return CatalogueInfo.model_validate(data)
    except ValidationError as exc:
        problems += from_validation(exc, data, file=CATALOGUE, prefix="")
        return None


def _validate_list(
    raw: dict[str, Any], fname: str, model: type[M], problems: list[InputError]
) -> list[M]:
    """Validate each item of a list file on its own, so all problems surface."""
    if fname not in raw:
        return []
    data = raw[fname]
    if not isinstance(data, list):
        message = f"expected a list at the top, got {describe_value(data)}"
        if data is None:
            message += " (the file is empty; write [] for an empty list)"
        problems.append(InputError(message, file=fname))
        return []
    stem = fname.removesuffix(".yaml")
    out: list[M] = []
    for index, item in enumerate(data):
        label = item_label(item, index, stem)
        try:
            out.append(model.model_validate(item))
        except ValidationError as exc:
            problems += from_validation(exc, item, file=fname, prefix=label)
    ident = "key" if model is SourceModel else "id"
    problems += checks.duplicates(
        (
            i[ident]
            for i in data
            if isinstance(i, dict) and isinstance(i.get(ident), str)
        ),
        file=fname,
        prefix=ident,
    )
    return out


def _raw_ids(raw: dict[str, Any], fname: str, ident: str) -> frozenset[str] | None:
    data = raw.get(fname)
    if not isinstance(data, list):
        return None
    return frozenset(
        i[ident] for i in data if isinstance(i, dict) and isinstance(i.get(ident), str)
    )
