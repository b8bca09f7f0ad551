"""Sources and intake: the list of sources, one source with its observations and
files, the forms that add a source or an observation, and a file import
(investigators). Every write goes through the ledger façade, which checks the
role, validates, and logs the write in the same transaction."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from ...access import Permission
from ...browse.sources import (
    add_observation,
    add_source,
    form_fields,
    observation_choices,
    problems_by_field,
    source_detail,
    source_list,
)
from ...errors import InputError, NotFound
from ...intake.kinds import KINDS, OBSERVATIONS, SOURCES
from ...intake.readers import FORMATS
from ...ledger import Ledger
from ..deps import LedgerAsUser, SignedIn, State, Visitor, Writer
from ..pages import json_response, page, wants_json
from .agreements import body_limit, read_upload, safe_file_name
from .jobs import start_import_job

router = APIRouter()

#: The largest file accepted by the import form.
MAX_IMPORT_BYTES = 50_000_000
PageNo = Annotated[int, Query(alias="page", ge=1)]


@router.get("/sources", include_in_schema=False)
def sources_page(
    request: Request, who: SignedIn, ledger: LedgerAsUser, page_no: PageNo = 1
) -> Response:
    ledger.require(Permission.READ_PUBLIC, "sources")
    data = source_list(ledger, page_no)
    return page(request, who, "sources.html.j2", data, title=who._("Sources"))


def _source_form(
    request: Request,
    who: Visitor,
    values: dict[str, str],
    problems: dict[str, str],
    status: int = 200,
) -> Response:
    data = {"fields": form_fields(SOURCES), "values": values, "problems": problems}
    return page(
        request,
        who,
        "source_form.html.j2",
        data,
        title=who._("Add a source"),
        status=status,
    )


@router.get("/sources/new", include_in_schema=False)
def new_source(request: Request, who: SignedIn, ledger: LedgerAsUser) -> Response:
    ledger.require(Permission.WRITE_EVIDENCE, "source form")
    return _source_form(request, who, {"confidentiality": "restricted"}, {})


def _form_values(form: Any, names: list[str]) -> dict[str, str]:
    values = {}
    for name in names:
        value = form.get(name)
        values[name] = value if isinstance(value, str) else ""
    return values


def _created(request: Request, result: dict[str, Any], target: str) -> Response:
    if wants_json(request):
        return json_response({"ok": True, **result}, status=201)
    return RedirectResponse(target, status_code=303)


@router.post("/sources", include_in_schema=False)
async def create_source(
    request: Request, who: Writer, ledger: LedgerAsUser, state: State
) -> Response:
    ledger.require(Permission.WRITE_EVIDENCE, "add a source")
    values = _form_values(await request.form(), [x.name for x in SOURCES.fields])
    try:
        result = add_source(ledger, values)
    except InputError as e:
        return _source_form(request, who, values, problems_by_field(e), 422)
    state.cache.forget()
    target = f"/sources/{quote(result['source_id'], safe='')}?added=source"
    return _created(request, result, target)


def _observation_form(
    request: Request,
    who: Visitor,
    ledger: Ledger,
    values: dict[str, str],
    problems: dict[str, str],
    status: int = 200,
) -> Response:
    data = {
        "fields": form_fields(OBSERVATIONS),
        "values": values,
        "problems": problems,
        **observation_choices(ledger),
    }
    return page(
        request,
        who,
        "source_observation_form.html.j2",
        data,
        title=who._("Add an observation"),
        status=status,
    )


@router.get("/observations/new", include_in_schema=False)
def new_observation(
    request: Request, who: SignedIn, ledger: LedgerAsUser, source_id: str = ""
) -> Response:
    ledger.require(Permission.WRITE_EVIDENCE, "observation form")
    values = {"source_id": source_id[:120]}
    return _observation_form(request, who, ledger, values, {})


@router.post("/observations", include_in_schema=False)
async def create_observation(
    request: Request, who: Writer, ledger: LedgerAsUser, state: State
) -> Response:
    ledger.require(Permission.WRITE_EVIDENCE, "add an observation")
    names = [x.name for x in OBSERVATIONS.fields]
    values = _form_values(await request.form(), names)
    try:
        result = add_observation(ledger, values)
    except InputError as e:
        problems = problems_by_field(e)
        return _observation_form(request, who, ledger, values, problems, 422)
    state.cache.forget()
    added = "observation" if result["counts"]["observations"] else "duplicate"
    target = f"/sources/{quote(result['source_id'], safe='')}?added={added}"
    return _created(request, result, target)


@router.get("/sources/{source_id}", include_in_schema=False)
def source_page(
    request: Request,
    who: SignedIn,
    ledger: LedgerAsUser,
    source_id: str,
    page_no: PageNo = 1,
    added: str = "",
) -> Response:
    data = source_detail(ledger, source_id, page_no)
    data["added"] = added if added in ("source", "observation", "duplicate") else ""
    data["may_write"] = ledger.actor.may(Permission.WRITE_EVIDENCE)
    title = str(data["source"]["title"])
    return page(request, who, "source.html.j2", data, title=title)


@router.get("/sources/{source_id}/files/{sha256}", include_in_schema=False)
def source_file(ledger: LedgerAsUser, source_id: str, sha256: str) -> Response:
    ledger.require(Permission.READ_IDENTITIES, f"vault file {sha256}")
    attached = {a.sha256: a for a in ledger.attachments(source_id)}
    found = attached.get(sha256)
    if found is None:
        raise NotFound(f"no file {sha256} attached to {source_id}")
    out = io.BytesIO()
    ledger.read_attachment(sha256, out)
    return Response(
        out.getvalue(),
        media_type="application/octet-stream",
        headers={"Content-Disposition": f'attachment; filename="{sha256}"'},
    )


def _import_page(
    request: Request,
    who: Visitor,
    data: dict[str, Any],
    status: int = 200,
) -> Response:
    frame = {
        "kinds": [{"name": k.name, "summary": k.summary} for k in KINDS.values()],
        "formats": list(FORMATS),
        "max_bytes": MAX_IMPORT_BYTES,
        "kind": "",
        "summary": None,
        "problems": {},
        "problem_list": [],
        **data,
    }
    return page(
        request,
        who,
        "import.html.j2",
        frame,
        title=who._("Import a file"),
        status=status,
    )


@router.get("/imports/new", include_in_schema=False)
def new_import(request: Request, who: SignedIn, ledger: LedgerAsUser) -> Response:
    ledger.require(Permission.WRITE_EVIDENCE, "import form")
    return _import_page(request, who, {})


@router.post("/imports", include_in_schema=False)
async def import_upload(
    request: Request,
    _limit: Annotated[None, Depends(body_limit(MAX_IMPORT_BYTES + 64_000))],
    who: Writer,
    ledger: LedgerAsUser,
    state: State,
    kind: Annotated[str, Form(max_length=40)] = "",
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """Import one file: a small one in the request (its problems shown next to
    the form), a larger one (over :data:`JOB_FROM_BYTES`) as a job whose page
    shows its progress and its outcome."""
    ledger.require(Permission.WRITE_EVIDENCE, "import a file")
    try:
        if kind not in KINDS:
            raise InputError("choose what the file holds", field="kind")
        if file is None or not file.filename:
            raise InputError("choose a file", field="file")
        raw = await read_upload(file, MAX_IMPORT_BYTES)
        if len(raw) > JOB_FROM_BYTES:
            job_id = _import_job(state, ledger, raw, file.filename, kind)
            return RedirectResponse(f"/jobs/{job_id}", status_code=303)
        summary = _import_bytes(ledger, raw, file.filename, kind)
    except InputError as e:
        data = {
            "kind": kind,
            "problems": problems_by_field(e),
            "problem_list": _listed(e),
        }
        return _import_page(request, who, data, 422)
    state.cache.forget()
    return _import_page(request, who, {"kind": kind, "summary": summary})


#: Uploads larger than this are imported as a job, not in the request.
JOB_FROM_BYTES = 1_000_000


def _import_job(
    state: State, ledger: Ledger, raw: bytes, filename: str, kind: str
) -> str:
    folder = tempfile.TemporaryDirectory(prefix="rl-import-")
    path = Path(folder.name) / safe_file_name(filename, f"{kind}.csv")
    path.write_bytes(raw)
    try:
        return start_import_job(state, ledger, path, kind, cleanup=folder.cleanup)
    except BaseException:
        folder.cleanup()
        raise


def _import_bytes(
    ledger: Ledger, raw: bytes, filename: str, kind: str
) -> dict[str, Any]:
    name = safe_file_name(filename, f"{kind}.csv")
    with tempfile.TemporaryDirectory(prefix="rl-import-") as folder:
        path = Path(folder) / name
        path.write_bytes(raw)
        s = ledger.import_file(path, kind)
    return {
        "kind": s.kind,
        "file_name": s.file_name,
        "content_hash": s.content_hash,
        "rows": s.rows,
        "added": s.added,
        "skipped": s.skipped,
        "already_imported": s.already_imported,
    }


def _listed(error: InputError) -> list[dict[str, Any]]:
    """Each problem of an import with its row and field (the file is the one
    the user sent, so it is not repeated)."""
    errors = getattr(error, "errors", None) or [error]
    return [
        {"row": e.location[1], "field": e.location[2], "message": e.message}
        for e in errors
    ]
