# shellcheck shell=bash
# Shared by install.sh, run-node.sh and smoke.sh; sourced, not executed.
# Resolves paths and the Java/Elasticsearch locations. Every variable can be preset in the environment.

ES_DEPLOY_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$ES_DEPLOY_DIR/../.." && pwd)"

# Single source of truth for the version: <es.version> in pom.xml (keep equal to docker-compose.yml).
ES_VERSION="${ES_VERSION:-$(sed -n 's:.*<es.version>\(.*\)</es.version>.*:\1:p' "$ES_DEPLOY_DIR/pom.xml" | head -n1)}"
ES_DIST_DIR="${ES_DIST_DIR:-$REPO_ROOT/.data/elasticsearch/dist}"
ES_HOME="${ES_HOME:-$ES_DIST_DIR/elasticsearch-$ES_VERSION}"
ES_USER="${ES_USER:-govreports-es}"          # only used when running as root
CJK_PLUGIN_NAME="govreports-cjk-analysis"
CJK_PLUGIN_SRC="$ES_DEPLOY_DIR/cjk-plugin"
CJK_PLUGIN_BUILD="$CJK_PLUGIN_SRC/build"     # git-ignored

if [[ -z "${ES_JAVA_HOME:-}" ]]; then
  if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
    ES_JAVA_HOME="$JAVA_HOME"
  elif [[ -x /usr/lib/jvm/java-17-openjdk-amd64/bin/java ]]; then
    ES_JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64
  elif command -v javac >/dev/null 2>&1; then
    ES_JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")"
  else
    echo "error: no JDK found; set ES_JAVA_HOME (Java 17+ with javac)" >&2
    exit 1
  fi
fi
export ES_JAVA_HOME

es_log() { echo "[es-dev] $*" >&2; }

# Run a command as the unprivileged Elasticsearch user when we are root, else as ourselves.
as_es_user() {
  if [[ $EUID -eq 0 ]]; then
    setpriv --reuid="$ES_USER" --regid="$ES_USER" --init-groups -- "$@"
  else
    "$@"
  fi
}
