"""The AsyncAPI document: generated from the five service apps, committed, complete and self-consistent."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from services.cli.asyncapi import (
    ASYNCAPI_DOCUMENT,
    DEAD_LETTER,
    PIPELINE_ORDER,
    build_document,
    model_schemas,
    pinned_environment,
    render,
    resolve,
)
from shared import topology
from shared.messages.export import CONTRACTS


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return build_document()


def references(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield from [value] if key == "$ref" else references(value)
    elif isinstance(node, list):
        for item in node:
            yield from references(item)


def operations_on(document: dict[str, Any], subject: str) -> set[str]:
    return {
        name
        for name, operation in document["operations"].items()
        if resolve(document, operation["channel"]["$ref"])["address"] == subject
    }


def test_committed_document_matches_the_apps(document: dict[str, Any]) -> None:
    committed = ASYNCAPI_DOCUMENT.read_text("utf-8")
    assert committed == render(document), "run `make asyncapi`"


def test_every_subject_is_a_channel(document: dict[str, Any]) -> None:
    addresses = {channel["address"] for channel in document["channels"].values()}
    assert {*PIPELINE_ORDER, topology.DLQ_ALL, topology.MAX_DELIVERIES_ADVISORIES} <= addresses


@pytest.mark.parametrize("subject", PIPELINE_ORDER)
def test_each_contract_channel_carries_its_model(document: dict[str, Any], subject: str) -> None:
    """Also where FastStream saw no model (publishers without `schema=`, the indexer's raw handler)."""
    model = CONTRACTS[subject]
    channel = next(c for c in document["channels"].values() if c["address"] == subject)
    payloads = [resolve(document, ref["$ref"])["payload"]["$ref"] for ref in channel["messages"].values()]
    assert payloads == [f"#/components/schemas/{model.__name__}"]
    for name, schema in model_schemas(model).items():
        assert document["components"]["schemas"][name] == schema


def test_producers_and_consumers_are_those_of_the_code(document: dict[str, Any]) -> None:
    assert operations_on(document, topology.RAW) == {"ingest.send.reports.raw.v1", "normalizer.receive.reports.raw.v1"}
    assert operations_on(document, topology.METRICS) == {
        "metric-extractor.send.reports.metrics.v1",
        "indexer.receive.reports.metrics.v1",
        "cross-year.receive.reports.metrics.v1",
    }
    assert operations_on(document, topology.CROSSYEAR) == {"cross-year.send.reports.crossyear.v1"}
    dead_letters = operations_on(document, topology.DLQ_ALL)
    senders = {name.split(".")[0] for name in dead_letters if ".send." in name}
    assert senders == set(topology.PIPELINE_SERVICES)
    assert "ingest.receive.dlq.reports.all" in dead_letters


def test_the_downstream_contract_is_described(document: dict[str, Any]) -> None:
    metrics = document["channels"][topology.METRICS]["description"]
    assert "downstream contract" in metrics and "reports.metrics.v2" in metrics
    assert document["info"]["title"] == "govreports" and document["info"]["version"]
    assert document["servers"]["nats"]["protocol"] == "nats"


def test_dead_letters_document_their_headers(document: dict[str, Any]) -> None:
    headers = document["components"]["messages"][DEAD_LETTER]["headers"]["properties"]
    assert {"Govreports-Error", "Govreports-Original-Subject", "Govreports-Failed-Stage"} <= set(headers)


def test_every_reference_resolves(document: dict[str, Any]) -> None:
    for reference in references(document):
        assert resolve(document, reference), reference


def test_the_environment_changes_nothing(monkeypatch: pytest.MonkeyPatch, document: dict[str, Any]) -> None:
    """Neither the machine's NATS_URL nor a switched-off S3 intake leaks into the committed document."""
    monkeypatch.setenv("NATS_URL", "nats://elsewhere.invalid:4999")
    monkeypatch.delenv("S3_ENDPOINT_URL", raising=False)
    assert build_document() == document
    assert os.environ["NATS_URL"] == "nats://elsewhere.invalid:4999" and "S3_ENDPOINT_URL" not in os.environ


def test_pinned_environment_puts_back_what_was_there(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOVREPORTS_TEST_SET", "before")
    monkeypatch.delenv("GOVREPORTS_TEST_UNSET", raising=False)
    with pinned_environment({"GOVREPORTS_TEST_SET": "during", "GOVREPORTS_TEST_UNSET": "during"}):
        assert os.environ["GOVREPORTS_TEST_SET"] == os.environ["GOVREPORTS_TEST_UNSET"] == "during"
    assert os.environ["GOVREPORTS_TEST_SET"] == "before" and "GOVREPORTS_TEST_UNSET" not in os.environ
