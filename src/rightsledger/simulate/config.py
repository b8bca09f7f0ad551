"""Parameters of a simulated scenario."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from rightsledger.domain import Reliability, SourceKind

__all__ = ["LIST_SPECS", "ListSpec", "ScenarioConfig"]


@dataclass(frozen=True, slots=True)
class ListSpec:
    """One documentation list: who keeps it and when it looks.

    Attributes:
        source_id: id of the list's :class:`~rightsledger.domain.Source`.
        kind: ``ngo-list`` or ``un-report``.
        title: the list's title.
        owner: who keeps it (lists with different owners are independent sources).
        reliability: Admiralty grade of the list.
        from_deal: the window opens at the deal (else at the scenario start).
        years: length of the window in years (None: to the end of the scenario).
    """

    source_id: str
    kind: SourceKind
    title: str
    owner: str
    reliability: Reliability
    from_deal: bool = False
    years: int | None = None


#: The lists a scenario draws from, in order; ``n_lists`` takes the first n.
LIST_SPECS: tuple[ListSpec, ...] = (
    ListSpec(
        "sim-list-hanul",
        SourceKind.NGO_LIST,
        "Hanul Documentation Centre detainee list (simulated)",
        "Hanul Documentation Centre (fictional)",
        Reliability.B,
    ),
    ListSpec(
        "sim-list-bridge",
        SourceKind.NGO_LIST,
        "Bridge Witness Project case list (simulated)",
        "Bridge Witness Project (fictional)",
        Reliability.B,
    ),
    ListSpec(
        "sim-list-un",
        SourceKind.UN_REPORT,
        "UN list of cases of arbitrary detention (simulated)",
        "UN",
        Reliability.B,
        from_deal=True,
    ),
    ListSpec(
        "sim-list-exiles",
        SourceKind.NGO_LIST,
        "Exile Testimony Archive detainee index (simulated)",
        "Exile Testimony Archive (fictional)",
        Reliability.C,
        years=3,
    ),
    ListSpec(
        "sim-list-families",
        SourceKind.NGO_LIST,
        "Families of the Detained register (simulated)",
        "Families of the Detained Association (fictional)",
        Reliability.C,
    ),
    ListSpec(
        "sim-list-church",
        SourceKind.NGO_LIST,
        "Church network prisoner list (simulated)",
        "Northern Light Church Network (fictional)",
        Reliability.C,
        from_deal=True,
    ),
)

_DEFAULT_POPULATION = {
    "kwanliso-14": 1200,
    "kwanliso-15": 300,
    "kwanliso-16": 900,
    "kwanliso-25": 500,
}


@dataclass(frozen=True)
class ScenarioConfig:
    """Everything that shapes a scenario except the seed (see docs/simulate.md).

    Rates are per year unless named per month; probabilities are in [0, 1].
    """

    start: date = date(2027, 1, 1)
    years: int = 5
    deal_signed: date = date(2027, 6, 12)
    facilities: tuple[str, ...] = (
        "kwanliso-14",
        "kwanliso-15",
        "kwanliso-16",
        "kwanliso-25",
    )
    initial_population: dict[str, int] | None = None
    n_lists: int = 4
    capture_probabilities: tuple[float, ...] = (0.30, 0.25, 0.20, 0.15, 0.20, 0.15)
    visibility_sd: float = 1.0
    dependent_lists: tuple[int, int] = (0, 1)
    dependence_sd: float = 1.5
    arrests_per_month_before: float = 20.0
    arrests_per_month_after: float = 6.0
    death_rate: float = 0.04
    transfer_rate: float = 0.03
    release_rate_before: float = 0.005
    release_rate_after: float = 0.10
    closed_facility: str | None = "kwanliso-25"
    closure_months_after_deal: int = 12
    closure_release_share: float = 0.5
    receiving_facility: str | None = "kwanliso-16"
    script_weights: tuple[float, float, float, float] = (0.25, 0.35, 0.20, 0.20)
    family_last_rate: float = 0.15
    north_form_rate: float = 0.30
    conventional_family_rate: float = 0.50
    missing_birth_year_rate: float = 0.15
    birth_year_error_rate: float = 0.10
    missing_province_rate: float = 0.10
    missing_facility_rate: float = 0.05
    fate_known_rate: float = 0.70

    def __post_init__(self) -> None:
        if not 1 <= self.n_lists <= len(LIST_SPECS):
            raise ValueError(f"n_lists must be 1..{len(LIST_SPECS)}")
        if len(self.capture_probabilities) < self.n_lists:
            raise ValueError("one capture probability per list is needed")
        if self.years < 1:
            raise ValueError("years must be at least 1")
        if not self.start <= self.deal_signed <= self.end:
            raise ValueError("deal_signed must fall inside the scenario")

    @property
    def end(self) -> date:
        """Last simulated day: the day before ``start`` plus ``years`` years."""
        return self.start.replace(year=self.start.year + self.years) - timedelta(days=1)

    @property
    def population(self) -> dict[str, int]:
        """Initial population per facility (the default when none was given)."""
        given = self.initial_population or _DEFAULT_POPULATION
        return {f: given.get(f, 300) for f in self.facilities}

    @property
    def lists(self) -> tuple[ListSpec, ...]:
        """The ``n_lists`` lists in play."""
        return LIST_SPECS[: self.n_lists]

    @property
    def closure_date(self) -> date | None:
        """When ``closed_facility`` is emptied, if it is one of the facilities."""
        if self.closed_facility not in self.facilities:
            return None
        months = self.closure_months_after_deal
        year, month = divmod(self.deal_signed.month - 1 + months, 12)
        return date(self.deal_signed.year + year, month + 1, 15)
