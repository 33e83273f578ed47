"""deploy/kibana/saved_objects.ndjson against the committed index templates (and, if reachable, a real Kibana).

Kibana imports objects naming fields that do not exist without complaint and then shows empty charts;
so every field any object names must exist in the mappings with a type its use needs, every metric key
it filters on must be one the extractor emits, and every reference must resolve inside the file.
"""

from __future__ import annotations

import fnmatch
import json
import os
import re
import subprocess
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from services.cli.extract import run_extraction
from services.indexer.elastic import INDEX_KINDS, load_template

REPO = Path(__file__).resolve().parents[3]
NDJSON = REPO / "deploy/kibana/saved_objects.ndjson"
LINES = [json.loads(line) for line in NDJSON.read_text("utf-8").splitlines() if line.strip()]
OBJECTS, SUMMARY = LINES[:-1], LINES[-1]
BY_ID = {(o["type"], o["id"]): o for o in OBJECTS}

NUMERIC = {"long", "integer", "short", "byte", "double", "float", "half_float", "scaled_float", "unsigned_long"}
EXACT = {"keyword", "constant_keyword", "boolean", "ip", "date"} | NUMERIC  # aggregatable as terms, sortable
# Lens operation → field types it can run on.
OPERATIONS = {
    "terms": EXACT, "unique_count": EXACT, "count": EXACT,
    "sum": NUMERIC, "average": NUMERIC, "min": NUMERIC | {"date"}, "max": NUMERIC | {"date"},
    "median": NUMERIC, "percentile": NUMERIC, "last_value": EXACT,
    "date_histogram": {"date"}, "range": NUMERIC,
}
FORMATS = {"number": NUMERIC, "percent": NUMERIC, "bytes": NUMERIC, "url": EXACT, "string": EXACT | {"text"}}
KQL_TERM = re.compile(r'([A-Za-z_][\w.]*)\s*:\s*(\([^)]*\)|"[^"]*"|[^\s()]+)')


def mapped_type(mappings: dict[str, Any], path: str) -> str | None:
    """Type of a dotted field: object properties, multi-fields (`title.keyword`), subobjects:false dynamic leaves."""
    properties, parts = mappings["properties"], path.split(".")
    for i in range(len(parts)):
        name = ".".join(parts[: i + 1])
        field = properties.get(parts[i]) or properties.get(name)
        if field is None:
            continue
        rest = parts[i + 1 :]
        if not rest:
            return field.get("type", "object")
        if "properties" in field:
            return mapped_type(field, ".".join(rest))
        if len(rest) == 1 and rest[0] in field.get("fields", {}):
            return field["fields"][rest[0]]["type"]
        if field.get("type", "object") == "object":
            break
    for template in mappings.get("dynamic_templates", []):
        (rule,) = template.values()
        if fnmatch.fnmatchcase(path, rule.get("path_match", "\0")):
            return rule["mapping"]["type"]
    return None


MAPPINGS = {f"govreports-{kind}": load_template(kind, "govreports")["template"]["mappings"] for kind in INDEX_KINDS}
EMITTED_KEYS = {fact["key"] for fact in run_extraction(REPO / "tests/fixtures/reports/fmt2021_rows.txt")["metrics"]}


def data_view(obj: dict[str, Any], ref_name: str) -> str:
    """The alias (data view title) an object's reference points at."""
    (ref,) = [r for r in obj["references"] if r["name"] == ref_name]
    return BY_ID[("index-pattern", ref["id"])]["attributes"]["title"]


def kql(query: str) -> Iterator[tuple[str, list[str]]]:
    """(field, values) of each `field : value` clause; values unquoted, `( a or b )` expanded."""
    for field, value in KQL_TERM.findall(query):
        quoted = re.findall(r'"([^"]*)"', value)
        yield field, quoted or [value]


def uses() -> Iterator[tuple[str, str, str, set[str]]]:
    """(object id, data view title, field, allowed types) for every field every object names."""
    anything = EXACT | {"text"}
    for obj in OBJECTS:
        attrs, oid = obj["attributes"], obj["id"]
        if obj["type"] == "index-pattern":
            title = attrs["title"]
            for field, fmt in json.loads(attrs["fieldFormatMap"]).items():
                yield oid, title, field, FORMATS[fmt["id"]]
            for field in json.loads(attrs["fieldAttrs"]):
                yield oid, title, field, anything
            for source_filter in json.loads(attrs["sourceFilters"]):
                yield oid, title, source_filter["value"], anything
        elif obj["type"] == "search":
            title = data_view(obj, "kibanaSavedObjectMeta.searchSourceJSON.index")
            source = json.loads(attrs["kibanaSavedObjectMeta"]["searchSourceJSON"])
            yield from ((oid, title, column, anything) for column in attrs["columns"])
            yield from ((oid, title, field, EXACT) for field, _ in attrs["sort"])
            yield from ((oid, title, field, anything) for field, _ in kql(source["query"]["query"]))
            yield from ((oid, title, f["meta"]["key"], anything) for f in source["filter"])
        elif obj["type"] == "lens":
            state = attrs["state"]
            for layer_id, layer in state["datasourceStates"]["formBased"]["layers"].items():
                title = data_view(obj, f"indexpattern-datasource-layer-{layer_id}")
                for column in layer["columns"].values():
                    if column["sourceField"] != "___records___":
                        yield oid, title, column["sourceField"], OPERATIONS[column["operationType"]]
                    for field, _ in kql(column.get("filter", {}).get("query", "")):
                        yield oid, title, field, anything
                yield from ((oid, title, field, anything) for field, _ in kql(state["query"]["query"]))
                yield from ((oid, title, f["meta"]["key"], anything) for f in state["filters"])


def test_the_export_is_complete_and_every_reference_resolves() -> None:
    assert SUMMARY["exportedCount"] == len(OBJECTS) == len(BY_ID)
    assert SUMMARY["missingRefCount"] == 0
    assert {o["type"] for o in OBJECTS} == {"index-pattern", "search", "lens", "dashboard"}
    for obj in OBJECTS:
        for ref in obj["references"]:
            assert (ref["type"], ref["id"]) in BY_ID, f"{obj['id']}: dangling reference {ref}"
    (dashboard,) = [o for o in OBJECTS if o["type"] == "dashboard"]
    panel_refs = {f"{p['panelIndex']}:{p['panelRefName']}" for p in json.loads(dashboard["attributes"]["panelsJSON"])}
    assert panel_refs == {r["name"] for r in dashboard["references"]}
    assert {r["type"] for r in dashboard["references"]} == {"lens", "search"}


def test_data_views_are_the_three_read_aliases_without_a_time_field() -> None:
    # Section and fact docs carry no indexed_at, so a time field would hide them behind the time picker.
    views = {o["attributes"]["title"]: o["attributes"] for o in OBJECTS if o["type"] == "index-pattern"}
    assert set(views) == set(MAPPINGS)
    assert all("timeFieldName" not in view for view in views.values())


def test_every_field_an_object_names_exists_with_a_compatible_type() -> None:
    checked = list(uses())
    assert len(checked) > 50  # the walk really found the columns, formats and queries
    wrong = [
        (oid, title, field, mapped_type(MAPPINGS[title], field))
        for oid, title, field, allowed in checked
        if mapped_type(MAPPINGS[title], field) not in allowed
    ]
    assert not wrong, f"(object, data view, field, mapped type) not usable as the object uses it: {wrong}"


def test_metric_keys_named_by_objects_are_keys_the_extractor_emits() -> None:
    named = [field.removeprefix("metrics.") for _, _, field, _ in uses() if field.startswith("metrics.")]
    for obj in OBJECTS:
        queries = [json.loads(obj["attributes"]["kibanaSavedObjectMeta"]["searchSourceJSON"])["query"]["query"]
                   if obj["type"] == "search" else obj["attributes"].get("state", {}).get("query", {}).get("query", "")]
        named += [value for query in queries for field, values in kql(query) if field == "key" for value in values]
    assert len(named) > 10
    unknown = [key for key in named if not fnmatch.filter(EMITTED_KEYS, key)]
    assert not unknown, f"metric keys no extraction produces: {unknown}"


def test_the_field_check_catches_wrong_fields_and_types() -> None:
    reports, metrics = MAPPINGS["govreports-reports"], MAPPINGS["govreports-metrics"]
    assert mapped_type(reports, "metrics.requests.new") == "double"  # dynamic template leaf
    assert mapped_type(reports, "title.keyword") == "keyword"
    assert mapped_type(reports, "title") == "text"  # so terms on it is refused
    assert mapped_type(metrics, "value") == "double"
    assert mapped_type(metrics, "no_such_field") is None
    assert list(kql('key : ("a.b" or "c") and not x.y : z*')) == [("key", ["a.b", "c"]), ("x.y", ["z*"])]


# Check failures on the dashboard: per year by the report's own check status (勾稽), and by the name of each failed
# cross-year check (`cross_year.failed` lists them on the report doc); both count reports, not check results.
CHECK_FAILURE_PANELS = {
    "govreports-check-status-by-year": "check_status",
    "govreports-cross-year-failures": "cross_year.failed",
}


@pytest.mark.parametrize(("lens_id", "field"), sorted(CHECK_FAILURE_PANELS.items()))
def test_the_dashboard_counts_reports_by_check_outcome(lens_id: str, field: str) -> None:
    (dashboard,) = [o for o in OBJECTS if o["type"] == "dashboard"]
    assert lens_id in {r["id"] for r in dashboard["references"]}
    lens = BY_ID[("lens", lens_id)]
    (layer,) = lens["attributes"]["state"]["datasourceStates"]["formBased"]["layers"].values()
    columns = {(column["operationType"], column["sourceField"]) for column in layer["columns"].values()}
    assert {("terms", field), ("unique_count", "report_id")} <= columns
    assert mapped_type(MAPPINGS[data_view(lens, "indexpattern-datasource-layer-layer1")], field) == "keyword"


# Facets users filter and chart by, per index: exact values (keyword), so terms aggregations count whole
# values. `year` is an integer instead: it aggregates the same way and also supports ranges (2019 onwards).
FACETS = {
    "govreports-reports": ["province", "region", "admin_level", "era", "check_status", "metric_keys", "issuer.keyword"],
    "govreports-sections": ["province", "region", "admin_level", "era", "kind", "issuer.keyword"],
    "govreports-metrics": ["province", "region", "admin_level", "era", "key", "applicant", "source", "qualifier",
                           "unit", "period", "section", "issuer.keyword"],
}


@pytest.mark.parametrize("title", sorted(FACETS))
def test_facets_are_exact_values_and_text_is_highlight_ready(title: str) -> None:
    mappings, properties = MAPPINGS[title], MAPPINGS[title]["properties"]
    assert {field: mapped_type(mappings, field) for field in FACETS[title]} == dict.fromkeys(FACETS[title], "keyword")
    assert mapped_type(mappings, "year") == "integer"
    searched = [name for name in ("text", "body") if name in properties and properties[name].get("index", True)]
    for name in searched:  # long text: stored offsets, so highlighting never re-analyzes a whole report
        assert properties[name]["term_vector"] == "with_positions_offsets"
    settings = load_template(title.removeprefix("govreports-"), "govreports")["template"]["settings"]["index"]
    # Kibana's free-text search goes to the Chinese text fields, not every keyword and number, never to a
    # field kept unindexed (ES refuses a query on it)
    default_fields = settings["query"]["default_field"]
    assert {mapped_type(mappings, f) for f in default_fields} <= {"text", "keyword"}
    assert all(properties.get(f.split(".")[0], {}).get("index", True) for f in default_fields)


def test_a_report_is_analysed_once_for_search() -> None:
    """`body` is what search matches and highlights; `text` (the whole normalized text, kept for the report
    view and evidence context) analysed as well cost a second analysis and term vectors of every report."""
    properties = MAPPINGS["govreports-reports"]["properties"]
    assert properties["text"] == {"type": "text", "index": False}
    assert properties["body"]["term_vector"] == "with_positions_offsets"


def kibana(url: str, path: str) -> dict[str, Any]:
    with urllib.request.urlopen(f"{url}{path}", timeout=30) as response:
        return json.load(response)


@pytest.mark.skipif(not os.environ.get("KIBANA_URL"), reason="no Kibana reachable (Kibana cannot run on this machine)")
def test_import_into_a_real_kibana_is_idempotent() -> None:
    url = os.environ["KIBANA_URL"].rstrip("/")
    for _ in range(2):  # the second import overwrites the same ids: same result, no duplicates
        done = subprocess.run(["bash", str(REPO / "deploy/kibana/import.sh")], capture_output=True, text=True,
                              env={**os.environ, "KIBANA_URL": url}, check=False)
        assert done.returncode == 0, done.stdout + done.stderr
        result = json.loads(done.stdout.strip().splitlines()[-1])
        assert result["success"] is True and result["successCount"] == len(OBJECTS), result
    for kind, oid in BY_ID:
        assert kibana(url, f"/api/saved_objects/{kind}/{oid}")["id"] == oid
    found = kibana(url, "/api/saved_objects/_find?type=dashboard&search_fields=title&search=govreports*")
    assert found["total"] == 1
