"use strict";
// Backups with their verification (create, verify), and the doctor checks.
(function () {
  const { el, name, badge, time, ago, bytes, get, act, live, operatorButton, mayOperate, state, view } = window.cp;

  async function backupsView() {
    const data = await get("/backups");
    const backups = new Map(data.backups.map(b => [b.id, b]));
    const progress = new Map();
    // An action's answer may arrive after the watch already sent a later state of the same backup: never go back.
    const keep = b => {
      const known = backups.get(b.id);
      if (!known || Number(b.revision || 0) >= Number(known.revision || 0)) backups.set(b.id, b);
    };
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
          "POST", `/backups/${encodeURIComponent(b.id)}/verify`, {}, r => { keep(r); render(); }), { "data-action": "verify", disabled: !mayOperate() || name(b.status) !== "SUCCEEDED" })));
    }));
    render();
    view.replaceChildren(el("h1", {}, "Backups"),
      el("p", { class: "actions" }, operatorButton("Create backup", () => act("Back up the control plane's database and the fleet configuration now?",
        "POST", "/backups", { verify: true }, b => { keep(b); render(); }), { "data-action": "create-backup" })),
      el("table", {}, el("thead", {}, el("tr", {}, ...["Backup", "Status", "Size", "Verification", "Created", ""].map(h => el("th", {}, h)))), body));
    live("backups", data.revision, { backup: e => {
      if (e.backup && e.backup.id) keep(e.backup);
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
        el("button", { type: "button", onclick: () => window.cp.route() }, "Run again")),
      el("table", {}, el("thead", {}, el("tr", {}, el("th", {}, "Check"), el("th", {}, "Result"), el("th", {}, "Detail"))),
        el("tbody", {}, data.checks.map(c => el("tr", { "data-check": c.name }, el("td", {}, c.name), el("td", {}, badge(c.status)), el("td", {}, c.message))))));
  }

  Object.assign(window.cp.views, { backups: backupsView, doctor: doctorView });
})();
