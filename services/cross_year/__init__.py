"""cross-year: reports.metrics.v1 → reports.crossyear.v1 + `cross_year` on the report docs in Elasticsearch.

A downstream consumer of the metrics contract (durable `cross-year`). It identifies the body that reported
(adcode + normalized issuer, identity.py), records on the report doc what it needs to compare (a basis:
body, year, format, the figures of the continuity rules, the extraction), and compares the report with
its body's reports of the year before and the year after (continuity.py, transform.py). The results go on
BOTH report docs of each pair (`cross_year.checks[]`, `.failed`, `.status`; search, the page and Kibana
filter on them) and out as one reports.crossyear.v1 per pair. Arrival order, re-extraction and replicas
end in the same state (checker.py). It writes only `cross_year`, which the indexer never writes.
Failures: a malformed message, or a doc Elasticsearch refuses, is permanent → dlq.reports.metrics.v1;
Elasticsearch down, busy, or the reports index not created yet is waited out.
"""
