"""metric-extractor: reports.sectioned.v1 → reports.metrics.v1 (the downstream contract).

Turns table cells and prose into catalog metric facts with evidence offsets, derives group
subtotals and evaluates the consistency checks (勾稽).
Durable: `metric-extractor`. Failures: a malformed message is permanent → dlq.reports.sectioned.v1.
"""
