"""indexer: reports.sectioned.v1 + reports.metrics.v1 → Elasticsearch.

Writes three indices behind aliases (`govreports-reports`, `-sections`, `-metrics`), each a
versioned index (`…-v1`) created from the committed templates in templates/. Bulk upserts by
deterministic `_id`, so replays overwrite and never duplicate; stale section/metric docs of a
re-extracted report are deleted. Publishes reports.indexed.v1 after each write.
Durables: `indexer-sections`, `indexer-metrics`. Failures: Elasticsearch 429/5xx or connection
errors are transient (nak with backoff); rejected documents are permanent → dlq.<subject>.
"""
