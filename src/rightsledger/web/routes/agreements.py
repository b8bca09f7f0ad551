"""Agreements: the coverage matrix of clauses x benchmarks, each agreement's gaps,
and a form to check a new deal text (uploaded or pasted). The check computes
and shows; it stores nothing, like ``rightsledger agreement check``."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import Response
from starlette.exceptions import HTTPException

from ...access import Permission
from ...browse.agreements import (
    agreement_matrix,
    check_file,
    check_pasted,
    ledger_lexicon,
)
from ...browse.sources import problems_by_field
from ...errors import InputError
from ...ledger import Ledger
from ...texts import Lexicon
from ..deps import LedgerAsUser, SignedIn, State, Writer
from ..pages import page

router = APIRouter()

#: The largest agreement text accepted (upload or paste).
MAX_TEXT_BYTES = 2_000_000
#: Room for the multipart envelope and the other fields.
_ENVELOPE = 64_000
_SAFE_NAME = re.compile(r"[^\w.\- ]+")


def body_limit(max_bytes: int) -> Callable[[Request], None]:
    """A dependency that refuses a request body over ``max_bytes`` before the
    form is read (declare it before ``Writer``, which reads the form)."""

    def check(request: Request) -> None:
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > max_bytes:
            raise HTTPException(
                413, f"the upload is too large (the limit is {max_bytes:,} bytes)"
            )

    return check


async def read_upload(upload: UploadFile, max_bytes: int) -> bytes:
    """The uploaded file's bytes, refused past ``max_bytes``."""
    data = await upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise HTTPException(
            413, f"the upload is too large (the limit is {max_bytes:,} bytes)"
        )
    return data


def safe_file_name(name: str | None, default: str) -> str:
    """The last part of a browser-given file name, with only plain characters."""
    base = Path((name or "").replace("\\", "/")).name
    cleaned = _SAFE_NAME.sub("_", base).strip(" .")[:120]
    return cleaned or default


def _lexicon(state: State, ledger: Ledger) -> Lexicon:
    found: Lexicon = state.cache.get(
        ("agreement-lexicon",), lambda: ledger_lexicon(ledger)
    )
    return found


@router.get("/agreements", include_in_schema=False)
def agreements_page(
    request: Request, who: SignedIn, ledger: LedgerAsUser, state: State
) -> Response:
    ledger.require(Permission.READ_PUBLIC, "agreements")
    data: dict[str, Any] = state.cache.get(
        ("agreements",), lambda: agreement_matrix(ledger)
    )
    return page(
        request,
        who,
        "agreements.html.j2",
        {**data, "max_bytes": MAX_TEXT_BYTES},
        title=who._("Agreements"),
    )


@router.post("/agreements/check", include_in_schema=False)
async def check_agreement(
    request: Request,
    _limit: Annotated[None, Depends(body_limit(MAX_TEXT_BYTES + _ENVELOPE))],
    who: Writer,
    ledger: LedgerAsUser,
    state: State,
    file: Annotated[UploadFile | None, File()] = None,
    text: Annotated[str, Form(max_length=MAX_TEXT_BYTES)] = "",
) -> Response:
    ledger.require(Permission.READ_PUBLIC, "agreement check")
    lexicon = _lexicon(state, ledger)
    data: dict[str, Any] = {"result": None, "problems": {}, "text": text}
    status = 200
    try:
        if file is not None and file.filename:
            raw = await read_upload(file, MAX_TEXT_BYTES)
            data["result"] = _check_bytes(ledger, raw, file.filename, lexicon)
        elif text.strip():
            name = who._("pasted text")
            data["result"] = check_pasted(ledger, text, lexicon, name=name)
        else:
            raise InputError("choose a file or paste a text", field="text")
    except InputError as e:
        data["problems"] = _problems(e)
        status = 422
    data["max_bytes"] = MAX_TEXT_BYTES
    return page(
        request,
        who,
        "agreement_check.html.j2",
        data,
        title=who._("Check an agreement text"),
        status=status,
    )


def _check_bytes(
    ledger: Ledger, raw: bytes, filename: str, lexicon: Lexicon
) -> dict[str, Any]:
    name = safe_file_name(filename, "agreement.txt")
    with tempfile.TemporaryDirectory(prefix="rl-agreement-") as folder:
        path = Path(folder) / name
        path.write_bytes(raw)
        return check_file(ledger, path, lexicon, max_bytes=MAX_TEXT_BYTES)


def _problems(error: InputError) -> dict[str, str]:
    """Problems by field; a problem of the file itself goes to the file field
    (the reader names the temporary path, which the user never saw)."""
    out: dict[str, str] = {}
    for field, message in problems_by_field(error).items():
        out["file" if field in ("", None) else field] = message
    return out
