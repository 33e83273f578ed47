#!/usr/bin/env bash
# deploy/elasticsearch/smoke.sh [PORT|URL] — smoke-test a running node (dev node or the official image).
#
#   deploy/elasticsearch/smoke.sh 9250
#   deploy/elasticsearch/smoke.sh http://localhost:9200
#
# Checks: cluster health green (waits up to SMOKE_WAIT seconds, default 60); `_analyze` with cjk_width +
# cjk_bigram(output_unigrams) gives the expected bigrams+unigrams; the `cjk` analyzer exists; PUTs the three
# index templates from services/indexer/templates/ (as the indexer would); creates throw-away versioned
# indices behind throw-away aliases; indexes a report, a section and a metric doc; searches with highlight
# (行政复议), match_phrase on body.exact (positive and negative), a numeric agg on metrics.<key>, and that
# dynamic:strict rejects an unknown field. Deletes its indices afterwards (templates stay: same as indexer's).
# Needs curl and python3. Exits non-zero on the first failure.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$HERE/../.." && pwd)"
TEMPLATES="$REPO_ROOT/services/indexer/templates"

arg="${1:-${ES_PORT:-9200}}"
if [[ "$arg" =~ ^[0-9]+$ ]]; then ES="http://127.0.0.1:$arg"; else ES="${arg%/}"; fi
tag="smoke$$"
declare -A IDX=([reports]="govreports-reports-v0$tag" [sections]="govreports-sections-v0$tag" [metrics]="govreports-metrics-v0$tag")

fail() { echo "SMOKE FAIL: $*" >&2; exit 1; }
ok() { echo "ok   $*"; }
cleanup() {
  for i in "${IDX[@]}"; do curl -s -o /dev/null -XDELETE "$ES/$i" || true; done
}
trap cleanup EXIT

# req METHOD PATH [BODY|@file] -> prints body; fails on HTTP >= 400 unless ALLOW_ERROR=1
req() {
  local method="$1" path="$2" body="${3:-}" out code
  out="$(mktemp)"
  if [[ -n "$body" ]]; then  # "@file" is read by curl itself
    code="$(curl -s -o "$out" -w '%{http_code}' -X "$method" -H 'Content-Type: application/json' "$ES$path" --data-binary "$body")"
  else
    code="$(curl -s -o "$out" -w '%{http_code}' -X "$method" "$ES$path")"
  fi
  cat "$out"; rm -f "$out"
  if [[ "$code" -ge 400 && "${ALLOW_ERROR:-0}" != 1 ]]; then
    echo >&2; fail "$method $path -> HTTP $code"
  fi
}
# check JSON_ON_STDIN PYTHON_EXPR: expr over `d` must be truthy
check() {
  python3 -c '
import json, sys
d = json.load(sys.stdin)
ok = eval(sys.argv[1], {"d": d})
if not ok:
    print(json.dumps(d, ensure_ascii=False)[:2000], file=sys.stderr)
    sys.exit(1)
' "$1"
}

# 1. health
deadline=$((SECONDS + ${SMOKE_WAIT:-60}))
until curl -sf "$ES/_cluster/health?wait_for_status=green&timeout=2s" >/dev/null 2>&1; do
  ((SECONDS < deadline)) || fail "cluster at $ES not green within ${SMOKE_WAIT:-60}s"
  sleep 1
done
req GET /_cluster/health | check 'd["status"] == "green"' || fail "health not green"
ok "cluster health green ($ES)"

# 2. analysis
req POST /_analyze '{"tokenizer":"standard","filter":["cjk_width",{"type":"cjk_bigram","output_unigrams":true}],"text":"行政复议纠错"}' \
  | check '[t["token"] for t in d["tokens"]] == ["行","行政","政","政复","复","复议","议","议纠","纠","纠错","错"]' \
  || fail "_analyze cjk_width+cjk_bigram(output_unigrams) tokens"
ok "_analyze cjk_width + cjk_bigram(output_unigrams=true) -> bigrams + unigrams"
req POST /_analyze '{"tokenizer":"standard","filter":["cjk_width","lowercase","cjk_bigram"],"text":"ＧＯＶ行政复议"}' \
  | check '[t["token"] for t in d["tokens"]] == ["gov","行政","政复","复议"]' || fail "_analyze cjk_width full-width folding"
ok "_analyze cjk_width folds full-width latin; bare-name cjk_bigram"
req POST /_analyze '{"analyzer":"cjk","text":"行政复议"}' | check '[t["token"] for t in d["tokens"]] == ["行政","政复","复议"]' \
  || fail "cjk analyzer"
ok "_analyze analyzer cjk"

# 3. templates
for k in reports sections metrics; do
  req PUT "/_index_template/govreports-$k" "@$TEMPLATES/govreports-$k.json" | check 'd.get("acknowledged") is True' \
    || fail "PUT template govreports-$k"
done
ok "PUT _index_template govreports-{reports,sections,metrics}"

# 4. versioned indices behind aliases (as the indexer does; aliases are throw-away here)
for k in reports sections metrics; do
  req PUT "/${IDX[$k]}" "{\"aliases\":{\"govreports-$k-$tag\":{}}}" | check 'd.get("acknowledged") is True' \
    || fail "create ${IDX[$k]}"
done
req GET "/${IDX[reports]}/_settings" \
  | check 'list(d.values())[0]["settings"]["index"]["number_of_replicas"] == "0" and "zh" in list(d.values())[0]["settings"]["index"]["analysis"]["analyzer"]' \
  || fail "template settings not applied"
ok "created ${IDX[*]} with aliases; template settings applied"

TEXT='定西市人民政府2018年政府信息公开工作年度报告。一、总体情况。本年度共收到行政复议申请3件，其中被依法纠错1件。二、主动公开政府信息情况。'
req PUT "/govreports-reports-$tag/_doc/r1?refresh=true" "{
  \"report_id\":\"r1\",\"title\":\"定西市人民政府2018年政府信息公开工作年度报告\",\"issuer\":\"定西市人民政府\",
  \"region\":\"定西市\",\"province\":\"甘肃省\",\"adcode\":\"621100\",\"admin_level\":\"city\",\"year\":2018,
  \"published_on\":\"2019-03-29\",\"era\":\"pre2019\",\"script\":\"simplified\",\"source_format\":\"html\",
  \"filename\":\"2018年定西市政府信息公开年报.html\",\"text\":\"$TEXT\",\"body\":\"$TEXT\",\"warnings\":[],
  \"extractor_version\":\"smoke\",\"indexed_at\":\"2026-01-01T00:00:00Z\",\"section_count\":2,\"metric_count\":2,
  \"checks_failed\":0,\"check_status\":\"passed\",\"metric_keys\":[\"review.total\",\"review.corrected\"],
  \"metrics\":{\"review.total\":3,\"review.corrected\":1}}" | check 'd["result"] in ("created","updated")' || fail "index report"
req PUT "/govreports-sections-$tag/_doc/r1-1?refresh=true" '{
  "report_id":"r1","section_id":"r1-1","level":1,"number":"一","title":"总体情况","kind":"overview","start":27,"end":62,
  "text":"一、总体情况。本年度共收到行政复议申请3件，其中被依法纠错1件。","region":"定西市","province":"甘肃省",
  "year":2018,"admin_level":"city","era":"pre2019","issuer":"定西市人民政府"}' | check 'd["result"] in ("created","updated")' \
  || fail "index section"
req PUT "/govreports-metrics-$tag/_doc/r1-f1?refresh=true" '{
  "fact_id":"r1-f1","report_id":"r1","key":"review.total","value":3,"value_base":3,"unit":"件","qualifier":null,
  "applicant":"total","period":"annual","source":"text","section":"overview","evidence":"收到行政复议申请3件",
  "start":36,"end":46,"region":"定西市","province":"甘肃省","adcode":"621100","admin_level":"city","year":2018,
  "era":"pre2019","issuer":"定西市人民政府","title":"定西市人民政府2018年政府信息公开工作年度报告","extractor_version":"smoke"}' \
  | check 'd["result"] in ("created","updated")' || fail "index metric"
ok "indexed report, section and metric docs"

# 5. search
req POST "/govreports-reports-$tag/_search" '{"query":{"match":{"body":"行政复议"}},"highlight":{"fields":{"body":{}}}}' \
  | check 'd["hits"]["total"]["value"] == 1 and any("<em>" in h for h in d["hits"]["hits"][0]["highlight"]["body"])' \
  || fail "match body:行政复议 with highlight"
hl="$(req POST "/govreports-reports-$tag/_search" '{"query":{"match":{"body":"行政复议"}},"highlight":{"fields":{"body":{}}}}' \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["hits"]["hits"][0]["highlight"]["body"][0])')"
ok "match body:行政复议 + highlight: $hl"
req POST "/govreports-reports-$tag/_search" '{"query":{"match_phrase":{"body.exact":"依法纠错"}},"highlight":{"fields":{"body.exact":{}}}}' \
  | check 'd["hits"]["total"]["value"] == 1 and "<em>" in d["hits"]["hits"][0]["highlight"]["body.exact"][0]' \
  || fail "match_phrase body.exact:依法纠错"
req POST "/govreports-reports-$tag/_search" '{"query":{"match_phrase":{"body.exact":"复议行政"}}}' \
  | check 'd["hits"]["total"]["value"] == 0' || fail "match_phrase body.exact must not match a reordered phrase"
ok "match_phrase body.exact (hit for 依法纠错, none for 复议行政)"
req POST "/govreports-sections-$tag/_search" '{"query":{"bool":{"must":{"match":{"text":"纠错"}},"filter":[{"term":{"province":"甘肃省"}},{"term":{"year":2018}}]}}}' \
  | check 'd["hits"]["total"]["value"] == 1' || fail "section search with facets"
req POST "/govreports-metrics-$tag/_search" '{"size":0,"query":{"term":{"key":"review.total"}},"aggs":{"s":{"sum":{"field":"value_base"}},"p":{"terms":{"field":"issuer.keyword"}}}}' \
  | check 'd["aggregations"]["s"]["value"] == 3 and d["aggregations"]["p"]["buckets"][0]["key"] == "定西市人民政府"' \
  || fail "metric aggs"
req POST "/govreports-reports-$tag/_search" '{"size":0,"aggs":{"m":{"max":{"field":"metrics.review.corrected"}}}}' \
  | check 'd["aggregations"]["m"]["value"] == 1' || fail "numeric agg on metrics.review.corrected"
ok "section facet search; metric sum/terms aggs; numeric agg on reports metrics.<key>"

# 6. strict mappings
ALLOW_ERROR=1 req PUT "/govreports-metrics-$tag/_doc/bad" '{"fact_id":"bad","surprise":1}' \
  | check 'd.get("error",{}).get("type") == "strict_dynamic_mapping_exception"' || fail "metrics mapping is not strict"
ok "dynamic:strict rejects unknown fields"
echo "SMOKE OK ($ES)"
