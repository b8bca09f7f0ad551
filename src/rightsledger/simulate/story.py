"""The sources, the deal and the dated observations a scenario plays out.

The story, counted in days from the deal (D), exercises every assessment status:
the Special Rapporteur's access (invitation, visit, replies to communications) is
fully verified, and so, later, is ICRC access (agreement, visits, coverage); aid
monitoring visits are verified while aid to detainees is never reported; releases
are claimed big by the state and confirmed smaller by NGOs and the ICRC; the
amnesty law is only claimed; Camp 16's claimed closure is contradicted by two
imagery analyses while Camp 25's closure is confirmed by two, six months apart;
overseas workers and the return of international staff are verified, then
reversed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from rightsledger.domain import (
    Agreement,
    Clause,
    Credibility,
    Observation,
    Origin,
    Reliability,
    Source,
    SourceKind,
    Stance,
)

from .config import ScenarioConfig
from .lists import list_window

__all__ = ["INDICATOR_KEYS", "STORY_SOURCES", "build_deal", "build_sources"]

DPRK = "DPRK government"
#: Non-list sources of the story: id -> (kind, title, owner, reliability).
STORY_SOURCES: dict[str, tuple[SourceKind, str, str, Reliability]] = {
    "sim-kcna": (
        SourceKind.STATE_CLAIM,
        "KCNA statements (simulated)",
        DPRK,
        Reliability.E,
    ),
    "sim-dprk-mfa": (
        SourceKind.STATE_CLAIM,
        "DPRK Foreign Ministry statements (simulated)",
        DPRK,
        Reliability.E,
    ),
    "sim-icrc": (
        SourceKind.ICRC_STATEMENT,
        "ICRC news releases (simulated)",
        "ICRC",
        Reliability.A,
    ),
    "sim-ohchr": (
        SourceKind.UN_REPORT,
        "OHCHR reports (simulated)",
        "UN",
        Reliability.A,
    ),
    "sim-un-sr": (
        SourceKind.UN_REPORT,
        "Special Rapporteur on the DPRK statements (simulated)",
        "UN",
        Reliability.A,
    ),
    "sim-wfp": (
        SourceKind.UN_REPORT,
        "WFP DPRK country briefs (simulated)",
        "UN",
        Reliability.A,
    ),
    "sim-ngo-report": (
        SourceKind.NGO_REPORT,
        "Hanul Documentation Centre briefings (simulated)",
        "Hanul Documentation Centre (fictional)",
        Reliability.B,
    ),
    "sim-imagery-orbis": (
        SourceKind.IMAGERY_ANALYSIS,
        "Orbis Geospatial camp imagery notes (simulated)",
        "Orbis Geospatial (fictional)",
        Reliability.B,
    ),
    "sim-imagery-kestrel": (
        SourceKind.IMAGERY_ANALYSIS,
        "Kestrel Imagery Analysis camp reports (simulated)",
        "Kestrel Imagery Analysis (fictional)",
        Reliability.B,
    ),
    "sim-deal-text": (
        SourceKind.LEGAL_TEXT,
        "Pyongyang-Washington Framework 2027, text (hypothetical)",
        "Parties to the framework (hypothetical)",
        Reliability.A,
    ),
}

#: Every indicator key the story can emit.
INDICATOR_KEYS: tuple[str, ...] = (
    "icrc-detention-access/icrc-agreement",
    "icrc-detention-access/icrc-visit",
    "icrc-detention-access/icrc-coverage",
    "special-rapporteur-access/sr-invitation",
    "special-rapporteur-access/sr-visit",
    "special-rapporteur-access/sr-dialogue",
    "release-political-prisoners/verified-releases",
    "release-political-prisoners/amnesty-law",
    "dismantle-political-prison-camps/camp-deactivated",
    "dismantle-political-prison-camps/acknowledge-camps",
    "end-forced-labour/overseas-workers",
    "un-presence-and-civil-society/intl-staff-return",
    "humanitarian-aid-monitoring/monitoring-agreement",
    "humanitarian-aid-monitoring/monitor-visits",
)


@dataclass(frozen=True, slots=True)
class Beat:
    """One planned observation, dated in days after the deal."""

    day: int
    source_id: str
    key: str
    stance: Stance
    credibility: Credibility
    summary: str
    facility_id: str | None = None
    value: float | None = None

    def observe(self, deal: date) -> Observation:
        """The observation this beat becomes for a deal signed on ``deal``."""
        return Observation(
            source_id=self.source_id,
            indicator_key=self.key,
            observed_on=deal + timedelta(days=self.day),
            stance=self.stance,
            credibility=self.credibility,
            summary=self.summary,
            facility_id=self.facility_id,
            value=self.value,
            origin=Origin.SIMULATED,
        )


def build_sources(
    config: ScenarioConfig, observations: tuple[Observation, ...]
) -> tuple[Source, ...]:
    """All sources of a scenario: the lists, then the story's sources.

    A source's ``published_on`` is its first observation (lists: window end).
    """
    first: dict[str, date] = {}
    for o in observations:
        first[o.source_id] = min(first.get(o.source_id, o.observed_on), o.observed_on)
    sources = [
        Source(
            s.source_id,
            s.kind,
            s.title,
            s.owner,
            s.reliability,
            list_window(s, config)[1],
            origin=Origin.SIMULATED,
            citation="Synthetic list from rightsledger.simulate",
        )
        for s in config.lists
    ]
    first["sim-deal-text"] = config.deal_signed
    for sid, (kind, title, owner, grade) in STORY_SOURCES.items():
        source = Source(sid, kind, title, owner, grade, first.get(sid))
        sources.append(
            replace(
                source,
                origin=Origin.SIMULATED,
                citation="Fictional source from rightsledger.simulate",
            )
        )
    return tuple(sources)


def build_deal(config: ScenarioConfig) -> Agreement:
    """The hypothetical deal whose human-rights clauses the story tests."""
    clauses = (
        Clause("art-1", "The parties will work toward complete denuclearisation of the Korean Peninsula, with verification by the IAEA."),  # noqa: E501
        Clause("art-4", "The DPRK will grant the ICRC access to all places of detention on its standard terms.", covers=("icrc-detention-access",)),  # noqa: E501
        Clause("art-5", "The DPRK will invite the UN Special Rapporteur and will release persons detained for political reasons, under independent confirmation.", covers=("special-rapporteur-access", "release-political-prisoners")),  # noqa: E501
        Clause("art-6", "The DPRK will close the facilities known as kwanliso, subject to verification.", covers=("dismantle-political-prison-camps",)),  # noqa: E501
        Clause("art-7", "Humanitarian assistance will be delivered under a monitoring agreement allowing international staff in the country.", covers=("humanitarian-aid-monitoring", "un-presence-and-civil-society")),  # noqa: E501
        Clause("art-9", "Sanctions relief will be phased against the steps above.", note="No human-rights benchmark by itself."),  # noqa: E501
    )  # fmt: skip
    return Agreement(
        id="sim-pyongyang-washington-2027",
        title="Pyongyang-Washington Framework 2027 (hypothetical)",
        signed_on=config.deal_signed,
        parties=("DPRK", "United States"),
        mentions_human_rights=True,
        verification="A joint commission, with ICRC and UN access (articles 4-7).",
        sources=("sim-deal-text",),
        clauses=clauses,
        note="Synthetic: no such agreement exists.",
    )
