"use strict";
// A small hand-written SVG line chart: series of {t: epoch ms, v: number, bad?: bool} over a time window.
// No library, no network: the page ships with the suite.
(function () {
  const NS = "http://www.w3.org/2000/svg";
  const COLORS = ["#2f5fd0", "#1a7f37", "#9a6700", "#8250df", "#bf3989", "#0a7ea4", "#cf222e"];

  function node(tag, attrs, text) {
    const n = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs || {})) n.setAttribute(k, String(v));
    if (text !== undefined) n.textContent = text;
    return n;
  }

  // series: [{name, points: [{t, v, bad}]}]; options: {windowMs, yMax, unit, step}
  function draw(svg, series, options) {
    const width = svg.clientWidth || 800, height = svg.clientHeight || 220;
    const pad = { left: 48, right: 12, top: 12, bottom: 34 };
    svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    const now = options.now || Date.now();
    const t0 = options.from || now - options.windowMs, t1 = Math.max(now, t0 + 1000);
    const values = series.flatMap(s => s.points.map(p => p.v));
    const yMax = options.yMax || Math.max(1, ...values) * 1.15;
    const x = t => pad.left + (t - t0) / (t1 - t0) * (width - pad.left - pad.right);
    const y = v => height - pad.bottom - v / yMax * (height - pad.top - pad.bottom);
    for (let i = 0; i <= 4; i++) {
      const v = yMax * i / 4;
      svg.appendChild(node("line", { class: "grid", x1: pad.left, x2: width - pad.right, y1: y(v), y2: y(v) }));
      svg.appendChild(node("text", { x: pad.left - 6, y: y(v) + 4, "text-anchor": "end" }, `${v < 10 ? v.toFixed(1) : Math.round(v)}${options.unit || ""}`));
    }
    svg.appendChild(node("line", { class: "axis", x1: pad.left, x2: pad.left, y1: pad.top, y2: height - pad.bottom }));
    svg.appendChild(node("line", { class: "axis", x1: pad.left, x2: width - pad.right, y1: height - pad.bottom, y2: height - pad.bottom }));
    for (let i = 0; i <= 4; i++) {
      const t = t0 + (t1 - t0) * i / 4;
      svg.appendChild(node("text", { x: x(t), y: height - pad.bottom + 14, "text-anchor": "middle" }, new Date(t).toLocaleTimeString()));
    }
    series.forEach((s, i) => {
      const color = COLORS[i % COLORS.length];
      const pts = s.points.filter(p => p.t >= t0);
      let path = [];
      pts.forEach((p, j) => {
        if (options.step && j > 0) path.push(`${x(p.t)},${y(pts[j - 1].v)}`);
        path.push(`${x(p.t)},${y(p.v)}`);
      });
      if (options.step && pts.length) path.push(`${x(t1)},${y(pts[pts.length - 1].v)}`);
      if (path.length) svg.appendChild(node("polyline", { class: "line", stroke: color, points: path.join(" "), "data-series": s.name }));
      pts.filter(p => p.bad).forEach(p => svg.appendChild(node("circle", { cx: x(p.t), cy: y(p.v), r: 3, fill: "#cf222e" })));
      const lx = pad.left + 8 + i * 110;
      svg.appendChild(node("rect", { x: lx, y: height - 14, width: 10, height: 10, fill: color }));
      svg.appendChild(node("text", { x: lx + 14, y: height - 5 }, s.name));
    });
  }

  window.lineChart = { draw };
})();
