"use strict";
// Fleet views: every app with its counts, ready set and drift; one app's instances, health per endpoint, drain, latency.
(function () {
  const { el, name, badge, ms, ago, notice, get, act, live, debounce, operatorButton, state, view } = window.cp;

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
    live(`instances?app=${encodeURIComponent(app)}`, data.instancesRevision, { instance: e => {
      if (e.type === "INSTANCE_EVENT_TYPE_DEREGISTERED") instances.delete(e.instance.instanceId); else instances.set(e.instance.instanceId, e.instance);
      render();
    } });
    const addSample = (instance, at, latency, bad) => {
      const t = new Date(at).getTime();
      const list = (samples.get(instance) || []).filter(x => x.t > Date.now() - WINDOW && x.t !== t);
      list.push({ t, v: ms(latency), bad });
      samples.set(instance, list.sort((a, b) => a.t - b.t));
    };
    // The latest probe of each instance, as the page was read; every later one comes as a PROBED event.
    for (const h of data.health.filter(h => h.lastCheckedAt && h.endpoints.length)) {
      const round = h.endpoints.filter(e => e.checkedAt === h.lastCheckedAt);
      const slowest = (round.length ? round : h.endpoints).reduce((a, e) => ms(e.latency) > ms(a.latency) ? e : a);
      addSample(h.instanceId, h.lastCheckedAt, slowest.latency, round.some(e => e.outcome !== "PROBE_OUTCOME_OK"));
    }
    drawChart();
    live(`health?app=${encodeURIComponent(app)}&probes=true`, data.healthRevision, { health: e => {
      if (e.type === "HEALTH_EVENT_TYPE_PROBED") {
        addSample(e.probe.instanceId, e.probe.checkedAt, e.probe.latency, !e.probe.passed);
        drawChart();
        return;
      }
      if (e.type === "HEALTH_EVENT_TYPE_REMOVED") health.delete(e.health.instanceId); else health.set(e.health.instanceId, e.health);
      render();
    } });
  }


  Object.assign(window.cp.views, { apps: appsView, app: appView });
})();
