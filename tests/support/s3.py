"""A real S3-compatible server for tests (moto's, in a thread) and the notifications MinIO publishes to NATS."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote_plus

import boto3
from moto.server import ThreadedMotoServer

S3_CREDENTIALS = {"S3_ACCESS_KEY_ID": "test", "S3_SECRET_ACCESS_KEY": "test"}
"""moto accepts any key; the services get these through their environment."""


@contextlib.contextmanager
def moto_server() -> Iterator[str]:
    """The endpoint URL of a fresh moto S3 server on a free loopback port."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


def s3_client(endpoint_url: str) -> Any:
    """A boto3 S3 client: how a user (or MinIO's mc) puts files into a bucket."""
    return boto3.client("s3", endpoint_url=endpoint_url, aws_access_key_id="test", aws_secret_access_key="test")


def minio_notification(bucket: str, key: str, size: int) -> bytes:
    """MinIO's event.Log body: keys are query-escaped in Records ("/" → %2F, " " → +)."""
    record = {
        "eventVersion": "2.0",
        "eventSource": "minio:s3",
        "eventName": "s3:ObjectCreated:Put",
        "s3": {
            "s3SchemaVersion": "1.0",
            "configurationId": "Config",
            "bucket": {"name": bucket, "arn": f"arn:aws:s3:::{bucket}"},
            "object": {"key": quote_plus(key, safe=""), "size": size, "contentType": "text/plain"},
        },
    }
    return json.dumps({"EventName": "s3:ObjectCreated:Put", "Key": f"{bucket}/{key}", "Records": [record]}).encode()
