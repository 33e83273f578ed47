"""metric-extractor: reports.sectioned.v1 → reports.metrics.v1 (the downstream contract).

Turns table cells and prose into catalog metric facts with evidence offsets, derives group
subtotals and evaluates the consistency checks (勾稽).
A long text arrives by claim check (Object Store bucket reports-text, shared/claims.py).
Durable: `metric-extractor`. Failures: a malformed message, or a text claim check missing from
reports-text, is permanent → dlq.reports.sectioned.v1; the Object Store unavailable is transient.
"""
