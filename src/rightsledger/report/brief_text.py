"""The fixed words of the brief and the public scorecard, in English and Korean.

Headings, labels and status names live here as plain dicts, so the templates hold
no language and a test can check that both languages have every key. Benchmark
titles come from the catalogue (``title`` and ``title_ko``), not from here.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["LANGUAGES", "labels", "status_name"]

#: Languages the reports are written in.
LANGUAGES: tuple[str, ...] = ("en", "ko")

_EN: dict[str, str] = {
    "brief_title": "Negotiation brief: human-rights benchmarks",
    "public_title": "Public scorecard: human-rights benchmarks",
    "generated": "Generated",
    "as_of": "Status as of",
    "real_until": "Real, sourced facts until",
    "catalogue": "Catalogue",
    "summary": "Summary",
    "counts": "Benchmarks by status",
    "benchmarks": "Benchmarks",
    "benchmark": "Benchmark",
    "status": "Status",
    "standard": "Standard of proof",
    "trend": "Trend",
    "last_change": "Last change",
    "no_change": "no change",
    "not_assessed": "not assessed",
    "indicators": "Indicators",
    "why": "Why",
    "sources_cited": "Sources cited for this status",
    "no_sources": "No source is cited for this status.",
    "withheld": "Further evidence from non-public sources is not shown",
    "plan": "Verification plan",
    "could_supply": "could supply it",
    "coverage": "Agreements: coverage of the benchmarks",
    "agreement": "Agreement",
    "signed": "signed",
    "covered": "Covered",
    "missed": "Missed",
    "covered_by_none": "Covered by no agreement",
    "no_agreements": "No agreements on record.",
    "sanctions": "Sanctions readiness",
    "condition": "Condition",
    "readiness": "Readiness",
    "required": "required",
    "no_conditions": "No sanctions conditions in this catalogue.",
    "estimates": "Estimated totals",
    "population": "Population",
    "method": "Method",
    "estimate": "Estimate",
    "interval": "Interval",
    "observed": "Seen on lists",
    "no_estimates": "No estimates in this ledger.",
    "estimates_note": (
        "Totals estimated from overlapping lists (multiple systems estimation); "
        "the interval is the model's uncertainty, not a bound on the truth."
    ),
    "citations": "Sources",
    "grade": "reliability",
    "date": "date",
    "undated": "undated",
    "simulated": "SIMULATED",
    "real": "REAL",
    "simulated_note": (
        "Statuses dated after {real_until} come from a simulated scenario and "
        "describe no real event; they are marked SIMULATED."
    ),
    "internal_note": (
        "For the negotiating team: this brief cites non-public sources. "
        "Do not publish it; publish the public scorecard instead."
    ),
    "public_note": (
        "Built only from what a public reader may see: public sources, aggregates, "
        "counts of people below {threshold} shown as <{threshold}, no person named "
        "or described, no observation text and no assessment reasoning."
    ),
    "chart_alt": "Status of {title} on each date",
    "estimates_alt": "Estimated totals with their intervals",
    "page": "Page",
}

_KO: dict[str, str] = {
    "brief_title": "협상 브리핑: 인권 기준",
    "public_title": "공개 점수표: 인권 기준",
    "generated": "작성일",
    "as_of": "기준일",
    "real_until": "실제 출처 사실 기준일",
    "catalogue": "목록",
    "summary": "요약",
    "counts": "상태별 기준 수",
    "benchmarks": "기준",
    "benchmark": "기준",
    "status": "상태",
    "standard": "입증 기준",
    "trend": "추이",
    "last_change": "최근 변화",
    "no_change": "변화 없음",
    "not_assessed": "평가 없음",
    "indicators": "지표",
    "why": "근거",
    "sources_cited": "이 상태의 인용 출처",
    "no_sources": "이 상태에 인용된 출처가 없습니다.",
    "withheld": "비공개 출처의 추가 증거는 표시하지 않습니다",
    "plan": "검증 계획",
    "could_supply": "제공 가능 기관",
    "coverage": "합의문: 기준 포함 여부",
    "agreement": "합의문",
    "signed": "서명",
    "covered": "포함",
    "missed": "누락",
    "covered_by_none": "어떤 합의문에도 포함되지 않음",
    "no_agreements": "기록된 합의문이 없습니다.",
    "sanctions": "제재 해제 요건 충족도",
    "condition": "요건",
    "readiness": "충족도",
    "required": "요구 기준",
    "no_conditions": "이 목록에는 제재 요건이 없습니다.",
    "estimates": "추정 총계",
    "population": "대상 집단",
    "method": "방법",
    "estimate": "추정치",
    "interval": "구간",
    "observed": "명단 확인 수",
    "no_estimates": "추정치가 없습니다.",
    "estimates_note": (
        "중복 명단으로부터 추정한 총계(다중 체계 추정)이며, 구간은 모형의 "
        "불확실성으로 실제 값의 한계가 아닙니다."
    ),
    "citations": "출처",
    "grade": "신뢰도",
    "date": "날짜",
    "undated": "날짜 없음",
    "simulated": "모의",
    "real": "실제",
    "simulated_note": (
        "{real_until} 이후의 상태는 모의 시나리오에서 나온 것으로 실제 사건이 "
        "아닙니다. '모의'로 표시합니다."
    ),
    "internal_note": (
        "협상팀용: 이 브리핑은 비공개 출처를 인용합니다. 공개하지 말고 공개 "
        "점수표를 사용하십시오."
    ),
    "public_note": (
        "일반 독자가 볼 수 있는 정보만으로 작성했습니다: 공개 출처와 집계, "
        "{threshold}명 미만은 <{threshold}로 표시, 개인 식별 정보·관찰 원문·"
        "평가 논거 없음."
    ),
    "chart_alt": "{title}의 날짜별 상태",
    "estimates_alt": "추정 총계와 구간",
    "page": "쪽",
}

_STATUS: dict[str, dict[str, str]] = {
    "en": {
        "no-progress": "no progress",
        "claimed": "claimed",
        "partial": "partial",
        "verified": "verified",
        "contested": "contested",
        "regressed": "regressed",
    },
    "ko": {
        "no-progress": "진전 없음",
        "claimed": "주장됨",
        "partial": "부분 이행",
        "verified": "검증됨",
        "contested": "논란",
        "regressed": "후퇴",
    },
}

_LABELS: dict[str, dict[str, str]] = {"en": _EN, "ko": _KO}


def labels(lang: str) -> Mapping[str, str]:
    """Every fixed word of the reports in ``lang`` (``"en"`` or ``"ko"``).

    Raises:
        ValueError: ``lang`` is not one of :data:`LANGUAGES`.
    """
    if lang not in _LABELS:
        raise ValueError(f"unknown language {lang!r}; use one of {LANGUAGES}")
    return _LABELS[lang]


def status_name(status: str | None, lang: str) -> str:
    """A status value (``no-progress``) as words in ``lang``."""
    if status is None:
        return labels(lang)["not_assessed"]
    return _STATUS.get(lang, _STATUS["en"]).get(status, status)
