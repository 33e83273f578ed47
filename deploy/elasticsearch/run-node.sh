#!/usr/bin/env bash
# deploy/elasticsearch/run-node.sh — run ONE Elasticsearch dev node in the foreground (no Docker needed).
#
#   deploy/elasticsearch/run-node.sh [extra bin/elasticsearch args, e.g. -E logger.level=debug]
#   ES_PORT=9250 ES_DATA_DIR=/tmp/es-test deploy/elasticsearch/run-node.sh
#
# First runs install.sh (idempotent: Maven-resolves the distribution if missing, builds/installs the
# govreports-cjk-analysis plugin if missing or outdated, creates the unprivileged user when root), then
# `exec`s bin/elasticsearch, so SIGINT/SIGTERM to this PID (or its process group) stops the node.
# As root the node runs as $ES_USER (govreports-es) via setpriv; ES_DATA_DIR is chowned to it.
#
# Environment (all optional; install.sh's ES_VERSION/ES_HOME/ES_JAVA_HOME/ES_USER apply too):
#   ES_PORT             HTTP port                          (default 9200)
#   ES_TRANSPORT_PORT   transport port                     (default: first free in 9300-9400)
#   ES_HOST             network.host                       (default 127.0.0.1; loopback keeps dev mode)
#   ES_DATA_DIR         node dir: data in ./data, logs in ./logs (default <repo>/.data/elasticsearch/node)
#   ES_HEAP             -Xms/-Xmx                          (default 512m)
#   ES_NODE_NAME        node.name                          (default govreports-dev-$ES_PORT)
#   ES_SEED_HOSTS       cluster mode: the other nodes' host:transport_port, comma-separated (default: unset,
#                       one node with discovery.type=single-node); needs ES_TRANSPORT_PORT
#   ES_INITIAL_MASTERS  cluster mode: node names voting in the first election (default: the local node only)
#   ES_JAVA_OPTS        appended after the heap flags
#   ES_SKIP_INSTALL=1   don't run install.sh (e.g. CI already pre-warmed)
#
# Fixed settings: cluster.name=govreports-dev, xpack.security.enabled=false,
# action.destructive_requires_name=false, cluster.routing.allocation.disk.threshold_enabled=false.
# Ready when `curl -s localhost:$ES_PORT/_cluster/health?wait_for_status=green` answers (GET / is 405:
# the integ-test distribution has no rest-root module).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=deploy/elasticsearch/_common.sh
source "$HERE/_common.sh"

ES_PORT="${ES_PORT:-9200}"
ES_HOST="${ES_HOST:-127.0.0.1}"
ES_DATA_DIR="${ES_DATA_DIR:-$REPO_ROOT/.data/elasticsearch/node}"
ES_HEAP="${ES_HEAP:-512m}"

if [[ "${ES_SKIP_INSTALL:-0}" != 1 ]]; then
  "$HERE/install.sh" >/dev/null
fi
[[ -x "$ES_HOME/bin/elasticsearch" ]] || { es_log "error: no distribution at $ES_HOME (run install.sh)"; exit 1; }

mkdir -p "$ES_DATA_DIR/data" "$ES_DATA_DIR/logs"
ES_DATA_DIR="$(cd "$ES_DATA_DIR" && pwd)"
if [[ $EUID -eq 0 ]]; then
  chown -R "$ES_USER" "$ES_DATA_DIR"
fi

args=(
  -E cluster.name=govreports-dev
  -E node.name="${ES_NODE_NAME:-govreports-dev-$ES_PORT}"
  -E network.host="$ES_HOST"
  -E http.port="$ES_PORT"
  -E path.data="$ES_DATA_DIR/data"
  -E path.logs="$ES_DATA_DIR/logs"
  -E xpack.security.enabled=false
  -E action.destructive_requires_name=false
  -E cluster.routing.allocation.disk.threshold_enabled=false
)
if [[ -n "${ES_SEED_HOSTS:-}" ]]; then
  # Elasticsearch's own discovery: the nodes find each other at the seed hosts and elect a master among
  # the initial masters on the first start (later starts rejoin the cluster recorded in path.data).
  args+=(-E discovery.seed_hosts="$ES_SEED_HOSTS"
         -E cluster.initial_master_nodes="${ES_INITIAL_MASTERS:-${ES_NODE_NAME:-govreports-dev-$ES_PORT}}")
else
  args+=(-E discovery.type=single-node)
fi
if [[ -n "${ES_TRANSPORT_PORT:-}" ]]; then
  args+=(-E transport.port="$ES_TRANSPORT_PORT")
fi

es_log "starting Elasticsearch $ES_VERSION on http://$ES_HOST:$ES_PORT (data $ES_DATA_DIR, heap $ES_HEAP)"
cd "$ES_DATA_DIR"
exec_env=(env ES_JAVA_HOME="$ES_JAVA_HOME" ES_JAVA_OPTS="-Xms$ES_HEAP -Xmx$ES_HEAP ${ES_JAVA_OPTS:-}")
if [[ $EUID -eq 0 ]]; then
  # setpriv execs in place (unlike runuser/su, which fork and wait), so our PID becomes the node's CLI.
  exec setpriv --reuid="$ES_USER" --regid="$ES_USER" --init-groups -- \
    "${exec_env[@]}" HOME="$ES_DATA_DIR" "$ES_HOME/bin/elasticsearch" "${args[@]}" "$@"
else
  exec "${exec_env[@]}" "$ES_HOME/bin/elasticsearch" "${args[@]}" "$@"
fi
