"""Rendering: Jinja2 templates for HTML, and the JSON twin of a page.

Autoescape is on for every template. A page's data is a plain dict; the same dict
is the page's JSON twin (``?format=json`` or ``Accept: application/json``), so the
HTML never shows anything its JSON would not, and the reverse.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime
from functools import cache
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from .. import __version__
from .deps import Visitor
from .i18n import LANGUAGES
from .nav import nav_for


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("rightsledger.web", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # templates ship with the package; no stat per render
    )
    env.globals["software_version"] = __version__
    env.globals["languages"] = LANGUAGES
    env.filters["tojson_pretty"] = lambda v: json.dumps(
        v, ensure_ascii=False, indent=2, default=_plain
    )
    return env


def _plain(value: object) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    return str(value)


def wants_json(request: Request) -> bool:
    if request.query_params.get("format") == "json":
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def render(
    request: Request,
    who: Visitor,
    template: str,
    data: Mapping[str, Any],
    *,
    status: int = 200,
    title: str = "",
) -> HTMLResponse:
    """Render ``template`` with ``data`` and the page frame (navigation, language,
    CSRF token) for ``who``."""
    html = (
        environment()
        .get_template(template)
        .render(
            **data,
            _=who._,
            lang=who.locale,
            visitor=who,
            actor=who.actor,
            csrf_token=who.csrf or "",
            nav=nav_for(who.actor),
            path=request.url.path,
            page_title=title,
        )
    )
    return HTMLResponse(html, status_code=status)


def page(
    request: Request,
    who: Visitor,
    template: str,
    data: Mapping[str, Any],
    *,
    title: str = "",
    status: int = 200,
) -> Response:
    """The HTML page, or its JSON twin when the request asks for JSON."""
    if wants_json(request):
        return json_response(data, status=status)
    return render(request, who, template, data, status=status, title=title)


def json_response(data: Any, *, status: int = 200) -> JSONResponse:
    body = json.loads(json.dumps(data, ensure_ascii=False, default=_plain))
    return JSONResponse(body, status_code=status)
