"""Phrasings from other reports (docs/metrics.md#phrasings-per-key, typical 2019+ prose), not from the seeds."""

from __future__ import annotations

import pytest

from services.metric_extractor.transform import extract_metrics
from tests.unit.metric_extractor.builders import document

REQUESTS = [("三、", 1, "requests")]
REVIEW = [("四、", 1, "review_litigation")]


def values(text: str, headings: list[tuple[str, int, str]] = ()) -> dict[str, float]:
    return {f.key: f.value for f in extract_metrics(document(text, headings)).metrics}


@pytest.mark.parametrize(
    ("text", "headings", "expected"),
    [
        ("本年度共收到政府信息公开申请38件,其中当面申请5件,网上申请30件,信函申请3件。", (),
         {"requests.new": 38, "requests.channel.in_person": 5, "requests.channel.online": 30,
          "requests.channel.mail": 3}),
        ("三、依申请公开情况\n全年共答复政府信息公开申请36件,其中同意公开20件,部分公开5件,不予公开3件。", REQUESTS,
         {"requests.outcome.total": 36, "requests.outcome.granted": 20, "requests.outcome.partial": 5,
          "requests.outcome.denied.total": 3}),
        ("本年度新收政府信息公开申请56件,上年结转3件,结转下年度4件。", (),
         {"requests.new": 56, "requests.carried_over": 3, "requests.carried_forward": 4}),
        ("2020年,本机关未发生因政府信息公开引起的行政复议、行政诉讼案件。", (),
         {"reconsideration.total": 0, "litigation.total": 0}),
        ("全年共发生政府信息公开行政复议案件3件,行政诉讼案件2件。", (),
         {"reconsideration.total": 3, "litigation.total": 2}),
        ("三、申请情况\n全市共新收政府信息公开申请780件。予以公开及部分公开258件,占33.9%;不予公开35件。", REQUESTS,
         {"requests.new": 780, "requests.outcome.denied.total": 35}),
        ("信息公开类行政复议7件,诉讼9件,均获维持。", (),
         {"reconsideration.total": 7, "litigation.total": 9}),
        ("四、行政复议情况\n我市因政府信息公开被申请行政复议5件,其中维持3件,纠正1件,尚未审结1件。", REVIEW,
         {"reconsideration.total": 5, "reconsideration.upheld": 3, "reconsideration.corrected": 1,
          "reconsideration.pending": 1}),
        ("全年主动公开政府信息1.2万余条,通过政府公报公开政府信息56条。", (),
         {"active.total": 12000, "active.channel.gazette": 56}),
        ("发布政策解读稿件120篇,召开新闻发布会12场。", (),
         {"response.interpretations": 120, "response.press_conferences": 12}),
        ("全年政府信息公开工作经费12.5万元。", (), {"expenditure.total": 125000}),
        ("依据《政府信息公开信息处理费管理办法》规定,2025年全市实际收取信息处理费共计400元。", (),
         {"fees.collected": 400}),
        ("开展政务公开培训5次,参训人员300余人。召开政务公开工作推进会3次。", (),
         {"training.sessions": 5, "training.participants": 300, "training.meetings": 3}),
        ("全县共受理依申请公开事项8件,均已按时办结。", (), {"requests.new": 8}),
        ("2021年共收到政府信息公开申请38件,较上年增加12件。", (), {"requests.new": 38}),
        ("全市共受理政府信息公开申请1,234件。", (), {"requests.new": 1234}),
    ],
)  # fmt: skip
def test_phrasings(text: str, headings: list[tuple[str, int, str]], expected: dict[str, float]) -> None:
    assert values(text, headings) == expected


@pytest.mark.parametrize(
    "text",
    [
        "予以公开及部分公开258件,占33.9%。",  # combined count of two outcomes
        "区政府收到人大代表建议和政协委员提案共60件。",  # combined count of two kinds of proposal
    ],
)
def test_joined_labels_are_not_attributed_to_one_key(text: str) -> None:
    assert values(f"三、依申请公开\n{text}", REQUESTS) == {}
