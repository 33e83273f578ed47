"""The AsyncAPI 3.0 document of every subject the system publishes or consumes: `python -m services.cli.asyncapi`.

Generated, not written: each service's FastStream app is built by its own `create_app()` (nothing connects)
and FastStream writes that app's document; the five are then merged into one, a channel per subject with
every service's send/receive operations on it. Two things FastStream cannot see are added from the code's
own tables: the payload of a publisher or handler declared without a model (taken from the v1 contracts,
`shared.messages.export.CONTRACTS`, the same map the JSON Schemas come from) and the sends made with a plain
`publish` call (ingest's `reports.raw.v1`, every stage's dead letters). A unit test fails on drift.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.metadata import version
from typing import Any, Literal
from urllib.parse import unquote, urlparse

from faststream.specification import AsyncAPI
from pydantic import BaseModel

from services.cli.stack import SERVICES
from services.ingest import objects
from shared import runtime, topology
from shared.messages.export import ASYNCAPI_DOCUMENT, CONTRACTS
from shared.settings import Settings

Schema = dict[str, Any]
Action = Literal["send", "receive"]

GENERATION_ENVIRONMENT = {
    "NATS_URL": Settings.model_fields["nats_url"].default,
    # The S3 intake is opt-in; switched on here so its subject is documented (nothing connects to it).
    "S3_ENDPOINT_URL": "http://s3.invalid",
    "S3_EVENTS_SUBJECT": Settings.model_fields["s3_events_subject"].default,
    "OTEL_TRACES_EXPORTER": "none",
}
"""The settings that change which subjects the apps declare, pinned so the document never depends on the
machine's environment or .env (environment variables win over .env in pydantic-settings)."""
NATS_HOST = urlparse(GENERATION_ENVIRONMENT["NATS_URL"]).netloc

PLAIN_SENDS: dict[str, list[str]] = {topology.INGEST: [topology.RAW]}
"""Subjects a service publishes with `broker.publish` rather than through a declared FastStream publisher."""

DEAD_LETTER = "DeadLetter"
DEAD_LETTER_HEADERS: Schema = {
    "type": "object",
    "properties": {
        runtime.ERROR_HEADER: {"type": "string", "description": "URL-encoded reason"},
        runtime.ERROR_KIND_HEADER: {
            "type": "string",
            "enum": ["permanent", "exhausted"],
            "description": "permanent: the data; exhausted: every delivery crashed or hung",
        },
        runtime.FAILED_STAGE_HEADER: {"type": "string", "description": "service that gave up on the message"},
        runtime.ORIGINAL_SUBJECT_HEADER: {"type": "string", "description": "subject the message failed on"},
        runtime.DELIVERIES_HEADER: {"type": "string", "description": "deliveries spent (0: refused by ingest)"},
    },
}
EVENT_HEADERS: Schema = {
    "type": "object",
    "properties": {
        "Nats-Msg-Id": {"type": "string", "description": "equals event_id: the server drops a republished event"},
        "traceparent": {"type": "string", "description": "W3C trace context: one report is one trace"},
    },
}

INFO_DESCRIPTION = (
    "Chinese government information-disclosure annual reports turned into searchable, comparable data. "
    "Every stage is a durable pull consumer of the JetStream stream REPORTS and publishes the next subject. "
    "Subjects are versioned by name (reports.<state>.v1): v1 only ever gains optional fields, read them "
    "tolerantly; a breaking change publishes .v2 beside v1 until consumers move. Every message carries the "
    "envelope report_id, event_id, caused_by, produced_by, produced_at."
)
SERVER_DESCRIPTION = (
    f"NATS with JetStream. Stream {topology.STREAM_NAME} (file storage) keeps reports.> and {topology.DLQ_ALL}; "
    "a subscriber binds a durable consumer of its own. Raw bytes and long texts travel by claim check in the "
    f"Object Store buckets {topology.RAW_BUCKET} and {topology.TEXT_BUCKET}; files put into "
    f"{topology.INCOMING_BUCKET} are ingested."
)
CHANNEL_NOTES = {
    objects.PUTS: (
        f"Not ours: the Object Store's meta messages of bucket {topology.INCOMING_BUCKET} (stream "
        f"{objects.BUCKET_STREAM}), one per put and a tombstone per delete, written by any NATS client's put. The "
        f"body is the Object Store's object info (JSON: name, nuid, size, deleted, …). Every ingest replica reads it "
        f"through the one durable {objects.DURABLE}, so each put is ingested by one replica, then deleted."
    ),
    topology.METRICS: (
        "The downstream contract: subscribe with any NATS client through a durable consumer of your own on "
        f"stream {topology.STREAM_NAME}. One message per report: metadata, sections, metric facts and checks. "
        "The version is in the subject name: fields are only added to v1; a breaking change publishes "
        "reports.metrics.v2 beside v1. A redelivery repeats the event_id; a re-extraction publishes a new "
        "message with a higher extractor_version for the same report_id."
    ),
    topology.INDEXED: "Tells whoever waits for search (govreports replay) that a report's documents are written.",
    topology.MAX_DELIVERIES_ADVISORIES: (
        "Announced by the NATS server when a message's deliveries ran out unacknowledged (a crash or hang each "
        f"time); stream {topology.ADVISORY_STREAM_NAME} keeps it until one service's {topology.EXHAUSTED} "
        "durable dead-letters the message."
    ),
    topology.DLQ_ALL: (
        "Dead letters: a stage that gives up on a message of subject S publishes the original bytes unchanged "
        "to dlq.S with the reason in headers (ingest publishes a JSON descriptor of a refused file to "
        "dlq.reports.raw.v1); govreports dlq lists and redrives them."
    ),
    GENERATION_ENVIRONMENT["S3_EVENTS_SUBJECT"]: (
        "MinIO / S3 bucket notifications. Opt-in: ingest subscribes only when S3_ENDPOINT_URL is set; the "
        "subject is S3_EVENTS_SUBJECT."
    ),
}
CONTRACT_MESSAGES = {model.__name__ for model in CONTRACTS.values()}
"""Pipeline events: published with Nats-Msg-Id = event_id and the trace context."""
PIPELINE_ORDER = [topology.RAW, topology.NORMALIZED, topology.SECTIONED, topology.METRICS, topology.INDEXED]


@dataclass(frozen=True)
class Usage:
    """One service sending or receiving one subject; `message` names its payload schema."""

    service: str
    action: Action
    subject: str
    message: str
    description: str | None = None


@contextlib.contextmanager
def pinned_environment(values: dict[str, str]) -> Iterator[None]:
    """Set `values` in the process environment for the block, then put back what was there."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def service_documents() -> dict[str, Schema]:
    """FastStream's own AsyncAPI document of each service app, built by its `create_app()` without connecting."""
    documents = {}
    with pinned_environment(GENERATION_ENVIRONMENT):
        for service, factory in SERVICES.items():
            module, _, name = factory.partition(":")
            app = getattr(importlib.import_module(module), name)()
            specification = AsyncAPI(app.broker, title=service, version=package_version()).to_specification()
            documents[service] = specification.to_jsonable()
    return documents


def package_version() -> str:
    return version("govreports")


def resolve(document: Schema, reference: str) -> Schema:
    """The object a local `$ref` points at, through references to references (FastStream percent-encodes
    the keys in its references)."""
    target = document
    for part in reference.removeprefix("#/").split("/"):
        target = target[unquote(part).replace("~1", "/").replace("~0", "~")]
    return resolve(document, target["$ref"]) if "$ref" in target else target


def usages_of(service: str, document: Schema) -> Iterator[Usage]:
    """Each operation of one service's FastStream document, with the name of its payload schema."""
    for operation in document["operations"].values():
        channel = resolve(document, operation["channel"]["$ref"])
        for reference in operation["messages"]:
            payload = resolve(document, resolve(document, reference["$ref"])["payload"]["$ref"])
            subject = channel["address"]
            message = message_name(subject, payload)
            yield Usage(service, operation["action"], subject, message, channel.get("description"))


def message_name(subject: str, payload: Schema) -> str:
    """The payload's model. Where FastStream saw none (a publisher without `schema=`, a handler reading the raw
    message; its placeholder has no properties) it is the subject's v1 contract, or else a dead letter's bytes."""
    if "properties" in payload:
        return str(payload["title"])
    model = CONTRACTS.get(subject)
    return model.__name__ if model else DEAD_LETTER


def all_usages(documents: dict[str, Schema]) -> list[Usage]:
    """Every send and receive: FastStream's, then the plain publishes and every service's dead letters."""
    found = [usage for service, document in documents.items() for usage in usages_of(service, document)]
    for service in documents:
        found += [
            Usage(service, "send", subject, CONTRACTS[subject].__name__) for subject in PLAIN_SENDS.get(service, [])
        ]
        # Every broker carries the runtime's DeadLetterMiddleware and exhausted-deliveries consumer.
        found.append(Usage(service, "send", topology.DLQ_ALL, DEAD_LETTER))
    return found


def collected_schemas(documents: dict[str, Schema], usages: list[Usage]) -> dict[str, Schema]:
    """The payload schemas the usages name (with the models they refer to); one name must mean one schema."""
    schemas: dict[str, Schema] = {}

    def add(name: str, schema: Schema) -> None:
        if schemas.setdefault(name, schema) != schema:
            raise ValueError(f"two different schemas are named {name}")

    for document in documents.values():
        for name, schema in document["components"]["schemas"].items():
            if "properties" in schema:  # models, not FastStream's placeholders
                add(name, schema)
    for model in {CONTRACTS[u.subject] for u in usages if u.subject in CONTRACTS}:
        for name, schema in model_schemas(model).items():
            add(name, schema)
    return schemas


def model_schemas(model: type[BaseModel]) -> dict[str, Schema]:
    """A model's JSON Schema and its nested models', referring to each other under components/schemas."""
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    return {**schema.pop("$defs", {}), model.__name__: schema}


def channel_id(subject: str) -> str:
    """A channel key safe in a `$ref` (no wildcards or `$`)."""
    return subject.replace(">", "all").replace("*", "any").lstrip("$")


def message_object(name: str, schemas: dict[str, Schema]) -> Schema:
    if name == DEAD_LETTER:
        return {
            "name": name,
            "title": "Dead letter",
            "summary": "The failed message's original bytes; why it failed is in the headers.",
            "headers": DEAD_LETTER_HEADERS,
            "payload": {"description": "the original message body, unchanged"},
        }
    message: Schema = {"name": name, "title": name, "contentType": "application/json"}
    if name in CONTRACT_MESSAGES:
        message["headers"] = EVENT_HEADERS
    message["payload"] = {"$ref": f"#/components/schemas/{name}"}
    if description := schemas[name].get("description"):
        message["summary"] = description
    return message


def channel_description(subject: str, usages: list[Usage]) -> str:
    senders = ", ".join(sorted({u.service for u in usages if u.action == "send"}))
    receivers = ", ".join(sorted({u.service for u in usages if u.action == "receive"}))
    parts = (
        senders and f"Published by {senders}.",
        receivers and f"Consumed by {receivers}.",
        CHANNEL_NOTES.get(subject),
    )
    return " ".join(part for part in parts if part)


def subject_order(subject: str) -> tuple[int, str]:
    return (PIPELINE_ORDER.index(subject) if subject in PIPELINE_ORDER else len(PIPELINE_ORDER), subject)


def merge(documents: dict[str, Schema]) -> Schema:
    """One document from the services' documents: a channel per subject, an operation per service and action."""
    usages = all_usages(documents)
    schemas = collected_schemas(documents, usages)
    channels: Schema = {}
    operations: Schema = {}
    for subject in sorted({u.subject for u in usages}, key=subject_order):
        on_subject = [u for u in usages if u.subject == subject]
        key = channel_id(subject)
        messages = sorted({u.message for u in on_subject})
        channels[key] = {
            "address": subject,
            "description": channel_description(subject, on_subject),
            "servers": [{"$ref": "#/servers/nats"}],
            "messages": {name: {"$ref": f"#/components/messages/{name}"} for name in messages},
        }
        for usage in sorted(on_subject, key=lambda u: (u.action != "send", u.service)):
            operation: Schema = {
                "action": usage.action,
                "channel": {"$ref": f"#/channels/{key}"},
                "messages": [{"$ref": f"#/channels/{key}/messages/{usage.message}"}],
            }
            if usage.description:
                operation["description"] = usage.description
            operations[f"{usage.service}.{usage.action}.{key}"] = operation
    return {
        "asyncapi": "3.0.0",
        "info": {"title": "govreports", "version": package_version(), "description": INFO_DESCRIPTION},
        "defaultContentType": "application/json",
        "servers": {"nats": {"host": NATS_HOST, "protocol": "nats", "description": SERVER_DESCRIPTION}},
        "channels": channels,
        "operations": operations,
        "components": {
            "messages": {name: message_object(name, schemas) for name in sorted({u.message for u in usages})},
            "schemas": dict(sorted(schemas.items())),
        },
    }


def render(document: Schema) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def build_document() -> Schema:
    return merge(service_documents())


def main() -> None:
    ASYNCAPI_DOCUMENT.write_text(render(build_document()), encoding="utf-8")


if __name__ == "__main__":
    main()
