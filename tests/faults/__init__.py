"""Fault harness (issue 8, item 4): the real pipeline under SIGKILL, frozen or dead dependencies and
hostile names, counting per fault what was sent, indexed, duplicated, dead-lettered and lost.

`make faults` runs every fault (`python -m tests.faults`); tests/e2e/test_faults_small.py runs the
fast ones inside `make test`; the tests here check the counting itself, without servers. `make faults-cluster`
(`--cluster`, cluster.py) loses one node of a 3-node NATS and of a 3-node Elasticsearch cluster (issue 10).
"""
