"""Bucket notifications → objects to ingest, and S3 errors → retry, dead letter or nothing to do."""

from __future__ import annotations

import json
from urllib.parse import quote_plus

import pytest
from botocore.exceptions import ClientError, EndpointConnectionError
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from services.ingest.names import safe_name
from services.ingest.s3 import ObjectRef, S3Notification, created_objects, s3_failure
from shared.failures import PermanentError, TransientError

# What MinIO's NATS target publishes for `mc cp 某县 年报.html local/reports/2021/` (event.Log: the
# top-level Key is bucket/object unescaped; Records[].s3.object.key is query-escaped: "/" → %2F, " " → +).
MINIO_PUT = r"""
{
  "EventName": "s3:ObjectCreated:Put",
  "Key": "reports/2021/某县 年报.html",
  "Records": [
    {
      "eventVersion": "2.0",
      "eventSource": "minio:s3",
      "awsRegion": "",
      "eventTime": "2024-05-14T08:21:37.102Z",
      "eventName": "s3:ObjectCreated:Put",
      "userIdentity": {"principalId": "minioadmin"},
      "requestParameters": {"principalId": "minioadmin", "region": "", "sourceIPAddress": "172.18.0.1"},
      "responseElements": {
        "x-amz-id-2": "dd9025bab4ad464b049177c95eb6ebf374d3b3fd1af9251148b658df7ac2e3e8",
        "x-amz-request-id": "17CF6B1E7A8E4C2B",
        "x-minio-deployment-id": "5f0f2a4e-0c4e-4a4b-9b8f-3c4b1b4a9a51",
        "x-minio-origin-endpoint": "http://172.18.0.3:9000"
      },
      "s3": {
        "s3SchemaVersion": "1.0",
        "configurationId": "Config",
        "bucket": {
          "name": "reports",
          "ownerIdentity": {"principalId": "minioadmin"},
          "arn": "arn:aws:s3:::reports"
        },
        "object": {
          "key": "2021%2F%E6%9F%90%E5%8E%BF+%E5%B9%B4%E6%8A%A5.html",
          "size": 48213,
          "eTag": "8d2b6a7c4f1e0b9a3c5d7e9f1a2b3c4d",
          "contentType": "text/html",
          "userMetadata": {"content-type": "text/html"},
          "sequencer": "17CF6B1E7B0F3A51"
        }
      },
      "source": {
        "host": "172.18.0.1",
        "port": "",
        "userAgent": "MinIO (linux; amd64) minio-go/v7.0.70 mc/RELEASE.2024-05-09T17-04-24Z"
      }
    }
  ]
}
"""


def with_record(event_name: str, key: str) -> S3Notification:
    body = json.loads(MINIO_PUT)
    body["Records"][0]["eventName"] = event_name
    body["Records"][0]["s3"]["object"]["key"] = key
    return S3Notification.model_validate(body)


def test_minio_put_names_the_object_with_its_decoded_key() -> None:
    [ref] = created_objects(S3Notification.model_validate_json(MINIO_PUT))

    assert ref == ObjectRef("reports", "2021/某县 年报.html", 48213)
    assert ref.filename == "某县 年报.html"
    assert ref.uri == "s3://reports/2021/某县 年报.html"


@pytest.mark.parametrize(
    "event_name", ["s3:ObjectCreated:CompleteMultipartUpload", "s3:ObjectCreated:Copy", "ObjectCreated:Put"]
)
def test_every_way_new_bytes_arrive_counts_including_aws_names(event_name: str) -> None:
    assert [r.key for r in created_objects(with_record(event_name, "a%2Bb.txt"))] == ["a+b.txt"]


@pytest.mark.parametrize(
    ("event_name", "key"),
    [
        ("s3:ObjectRemoved:Delete", "report.txt"),  # our own delete after ingest notifies too
        ("s3:ObjectCreated:PutTagging", "report.txt"),  # metadata only: same bytes
        ("s3:ObjectCreated:PutRetention", "report.txt"),
        ("s3:ObjectAccessed:Get", "report.txt"),
        ("s3:ObjectCreated:Put", "2021%2F"),  # a folder marker
    ],
)
def test_events_without_new_report_bytes_are_ignored(event_name: str, key: str) -> None:
    assert created_objects(with_record(event_name, key)) == []


def test_a_body_that_is_no_bucket_notification_is_invalid() -> None:
    with pytest.raises(ValidationError):
        S3Notification.model_validate_json('{"EventName": "s3:ObjectCreated:Put", "Key": "reports/x"}')


REF = ObjectRef("reports", "2021/年报.html", 10)


def client_error(code: str, status: int) -> ClientError:
    return ClientError({"Error": {"Code": code}, "ResponseMetadata": {"HTTPStatusCode": status}}, "GetObject")


def test_a_vanished_object_is_nothing_to_do() -> None:
    assert s3_failure(REF, client_error("NoSuchKey", 404)) is None


@pytest.mark.parametrize(
    "exc",
    [client_error("SlowDown", 503), client_error("InternalError", 500), EndpointConnectionError(endpoint_url="x")],
)
def test_server_and_network_errors_are_retried(exc: Exception) -> None:
    assert isinstance(s3_failure(REF, exc), TransientError)


def test_refusals_are_permanent_with_the_uri_in_the_reason() -> None:
    failure = s3_failure(REF, client_error("AccessDenied", 403))
    assert isinstance(failure, PermanentError)
    assert "s3://reports/2021/年报.html" in failure.reason and "AccessDenied" in failure.reason


def _notification(event_name: str, key: str) -> S3Notification:
    record = {"eventName": event_name, "s3": {"bucket": {"name": "b"}, "object": {"key": key, "size": 1}}}
    return S3Notification.model_validate({"Records": [record]})


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.sampled_from(["s3:ObjectCreated:Put", "ObjectCreated:Copy", "s3:ObjectRemoved:Delete",
                        "s3:ObjectCreated:PutTagging", "s3:ObjectCreated:CompleteMultipartUpload"]),
       st.text(min_size=1))
def test_any_key_is_a_report_only_when_new_bytes_arrived_and_its_name_is_safe(event_name: str, key: str) -> None:
    refs = created_objects(_notification(event_name, quote_plus(key, safe="")))
    new_bytes = event_name.rsplit(":", 1)[1] in {"Put", "Copy", "CompleteMultipartUpload"}
    assert len(refs) == (1 if new_bytes and not key.endswith("/") else 0)
    for ref in refs:
        assert ref.key == key and "/" not in safe_name(ref.filename) and safe_name(ref.filename) not in {".", ".."}
