"""indexer: reports.sectioned.v1 + reports.metrics.v1 → Elasticsearch, in batches.

Writes three versioned indices (`govreports-reports-vN`, `-sections-vN`, `-metrics-vN`, from the
committed templates in templates/) through WRITE aliases (`govreports-<kind>-write`); users read the
READ aliases (`govreports-<kind>`). Reindex and replay move the two separately.
One durable, `indexer`, filters both subjects (the one writer of every report document; it takes over
the legacy `indexer-sections`/`indexer-metrics` on start, durables.py). A fetch of up to
INDEX_BATCH_SIZE messages becomes one mget of the report docs and one bulk request (writer.py): per
report one merged report-doc upsert, its section/metric docs by deterministic `_id` (replays
overwrite, never duplicate) and deletes of the stale ones, whose ids the report doc lists
(`section_ids`, `metric_ids`). Publishes reports.indexed.v1 per message once its own items are written.
Failures, per message: Elasticsearch down/408/409/429/5xx wait (transient, as every stage); a
document Elasticsearch refuses is permanent → dlq.<subject>, the rest of the batch is acked.
"""
