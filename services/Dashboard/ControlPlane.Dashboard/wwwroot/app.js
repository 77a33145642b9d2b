"use strict";
// The dashboard's page: hash routes, one view each. Reads come from /dashboard/api, live changes from its event
// streams (server-sent events relaying the API's Watch streams; the browser resumes them with Last-Event-ID).
(function () {
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
    if (response.status === 401 && path !== "/login") { showLogin(); throw new Error("signed out"); }
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
        try { await get("/me"); setTimeout(route, 2000); } catch { /* showLogin already ran */ }
      }
    };
    for (const [type, handle] of Object.entries(handlers)) {
      source.addEventListener(type, ev => { state.events++; handle(JSON.parse(ev.data)); });
    }
    source.addEventListener("reset", () => route()); // too far behind the retained log: read everything again
    source.addEventListener("refused", ev => { source.close(); notice(errorText(JSON.parse(ev.data))); showLogin(); });
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

  // ---------------------------------------------------------------- sign-in
  function showLogin() {
    leaveView();
    state.me = null;
    document.getElementById("nav").hidden = true;
    document.getElementById("logout").hidden = true;
    document.getElementById("user").textContent = "";
    view.replaceChildren(document.getElementById("login-template").content.cloneNode(true));
    const form = document.getElementById("login");
    form.addEventListener("submit", async ev => {
      ev.preventDefault();
      const error = document.getElementById("login-error");
      try {
        await call("POST", "/login", { key: document.getElementById("login-key").value });
        error.hidden = true;
        await start();
      } catch (e) {
        error.textContent = e.message;
        error.hidden = false;
      }
    });
  }

  async function start() {
    try {
      state.me = await get("/me");
    } catch { return; }
    document.getElementById("nav").hidden = false;
    document.getElementById("logout").hidden = false;
    document.getElementById("user").textContent = `${state.me.name} (${state.me.role})`;
    if (!location.hash || location.hash === "#/") location.hash = "#/apps";
    else route();
  }

  document.getElementById("logout").addEventListener("click", async () => { await call("POST", "/logout", {}); showLogin(); });

  // ---------------------------------------------------------------- views
  const routes = [
    [/^#\/apps$/, appsView],
    [/^#\/apps\/([^/]+)$/, appView],
    [/^#\/rollouts$/, rolloutsView],
    [/^#\/rollouts\/([^/]+)$/, rolloutView],
    [/^#\/backups$/, backupsView],
    [/^#\/doctor$/, doctorView],
  ];
  async function route() {
    if (!state.me) return;
    leaveView();
    notice("");
    for (const a of document.querySelectorAll("#nav a")) a.classList.toggle("active", location.hash.startsWith(a.getAttribute("href")));
    const match = routes.map(([re, v]) => [location.hash.match(re), v]).find(([m]) => m);
    if (!match) { location.hash = "#/apps"; return; }
    try {
      await match[1](...match[0].slice(1).map(decodeURIComponent));
    } catch (e) {
      if (e.message !== "signed out") view.replaceChildren(el("p", { class: "error" }, e.message));
    }
  }
  window.addEventListener("hashchange", route);

  const mayOperate = () => state.me && state.me.mayOperate;
  function operatorButton(label, onclick, attrs) {
    return el("button", Object.assign({ type: "button", onclick, disabled: !mayOperate(), title: mayOperate() ? "" : "needs the operator role" }, attrs || {}), label);
  }

  // Apps: instance counts, ready set, drift; re-read when an instance or health event arrives.
  async function appsView() {
    const data = await get("/apps");
    const body = el("tbody");
    const render = d => body.replaceChildren(...d.apps.map(a => el("tr", { "data-app": a.app.name },
      el("td", {}, el("a", { href: `#/apps/${encodeURIComponent(a.app.name)}` }, a.app.name), el("small", {}, a.app.description)),
      el("td", { "data-field": "instances" }, `${a.fleet.totalInstances}`),
      el("td", {}, `${a.fleet.activeInstances} active, ${a.fleet.drainingInstances} draining, ${a.fleet.expiredInstances} expired`),
      el("td", { "data-field": "ready" }, `${a.readySet.members.length}/${a.readySet.members.length + a.readySet.excluded.length}`,
        el("small", {}, a.readySet.excluded.map(x => `${x.instanceId}: ${x.reasons.map(name).join(", ")}`).join("; "))),
      el("td", { "data-field": "drift" }, a.fleet.driftedInstances === 0 ? badge("in sync", { class: "state ready" }) : badge(`${a.fleet.driftedInstances} drifted`, { class: "state warn" }),
        el("small", {}, a.fleet.drift.map(d => `${d.instanceId}: ${d.fields.map(f => `${name(f.field).replace("DRIFT_FIELD_NAME_", "").toLowerCase()} ${f.actual} (expected ${f.expected})`).join(", ")}`).join("; "))),
      el("td", {}, Object.entries(a.fleet.versions).map(([v, n]) => `${v} × ${n}`).join(", ")))));
    render(data);
    view.replaceChildren(el("h1", {}, "Apps"),
      data.apps.length ? el("table", {}, el("thead", {}, el("tr", {}, ...["App", "Instances", "Lease", "Ready set", "Drift", "Versions"].map(h => el("th", {}, h)))), body)
        : el("p", { class: "muted" }, "No apps registered yet."));
    const reread = debounce(async () => { try { render(await get("/apps")); } catch (e) { notice(e.message); } }, 250);
    live("instances", data.instancesRevision, { instance: reread });
    live("health", data.healthRevision, { health: reread });
  }

  // One app: its instances with health per endpoint, version, drain; a latency chart.
  async function appView(app) {
    const data = await get(`/apps/${encodeURIComponent(app)}`);
    const instances = new Map(data.instances.map(i => [i.instanceId, i]));
    const health = new Map(data.health.map(h => [h.instanceId, h]));
    const body = el("tbody");
    const render = () => body.replaceChildren(...[...instances.values()].sort((a, b) => a.instanceId.localeCompare(b.instanceId)).map(i => {
      const h = health.get(i.instanceId) || { state: "HEALTH_STATE_UNKNOWN", endpoints: [], reason: "" };
      return el("tr", { "data-instance": i.instanceId },
        el("td", {}, i.instanceId, el("small", {}, i.address)),
        el("td", { "data-field": "version" }, i.version, el("small", {}, h.reportedVersion && h.reportedVersion !== i.version ? `reports ${h.reportedVersion}` : "")),
        el("td", {}, badge(h.state, { "data-field": "health" }), el("small", {}, h.reason), el("small", {}, h.ready ? "in ready set" : `not ready: ${h.notReadyReasons.map(name).join(", ")}`)),
        el("td", {}, h.endpoints.map(e => el("div", {}, `${name(e.endpoint).toLowerCase()}: `, badge(e.outcome),
          ` ${e.httpStatusCode || ""} ${ms(e.latency).toFixed(1)} ms`,
          e.lastError ? el("small", {}, `last error ${ago(e.lastFailureAt)}: ${e.lastError}`) : null))),
        el("td", { "data-field": "drain" }, i.draining ? "draining" : "serving", el("small", {}, name(i.state).toLowerCase())),
        el("td", { class: "actions" }, operatorButton(i.draining ? "Undrain" : "Drain", () =>
          act(`${i.draining ? "Undrain" : "Drain"} ${i.instanceId}?${i.draining ? "" : " The load balancer stops sending it traffic."}`,
            "POST", `/instances/${encodeURIComponent(i.instanceId)}/drain`, { draining: !i.draining },
            updated => { instances.set(updated.instanceId, updated); render(); }), { "data-action": "drain" })));
    }));
    render();
    const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.setAttribute("class", "chart");
    svg.setAttribute("id", "latency-chart");
    const samples = new Map(); // instance -> [{t, v, bad}]
    const WINDOW = 5 * 60 * 1000;
    // The window grows with the samples (at least a minute), up to five minutes, so a page just opened is not a flat edge.
    const drawChart = () => {
      const first = Math.min(Date.now(), ...[...samples.values()].flat().map(p => p.t));
      const windowMs = Math.min(WINDOW, Math.max(60 * 1000, Date.now() - first + 5000));
      window.lineChart.draw(svg, [...samples.entries()].sort().map(([n, points]) => ({ name: n, points })), { windowMs, unit: " ms" });
    };
    view.replaceChildren(
      el("h1", {}, `App ${app}`),
      el("p", { class: "muted" }, `${data.fleet.totalInstances} instances; expected version ${data.fleet.expectedVersion || "—"}; probed every ${data.app.healthCheck ? data.app.healthCheck.interval : ""}, fall ${data.app.healthCheck ? data.app.healthCheck.fall : ""}. `,
        el("a", { href: `#/rollouts` }, "Rollouts")),
      el("table", {}, el("thead", {}, el("tr", {}, ...["Instance", "Version", "Health", "Endpoints (status, latency, last error)", "Drain", ""].map(h => el("th", {}, h)))), body),
      el("h2", {}, "Probe latency per instance (slowest endpoint of each check), up to 5 minutes"), svg);
    drawChart();
    live(`instances?app=${encodeURIComponent(app)}`, data.instancesRevision, { instance: e => {
      if (e.type === "INSTANCE_EVENT_TYPE_DEREGISTERED") instances.delete(e.instance.instanceId); else instances.set(e.instance.instanceId, e.instance);
      render();
    } });
    live(`health?app=${encodeURIComponent(app)}`, data.healthRevision, { health: e => {
      if (e.type === "HEALTH_EVENT_TYPE_REMOVED") health.delete(e.health.instanceId); else health.set(e.health.instanceId, e.health);
      render();
    } });
    live(`latency?app=${encodeURIComponent(app)}`, 0, { latency: points => {
      for (const p of points) {
        const list = samples.get(p.instance) || [];
        list.push({ t: new Date(p.at).getTime(), v: p.ms, bad: p.failed });
        samples.set(p.instance, list.filter(x => x.t > Date.now() - WINDOW));
      }
      drawChart();
    } });
  }

  function progressBar(r) {
    const p = r.progress || {};
    const pct = p.total ? Math.round(100 * (p.done + p.skipped) / p.total) : 0;
    return el("div", { class: "bar", title: `${p.done + p.skipped} of ${p.total}` }, el("span", { "data-progress": pct }));
  }
  function sizeBars(root) { root.querySelectorAll("[data-progress]").forEach(s => { s.style.width = `${s.dataset.progress}%`; }); }

  // Rollouts: the list, live; a form to start one.
  async function rolloutsView() {
    const [data, apps] = await Promise.all([get("/rollouts"), get("/apps")]);
    const rollouts = new Map(data.rollouts.map(r => [r.id, r]));
    const body = el("tbody");
    const render = () => {
      body.replaceChildren(...[...rollouts.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt)).map(r => el("tr", { "data-rollout": r.id },
        el("td", {}, el("a", { href: `#/rollouts/${encodeURIComponent(r.id)}` }, r.id)),
        el("td", {}, r.app), el("td", {}, r.target.version || r.target.configHash),
        el("td", {}, badge(r.state, { "data-field": "state" }), el("small", {}, r.reason)),
        el("td", {}, progressBar(r)), el("td", {}, time(r.createdAt), el("small", {}, r.origin ? r.origin.initiator : "")))));
      sizeBars(body);
    };
    render();
    const error = el("p", { class: "error", id: "start-error", hidden: true });
    const form = el("form", { class: "inline", id: "start-rollout" },
      el("label", {}, "App", el("select", { name: "app" }, apps.apps.map(a => el("option", { value: a.app.name }, a.app.name)))),
      el("label", {}, "Version", el("input", { name: "version", placeholder: "1.1.0" })),
      el("label", {}, "At a time", el("input", { name: "maxParallel", type: "number", min: 1, placeholder: "default" })),
      el("label", {}, "Canaries", el("input", { name: "canary", type: "number", min: 0, placeholder: "default" })),
      el("label", {}, "Description", el("input", { name: "description" })),
      el("button", { type: "submit", disabled: !mayOperate() }, "Start rollout"));
    form.addEventListener("submit", async ev => {
      ev.preventDefault();
      const f = new FormData(form);
      const number = k => f.get(k) === "" ? null : Number(f.get(k));
      const request = { app: f.get("app"), version: f.get("version"), maxParallel: number("maxParallel"), canary: number("canary"), description: f.get("description") };
      if (!window.confirm(`Roll ${request.app} out to version ${request.version || "(none)"}?`)) return;
      try {
        const r = await call("POST", "/rollouts", request);
        location.hash = `#/rollouts/${encodeURIComponent(r.id)}`;
      } catch (e) {
        error.textContent = e.message;
        error.hidden = false;
      }
    });
    view.replaceChildren(el("h1", {}, "Rollouts"), form, error,
      el("table", {}, el("thead", {}, el("tr", {}, ...["Rollout", "App", "Target", "State", "Progress", "Created"].map(h => el("th", {}, h)))), body));
    live("rollouts", data.revision, { rollout: e => { rollouts.set(e.rollout.id, Object.assign(rollouts.get(e.rollout.id) || {}, e.rollout)); render(); } });
  }

  // One rollout: its steps moving live, its actions, and progress over time.
  async function rolloutView(id) {
    let rollout = await get(`/rollouts/${encodeURIComponent(id)}`);
    const head = el("div");
    const steps = el("tbody");
    const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.setAttribute("class", "chart");
    svg.setAttribute("id", "progress-chart");
    const ENDED = ["ROLLOUT_STATE_SUCCEEDED", "ROLLOUT_STATE_FAILED", "ROLLOUT_STATE_ROLLED_BACK", "ROLLOUT_STATE_ABORTED"];
    const action = (label, verb, question) => operatorButton(label, () => act(question, "POST", `/rollouts/${encodeURIComponent(id)}/${verb}`,
      { reason: `${verb} from the dashboard` }, r => { rollout = r; render(); }), { "data-action": verb });
    const render = () => {
      const r = rollout, running = !ENDED.includes(r.state);
      head.replaceChildren(
        el("h1", {}, `Rollout ${r.id}`),
        el("div", { class: "cards" },
          el("div", { class: "card" }, "State", el("b", { id: "rollout-state", class: `state ${name(r.state)}` }, name(r.state))),
          el("div", { class: "card" }, "App", el("b", {}, r.app)),
          el("div", { class: "card" }, "Target", el("b", {}, r.target.version || r.target.configHash)),
          el("div", { class: "card" }, "Done", el("b", { id: "rollout-done" }, `${r.progress.done + r.progress.skipped}/${r.progress.total}`))),
        el("p", { class: "muted" }, r.reason || "", r.reverting ? " (reverting)" : ""),
        el("p", { class: "actions" },
          r.state === "ROLLOUT_STATE_RUNNING" ? action("Pause", "pause", `Pause rollout ${r.id}? Steps in flight finish their instance.`) : null,
          r.state === "ROLLOUT_STATE_PAUSED" && !(r.canary && r.canary.awaitingPromotion) ? action("Resume", "resume", `Resume rollout ${r.id}?`) : null,
          r.canary && r.canary.awaitingPromotion ? action("Promote", "promote", `Promote the canary of ${r.id}: update the rest of the instances?`) : null,
          running ? action("Abort", "abort", `Abort rollout ${r.id}? Updated instances keep the new version; nothing is reverted.`) : null,
          action("Roll back", "rollback", `Roll back every instance ${r.id} touched to its previous version?`)));
      steps.replaceChildren(...r.steps.map(s => el("tr", { "data-step": s.instanceId },
        el("td", {}, s.instanceId, s.canary ? el("small", {}, "canary") : null), el("td", {}, `${s.batch}`),
        el("td", {}, `${s.fromVersion} → ${s.toVersion}`),
        el("td", {}, badge(s.phase, { "data-field": "phase" }), el("small", {}, s.error)),
        el("td", {}, time(s.startedAt)), el("td", {}, time(s.finishedAt)))));
      drawProgress();
    };
    // Instances done over time: from the steps' finish times (so a page opened late shows the whole story).
    const drawProgress = () => {
      const r = rollout, startedAt = new Date(r.startedAt && !r.startedAt.startsWith("1970") ? r.startedAt : r.createdAt).getTime();
      const finished = r.steps.filter(s => s.finishedAt && !s.finishedAt.startsWith("1970") && ["ROLLOUT_STEP_PHASE_DONE", "ROLLOUT_STEP_PHASE_SKIPPED"].includes(s.phase))
        .map(s => new Date(s.finishedAt).getTime()).sort((a, b) => a - b);
      const points = [{ t: startedAt, v: 0 }, ...finished.map((t, i) => ({ t, v: i + 1 }))];
      const end = ENDED.includes(r.state) && r.finishedAt && !r.finishedAt.startsWith("1970") ? new Date(r.finishedAt).getTime() : Date.now();
      window.lineChart.draw(svg, [{ name: "instances done", points }], { from: startedAt, now: end + 500, yMax: Math.max(1, r.progress.total), step: true });
    };
    view.replaceChildren(head,
      el("table", {}, el("thead", {}, el("tr", {}, ...["Instance", "Batch", "Version", "Phase", "Started", "Finished"].map(h => el("th", {}, h)))), steps),
      el("h2", {}, "Progress over time"), svg);
    render();
    const tick = setInterval(() => { if (!ENDED.includes(rollout.state)) drawProgress(); }, 1000); // redraws the time axis only
    state.cleanups.push(() => clearInterval(tick));
    live(`rollouts?rollout=${encodeURIComponent(id)}`, rollout.revision, { rollout: e => { rollout = e.rollout; render(); } });
  }

  // Backups with their verification; create and verify.
  async function backupsView() {
    const data = await get("/backups");
    const backups = new Map(data.backups.map(b => [b.id, b]));
    const progress = new Map();
    const body = el("tbody");
    const render = () => body.replaceChildren(...[...backups.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt)).map(b => {
      const v = b.verification || { status: "" }, p = progress.get(b.id);
      return el("tr", { "data-backup": b.id },
        el("td", {}, b.id, el("small", {}, `${b.targetDatabase} · ${name(b.kind).toLowerCase()} · ${b.initiator}`)),
        el("td", {}, badge(b.status, { "data-field": "status" }), el("small", {}, b.error), p ? el("small", {}, `${name(p.phase).toLowerCase()} ${p.bytesDone ? bytes(p.bytesDone) : ""}`) : null),
        el("td", {}, b.sizeBytes !== "0" ? bytes(b.sizeBytes) : ""),
        el("td", { "data-field": "verification" }, v.status ? badge(v.status) : el("span", { class: "muted" }, "never verified"),
          el("small", {}, v.checkedAt ? `${v.tablesChecked} tables, ${ago(v.checkedAt)}` : ""),
          el("small", { class: "error" }, [v.error, ...(v.mismatches || []).map(m => `${m.table} ${name(m.kind).replace("MISMATCH_KIND_", "").toLowerCase()}: ${m.expected} ≠ ${m.actual}`)].filter(Boolean).join("; "))),
        el("td", {}, time(b.createdAt)),
        el("td", { class: "actions" }, operatorButton("Verify", () => act(`Verify backup ${b.id}? It is restored into a scratch database and compared.`,
          "POST", `/backups/${encodeURIComponent(b.id)}/verify`, {}, r => { backups.set(r.id, r); render(); }), { "data-action": "verify", disabled: !mayOperate() || name(b.status) !== "SUCCEEDED" })));
    }));
    render();
    view.replaceChildren(el("h1", {}, "Backups"),
      el("p", { class: "actions" }, operatorButton("Create backup", () => act("Back up the control plane's database and the fleet configuration now?",
        "POST", "/backups", { verify: true }, b => { backups.set(b.id, b); render(); }), { "data-action": "create-backup" })),
      el("table", {}, el("thead", {}, el("tr", {}, ...["Backup", "Status", "Size", "Verification", "Created", ""].map(h => el("th", {}, h)))), body));
    live("backups", data.revision, { backup: e => {
      if (e.backup && e.backup.id) backups.set(e.backup.id, e.backup);
      if (e.progress && e.progress.backupId) progress.set(e.progress.backupId, e.progress);
      if (e.backup && e.backup.id && name(e.backup.status) !== "RUNNING") progress.delete(e.backup.id);
      render();
    } });
  }

  async function doctorView() {
    view.replaceChildren(el("h1", {}, "Doctor"), el("p", { class: "muted" }, "Running the checks…"));
    const data = await get("/doctor");
    view.replaceChildren(el("h1", {}, "Doctor"),
      el("p", {}, data.ok ? badge("all checks pass", { class: "state pass" }) : badge("a check failed", { class: "state fail" }), " ",
        el("button", { type: "button", onclick: route }, "Run again")),
      el("table", {}, el("thead", {}, el("tr", {}, el("th", {}, "Check"), el("th", {}, "Result"), el("th", {}, "Detail"))),
        el("tbody", {}, data.checks.map(c => el("tr", { "data-check": c.name }, el("td", {}, c.name), el("td", {}, badge(c.status)), el("td", {}, c.message))))));
  }

  // ---------------------------------------------------------------- start
  (async () => {
    try {
      const response = await fetch(`${API}/me`, { credentials: "same-origin" });
      if (response.status !== 200) { showLogin(); return; }
      await start();
    } catch (e) { notice(e.message); }
  })();
})();
