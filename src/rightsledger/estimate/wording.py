"""The sentences of the plain-language summaries, in English and Korean.

:mod:`.explain` chooses and fills them; this module only holds the words, so a
translator works on one file. Placeholders are ``str.format`` fields; numbers
arrive already formatted.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["LANGUAGES", "Wording", "wording"]


@dataclass(frozen=True, slots=True)
class Wording:
    """Every sentence a summary can use, in one language."""

    closed: str
    linkage: str
    stratified: str
    assume: dict[str, tuple[str, ...]]
    head_lower_bound: str
    head_total: str
    head_suppressed: str
    credible: str
    confidence: str
    unbounded: str
    range_covers: str
    rests_on: str
    caution: str
    spread: str
    spread_too_few: str
    spread_failed: str


_EN = Wording(
    closed=(
        "Nobody joined or left the group during the period the lists cover (a "
        "closed population); if people came and went, the number counts everyone "
        "who was ever in it during the period."
    ),
    linkage=(
        "Records of the same person on different lists were matched correctly. "
        "Missed matches make the total too high; false matches make it too low."
    ),
    stratified=(
        "Each stratum was estimated on its own and the totals added up; people "
        "are assumed to belong to exactly one stratum."
    ),
    assume={
        "chapman": (
            "Being on the first list does not change a person's chance of being on "
            "the others (independent lists).",
            "Everyone has the same chance of being listed (no hard-to-reach group).",
        ),
        "loglinear": (
            "Lists may depend on each other, but only in the pairs the chosen model "
            "includes; the model was picked by BIC from many, and other good models "
            "can give other numbers.",
            "Differences between people in how easily they are listed are only "
            "captured as far as the list pairs in the model reflect them.",
        ),
        "stepwise": (
            "Lists may depend on each other in the pairs the stepwise search added; "
            "pairs it left out are assumed independent.",
            "Differences between people are only captured through those pairs.",
        ),
        "lcmcr": (
            "People fall into a few hidden groups that differ in how likely each "
            "list is to record them (modelled heterogeneity); within a group, lists "
            "are independent. This also absorbs much of the dependence between "
            "lists.",
            "The result depends on the sampler having settled: check that the "
            "chains agree (R-hat close to 1).",
        ),
        "dga": (
            "Lists may depend on each other in any pattern a decomposable graph can "
            "describe; the answer averages over all such patterns, weighted by how "
            "well each fits.",
            "Differences between people are captured only through list dependence.",
        ),
        "chao": (
            "It uses mainly the people seen on one or two lists. It is a floor, not "
            "a best guess: the true number is probably higher, not lower.",
        ),
        "mth": (
            "Lists differ in coverage and people differ in how easily they are "
            "listed (modelled heterogeneity), in the particular form the model "
            "assumes; lists are otherwise independent.",
        ),
    },
    head_lower_bound=(
        "At least about {estimate} people: {observed} were seen on {lists} lists, "
        "and the pattern of who was seen once or twice suggests at least {unseen} "
        "more were never recorded."
    ),
    head_total=(
        "About {estimate} people in all: {observed} were seen on {lists} lists, and "
        "an estimated {unseen} were never recorded on any of them."
    ),
    head_suppressed=(
        "About {estimate} people in all, estimated from {lists} lists; fewer than "
        "{threshold} were seen on any of them, so the number seen is not shown."
    ),
    credible=(
        "The {pct}% credible interval, {lower} to {upper}, means: given the lists "
        "and the model, there is a {pct}% probability that the true number lies in "
        "this range."
    ),
    confidence=(
        "The {pct}% confidence interval, {lower} to {upper}, means: if the model is "
        "right, ranges computed this way contain the true number {pct} times in "
        "100. It is not a guarantee for this one range."
    ),
    unbounded=(
        "The upper end is unbounded: the lists overlap too little to rule out a "
        "much larger number."
    ),
    range_covers=(
        "The range covers only the chance in who got listed. It does not cover the "
        "error from wrong assumptions, which can be larger; other methods on the "
        "same lists can give quite different numbers, so compare them."
    ),
    rests_on="This rests on these assumptions:",
    caution="Caution: {warning}",
    spread=(
        "The methods range from {low} ({low_method}) to {high} ({high_method}), a "
        "factor of {ratio}. This spread is itself a finding: the lists alone do not "
        "settle the number, and which method is right depends on assumptions that "
        "the data cannot check."
    ),
    spread_too_few="Fewer than two methods gave an estimate of the total.",
    spread_failed=" {failed} method(s) gave no result.",
)

_KO = Wording(
    closed=(
        "목록이 다루는 기간 동안 집단에 새로 들어오거나 떠난 사람이 없다(닫힌 "
        "모집단). 사람들이 드나들었다면, 이 수는 그 기간에 한 번이라도 집단에 "
        "속했던 모든 사람을 센 것이다."
    ),
    linkage=(
        "서로 다른 목록에 오른 같은 사람의 기록이 올바르게 연결되었다. 연결을 "
        "놓치면 총수가 너무 커지고, 잘못 연결하면 너무 작아진다."
    ),
    stratified=(
        "층마다 따로 추정한 뒤 총수를 더했다. 모든 사람은 정확히 한 층에만 "
        "속한다고 가정한다."
    ),
    assume={
        "chapman": (
            "첫 번째 목록에 오른 것이 다른 목록에 오를 가능성을 바꾸지 않는다"
            "(서로 독립인 목록).",
            "모든 사람이 목록에 오를 가능성이 같다(찾기 어려운 집단이 없다).",
        ),
        "loglinear": (
            "목록끼리 의존할 수 있지만, 선택된 모형에 들어 있는 목록 쌍에서만 "
            "그렇다. 모형은 여러 모형 가운데 BIC로 골랐으며, 다른 좋은 모형은 "
            "다른 수를 낼 수 있다.",
            "사람마다 목록에 오르기 쉬운 정도가 다른 점은 모형에 든 목록 쌍이 "
            "그것을 반영하는 만큼만 담긴다.",
        ),
        "stepwise": (
            "목록끼리는 단계적 탐색이 추가한 쌍에서 의존할 수 있고, 탐색이 뺀 "
            "쌍은 독립으로 가정한다.",
            "사람 사이의 차이는 그 쌍들을 통해서만 담긴다.",
        ),
        "lcmcr": (
            "사람들은 각 목록에 기록될 가능성이 서로 다른 몇 개의 숨은 집단으로 "
            "나뉜다(이질성을 모형에 넣음). 한 집단 안에서는 목록들이 서로 "
            "독립이다. 목록 사이의 의존도 이것으로 상당 부분 설명된다.",
            "결과는 표본추출기가 안정되었는지에 달려 있다. 체인들이 서로 "
            "일치하는지(R-hat이 1에 가까운지) 확인하라.",
        ),
        "dga": (
            "목록끼리는 분해 가능한 그래프로 나타낼 수 있는 어떤 형태로든 의존할 "
            "수 있다. 답은 그런 형태 전부를 각각이 자료에 얼마나 잘 맞는지에 "
            "따라 가중 평균한 것이다.",
            "사람 사이의 차이는 목록 사이의 의존을 통해서만 담긴다.",
        ),
        "chao": (
            "주로 한두 개의 목록에서만 확인된 사람들을 쓴다. 이것은 가장 그럴듯한 "
            "값이 아니라 하한이다. 실제 수는 이보다 적기보다 많을 가능성이 크다.",
        ),
        "mth": (
            "목록마다 포괄 범위가 다르고 사람마다 목록에 오르기 쉬운 정도가 "
            "다르다(이질성을 모형에 넣음). 다만 모형이 가정하는 특정한 형태로만 "
            "그렇고, 그 밖에는 목록들이 서로 독립이다.",
        ),
    },
    head_lower_bound=(
        "적어도 약 {estimate}명: {lists}개 목록에서 {observed}명이 확인되었고, "
        "한두 번 확인된 사람들의 양상으로 보아 기록되지 않은 사람이 적어도 "
        "{unseen}명 더 있다."
    ),
    head_total=(
        "모두 약 {estimate}명: {lists}개 목록에서 {observed}명이 확인되었고, 어느 "
        "목록에도 기록되지 않은 사람이 약 {unseen}명으로 추정된다."
    ),
    head_suppressed=(
        "모두 약 {estimate}명으로, {lists}개 목록에서 추정했다. 어느 목록에서든 "
        "확인된 사람이 {threshold}명 미만이어서 확인된 수는 표시하지 않는다."
    ),
    credible=(
        "{pct}% 신용구간 {lower}~{upper}의 뜻: 목록과 모형을 전제로 할 때, 실제 "
        "수가 이 범위 안에 있을 확률이 {pct}%이다."
    ),
    confidence=(
        "{pct}% 신뢰구간 {lower}~{upper}의 뜻: 모형이 맞다면, 이런 방식으로 계산한 "
        "범위는 100번 가운데 {pct}번 실제 수를 포함한다. 이 하나의 범위에 대한 "
        "보장은 아니다."
    ),
    unbounded=(
        "상한이 없다: 목록들이 너무 적게 겹쳐서 훨씬 더 큰 수를 배제할 수 없다."
    ),
    range_covers=(
        "이 범위는 누가 목록에 올랐는가의 우연만 반영한다. 잘못된 가정에서 오는 "
        "오차는 반영하지 않으며, 그 오차가 더 클 수 있다. 같은 목록에 다른 방법을 "
        "쓰면 상당히 다른 수가 나올 수 있으니 비교해 보라."
    ),
    rests_on="이 추정은 다음 가정에 기대고 있다:",
    caution="주의: {warning}",
    spread=(
        "방법에 따라 {low}({low_method})에서 {high}({high_method})까지, {ratio}배 "
        "차이가 난다. 이 차이 자체가 하나의 발견이다. 목록만으로는 수가 정해지지 "
        "않으며, 어느 방법이 옳은지는 자료로 확인할 수 없는 가정에 달려 있다."
    ),
    spread_too_few="추정치를 낸 방법이 둘보다 적다.",
    spread_failed=" {failed}개 방법은 결과를 내지 못했다.",
)

#: Language code -> its sentences.
LANGUAGES: dict[str, Wording] = {"en": _EN, "ko": _KO}


def wording(lang: str) -> Wording:
    """The sentences in ``lang``, English for a language we do not have."""
    return LANGUAGES.get(lang, _EN)
