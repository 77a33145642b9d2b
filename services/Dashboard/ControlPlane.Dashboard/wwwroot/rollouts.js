"use strict";
// Rollout views: the list with a start form, and one rollout's steps moving live with its progress over time.
(function () {
  const { el, name, badge, time, call, get, act, live, operatorButton, mayOperate, state, view } = window.cp;

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

  Object.assign(window.cp.views, { rollouts: rolloutsView, rollout: rolloutView });
})();
