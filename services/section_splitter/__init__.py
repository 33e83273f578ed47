"""section-splitter: reports.normalized.v1 → reports.sectioned.v1.

Finds the heading hierarchy, classifies sections into catalog kinds and parses the official
tables (表二/三/四 of the 2019 and 2021 formats, in every flattening style) into keyed cells.
Durable: `section-splitter`. The work is the pure `transform.split_sections`, which never raises
on odd text (unreadable cells become table warnings).
A long text arrives and leaves by claim check (Object Store bucket reports-text, shared/claims.py).
Failures: a malformed message, or a text claim check missing from reports-text, is permanent →
dlq.reports.normalized.v1; the Object Store unavailable is transient (waited out).
"""
