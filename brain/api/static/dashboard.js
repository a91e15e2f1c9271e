// The live dashboard: polls /api/dashboard and talks to the strategy chat.
// Every POST carries the session's CSRF token; nothing is placed without a click.
"use strict";

const CSRF = document.querySelector('meta[name="csrf-token"]').content;
let sessionId = null;

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") node.className = v; else node.setAttribute(k, v);
  }
  for (const child of children) node.append(child instanceof Node ? child : String(child ?? ""));
  return node;
}

function time(ms) {
  return ms ? new Date(ms).toLocaleTimeString("en-US", { timeZone: "America/New_York", hour12: false }) : "-";
}

function money(value) {
  if (value === null || value === undefined) return el("span", {}, "-");
  const n = Number(value);
  return el("span", { class: n > 0 ? "pos" : n < 0 ? "neg" : "" }, (n > 0 ? "+" : "") + n.toFixed(2));
}

function fill(id, rows, columns, empty, rowAttrs) {
  const body = document.querySelector(`#${id} tbody`);
  const width = document.querySelectorAll(`#${id} thead th`).length || 2;
  body.replaceChildren();
  if (!rows.length) {
    body.append(el("tr", {}, el("td", { class: "empty", colspan: width }, empty)));
    return;
  }
  for (const row of rows) {
    const tr = el("tr", rowAttrs ? rowAttrs(row) : {});
    for (const column of columns) tr.append(el("td", {}, column(row)));
    body.append(tr);
  }
}

function pairs(id, object) {
  const rows = Object.entries(object || {}).filter(([, v]) => typeof v !== "object" || v === null);
  fill(id, rows, [([k]) => k, ([, v]) => v ?? "-"], "nothing yet");
}

async function post(path, body) {
  return fetch(path, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRF-Token": CSRF },
    body: JSON.stringify(body),
  });
}

async function refresh() {
  const response = await fetch("/api/dashboard", { credentials: "same-origin" });
  if (response.status === 401) { location.href = "/"; return; }
  const data = await response.json();
  const state = document.getElementById("trading-state");
  state.textContent = data.trading_state || "unknown";
  state.className = "state " + (data.trading_state || "");
  document.getElementById("updated").textContent = time(data.now_ms);
  pairs("state", { trading_state: data.trading_state || "unknown", ...data.summary });
  const analyst = data.analyst || {};
  pairs("spend", { analyst: analyst.analyst || "none", model: analyst.model, calls: analyst.calls,
                   ...(analyst.budget || {}) });
  fill("positions", data.positions, [
    (p) => p.symbol, (p) => p.strategy, (p) => p.quantity, (p) => p.entry, (p) => money(p.pnl),
    (p) => p.legs.join(" "), (p) => time(p.opened_at_ms),
  ], "no open positions", (p) => ({ "data-position-id": p.id }));
  fill("proposals", data.proposals, [
    (p) => time(p.at_ms), (p) => p.symbol, (p) => p.strategy, (p) => p.source, (p) => p.intent,
    (p) => el("span", { class: p.decision || "" }, p.decision || "pending"), (p) => p.reason_code || "",
  ], "no proposals yet", (p) => ({ "data-proposal-id": p.proposal_id }));
  fill("signals", data.signals, [
    (s) => time(s.at_ms), (s) => s.symbol, (s) => s.strategy, (s) => s.detail,
  ], "no signals yet");
}

function say(who, text) {
  const box = document.getElementById("messages");
  const node = el("div", { class: "msg " + who }, text);
  box.append(node);
  box.scrollTop = box.scrollHeight;
  return node;
}

function recommendation(rec) {
  const outcome = el("div", { class: "outcome" });
  const place = el("button", { type: "button", class: "confirm", "data-rec-id": rec.id }, "Place this order");
  const decline = el("button", { type: "button", class: "decline" }, "No");
  const legs = el("table", { class: "legs" });
  for (const leg of rec.legs || []) {
    legs.append(el("tr", {}, el("td", {}, leg.side), el("td", {}, leg.ratio), el("td", {}, leg.option_symbol),
                    el("td", {}, `bid ${leg.bid} ask ${leg.ask}`)));
  }
  const card = el("div", { class: "rec", "data-rec-id": rec.id },
    el("div", {}, el("strong", {}, `${rec.strategy} ${rec.kind || ""} on ${rec.symbol} x${rec.quantity}`)),
    el("div", {}, `net ${rec.net_price} ${rec.net_kind} · max loss $${rec.max_loss}`),
    legs,
    rec.side ? el("div", {}, `${rec.side} shares, stop ${rec.stop}`) : "",
    rec.rationale ? el("div", { class: "note" }, rec.rationale) : "",
    place, " ", decline, outcome);
  async function answer(yes) {
    place.disabled = decline.disabled = true;
    const response = await post(`/api/strategies/${rec.id}/confirm`, { confirmed: yes });
    const data = await response.json();
    if (!yes) outcome.textContent = "not placed";
    else if (response.ok) outcome.textContent = `gate: ${data.decision} ${data.reason_code || ""} order ${data.order_id ?? "-"}`;
    else if (data.error && data.error.code === "price_moved") {
      outcome.textContent = data.error.message;
      card.after(recommendation(data.recommendation));
    } else outcome.textContent = `not placed (${response.status}): ${data.error ? data.error.message : ""}`;
    outcome.className = "outcome " + (data.decision || "");
    refresh();
  }
  place.addEventListener("click", () => answer(true));
  decline.addEventListener("click", () => answer(false));
  return card;
}

async function send(event) {
  event.preventDefault();
  const prompt = document.getElementById("prompt");
  const watchlist = document.getElementById("watchlist").value.split(",")
    .map((s) => s.trim().toUpperCase()).filter(Boolean);
  const text = prompt.value.trim();
  if (!text) return;
  prompt.value = "";
  say("you", text);
  const body = { prompt: text, watchlist };
  if (sessionId) body.session_id = sessionId;
  const button = document.getElementById("send");
  button.disabled = true;
  try {
    const response = await post("/api/strategies/generate", body);
    const data = await response.json();
    if (!response.ok) { say("analyst error", `refused (${response.status}): ${data.error.message}`); return; }
    sessionId = data.session_id;
    const node = say("analyst", `${data.analyst}> ${data.response}`);
    for (const rec of data.recommendations) node.append(recommendation(rec));
  } finally {
    button.disabled = false;
  }
}

async function logout() {
  await post("/logout", {});
  location.href = "/";
}

document.getElementById("chat-form").addEventListener("submit", send);
document.getElementById("logout").addEventListener("click", logout);
refresh();
setInterval(refresh, 2000);
