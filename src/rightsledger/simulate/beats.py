"""The dated observations of the story, and what truly happened to each indicator."""

from __future__ import annotations

from datetime import date

from rightsledger.domain import Credibility, Observation, PersonRecord, Stance

from .config import ScenarioConfig
from .story import Beat
from .truth import EventKind, IndicatorTruth, TrueEvent

__all__ = ["indicator_truth", "story_observations"]

S, C = Stance.SUPPORTS, Stance.CONTRADICTS
C1, C2, C3, C4, C5 = (Credibility(n) for n in range(1, 6))
_ICRC = "icrc-detention-access/"
_SR = "special-rapporteur-access/"
_REL = "release-political-prisoners/"
_CAMP = "dismantle-political-prison-camps/"
_LAB = "end-forced-labour/overseas-workers"
_STAFF = "un-presence-and-civil-society/intl-staff-return"
_AID = "humanitarian-aid-monitoring/"

_FIXED = (
    Beat(30, "sim-kcna", _SR + "sr-invitation", S, C4, "KCNA says the DPRK has invited the UN Special Rapporteur."),  # noqa: E501
    Beat(60, "sim-icrc", _ICRC + "icrc-agreement", S, C1, "The ICRC announces an agreement with the DPRK on visits to places of detention."),  # noqa: E501
    Beat(75, "sim-ohchr", _ICRC + "icrc-agreement", S, C2, "OHCHR welcomes the DPRK-ICRC agreement on detention visits."),  # noqa: E501
    Beat(90, "sim-un-sr", _SR + "sr-invitation", S, C1, "The Special Rapporteur confirms a formal invitation from the DPRK."),  # noqa: E501
    Beat(95, "sim-ngo-report", _SR + "sr-invitation", S, C2, "An NGO briefing publishes the invitation letter to the Special Rapporteur."),  # noqa: E501
    Beat(100, "sim-ohchr", _AID + "monitoring-agreement", S, C2, "The UN reports a signed agreement on monitoring humanitarian deliveries."),  # noqa: E501
    Beat(120, "sim-ohchr", _STAFF, S, C1, "The UN reports international staff back in Pyongyang and travelling to the provinces."),  # noqa: E501
    Beat(135, "sim-ngo-report", _STAFF, S, C2, "An NGO briefing confirms international aid staff working outside Pyongyang."),  # noqa: E501
    Beat(140, "sim-icrc", _STAFF, S, C2, "The ICRC reports its international delegates back in the DPRK and working in the provinces."),  # noqa: E501
    Beat(150, "sim-kcna", _REL + "amnesty-law", S, C4, "KCNA announces an amnesty decree for people convicted of political offences."),  # noqa: E501
    Beat(280, "sim-un-sr", _SR + "sr-visit", S, C1, "End-of-mission statement: the Special Rapporteur visited with private interviews."),  # noqa: E501
    Beat(290, "sim-wfp", _AID + "monitor-visits", S, C2, "WFP reports 120 monitoring visits to distribution sites, of 150 planned, in its first six months.", value=120.0),  # noqa: E501
    Beat(290, "sim-ngo-report", _SR + "sr-visit", S, C2, "An NGO briefing reports meetings held during the Special Rapporteur's visit."),  # noqa: E501
    Beat(300, "sim-dprk-mfa", _CAMP + "acknowledge-camps", S, C3, "The Foreign Ministry names its 'special labour facilities' for the first time."),  # noqa: E501
    Beat(330, "sim-ohchr", _CAMP + "acknowledge-camps", S, C2, "OHCHR records the DPRK's acknowledgement of the kwanliso before the Council."),  # noqa: E501
    Beat(365, "sim-ohchr", _LAB, S, C2, "OHCHR reports DPRK workers recalled from construction sites abroad."),  # noqa: E501
    Beat(380, "sim-ngo-report", _LAB, S, C2, "An NGO briefing confirms the return of DPRK workers from abroad."),  # noqa: E501
    Beat(420, "sim-dprk-mfa", _SR + "sr-dialogue", S, C4, "The Foreign Ministry says it has answered every communication from the Special Rapporteur."),  # noqa: E501
    Beat(540, "sim-un-sr", _SR + "sr-dialogue", S, C1, "The Special Rapporteur reports substantive DPRK replies to 9 of 12 communications sent this year."),  # noqa: E501
    Beat(560, "sim-ohchr", _SR + "sr-dialogue", S, C2, "OHCHR's report to the Council notes the DPRK's replies to the Special Rapporteur's communications."),  # noqa: E501
    Beat(655, "sim-wfp", _AID + "monitor-visits", S, C2, "WFP reports 260 monitoring visits, of 300 planned, over the year, with international monitors.", value=260.0),  # noqa: E501
    Beat(900, "sim-ohchr", _STAFF, C, C1, "The UN reports its international staff ordered to leave the DPRK again."),  # noqa: E501
    Beat(910, "sim-ngo-report", _STAFF, C, C2, "An NGO briefing reports aid agencies back to local staff only."),  # noqa: E501
    Beat(1020, "sim-wfp", _AID + "monitor-visits", S, C2, "WFP reports 70 monitoring visits, of 300 planned, made by national staff only since international staff left.", value=70.0),  # noqa: E501
    Beat(1100, "sim-ohchr", _LAB, C, C2, "OHCHR reports DPRK workers again sent to construction sites abroad."),  # noqa: E501
    Beat(1120, "sim-ngo-report", _LAB, C, C2, "An NGO briefing documents new labour contracts for DPRK workers abroad."),  # noqa: E501
)  # fmt: skip


def _facility_beats(config: ScenarioConfig) -> list[Beat]:
    beats: list[Beat] = []
    for day, fac in zip((200, 320), config.facilities, strict=False):
        beats.append(
            Beat(
                day,
                "sim-icrc",
                _ICRC + "icrc-visit",
                S,
                C1,
                f"The ICRC reports a visit to {fac}.",
                fac,
            )
        )  # noqa: E501
        beats.append(
            Beat(
                day + 15,
                "sim-ohchr",
                _ICRC + "icrc-visit",
                S,
                C2,
                f"OHCHR notes the ICRC's visit to {fac}.",
                fac,
            )
        )  # noqa: E501
    visited, known = config.facilities[:2], len(config.facilities)
    if visited:
        share = round(100 * len(visited) / known)
        beats.append(
            Beat(
                700,
                "sim-icrc",
                _ICRC + "icrc-coverage",
                S,
                C1,
                f"The ICRC says its delegates have visited {len(visited)} of the "
                f"{known} known kwanliso ({share}%), each more than once.",
                value=float(share),
            )
        )
    open_camp = config.receiving_facility
    if open_camp in config.facilities:
        beats += [
            Beat(400, "sim-kcna", _CAMP + "camp-deactivated", S, C5, f"KCNA says {open_camp} has been closed and its land returned to farming.", open_camp),  # noqa: E501
            Beat(450, "sim-imagery-orbis", _CAMP + "camp-deactivated", C, C2, f"Imagery shows guard posts, fence and housing at {open_camp} still in use.", open_camp),  # noqa: E501
            Beat(520, "sim-imagery-kestrel", _CAMP + "camp-deactivated", C, C2, f"Imagery shows new housing and vehicle traffic inside {open_camp}.", open_camp),  # noqa: E501
        ]  # fmt: skip
    closure, closed = config.closure_date, config.closed_facility
    if closure is not None and closed is not None:
        day = (closure - config.deal_signed).days + 100
        beats += [
            Beat(day, "sim-imagery-orbis", _CAMP + "camp-deactivated", S, C2, f"Imagery shows guard towers and perimeter fence removed at {closed}.", closed),  # noqa: E501
            Beat(day + 190, "sim-imagery-kestrel", _CAMP + "camp-deactivated", S, C2, f"Imagery six months later shows prisoner housing at {closed} demolished.", closed),  # noqa: E501
        ]  # fmt: skip
    return beats


def _release_counts(
    config: ScenarioConfig,
    events: tuple[TrueEvent, ...],
    records: tuple[PersonRecord, ...],
    on: date,
) -> tuple[int, int]:
    """True releases since the deal, and those the first list saw, up to ``on``."""
    deal, first_list = config.deal_signed, config.lists[0].source_id
    true = sum(1 for e in events if e.kind is EventKind.RELEASE and deal <= e.on <= on)
    listed = sum(
        1 for r in records
        if r.source_id == first_list and r.fate == "released"
        and r.seen_to is not None and deal <= r.seen_to <= on
    )  # fmt: skip
    return true, listed


def _release_beats(
    config: ScenarioConfig,
    events: tuple[TrueEvent, ...],
    records: tuple[PersonRecord, ...],
) -> list[Beat]:
    key = _REL + "verified-releases"
    first_list = config.lists[0].source_id
    beats: list[Beat] = []
    for year in range(config.years + 1):
        day = 180 + 365 * year
        on = date.fromordinal(config.deal_signed.toordinal() + day)
        true, listed = _release_counts(config, events, records, on)
        claimed = float(-(-(3 * true + 1000) // 100) * 100)
        beats.append(
            Beat(
                day,
                "sim-kcna",
                key,
                S,
                C4,
                f"KCNA says {claimed:.0f} prisoners were released under the amnesty.",
                value=claimed,
            )
        )  # noqa: E501
        if listed:
            beats.append(
                Beat(
                    day + 20,
                    first_list,
                    key,
                    S,
                    C2,
                    f"The list confirms {listed} named persons released.",
                    value=float(listed),
                )
            )  # noqa: E501
        if true // 2:
            beats.append(
                Beat(
                    day + 30,
                    "sim-icrc",
                    key,
                    S,
                    C1,
                    f"The ICRC confirms meeting {true // 2} released detainees.",
                    value=float(true // 2),
                )
            )  # noqa: E501
    return beats


def story_observations(
    config: ScenarioConfig,
    events: tuple[TrueEvent, ...],
    records: tuple[PersonRecord, ...],
) -> tuple[Observation, ...]:
    """Every observation of the story that falls inside the scenario, by date.

    Args:
        config: the scenario parameters.
        events: the true events (release counts come from them).
        records: the list records (the first list's confirmed releases).

    Returns:
        Observations with origin ``simulated``, sorted by date, source and key.
    """
    beats = [
        *_FIXED,
        *_facility_beats(config),
        *_release_beats(config, events, records),
    ]
    observed = [b.observe(config.deal_signed) for b in beats]
    inside = [o for o in observed if config.start <= o.observed_on <= config.end]
    return tuple(
        sorted(
            inside,
            key=lambda o: (o.observed_on, o.source_id, o.indicator_key, o.summary),
        )
    )


def indicator_truth(
    config: ScenarioConfig, releases: int
) -> tuple[IndicatorTruth, ...]:
    """The true outcome of every indicator the story touches."""
    closed, open_camp = config.closed_facility, config.receiving_facility
    known = len(config.facilities)
    visited = min(2, known)
    coverage = "achieved" if visited == known else "partly-achieved"
    rows = [
        (_ICRC + "icrc-agreement", "achieved", "The agreement was signed."),
        (_ICRC + "icrc-visit", "achieved", "The ICRC visited the named facilities."),
        (_ICRC + "icrc-coverage", coverage,
         f"The ICRC visited {visited} of the {known} known kwanliso, more than once."),
        (_SR + "sr-invitation", "achieved", "The invitation was sent."),
        (_SR + "sr-visit", "achieved", "The visit took place."),
        (_SR + "sr-dialogue", "achieved",
         "The DPRK replied to most of the rapporteur's communications."),
        (_REL + "verified-releases", "achieved" if releases else "not-achieved",
         f"{releases} people were truly released after the deal."),
        (_REL + "amnesty-law", "not-achieved", "No amnesty decree was published."),
        (_CAMP + "camp-deactivated", "partly-achieved",
         f"{closed} was emptied (releases and transfers to {open_camp}); {open_camp} kept operating."),  # noqa: E501
        (_CAMP + "acknowledge-camps", "achieved", "The state named its camps."),
        (_LAB, "achieved-then-reversed", "Workers came home, then went abroad again."),
        (_STAFF, "achieved-then-reversed", "Staff returned, then were expelled."),
        (_AID + "monitoring-agreement", "achieved", "The agreement was signed."),
        (_AID + "monitor-visits", "partly-achieved",
         "Monitors made most planned visits until international staff were expelled, "
         "then national staff made far fewer."),
    ]  # fmt: skip
    return tuple(IndicatorTruth(k, o, n) for k, o, n in rows)
