"""Fixtures every security test module shares: one built ledger per kind of
database per module (built once, copied per test), with the slow paths
(argon2, scrypt) made fast."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from rightsledger.config import Settings

from . import KINDS, Built, fast_paths, shared_build


@pytest.fixture(scope="module", autouse=True)
def _fast() -> Iterator[None]:
    with fast_paths():
        yield


@pytest.fixture(scope="module", params=KINDS)
def built(request: pytest.FixtureRequest) -> Built:
    return shared_build(request, request.param)


@pytest.fixture
def copy(built: Built, tmp_path: Path) -> Iterator[Settings]:
    settings = built.copy(tmp_path / "ledger")
    yield settings
    built.discard(settings)
