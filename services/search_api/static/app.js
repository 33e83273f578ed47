// The govreports search page: hash routes #/ (search), #/report/<id>, #/compare — no build step.
"use strict";

const FACETS = [
  ["province", "省份"], ["region", "地区"], ["admin_level", "层级"], ["year", "年度"],
  ["era", "报告格式"], ["check_status", "勾稽校验"], ["metric", "指标"], ["cross_year", "跨年校验未通过"],
];
const VALUE_LABELS = {
  admin_level: { province: "省级", city: "市级", county: "县级", township: "乡镇", department: "部门" },
  era: { pre2019: "2019年前格式", fmt2019: "2019年格式", fmt2021: "2021年新格式" },
  check_status: { passed: "通过", failed: "未通过", none: "无校验" },
  cross_year_status: { passed: "通过", failed: "未通过", none: "无相邻年度报告" },
};
const APPLICANTS = {
  total: "合计", natural_person: "自然人", commercial_enterprise: "商业企业", research_institution: "科研机构",
  public_welfare_org: "社会公益组织", legal_service_org: "法律服务机构", other_org: "其他",
};
const FAMILIES = {
  requests: "依申请公开", active: "主动公开", reconsideration: "行政复议", litigation: "行政诉讼",
  complaints: "举报投诉", fees: "收费", expenditure: "经费支出", proposals: "建议提案", training: "培训",
  response: "回应关切",
};
// Cross-year continuity rules (services/cross_year/continuity.py): this year's figure vs what last year predicts.
const CROSS_YEAR_RULES = {
  "requests.carried_over": "上年结转申请 = 上年结转下年度继续办理",
  "active.regulations.in_force": "规章现行有效件数 = 上年现行有效 + 本年制发 − 本年废止",
  "active.normative_docs.in_force": "行政规范性文件现行有效件数 = 上年现行有效 + 本年制发 − 本年废止",
  "reconsideration.pending_reappears": "行政复议总计 ≥ 上年尚未审结",
  "litigation.pending_reappears": "行政诉讼总计 ≥ 上年尚未审结",
};
const PAGE_SIZE = 10;
const view = document.getElementById("view");

// Every string becomes a text node or an attribute value, never HTML: report text is untrusted, and the
// Content-Security-Policy (Trusted Types) makes innerHTML throw anyway.
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else if (name === "style") Object.assign(node.style, value);  // CSSOM: the policy refuses style attributes
    else node.setAttribute(name, value);
  }
  for (const child of children.flat(Infinity)) if (child != null) node.append(child);
  return node;
}

const ENTITIES = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function decodeEntities(text) {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, name) => {
    if (name[0] !== "#") return ENTITIES[name.toLowerCase()] ?? whole;
    return String.fromCodePoint(name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : Number(name.slice(1)));
  });
}

// An Elasticsearch highlight (HTML-encoded text, only <em>…</em> as markup) as text nodes and <em> elements.
function marked(fragment) {
  return fragment.split(/(<em>[\s\S]*?<\/em>)/).filter(Boolean).map((part) => part.startsWith("<em>")
    ? el("em", {}, decodeEntities(part.slice(4, -5))) : decodeEntities(part));
}

function label(facet, value) {
  return (VALUE_LABELS[facet] || {})[value] || (facet === "year" ? `${value}年` : String(value));
}

// `requests.carried_over[natural_person]` → the rule in words, with the applicant column when it is not the total.
function crossYearLabel(name) {
  const [, rule, applicant] = /^(.*)\[(.*)\]$/.exec(name) || [null, name, "total"];
  const words = CROSS_YEAR_RULES[rule] || rule;
  return applicant === "total" ? words : `${words}（${APPLICANTS[applicant] || applicant}）`;
}

function metricLabel(key) {
  const family = FAMILIES[key.split(".")[0]];
  return family ? `${key}（${family}）` : key;
}

// Each navigation bumps the generation; an answer that arrives after a newer navigation is dropped,
// so a slow earlier search can never paint over the page the user asked for last.
let generation = 0;

class Superseded extends Error {}

async function api(path) {
  const asked = generation;
  const response = await fetch(path);
  if (asked !== generation) throw new Superseded();
  if (!response.ok) {
    const body = await response.json().catch(() => ({}));
    throw new Error(body.detail || `${response.status} ${response.statusText}`);
  }
  const body = await response.json();
  if (asked !== generation) throw new Superseded();
  return body;
}

function showError(error) {
  const box = document.getElementById("error");
  box.textContent = error ? `出错了：${error.message}` : "";
  box.hidden = !error;
}

function route() {
  const [path, query] = location.hash.replace(/^#/, "").split("?");
  const params = new URLSearchParams(query || "");
  generation += 1;
  showError(null);
  const render = path.startsWith("/report/") ? renderReport(decodeURIComponent(path.slice(8)))
    : path.startsWith("/compare") ? renderCompare(params) : renderSearch(params);
  render.catch((error) => { if (!(error instanceof Superseded)) showError(error); });
}

function go(path, params) {
  location.hash = `${path}?${params.toString()}`;
}

// ---------------------------------------------------------------- search

async function renderSearch(params) {
  const input = el("input", { type: "search", id: "q", name: "q", placeholder: "输入关键词，如：行政复议 纠错" });
  input.value = params.get("q") || "";
  const form = el("form", { class: "bar", id: "search-form", role: "search", onsubmit: (event) => {
    event.preventDefault();
    const next = new URLSearchParams(params);
    next.set("q", input.value.trim());
    next.delete("page");
    go("/", next);
  } }, input, el("button", { type: "submit", id: "search-button" }, "检索"));
  const page = Number(params.get("page") || 1);
  const apiParams = new URLSearchParams(params);
  if (!apiParams.has("size")) apiParams.set("size", PAGE_SIZE);
  const result = await api(`/api/search?${apiParams}`);
  view.replaceChildren(form, el("div", { class: "layout" },
    el("aside", { id: "facets" }, FACETS.map(([name, title]) => facetBox(params, name, title, result.facets[name]))),
    el("section", {},
      el("p", { id: "summary" }, `共找到 ${result.total} 份报告`),
      el("ol", { class: "hits", id: "hits" }, result.hits.map(hitItem)),
      pager(params, page, result.pages))));
}

function facetBox(params, name, title, buckets) {
  const chosen = params.getAll(name);
  return el("fieldset", { "data-facet": name }, el("legend", {}, title),
    buckets.length ? buckets.map((bucket) => {
      const value = String(bucket.value);
      const box = el("input", { type: "checkbox", value, onchange: () => {
        const next = new URLSearchParams(params);
        next.delete(name);
        next.delete("page");
        for (const v of box.checked ? [...chosen, value] : chosen.filter((v) => v !== value)) next.append(name, v);
        go("/", next);
      } });
      box.checked = chosen.includes(value);
      const text = name === "metric" ? metricLabel(value) : name === "cross_year" ? crossYearLabel(value)
        : label(name, value);
      return el("label", { "data-value": value }, el("span", {}, box, " ", text),
        el("span", { class: "count" }, String(bucket.count)));
    }) : el("span", { class: "count" }, "—"));
}

function hitItem(hit) {
  const title = el("a", { class: "hit-title", href: `#/report/${encodeURIComponent(hit.report_id)}` },
    hit.title_html ? marked(hit.title_html) : hit.title || hit.report_id);
  const meta = [hit.province, hit.region, hit.year && `${hit.year}年`, hit.issuer,
    hit.admin_level && label("admin_level", hit.admin_level)].filter(Boolean).join(" · ");
  return el("li", { class: "hit", "data-report-id": hit.report_id }, title, el("div", { class: "meta" }, meta),
    hit.highlights.map((fragment) => el("p", { class: "fragment" }, "…", marked(fragment), "…")));
}

function pager(params, page, pages) {
  const to = (n) => () => { const next = new URLSearchParams(params); next.set("page", n); go("/", next); };
  return el("nav", { class: "pager", id: "pager" },
    el("button", { type: "button", id: "prev", onclick: to(page - 1), ...(page <= 1 ? { disabled: "" } : {}) }, "上一页"),
    el("span", {}, `第 ${page} / ${Math.max(pages, 1)} 页`),
    el("button", { type: "button", id: "next", onclick: to(page + 1), ...(page >= pages ? { disabled: "" } : {}) },
      "下一页"));
}

// ---------------------------------------------------------------- report

async function renderReport(reportId) {
  const report = await api(`/api/reports/${encodeURIComponent(reportId)}`);
  const rows = [
    ["标题", report.title || report.filename], ["发布机关", report.issuer], ["省份", report.province],
    ["地区", report.region], ["层级", report.admin_level && label("admin_level", report.admin_level)],
    ["年度", report.year], ["报告格式", report.era && label("era", report.era)],
    ["勾稽校验", report.check_status && `${label("check_status", report.check_status)}（${report.checks_failed || 0}/${report.checks_total || 0} 未通过）`],
    ["跨年校验", `${label("cross_year_status", report.cross_year.status)}（${report.cross_year.failed.length} 项未通过）`],
    ["文件", report.filename], ["提取版本", report.extractor_version],
  ];
  view.replaceChildren(el("article", { id: "report" },
    el("p", {}, el("a", { href: "#/", id: "back", onclick: (event) => { event.preventDefault(); history.back(); } },
      "← 返回检索结果")),
    el("h2", {}, report.title || report.filename || reportId),
    el("dl", { class: "metadata" }, rows.filter(([, v]) => v != null && v !== "").map(([k, v]) =>
      [el("dt", {}, k), el("dd", {}, String(v))])),
    el("h3", {}, `章节（${report.sections.length}）`),
    el("ul", { class: "sections", id: "sections" }, report.sections.map((s) =>
      el("li", { style: { marginLeft: `${(s.level - 1) * 1.5}em` } }, [s.number, s.title].filter(Boolean).join("、")))),
    el("h3", {}, `跨年校验（${report.cross_year.checks.length}）`),
    report.cross_year.checks.length ? el("table", { id: "cross-year" },
      el("thead", {}, el("tr", {}, ["校验", "年度", "依上年推算", "本年实际", "结果", "相邻年度报告"].map((h) => el("th", {}, h)))),
      el("tbody", {}, report.cross_year.checks.map(crossYearRow)))
      : el("p", { id: "cross-year-none" }, "没有同一机关相邻年度的报告可比"),
    el("h3", {}, `指标与证据（${report.facts.length}）`),
    el("table", { id: "facts" },
      el("thead", {}, el("tr", {}, ["指标", "数值", "申请人", "来源", "原文证据（上下文）", "原件页面", ""].map((h) => el("th", {}, h)))),
      el("tbody", {}, report.facts.map(factRow)))));
}

function crossYearRow(check) {
  return el("tr", { class: `cross-year ${check.passed ? "passed" : "failed"}`, "data-name": check.name },
    el("td", {}, crossYearLabel(check.name)),
    el("td", {}, `${check.year}年 ← ${check.previous_year}年`),
    el("td", { class: "num" }, String(check.expected)),
    el("td", { class: "num" }, String(check.actual)),
    el("td", { class: "result" }, check.passed ? "通过" : "未通过"),
    el("td", {}, el("a", { class: "other-report", href: `#/report/${encodeURIComponent(check.other_report_id)}` },
      `${check.other_year}年报告`)));
}

function factRow(fact) {
  const compare = new URLSearchParams({ key: fact.key, applicant: fact.applicant, by: "region" });
  return el("tr", { class: "fact" },
    el("td", {}, metricLabel(fact.key)),
    el("td", { class: "num" }, `${fact.value} ${fact.unit}`),
    el("td", {}, APPLICANTS[fact.applicant] || fact.applicant),
    el("td", {}, fact.source === "table" ? "表格" : "正文"),
    el("td", { class: "context" }, `…${fact.context.before}`, el("mark", {}, fact.context.evidence),
      `${fact.context.after}…`),
    // A PDF fact: the page region it was read from, the number outlined, rendered by the API when scrolled to.
    el("td", { class: "crop" }, fact.crop_url ? el("img", { src: fact.crop_url, loading: "lazy",
      alt: fact.context.evidence, title: `原件第 ${fact.box.page} 页` }) : null),
    el("td", {}, el("a", { href: `#/compare?${compare}` }, "对比")));
}

// ---------------------------------------------------------------- compare

async function renderCompare(params) {
  const key = params.get("key") || "requests.new";
  const by = params.get("by") || "region";
  const years = params.get("years") || "2008-2030";
  const applicant = params.get("applicant") || "total";
  const keys = (await api("/api/search?size=1")).facets.metric.map((b) => String(b.value));
  const keyInput = el("input", { type: "text", id: "key", list: "metric-keys", value: key });
  const bySelect = el("select", { id: "by" }, [["region", "按地区"], ["province", "按省份"]].map(([v, t]) =>
    el("option", { value: v, ...(v === by ? { selected: "" } : {}) }, t)));
  const yearsInput = el("input", { type: "text", id: "years", value: years, size: 10 });
  const applicantSelect = el("select", { id: "applicant" }, Object.entries(APPLICANTS).map(([v, t]) =>
    el("option", { value: v, ...(v === applicant ? { selected: "" } : {}) }, t)));
  const form = el("form", { class: "bar", id: "compare-form", onsubmit: (event) => {
    event.preventDefault();
    go("/compare", new URLSearchParams({ key: keyInput.value.trim(), by: bySelect.value, years: yearsInput.value,
      applicant: applicantSelect.value }));
  } },
    el("label", {}, "指标 ", keyInput), el("datalist", { id: "metric-keys" }, keys.map((k) => el("option", { value: k }, metricLabel(k)))),
    bySelect, el("label", {}, "年份 ", yearsInput), el("label", {}, "申请人 ", applicantSelect),
    el("button", { type: "submit" }, "对比"));
  const query = new URLSearchParams({ key, by, years, applicant });
  const table = await api(`/api/compare?${query}`);
  query.set("format", "csv");
  view.replaceChildren(form,
    el("h2", {}, `${metricLabel(key)} · ${APPLICANTS[applicant] || applicant}`),
    table.rows.length ? el("table", { id: "compare-table" },
      el("thead", {}, el("tr", {}, el("th", {}, by === "region" ? "地区" : "省份"), table.years.map((y) => el("th", {}, `${y}年`)))),
      el("tbody", {}, table.rows.map((row) => el("tr", {}, el("th", {}, row.place),
        row.values.map((v) => el("td", { class: "num" }, v == null ? "—" : v.toLocaleString("zh-CN")))))))
      : el("p", {}, "没有符合条件的数据"),
    el("a", { id: "csv", href: `/api/compare?${query}`, download: `compare-${key}.csv` }, "下载 CSV（Excel 可直接打开）"));
}

window.addEventListener("hashchange", route);
route();
