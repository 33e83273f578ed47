"""indexer: reports.sectioned.v1 + reports.metrics.v1 → Elasticsearch.

Writes three versioned indices (`govreports-reports-vN`, `-sections-vN`, `-metrics-vN`, from the
committed templates in templates/) through WRITE aliases (`govreports-<kind>-write`); users read the
READ aliases (`govreports-<kind>`). Reindex and replay move the two separately. Bulk upserts by
deterministic `_id`, so replays overwrite and never duplicate; stale section/metric docs of a
re-extracted report are deleted. Publishes reports.indexed.v1 after each write.
Durables: `indexer-sections`, `indexer-metrics`. Failures: Elasticsearch 429/5xx or connection
errors are transient (nak with backoff); rejected documents are permanent → dlq.<subject>.
"""
