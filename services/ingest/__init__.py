"""ingest: files → Object Store + reports.raw.v1.

Sources: the bucket directory (`BUCKET_DIR/incoming`, watched; a file is read once its size is
stable), the NATS Object Store bucket `reports-incoming` (any NATS client may put files there; its puts
are read from the bucket's stream with durable `ingest-objects`), S3-compatible buckets (MinIO bucket
notifications on `reports.s3.events`, durable `ingest-s3`) and `govreports ingest PATH...`.
Replicas share every source: the durables hand each put or notification to one replica, and a folder
file is taken by the replica whose rename into `BUCKET_DIR/claims/` succeeds (a claim its replica never
finished goes back to incoming/ after INGEST_CLAIM_TIMEOUT_SECONDS).
Bytes go to the `reports-raw` Object Store under their sha256
(`report_id`, the claim check); the event id derives from it, so a re-dropped file is one report:
reprocessed under a new id when its last attempt was dead-lettered, else noted as a duplicate
(`processed/<name>.duplicate.txt`). Accepted files move to `processed/`; rejected ones to
`failed/<stem>.<report id, 12 hex><ext>` with `.error.txt` beside it. Every name from outside goes
through `names.safe_name`; links and special files in incoming/ are refused unopened, and a file
that changes while being read is left for a later pass.
The same service records every dead letter (`dlq.reports.>`, durable `ingest-failures`) into
`failed/`, so a user finds all failures, whatever stage they happened in, in one place.
"""
