"""Version of the extraction logic stamped on every derived message and indexed document.

Bump it whenever normalize/split/extract output can change: `govreports replay` then re-derives
every stored report and the indexer writes the next index version.
"""

EXTRACTOR_VERSION = "1.0.0"
