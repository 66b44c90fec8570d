"use strict";
// fazhi graph page: a force layout on a canvas (Barnes–Hut repulsion, springs along edges,
// gentle gravity), pan and zoom, node dragging, search, and a side panel with evidence.
// Everything it needs is in this file and the JSON block above: no network at view time.
(function () {
  const data = JSON.parse(document.getElementById("fazhi-data").textContent);
  const graph = data.graph;
  const colour = Object.fromEntries(data.styles.map((s) => [s[0], s[1]]));
  const canvas = document.getElementById("graph");
  const ctx = canvas.getContext("2d");
  const panel = document.getElementById("panel");
  const search = document.getElementById("search");
  const results = document.getElementById("results");

  // ---------------------------------------------------------------- model
  const nodes = graph.nodes.map((n, k) => {
    // Golden-angle spiral: a deterministic, even start.
    const r = 12 * Math.sqrt(k + 1), a = k * 2.399963;
    return Object.assign({}, n, { x: r * Math.cos(a), y: r * Math.sin(a), vx: 0, vy: 0, fixed: false, degree: 0, links: [] });
  });
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const edges = graph.edges
    .filter((e) => byId.has(e.source) && byId.has(e.target))
    .map((e) => Object.assign({}, e, { s: byId.get(e.source), t: byId.get(e.target) }));
  for (const e of edges) {
    e.s.degree++; e.t.degree++;
    e.s.links.push(e); e.t.links.push(e);
  }
  for (const n of nodes) n.r = 4 + 2 * Math.sqrt(n.degree);

  const stats = document.getElementById("stats");
  stats.textContent = `${nodes.length} nodes · ${edges.length} edges · ${graph.view}`;
  stats.dataset.nodes = String(nodes.length);
  stats.dataset.edges = String(edges.length);
  document.getElementById("legend").innerHTML = data.styles
    .filter((s) => nodes.some((n) => n.type === s[0]))
    .map((s) => `<span><i style="background:${s[1]}"></i>${s[0]}</span>`)
    .join("");

  // ---------------------------------------------------------------- layout
  const THETA2 = 0.81, REPULSION = 900, SPRING = 0.04, LENGTH = 50, GRAVITY = 0.012, DECAY = 0.55;
  let alpha = 1;

  function quadtree() {
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (const n of nodes) { x0 = Math.min(x0, n.x); y0 = Math.min(y0, n.y); x1 = Math.max(x1, n.x); y1 = Math.max(y1, n.y); }
    const size = Math.max(x1 - x0, y1 - y0, 1);
    const root = { x0, y0, size, mass: 0, cx: 0, cy: 0, kids: null, body: null };
    for (const n of nodes) insert(root, n, 0);
    return root;
  }

  function insert(cell, n, depth) {
    cell.cx = (cell.cx * cell.mass + n.x) / (cell.mass + 1);
    cell.cy = (cell.cy * cell.mass + n.y) / (cell.mass + 1);
    cell.mass++;
    if (cell.mass === 1) { cell.body = n; return; }
    if (depth > 40) return; // coincident points: keep them lumped
    if (!cell.kids) {
      const h = cell.size / 2;
      cell.kids = [0, 1, 2, 3].map((q) => ({ x0: cell.x0 + (q & 1) * h, y0: cell.y0 + (q >> 1) * h, size: h, mass: 0, cx: 0, cy: 0, kids: null, body: null }));
      const old = cell.body;
      cell.body = null;
      if (old) insert(cell.kids[quadrant(cell, old)], old, depth + 1);
    }
    insert(cell.kids[quadrant(cell, n)], n, depth + 1);
  }

  function quadrant(cell, n) {
    const h = cell.size / 2;
    return (n.x >= cell.x0 + h ? 1 : 0) + (n.y >= cell.y0 + h ? 2 : 0);
  }

  function repel(cell, n) {
    if (cell.mass === 0 || cell.body === n) return;
    const dx = cell.cx - n.x, dy = cell.cy - n.y;
    const d2 = dx * dx + dy * dy + 0.01;
    if (!cell.kids || (cell.size * cell.size) / d2 < THETA2) {
      const f = (REPULSION * cell.mass * alpha) / d2;
      n.vx -= dx * f; n.vy -= dy * f;
      return;
    }
    for (const k of cell.kids) repel(k, n);
  }

  function tick() {
    const root = quadtree();
    for (const n of nodes) repel(root, n);
    for (const e of edges) {
      const dx = e.t.x - e.s.x, dy = e.t.y - e.s.y;
      const d = Math.sqrt(dx * dx + dy * dy) || 1;
      const f = (SPRING * alpha * (d - LENGTH)) / d;
      e.s.vx += dx * f; e.s.vy += dy * f;
      e.t.vx -= dx * f; e.t.vy -= dy * f;
    }
    for (const n of nodes) {
      n.vx -= n.x * GRAVITY * alpha; n.vy -= n.y * GRAVITY * alpha;
      if (n.fixed) { n.vx = n.vy = 0; continue; }
      n.vx *= DECAY; n.vy *= DECAY;
      // Cap a step so that a near-coincident pair cannot throw nodes off the page.
      const v = Math.sqrt(n.vx * n.vx + n.vy * n.vy);
      if (v > 40) { n.vx *= 40 / v; n.vy *= 40 / v; }
      n.x += n.vx; n.y += n.vy;
    }
    alpha *= 0.985;
  }

  // ---------------------------------------------------------------- view
  // Once the user pans, zooms or focuses a node, the view is theirs: the layout stops refitting it.
  let scale = 1, ox = 0, oy = 0, selected = null, matches = new Set(), userMoved = false;

  function resize() {
    const ratio = window.devicePixelRatio || 1;
    canvas.width = canvas.clientWidth * ratio;
    canvas.height = canvas.clientHeight * ratio;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    draw();
  }

  function fit() {
    if (!nodes.length) return;
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (const n of nodes) { x0 = Math.min(x0, n.x); y0 = Math.min(y0, n.y); x1 = Math.max(x1, n.x); y1 = Math.max(y1, n.y); }
    const w = canvas.clientWidth, h = canvas.clientHeight;
    scale = Math.min(w / (x1 - x0 + 80), h / (y1 - y0 + 80), 3);
    ox = w / 2 - scale * (x0 + x1) / 2;
    oy = h / 2 - scale * (y0 + y1) / 2;
  }

  // Zoomed far out, nodes keep a readable size on screen.
  const radius = (n) => Math.max(n.r, (0.6 * n.r) / scale);

  function neighbours(n) {
    return new Set(n.links.map((e) => (e.s === n ? e.t : e.s)));
  }

  function draw() {
    const w = canvas.clientWidth, h = canvas.clientHeight;
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, w, h);
    ctx.save();
    ctx.translate(ox, oy);
    ctx.scale(scale, scale);
    const near = selected ? neighbours(selected) : null;
    ctx.lineWidth = 1 / scale;
    for (const e of edges) {
      const lit = selected && (e.s === selected || e.t === selected);
      ctx.strokeStyle = lit ? "rgba(40,40,40,0.8)" : "rgba(120,120,120,0.25)";
      ctx.lineWidth = (lit ? 2 : 1) / scale;
      ctx.beginPath(); ctx.moveTo(e.s.x, e.s.y); ctx.lineTo(e.t.x, e.t.y); ctx.stroke();
    }
    for (const n of nodes) {
      const dim = near && n !== selected && !near.has(n);
      ctx.globalAlpha = dim ? 0.25 : 1;
      ctx.fillStyle = colour[n.type] || "#999";
      ctx.beginPath(); ctx.arc(n.x, n.y, radius(n), 0, 2 * Math.PI); ctx.fill();
      if (matches.has(n) || n === selected) {
        ctx.strokeStyle = n === selected ? "#d62728" : "#111";
        ctx.lineWidth = 3 / scale;
        ctx.beginPath(); ctx.arc(n.x, n.y, radius(n) + 3 / scale, 0, 2 * Math.PI); ctx.stroke();
      }
    }
    ctx.globalAlpha = 1;
    ctx.fillStyle = "#222";
    ctx.font = `${12 / scale}px system-ui, "Noto Sans CJK SC", sans-serif`;
    for (const n of nodes) {
      const shown = n === selected || matches.has(n) || (near && near.has(n)) || n.degree * scale >= 6;
      if (shown) ctx.fillText(n.label, n.x + radius(n) + 2 / scale, n.y + 4 / scale);
    }
    ctx.restore();
  }

  function run() {
    for (let k = 0; k < 4 && alpha > 0.005; k++) tick();
    if (!userMoved) fit();
    draw();
    if (alpha > 0.005) setTimeout(run, 16);
    else document.body.dataset.layout = "done";
  }

  // ---------------------------------------------------------------- panel
  const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);

  function select(n) {
    selected = n;
    draw();
    if (!n) return;
    let html = `<h2>${esc(n.label)}</h2><span class="kind" style="background:${colour[n.type] || "#999"}">${esc(n.type)}</span>`;
    html += "<dl>" + Object.entries(n.attrs)
      .filter(([k]) => k !== "iri")
      .map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(typeof v === "number" && !Number.isInteger(v) ? v.toFixed(5) : v)}</dd>`)
      .join("") + "</dl>";
    const groups = new Map();
    for (const e of n.links) {
      const other = e.s === n ? e.t : e.s;
      if (!groups.has(other.type)) groups.set(other.type, []);
      groups.get(other.type).push([other, e]);
    }
    for (const [type, list] of groups) {
      list.sort((a, b) => (a[1].start || 9999) - (b[1].start || 9999) || a[0].label.localeCompare(b[0].label));
      html += `<h3>${esc(type)} (${list.length})</h3><ul>`;
      for (const [other, e] of list) {
        const years = e.attrs.years ? ` <small>${esc(e.attrs.years)}</small>` : "";
        const extra = e.attrs.via ? ` <small>via ${esc(e.attrs.via)}</small>` : "";
        html += `<li><a data-id="${esc(other.id)}">${esc(other.label)}</a>${years}${extra}`;
        for (const s of e.evidence || []) html += `<blockquote>${esc(s)}</blockquote>`;
        html += "</li>";
      }
      html += "</ul>";
    }
    if (n.attrs.iri) html += `<p class="hint">${esc(n.attrs.iri)}</p>`;
    panel.innerHTML = html;
  }

  panel.addEventListener("click", (ev) => {
    const id = ev.target.dataset && ev.target.dataset.id;
    if (id) focus(byId.get(id));
  });

  function focus(n) {
    if (!n) return;
    userMoved = true;
    select(n);
    ox = canvas.clientWidth / 2 - scale * n.x;
    oy = canvas.clientHeight / 2 - scale * n.y;
    draw();
  }

  // ---------------------------------------------------------------- search
  function find(q) {
    q = q.trim().toLowerCase();
    if (!q) return [];
    const hits = nodes.filter((n) => n.label.toLowerCase().includes(q) || String(n.attrs.aliases || "").toLowerCase().includes(q));
    // Exact labels first, then shorter labels, then the more connected.
    return hits.sort((a, b) => (b.label.toLowerCase() === q) - (a.label.toLowerCase() === q) || a.label.length - b.label.length || b.degree - a.degree);
  }

  search.addEventListener("input", () => {
    const hits = find(search.value);
    matches = new Set(hits);
    results.innerHTML = hits.slice(0, 20).map((n) => `<li data-id="${esc(n.id)}">${esc(n.label)} <small>${esc(n.type)}</small></li>`).join("");
    results.hidden = hits.length === 0;
    draw();
  });
  search.addEventListener("keydown", (ev) => {
    if (ev.key !== "Enter") return;
    const hits = find(search.value);
    results.hidden = true;
    if (hits.length) focus(hits[0]);
  });
  results.addEventListener("click", (ev) => {
    const li = ev.target.closest("li");
    if (!li) return;
    results.hidden = true;
    focus(byId.get(li.dataset.id));
  });

  // ---------------------------------------------------------------- pointer
  let drag = null;
  const toGraph = (ev) => {
    const b = canvas.getBoundingClientRect();
    return [(ev.clientX - b.left - ox) / scale, (ev.clientY - b.top - oy) / scale];
  };
  const hit = (x, y) => {
    let best = null, bestD = Infinity;
    for (const n of nodes) {
      const d = (n.x - x) ** 2 + (n.y - y) ** 2;
      if (d < (radius(n) + 4 / scale) ** 2 && d < bestD) { best = n; bestD = d; }
    }
    return best;
  };
  canvas.addEventListener("mousedown", (ev) => {
    const [x, y] = toGraph(ev);
    const n = hit(x, y);
    drag = { n, sx: ev.clientX, sy: ev.clientY, ox, oy, moved: false };
  });
  window.addEventListener("mousemove", (ev) => {
    if (!drag) return;
    drag.moved = drag.moved || Math.abs(ev.clientX - drag.sx) + Math.abs(ev.clientY - drag.sy) > 3;
    if (drag.n) {
      const [x, y] = toGraph(ev);
      Object.assign(drag.n, { x, y, fixed: true });
    } else {
      userMoved = true;
      ox = drag.ox + ev.clientX - drag.sx;
      oy = drag.oy + ev.clientY - drag.sy;
    }
    draw();
  });
  window.addEventListener("mouseup", () => {
    if (drag && !drag.moved) select(drag.n);
    drag = null;
  });
  canvas.addEventListener("wheel", (ev) => {
    ev.preventDefault();
    userMoved = true;
    const b = canvas.getBoundingClientRect();
    const mx = ev.clientX - b.left, my = ev.clientY - b.top;
    const k = Math.exp(-ev.deltaY * 0.0015);
    ox = mx - (mx - ox) * k; oy = my - (my - oy) * k; scale *= k;
    draw();
  }, { passive: false });
  window.addEventListener("resize", resize);

  resize();
  run();
})();
