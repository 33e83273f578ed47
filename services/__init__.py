"""The govreports services: ingest → normalizer → section-splitter → metric-extractor → indexer."""
