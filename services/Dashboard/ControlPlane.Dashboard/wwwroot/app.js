"use strict";
// The dashboard's page: sign-in, then hash routes, one view each (fleet.js, rollouts.js and backups.js register theirs in cp.views).
(function () {
  const cp = window.cp;
  const { API, view, state, el, notice, call, get, leaveView } = cp;
  const views = cp.views;

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
    [/^#\/apps$/, views.apps],
    [/^#\/apps\/([^/]+)$/, views.app],
    [/^#\/rollouts$/, views.rollouts],
    [/^#\/rollouts\/([^/]+)$/, views.rollout],
    [/^#\/backups$/, views.backups],
    [/^#\/doctor$/, views.doctor],
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
  Object.assign(cp, { route, showLogin });

  // ---------------------------------------------------------------- start
  (async () => {
    try {
      const response = await fetch(`${API}/me`, { credentials: "same-origin" });
      if (response.status !== 200) { showLogin(); return; }
      await start();
    } catch (e) { notice(e.message); }
  })();
})();
