"""Normalizer: raw report bytes → clean simplified-script text plus report metadata.

In: `reports.raw.v1` (bytes fetched from the Object Store). Out: `reports.normalized.v1` (a text over
TEXT_CLAIM_CHECK_BYTES goes to the Object Store bucket reports-text, the message names it: shared/claims.py).
`transform.normalize` is pure (no broker, ES, tracing or clock); bad input raises
`PermanentError` with a reason meant for people (empty, binary, undecodable, .doc, scanned PDF,
too large), which the wiring dead-letters at once.
"""
