"""Speed benchmark (issue 9, item 1): the whole pipeline on this machine, as `govreports run` starts it.

`make bench-speed` (part of `make bench`) runs `python -m tests.bench`: the in-process ceiling, the
end-to-end burst and its ratio to the ceiling, latency at fixed feed rates through the bucket folder and
through direct publish, the highest sustained rate, per-stage backlog and throughput, CPU and RSS per
process, the fresh Elasticsearch node's warm-up apart. Printed as tables, written to bench/results.json and
bench/latency.png. tests/e2e/test_bench_smoke.py runs it `--quick`; the tests here check the arithmetic.
Speed is measured here, never asserted in a test.
"""
