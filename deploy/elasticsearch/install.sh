#!/usr/bin/env bash
# deploy/elasticsearch/install.sh — resolve the Elasticsearch DEV node and install our CJK plugin.
# Idempotent; safe to run concurrently (flock). Used by run-node.sh, `make install` and CI pre-warm.
#
# What it does:
#   1. If $ES_HOME/bin/elasticsearch is missing: `mvn -q -B -f deploy/elasticsearch/pom.xml package`
#      unpacks org.elasticsearch.distribution.integ-test-zip:elasticsearch:$ES_VERSION:zip (Maven Central)
#      into $ES_DIST_DIR.
#   2. Builds deploy/elasticsearch/cjk-plugin with javac + jar against $ES_HOME/lib/* and installs it as
#      $ES_HOME/plugins/govreports-cjk-analysis, unless the installed copy carries the same fingerprint
#      (sha256 of sources + descriptor + ES version, stored in the descriptor's `version`).
#   3. As root: ensures the system user $ES_USER exists (Elasticsearch refuses to run as root), chowns
#      $ES_HOME to it, and pre-creates the keystore so parallel first starts don't race on it.
#
# Environment (all optional):
#   ES_VERSION     default: <es.version> from deploy/elasticsearch/pom.xml (8.19.21)
#   ES_DIST_DIR    where the distribution is unpacked   (default <repo>/.data/elasticsearch/dist)
#   ES_HOME        the unpacked distribution            (default $ES_DIST_DIR/elasticsearch-$ES_VERSION)
#   ES_JAVA_HOME   JDK 17+ with javac                   (default $JAVA_HOME, else /usr/lib/jvm/java-17-openjdk-amd64)
#   ES_USER        unprivileged user used when root     (default govreports-es)
#   MVN            maven command                        (default mvn)
#   CJK_PLUGIN_FORCE=1   rebuild + reinstall the plugin even if the fingerprint matches
#
# Output: progress on stderr; prints ES_HOME on stdout.
set -euo pipefail
# shellcheck source=deploy/elasticsearch/_common.sh
source "$(dirname "${BASH_SOURCE[0]}")/_common.sh"

mkdir -p "$ES_DIST_DIR"
exec 9>"$ES_DIST_DIR/.install.lock"
flock 9

# --- 1. distribution -------------------------------------------------------------------------------
if [[ ! -x "$ES_HOME/bin/elasticsearch" ]]; then
  es_log "resolving Elasticsearch $ES_VERSION (integ-test-zip) from Maven Central into $ES_DIST_DIR"
  "${MVN:-mvn}" -q -B -f "$ES_DEPLOY_DIR/pom.xml" package \
    -Des.version="$ES_VERSION" -Des.home.parent="$ES_DIST_DIR" >&2
  [[ -x "$ES_HOME/bin/elasticsearch" ]] || { es_log "error: $ES_HOME/bin/elasticsearch still missing"; exit 1; }
fi

# --- 2. CJK analysis plugin ------------------------------------------------------------------------
fingerprint="$(
  {
    echo "es=$ES_VERSION"
    cat "$CJK_PLUGIN_SRC/plugin-descriptor.properties"
    find "$CJK_PLUGIN_SRC/src" -type f -name '*.java' -print0 | LC_ALL=C sort -z | xargs -0 cat
  } | sha256sum | cut -c1-12
)"
plugin_version="1.0.0-$fingerprint"
plugin_dest="$ES_HOME/plugins/$CJK_PLUGIN_NAME"
installed_version="$(sed -n 's/^version=//p' "$plugin_dest/plugin-descriptor.properties" 2>/dev/null || true)"

if [[ "$installed_version" != "$plugin_version" || "${CJK_PLUGIN_FORCE:-0}" == 1 ]]; then
  es_log "building $CJK_PLUGIN_NAME $plugin_version (installed: ${installed_version:-none})"
  rm -rf "$CJK_PLUGIN_BUILD"
  mkdir -p "$CJK_PLUGIN_BUILD/classes" "$CJK_PLUGIN_BUILD/plugin"
  mapfile -t sources < <(find "$CJK_PLUGIN_SRC/src" -type f -name '*.java' | LC_ALL=C sort)
  "$ES_JAVA_HOME/bin/javac" --release 17 -encoding UTF-8 -nowarn \
    -cp "$ES_HOME/lib/*" -d "$CJK_PLUGIN_BUILD/classes" "${sources[@]}"
  "$ES_JAVA_HOME/bin/jar" --create --file "$CJK_PLUGIN_BUILD/plugin/$CJK_PLUGIN_NAME.jar" \
    -C "$CJK_PLUGIN_BUILD/classes" .
  sed -e "s/@PLUGIN_VERSION@/$plugin_version/" -e "s/@ES_VERSION@/$ES_VERSION/" \
    "$CJK_PLUGIN_SRC/plugin-descriptor.properties" > "$CJK_PLUGIN_BUILD/plugin/plugin-descriptor.properties"
  rm -rf "$plugin_dest"
  mkdir -p "$plugin_dest"
  cp "$CJK_PLUGIN_BUILD/plugin/"* "$plugin_dest/"
  es_log "installed $plugin_dest"
fi

# --- 3. unprivileged user (root only) ---------------------------------------------------------------
if [[ $EUID -eq 0 ]]; then
  if ! id -u "$ES_USER" >/dev/null 2>&1; then
    es_log "creating system user $ES_USER"
    useradd --system --no-create-home --shell /usr/sbin/nologin "$ES_USER"
  fi
  if [[ -n "$(find "$ES_HOME" ! -user "$ES_USER" -print -quit)" ]]; then
    chown -R "$ES_USER" "$ES_HOME"
  fi
fi
if [[ ! -f "$ES_HOME/config/elasticsearch.keystore" ]]; then
  as_es_user env ES_JAVA_HOME="$ES_JAVA_HOME" "$ES_HOME/bin/elasticsearch-keystore" create >&2
fi

echo "$ES_HOME"
