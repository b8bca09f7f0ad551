"""The scorecard's vocabulary in words: what each status and standard of proof means,
and the two-letter codes used where a status must fit a small cell."""

from __future__ import annotations

from rightsledger.domain import StandardOfProof, Status

STATUS_MEANINGS: dict[Status, str] = {
    Status.NO_PROGRESS: "No documented step towards the benchmark.",
    Status.CLAIMED: "The state says it acted; no independent evidence confirms it yet.",
    Status.PARTIAL: "Some indicators are met or independently confirmed, not all.",
    Status.VERIFIED: "Every indicator is met and confirmed by independent evidence.",
    Status.CONTESTED: "Credible sources contradict each other on whether it happened.",
    Status.REGRESSED: "Earlier progress has been reversed.",
}

STANDARD_MEANINGS: dict[StandardOfProof, str] = {
    StandardOfProof.NONE: "No evidence meets any standard yet.",
    StandardOfProof.ALLEGATION: "Asserted by a source, not yet corroborated.",
    StandardOfProof.REASONABLE_GROUNDS: (
        "Reliable, consistent information from independent sources; "
        "the standard of the 2014 UN Commission of Inquiry."
    ),
    StandardOfProof.CLEAR_AND_CONVINCING: (
        "Strong, corroborated evidence, including an independent monitor "
        "or physical evidence; leaves little room for doubt."
    ),
}

#: Two-letter codes for trend cells and terminal output (text, not only colour).
STATUS_CODES: dict[Status, str] = {
    Status.NO_PROGRESS: "NP",
    Status.CLAIMED: "CL",
    Status.PARTIAL: "PA",
    Status.VERIFIED: "VE",
    Status.CONTESTED: "CO",
    Status.REGRESSED: "RE",
}


def legend() -> dict[str, list[dict[str, str]]]:
    """Every status and standard of proof with a one-line meaning, in order."""
    return {
        "statuses": [
            {"value": s.value, "code": STATUS_CODES[s], "meaning": STATUS_MEANINGS[s]}
            for s in Status
        ],
        "standards": [
            {"value": s.value, "meaning": STANDARD_MEANINGS[s]} for s in StandardOfProof
        ],
    }
