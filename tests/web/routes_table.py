"""Every route of the web app and the API, with a request that exercises it and
the permission it needs (None: any signed-in user). The tests in
test_route_table.py and test_web_attacks.py are driven by this table, and fail
when the app has a route the table does not declare."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute

from rightsledger.access import Permission as P

#: Ids of the data the `seeded` fixture of test_route_table.py stores.
PUBLIC_SOURCE = "rt-public"
RESTRICTED_SOURCE = "rt-restricted"
BENCHMARK = "close-political-prison-camps"


@dataclass(frozen=True)
class Call:
    method: str
    route: str  # the route's path template, as the app declares it
    path: str  # a concrete path for it
    needs: P | None
    form: dict[str, str] = field(default_factory=dict)
    files: dict[str, tuple[str, bytes, str]] | None = None
    json: dict[str, Any] | None = None

    @property
    def unsafe(self) -> bool:
        return self.method in ("POST", "PUT", "PATCH", "DELETE")


#: Routes open to anyone (signing in itself), tested in test_sign_in.py.
ANONYMOUS = {("GET", "/login"), ("POST", "/login"), ("POST", "/language")}

SOURCE_FORM = {
    "id": "rt-new",
    "kind": "media",
    "title": "A new source",
    "owner": "Press",
    "reliability": "B",
    "published_on": "2023-05-01",
    "confidentiality": "public",
}

CALLS: tuple[Call, ...] = (
    Call("POST", "/logout", "/logout", None),
    Call("GET", "/", "/", P.READ_PUBLIC),
    Call(
        "GET", "/benchmarks/{benchmark_id}", f"/benchmarks/{BENCHMARK}", P.READ_PUBLIC
    ),
    Call("GET", "/facilities", "/facilities", P.READ_PUBLIC),
    Call("GET", "/facilities/{facility_id}", "/facilities/{facility}", P.READ_PUBLIC),
    Call("GET", "/estimates", "/estimates", P.READ_PUBLIC),
    Call("GET", "/sanctions", "/sanctions", P.READ_PUBLIC),
    Call("GET", "/agreements", "/agreements", P.READ_PUBLIC),
    Call(
        "POST",
        "/agreements/check",
        "/agreements/check",
        P.READ_PUBLIC,
        form={"text": "1. The parties shall close all political prison camps."},
    ),
    Call("GET", "/search", "/search?q=camp", P.READ_PUBLIC),
    Call("POST", "/search/names", "/search/names", P.READ_IDENTITIES, {"name": "Kim"}),
    Call("GET", "/sources", "/sources", P.READ_PUBLIC),
    Call("GET", "/sources/{source_id}", f"/sources/{PUBLIC_SOURCE}", P.READ_PUBLIC),
    Call(
        "GET",
        "/sources/{source_id}/files/{sha256}",
        f"/sources/{RESTRICTED_SOURCE}/files/{{sha}}",
        P.READ_IDENTITIES,
    ),
    Call("GET", "/sources/new", "/sources/new", P.WRITE_EVIDENCE),
    Call("POST", "/sources", "/sources", P.WRITE_EVIDENCE, SOURCE_FORM),
    Call("GET", "/observations/new", "/observations/new", P.WRITE_EVIDENCE),
    Call(
        "POST",
        "/observations",
        "/observations",
        P.WRITE_EVIDENCE,
        {
            "source_id": PUBLIC_SOURCE,
            "indicator_key": "{indicator}",
            "observed_on": "2024-01-01",
            "stance": "supports",
            "credibility": "2",
            "summary": "Seen on imagery",
        },
    ),
    Call("GET", "/imports/new", "/imports/new", P.WRITE_EVIDENCE),
    Call(
        "POST",
        "/imports",
        "/imports",
        P.WRITE_EVIDENCE,
        {"kind": "sources"},
        files={
            "file": (
                "s.csv",
                b"id,kind,title,owner,reliability\nrt-imp,media,T,Press,B\n",
                "text/csv",
            )
        },
    ),
    Call("GET", "/records", "/records", P.READ_EVIDENCE),
    Call(
        "POST", "/records", "/records", P.READ_IDENTITIES, {"purpose": "linkage check"}
    ),
    Call("GET", "/review", "/review", P.REVIEW_LINKS),
    Call(
        "POST",
        "/review/decide",
        "/review/decide",
        P.REVIEW_LINKS,
        {"left": "rt-r1", "right": "rt-r2", "decision": "accept", "note": ""},
    ),
    Call("GET", "/review/decisions", "/review/decisions", P.REVIEW_LINKS),
    Call("GET", "/jobs", "/jobs", P.READ_EVIDENCE),
    Call("GET", "/jobs/{job_id}", "/jobs/{job}", P.READ_EVIDENCE),
    Call("GET", "/jobs/{job_id}/progress", "/jobs/{job}/progress", P.READ_EVIDENCE),
    Call("POST", "/jobs/link", "/jobs/link", P.RUN_ANALYSIS, {"method": "exact"}),
    Call(
        "POST",
        "/jobs/estimate",
        "/jobs/estimate",
        P.RUN_ANALYSIS,
        {"from": "2020-01-01", "to": "2020-12-31", "method": "chapman"},
    ),
    Call("GET", "/api/v1/me", "/api/v1/me", None),
    Call("GET", "/api/v1/benchmarks", "/api/v1/benchmarks", P.READ_PUBLIC),
    Call(
        "GET",
        "/api/v1/benchmarks/{benchmark_id}",
        f"/api/v1/benchmarks/{BENCHMARK}",
        P.READ_PUBLIC,
    ),
    Call("GET", "/api/v1/observations", "/api/v1/observations", P.READ_PUBLIC),
    Call("GET", "/api/v1/sources", "/api/v1/sources", P.READ_PUBLIC),
    Call("GET", "/api/v1/facilities", "/api/v1/facilities", P.READ_PUBLIC),
    Call("GET", "/api/v1/estimates", "/api/v1/estimates", P.READ_PUBLIC),
    Call("GET", "/api/v1/agreements", "/api/v1/agreements", P.READ_PUBLIC),
    Call("GET", "/api/v1/sanctions", "/api/v1/sanctions", P.READ_PUBLIC),
    Call("GET", "/api/v1/persons", "/api/v1/persons", P.READ_EVIDENCE),
    Call(
        "POST",
        "/api/v1/link-decisions",
        "/api/v1/link-decisions",
        P.REVIEW_LINKS,
        json={"left": "rt-r1", "right": "rt-r2", "accept": False, "note": "no"},
    ),
)


def app_routes(app: FastAPI) -> Iterator[tuple[str, str]]:
    """(method, path template) of every route the app answers (HEAD aside),
    including those of included routers."""

    def walk(routes: list[Any]) -> Iterator[Any]:
        for route in routes:
            inner = getattr(route, "original_router", None)
            yield from walk(inner.routes) if inner is not None else [route]

    for route in walk(list(app.routes)):
        if isinstance(route, APIRoute):
            for method in sorted((route.methods or set()) - {"HEAD"}):
                yield method, route.path
