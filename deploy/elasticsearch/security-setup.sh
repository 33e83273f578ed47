#!/usr/bin/env bash
# One-shot security setup for the compose Elasticsearch (security on), run as the `es-setup` service:
#   1. sets the kibana_system password (Kibana's own connection) to $KIBANA_SYSTEM_PASSWORD;
#   2. writes one API key per client into its own volume, so each container mounts only its key:
#        $KEY_DIR/indexer/es-api-key     read + write + index management on govreports-*
#        $KEY_DIR/search-api/es-api-key  read-only on govreports-* (search API; health needs `monitor`)
#        $KEY_DIR/cross-year/es-api-key  read + update + refresh of the report docs (govreports-reports*)
# Idempotent: a key file whose key still authenticates is kept; otherwise a new key replaces it.
# Env: ES_URL (http://elasticsearch:9200), ELASTIC_PASSWORD, KIBANA_SYSTEM_PASSWORD, KEY_DIR (/keys),
#      ES_INDEX_PATTERN (govreports-*: keep equal to ES_INDEX_PREFIX-*).
set -euo pipefail

ES_URL=${ES_URL:-http://elasticsearch:9200}
KEY_DIR=${KEY_DIR:-/keys}
PATTERN=${ES_INDEX_PATTERN:-govreports-*}
: "${ELASTIC_PASSWORD:?set ELASTIC_PASSWORD}" "${KIBANA_SYSTEM_PASSWORD:?set KIBANA_SYSTEM_PASSWORD}"

es() {  # es METHOD PATH [JSON] — as the elastic superuser; fails on any HTTP error
  curl -fsS -u "elastic:$ELASTIC_PASSWORD" -H 'Content-Type: application/json' -X "$1" "$ES_URL$2" ${3:+-d "$3"}
}

until es GET '/_cluster/health?wait_for_status=yellow&timeout=5s' >/dev/null 2>&1; do
  echo "waiting for Elasticsearch at $ES_URL"
  sleep 3
done

es POST /_security/user/kibana_system/_password "{\"password\":\"$KIBANA_SYSTEM_PASSWORD\"}" >/dev/null
echo "kibana_system password set"

# key NAME ROLE_JSON — (re)create the API key NAME unless its file holds one that still authenticates.
key() {
  local file="$KEY_DIR/$1/es-api-key"
  if [[ -s "$file" ]] && curl -fsS -o /dev/null -H "Authorization: ApiKey $(cat "$file")" "$ES_URL/_security/_authenticate"; then
    echo "API key $1 kept"
    return
  fi
  local response
  response=$(es POST /_security/api_key "{\"name\":\"govreports-$1\",\"role_descriptors\":{\"govreports-$1\":$2}}")
  # `encoded` = base64(id:api_key), what the Authorization: ApiKey header and the Python client take.
  sed -n 's/.*"encoded":"\([^"]*\)".*/\1/p' <<<"$response" > "$file.new"
  [[ -s "$file.new" ]] || { echo "no key in: $response" >&2; exit 1; }
  chmod 0644 "$file.new"  # read by the service's unprivileged user; only that service mounts this volume
  mv "$file.new" "$file"
  echo "API key $1 created"
}

key indexer "{\"cluster\":[\"monitor\",\"manage_index_templates\"],\"indices\":[{\"names\":[\"$PATTERN\"],
  \"privileges\":[\"read\",\"write\",\"create_index\",\"delete_index\",\"manage\",\"view_index_metadata\"]}]}"
key search-api "{\"cluster\":[\"monitor\"],\"indices\":[{\"names\":[\"$PATTERN\"],
  \"privileges\":[\"read\",\"view_index_metadata\"]}]}"
key cross-year "{\"indices\":[{\"names\":[\"${PATTERN%\*}reports*\"],
  \"privileges\":[\"read\",\"write\",\"maintenance\",\"view_index_metadata\"]}]}"
