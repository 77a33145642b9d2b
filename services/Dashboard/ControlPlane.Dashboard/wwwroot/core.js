"use strict";
// The dashboard's common parts: DOM helpers, calls of /dashboard/api (a refusal becomes an Error in words) and the
// live feeds (server-sent events relaying the API's Watch streams; the browser resumes them with Last-Event-ID).
(function () {
  const cp = window.cp = { views: {} };
  const API = "/dashboard/api";
  const view = document.getElementById("view");
  const state = { me: null, sources: [], cleanups: [], events: 0 };
  window.dashboard = state; // for the browser tests: how many live events arrived

  // ---------------------------------------------------------------- helpers
  function el(tag, attrs, ...children) {
    const n = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k.startsWith("on")) n.addEventListener(k.slice(2), v);
      else n.setAttribute(k, v === true ? "" : String(v));
    }
    for (const c of children.flat()) if (c !== undefined && c !== null) n.append(c instanceof Node ? c : String(c));
    return n;
  }
  const PREFIXES = ["HEALTH_STATE_", "ROLLOUT_STATE_", "ROLLOUT_STEP_PHASE_", "BACKUP_STATUS_", "VERIFICATION_STATUS_",
    "PROBE_ENDPOINT_KIND_", "PROBE_OUTCOME_", "INSTANCE_STATE_", "BACKUP_KIND_", "NOT_READY_REASON_", "BACKUP_PHASE_"];
  function name(v) { v = String(v || ""); const p = PREFIXES.find(p => v.startsWith(p)); return p ? v.slice(p.length) : v; }
  function badge(v, attrs) { const n = name(v); return el("span", Object.assign({ class: `state ${n}` }, attrs || {}), n); }
  function ms(duration) { return duration ? parseFloat(duration) * 1000 : 0; }
  function time(ts) { return ts && !ts.startsWith("1970") ? new Date(ts).toLocaleTimeString() : ""; }
  function ago(ts) { if (!ts || ts.startsWith("1970")) return ""; const s = Math.round((Date.now() - new Date(ts)) / 1000); return s < 60 ? `${s}s ago` : `${Math.round(s / 60)}m ago`; }
  function bytes(n) { n = Number(n); return n > 1e6 ? `${(n / 1e6).toFixed(1)} MB` : n > 1e3 ? `${(n / 1e3).toFixed(1)} kB` : `${n} B`; }

  function notice(text, info) {
    const box = document.getElementById("notice");
    box.textContent = text || "";
    box.className = info ? "notice info" : "notice";
    box.hidden = !text;
  }
  function errorText(body, status) {
    if (!body || typeof body !== "object") return `HTTP ${status}`;
    const fields = (body.violations || []).map(v => `${v.field}: ${v.description}`).join("; ");
    return `${body.status || "Error"}: ${body.detail || ""}${fields && !String(body.detail).includes(fields) ? ` (${fields})` : ""}`;
  }

  async function call(method, path, body) {
    const response = await fetch(API + path, {
      method, credentials: "same-origin",
      headers: Object.assign({ "Accept": "application/json" }, method !== "GET" ? { "Content-Type": "application/json", "X-Dashboard-Request": "1" } : {}),
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { json = { status: `HTTP ${response.status}`, detail: text.trim() }; }
    if (response.status === 401 && path !== "/login") { cp.showLogin(); throw new Error("signed out"); }
    if (!response.ok) { const e = new Error(errorText(json, response.status)); e.body = json; throw e; }
    return json;
  }
  const get = path => call("GET", path);

  // An operator action: confirmed first, the API's refusal shown in words.
  async function act(question, method, path, body, after) {
    if (!window.confirm(question)) return null;
    try {
      const result = await call(method, path, body);
      notice("");
      if (after) after(result);
      return result;
    } catch (e) {
      if (e.message !== "signed out") notice(e.message);
      return null;
    }
  }

  // ---------------------------------------------------------------- live updates
  function live(path, from, handlers) {
    const url = `${API}/events/${path}${path.includes("?") ? "&" : "?"}from=${encodeURIComponent(from || 0)}`;
    const source = new EventSource(url);
    const indicator = document.getElementById("live");
    source.onopen = () => { indicator.className = "live on"; indicator.title = "live"; };
    source.onerror = async () => {
      indicator.className = "live off";
      indicator.title = "reconnecting…";
      if (source.readyState === EventSource.CLOSED) {
        // The server refused the stream itself (signed out, or gone): check the session, then start over.
        try { await get("/me"); setTimeout(cp.route, 2000); } catch { /* showLogin already ran */ }
      }
    };
    for (const [type, handle] of Object.entries(handlers)) {
      source.addEventListener(type, ev => { state.events++; handle(JSON.parse(ev.data)); });
    }
    source.addEventListener("reset", () => cp.route()); // too far behind the retained log: read everything again
    source.addEventListener("refused", ev => { source.close(); notice(errorText(JSON.parse(ev.data))); cp.showLogin(); });
    source.addEventListener("failed", ev => notice(`live updates interrupted, reconnecting: ${errorText(JSON.parse(ev.data))}`, true));
    state.sources.push(source);
    return source;
  }
  function leaveView() {
    state.sources.forEach(s => s.close());
    state.sources = [];
    state.cleanups.forEach(f => f());
    state.cleanups = [];
  }
  // Coalesces bursts of events into one re-read.
  function debounce(fn, wait) { let t; return () => { clearTimeout(t); t = setTimeout(fn, wait); }; }

  const mayOperate = () => state.me && state.me.mayOperate;
  function operatorButton(label, onclick, attrs) {
    return el("button", Object.assign({ type: "button", onclick, disabled: !mayOperate(), title: mayOperate() ? "" : "needs the operator role" }, attrs || {}), label);
  }

  Object.assign(cp, { API, view, state, el, name, badge, ms, time, ago, bytes, notice, errorText, call, get, act, live, leaveView, debounce,
    mayOperate, operatorButton });
})();
