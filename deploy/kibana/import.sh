#!/usr/bin/env bash
# Import the govreports Kibana objects (data views, saved searches, Lens charts, dashboard) into $KIBANA_URL.
# Idempotent: overwrite=true replaces objects with the same ids, so re-running never duplicates anything.
# Waits up to KIBANA_WAIT_SECONDS (default 300) for Kibana to report itself available first.
# Prints Kibana's import response (JSON, last line); exits non-zero unless it says "success":true.
# KIBANA_AUTH=user:password logs in (Elasticsearch security on, as in docker-compose.yml); unset: no login.
set -euo pipefail

KIBANA_URL=${KIBANA_URL:-http://127.0.0.1:5601}
KIBANA_URL=${KIBANA_URL%/}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
deadline=$((SECONDS + ${KIBANA_WAIT_SECONDS:-300}))

until curl -fsS "$KIBANA_URL/api/status" 2>/dev/null | grep -q '"level":"available"'; do
  if ((SECONDS >= deadline)); then
    echo "Kibana at $KIBANA_URL is not available" >&2
    exit 1
  fi
  sleep 5
done

response=$(curl -sS ${KIBANA_AUTH:+-u "$KIBANA_AUTH"} -X POST "$KIBANA_URL/api/saved_objects/_import?overwrite=true" \
  -H 'kbn-xsrf: true' --form "file=@$here/saved_objects.ndjson")
echo "$response"
grep -q '"success":true' <<<"$response"
