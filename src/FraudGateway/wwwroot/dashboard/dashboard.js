// The FraudGateway dashboard: plain JavaScript over the management API (no build step, no CDN). The API key is kept
// in this tab's sessionStorage and sent as the X-Api-Key header, never in a URL.
"use strict";

const keyName = "fraudgateway-api-key";
const $ = (selector) => document.querySelector(selector);
let timer = null;

function apiKey() { return sessionStorage.getItem(keyName) || ""; }

async function api(path, options = {}) {
  const response = await fetch(path, { ...options, headers: { "X-Api-Key": apiKey(), ...(options.headers || {}) } });
  if (response.status === 401) {
    signOut("That key was not accepted.");
    throw new Error("unauthorized");
  }
  return response;
}

function text(value) { return value === null || value === undefined ? "" : String(value); }

function cell(row, value, className) {
  const td = document.createElement("td");
  td.textContent = text(value);
  if (className) td.className = className;
  row.appendChild(td);
  return td;
}

function button(label, className, onClick) {
  const b = document.createElement("button");
  b.type = "button";
  b.textContent = label;
  b.className = className;
  b.addEventListener("click", onClick);
  return b;
}

const svgNs = "http://www.w3.org/2000/svg";
function svg(width, height) {
  const s = document.createElementNS(svgNs, "svg");
  s.setAttribute("viewBox", `0 0 ${width} ${height}`);
  s.setAttribute("preserveAspectRatio", "none");
  return s;
}

function rect(parent, x, y, width, height, className, title) {
  const r = document.createElementNS(svgNs, "rect");
  r.setAttribute("x", x); r.setAttribute("y", y); r.setAttribute("width", width); r.setAttribute("height", height);
  r.setAttribute("class", className);
  const t = document.createElementNS(svgNs, "title");
  t.textContent = title;
  r.appendChild(t);
  parent.appendChild(r);
}

// Decisions per minute for the last 30 minutes, stacked by action.
function drawDecisionChart(decisions, now) {
  const minutes = 30, width = 600, height = 160;
  const buckets = Array.from({ length: minutes }, () => ({ allow: 0, challenge: 0, block: 0 }));
  for (const d of decisions) {
    const age = Math.floor((now - Date.parse(d.time)) / 60000);
    if (age >= 0 && age < minutes && buckets[minutes - 1 - age][d.action] !== undefined) buckets[minutes - 1 - age][d.action]++;
  }
  const max = Math.max(1, ...buckets.map((b) => b.allow + b.challenge + b.block));
  const s = svg(width, height);
  const barWidth = width / minutes;
  buckets.forEach((b, i) => {
    let y = height;
    for (const action of ["allow", "challenge", "block"]) {
      const h = (b[action] / max) * (height - 10);
      if (h > 0) { y -= h; rect(s, i * barWidth + 1, y, barWidth - 2, h, action, `${minutes - 1 - i} min ago: ${b[action]} ${action}`); }
    }
  });
  $("#decision-chart").replaceChildren(s);
  $("#decision-chart-y").textContent = `decisions / min (0–${max})`;
}

function drawScoreChart(decisions) {
  const bins = new Array(10).fill(0), width = 400, height = 140;
  for (const d of decisions) if (typeof d.score === "number") bins[Math.min(9, Math.floor(d.score * 10))]++;
  const max = Math.max(1, ...bins);
  const s = svg(width, height);
  bins.forEach((n, i) => {
    const h = (n / max) * (height - 10);
    rect(s, i * 40 + 2, height - h, 36, h, "score", `score ${(i / 10).toFixed(1)}–${((i + 1) / 10).toFixed(1)}: ${n}`);
  });
  $("#score-chart").replaceChildren(s);
  $("#score-chart-y").textContent = `requests per bin (0–${max})`;
}

// Why requests were refused: allowed requests (no-rule-matched, allow-list) are not reasons for a refusal.
function drawReasons(decisions) {
  const counts = new Map();
  for (const d of decisions) if (d.action !== "allow") counts.set(d.reason, (counts.get(d.reason) || 0) + 1);
  const rows = [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, 10).map(([reason, n]) => {
    const tr = document.createElement("tr");
    cell(tr, reason); cell(tr, n);
    return tr;
  });
  $("#reasons tbody").replaceChildren(...rows);
}

function drawRefusals(decisions) {
  const rows = decisions.filter((d) => d.action !== "allow").slice(0, 25).map((d) => {
    const tr = document.createElement("tr");
    tr.dataset.request = d.requestId;
    cell(tr, new Date(d.time).toLocaleTimeString());
    cell(tr, d.policy);
    cell(tr, d.enforced ? d.action : `${d.action} (shadow)`);
    cell(tr, d.reason);
    // The score with the ladder's rung and, for a block, the independent signal groups that made it one.
    const rung = d.riskRung && d.riskRung !== "allow" ? ` · ${d.riskRung}` : "";
    const evidence = d.riskEvidence ? ` (${d.riskEvidence})` : "";
    cell(tr, typeof d.score === "number" ? `${d.score.toFixed(3)}${rung}${evidence}` : "");
    cell(tr, (d.topFeatures || []).slice(0, 3).map((f) => `${f.name}=${f.value} (+${f.contribution})`).join(", "), "mono");
    // Who: the address's HMAC, the TLS fingerprint, and whether the login's password is in the breach corpus.
    cell(tr, [(d.clientId || "").slice(0, 12), d.ja4 ? `TLS ${d.ja4}` : "", d.breachedPassword ? "breached password" : ""]
      .filter((part) => part).join(" · "), "mono client");
    drawLabel(cell(tr, ""), d);
    return tr;
  });
  $("#refusals tbody").replaceChildren(...rows);
}

async function setLabel(d, value) {
  const response = value === null
    ? await api(`/admin/decisions/${encodeURIComponent(d.requestId)}/label`, { method: "DELETE" })
    : await api(`/admin/decisions/${encodeURIComponent(d.requestId)}/label`, {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ label: value }),
    });
  $("#status").textContent = response.ok
    ? (value === null ? `Label of ${d.requestId} removed.` : `Labelled ${d.requestId} ${value}.`)
    : `Label failed: ${response.status}`;
  await refresh();
}

// Only a scored decision can be labelled (its features are the training row); a label can be changed or undone.
function drawLabel(td, d) {
  td.className = "label-cell";
  if (typeof d.score !== "number") {
    td.textContent = "not scored";
    td.title = "Decided before the model scored (no features to train on): cannot be labelled.";
    return;
  }
  if (d.label) {
    const current = document.createElement("span");
    current.className = "label-value";
    current.textContent = d.label.label + " ";
    td.appendChild(current);
    const other = d.label.label === "fraud" ? "legitimate" : "fraud";
    td.appendChild(button(`→ ${other}`, `label-${other}`, () => setLabel(d, other)));
    td.appendChild(button("undo", "label-undo", () => setLabel(d, null)));
    return;
  }
  for (const value of ["fraud", "legitimate"]) td.appendChild(button(value, `label-${value}`, () => setLabel(d, value)));
}

// The candidate model's disagreements themselves: the request, both scores and decisions, the live top reasons.
function drawDisagreements(decisions) {
  const disputed = decisions.filter((d) => d.candidateDecision && d.candidateDecision !== d.riskDecision);
  $("#disagreements").textContent = disputed.length;
  const rows = disputed.slice(0, 25).map((d) => {
    const tr = document.createElement("tr");
    tr.dataset.request = d.requestId;
    cell(tr, new Date(d.time).toLocaleTimeString());
    cell(tr, d.requestId, "mono");
    cell(tr, d.policy);
    cell(tr, `${d.score.toFixed(3)} ${d.riskDecision} (${d.modelVersion})`, "live");
    cell(tr, `${d.candidateScore.toFixed(3)} ${d.candidateDecision} (${d.candidateVersion})`, "candidate");
    cell(tr, (d.topFeatures || []).slice(0, 3).map((f) => `${f.name}=${f.value} (+${f.contribution})`).join(", "), "mono");
    return tr;
  });
  $("#disagreement-list tbody").replaceChildren(...rows);
}

function drawBans(bans) {
  $("#ban-count").textContent = bans.length;
  const rows = bans.map((ban) => {
    const tr = document.createElement("tr");
    tr.dataset.ban = ban.id;
    cell(tr, ban.id, "mono");
    cell(tr, ban.kind);
    cell(tr, ban.reason);
    cell(tr, new Date(ban.expiresAt).toLocaleString());
    const actions = cell(tr, "");
    actions.appendChild(button("Unban", "unban", async () => {
      const response = await api(`/admin/bans/${encodeURIComponent(ban.id)}`, { method: "DELETE" });
      $("#status").textContent = response.ok ? "Ban lifted." : `Unban failed: ${response.status}`;
      await refresh();
    }));
    return tr;
  });
  $("#bans tbody").replaceChildren(...rows);
}

function sumSeries(metrics, name) {
  let total = 0;
  for (const line of metrics.split("\n")) {
    if (line.startsWith(name + "{") || line.startsWith(name + " ")) total += Number(line.slice(line.lastIndexOf(" ") + 1)) || 0;
  }
  return total;
}

// A banner while any route is defended: which, since when, and the detector's numbers against its trigger.
function drawDefense(routes) {
  const banner = $("#defense-banner");
  const defended = routes.filter((r) => r.defended);
  banner.hidden = defended.length === 0;
  banner.replaceChildren(...defended.map((r) => {
    const line = document.createElement("div");
    const since = r.detectedSince ? ` since ${new Date(r.detectedSince).toLocaleTimeString()}` : "";
    line.textContent = `Defended mode on ${r.policy} / ${r.route} (${r.state}${since}): ${r.unproven} of ${r.attempts} logins unproven in ${r.windowSeconds} s ` +
      `(${(r.unprovenShare * 100).toFixed(0)} %; trigger ${Math.round(r.triggerUnproven)} and ${(r.triggerShare * 100).toFixed(0)} %, baseline ${r.baselineSource}). ` +
      "Logins without a trusted device must pass the challenge.";
    return line;
  }));
}

async function refresh() {
  const now = Date.now();
  const since = new Date(now - 30 * 60000).toISOString();
  try {
    const [ready, model, decisions, bans, metrics, defense] = await Promise.all([
      fetch("/readyz").then(async (r) => ({ ok: r.ok, body: await r.json() })),
      api("/admin/model").then((r) => r.json()),
      api(`/admin/decisions?limit=500&since=${encodeURIComponent(since)}`).then((r) => r.json()),
      api("/admin/bans").then((r) => (r.ok ? r.json() : { bans: [] })),
      fetch("/metrics").then((r) => (r.ok ? r.text() : "")),
      api("/admin/defense").then((r) => (r.ok ? r.json() : { routes: [] })),
    ]);
    const health = $("#health");
    health.textContent = ready.ok ? `ready · ${ready.body.store}` : "store unavailable";
    health.className = ready.ok ? "pill ok" : "pill bad";
    $("#model").textContent = `live ${model.live?.version || "none"}` + (model.candidate ? ` · candidate ${model.candidate.version || "not loaded"}` : "");
    const list = decisions.decisions || [];
    $("#decision-count").textContent = list.length;
    $("#refusal-count").textContent = list.filter((d) => d.action !== "allow").length;
    $("#disagreements").title = `${sumSeries(metrics, "fraudgateway_scoring_shadow_disagreements_total")} since this instance started (metrics)`;
    drawDecisionChart(list, now);
    drawScoreChart(list);
    drawReasons(list);
    drawRefusals(list);
    drawDisagreements(list);
    drawBans(bans.bans || []);
    drawDefense(defense.routes || []);
    $("#status").dataset.updated = String(now);
  } catch (error) {
    if (error.message !== "unauthorized") $("#status").textContent = `Could not load: ${error.message}`;
  }
}

function showDashboard() {
  $("#login").hidden = true;
  $("#dashboard").hidden = false;
  $("#refresh").hidden = false;
  $("#sign-out").hidden = false;
  refresh();
  clearInterval(timer);
  timer = setInterval(refresh, 10000);
}

function signOut(message) {
  sessionStorage.removeItem(keyName);
  clearInterval(timer);
  $("#dashboard").hidden = true;
  // Nothing read with the key stays on screen once it is gone.
  $("#model").textContent = "";
  $("#health").textContent = "…";
  $("#health").className = "pill";
  $("#refresh").hidden = true;
  $("#sign-out").hidden = true;
  $("#login").hidden = false;
  $("#login-error").textContent = message || "";
}

document.addEventListener("DOMContentLoaded", () => {
  $("#login").addEventListener("submit", (event) => {
    event.preventDefault();
    sessionStorage.setItem(keyName, $("#key").value);
    $("#key").value = "";
    showDashboard();
  });
  $("#refresh").addEventListener("click", refresh);
  $("#sign-out").addEventListener("click", () => signOut());
  if (apiKey()) showDashboard();
});
