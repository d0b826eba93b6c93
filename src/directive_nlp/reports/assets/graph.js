/* directive-nlp graph view: vanilla JS, canvas, a small force-directed layout.
 * Input: the JSON in <script id="graph-data">: {meta, text, nodes:[{id, kind, label, stub,
 * untracked, overdue, search, attrs}], edges:[{s, t, kind, count}]}. No network access.
 * With meta.positioned the nodes carry x, y computed before the page was written (no layout
 * runs in the browser), and the tasks of each document sit gzip-compressed in
 * <script id="graph-tasks">, added around a document when it is selected.
 */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("graph-data").textContent);
  var T = data.text;
  var nodes = data.nodes, edges = data.edges;
  if (data.edge_kinds) {  // compact edges of the aggregated view: [source, target, kind, count]
    edges = edges.map(function (e) { return { s: e[0], t: e[1], kind: data.edge_kinds[e[2]], count: e[3] }; });
  }
  var N = nodes.length;
  var nDocs = nodes.filter(function (n) { return n.kind === "document" && !n.stub; }).length;

  var COLORS = {
    document: "#4e79a7", stub: "#c6d9ec", task: "#59a14f", untracked: "#e15759",
    overdue: "#f28e2b", unit: "#edc948"
  };
  var EDGE_COLORS = {
    cites: "rgba(120,120,120,0.45)", implements: "rgba(31,59,115,0.9)",
    contains: "rgba(150,150,150,0.35)", lead: "rgba(224,138,30,0.55)",
    support: "rgba(224,170,80,0.30)", derives_from: "rgba(142,68,173,0.85)"
  };
  // spring rest length and strength by edge kind
  var SPRING = {
    contains: [28, 1.0], lead: [70, 0.35], support: [90, 0.12], cites: [160, 0.08],
    implements: [120, 0.6], derives_from: [90, 0.25]
  };

  // ------------------------------------------------------------------ helpers
  function fold(s) {
    return String(s || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
  }
  function rng(seed) {  // mulberry32: deterministic layout
    return function () {
      seed |= 0; seed = seed + 0x6D2B79F5 | 0;
      var t = Math.imul(seed ^ seed >>> 15, 1 | seed);
      t = t + Math.imul(t ^ t >>> 7, 61 | t) ^ t;
      return ((t ^ t >>> 14) >>> 0) / 4294967296;
    };
  }
  var rand = rng(12345);
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    if (attrs) for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function nodeColor(n) {
    if (n.kind === "document") return n.stub ? COLORS.stub : COLORS.document;
    if (n.kind === "task") return n.untracked ? COLORS.untracked : (n.overdue ? COLORS.overdue : COLORS.task);
    return COLORS.unit;
  }
  function nodeRadius(n) {
    if (n.kind === "document") return n.stub ? 7 : 13;
    if (n.kind === "unit") return 4 + Math.min(6, Math.sqrt(n.degree || 1));
    return n.untracked ? 5 : 4;
  }

  // ------------------------------------------------------------------ adjacency
  var adj = [];
  for (var i = 0; i < N; i++) { adj.push([]); nodes[i].index = i; nodes[i].degree = 0; }
  edges.forEach(function (e) {
    adj[e.s].push({ other: e.t, kind: e.kind, out: true });
    adj[e.t].push({ other: e.s, kind: e.kind, out: false });
    nodes[e.s].degree++; nodes[e.t].degree++;
  });

  // ------------------------------------------------------------------ layout
  function initialPositions() {
    var docs = nodes.filter(function (n) { return n.kind === "document" && !n.stub; });
    var stubs = nodes.filter(function (n) { return n.kind === "document" && n.stub; });
    var R = 220 + 90 * Math.sqrt(docs.length);
    docs.forEach(function (n, k) {
      var a = 2 * Math.PI * k / Math.max(1, docs.length);
      n.x = (docs.length > 1 ? R : 0) * Math.cos(a); n.y = (docs.length > 1 ? R : 0) * Math.sin(a);
    });
    var R2 = R * 1.9 + 200;
    stubs.forEach(function (n, k) {
      var a = 2 * Math.PI * k / Math.max(1, stubs.length) + 0.1;
      n.x = R2 * Math.cos(a); n.y = R2 * Math.sin(a);
    });
    // tasks on a spiral around their document
    var seen = {};
    nodes.forEach(function (n) {
      if (n.kind !== "task") return;
      var parent = null;
      adj[n.index].forEach(function (a) { if (a.kind === "contains" && !a.out) parent = nodes[a.other]; });
      var p = parent || { x: 0, y: 0, index: -1 };
      var k = seen[p.index] = (seen[p.index] || 0) + 1;
      var a = k * 2.4, r = 30 + 9 * Math.sqrt(k) * 3;
      n.x = p.x + r * Math.cos(a); n.y = p.y + r * Math.sin(a);
    });
    // units at the mean of their tasks
    nodes.forEach(function (n) {
      if (n.kind !== "unit" && !(n.kind === "document" && n.stub && n.degree > 0)) return;
      var sx = 0, sy = 0, c = 0;
      adj[n.index].forEach(function (a) {
        var o = nodes[a.other];
        if (o.x !== undefined && !(o.kind === "document" && o.stub)) { sx += o.x; sy += o.y; c++; }
      });
      if (n.kind === "unit") {
        if (c) { n.x = sx / c; n.y = sy / c; } else { n.x = 0; n.y = 0; }
      } else if (c) {  // stubs: pulled halfway from the ring towards their citing documents
        n.x = (n.x + sx / c) / 2; n.y = (n.y + sy / c) / 2;
      }
      n.x += (rand() - 0.5) * 60; n.y += (rand() - 0.5) * 60;
    });
    nodes.forEach(function (n) {
      if (n.x === undefined) { n.x = (rand() - 0.5) * 400; n.y = (rand() - 0.5) * 400; }
      n.vx = 0; n.vy = 0;
    });
  }

  function layout(iterations) {
    var cell = 90, repulse = 2600, gravity = 0.004;
    for (var it = 0; it < iterations; it++) {
      var temp = 1 - it / iterations;
      var fx = new Float64Array(N), fy = new Float64Array(N);
      // repulsion between nearby nodes (uniform grid)
      var grid = {};
      for (var i = 0; i < N; i++) {
        var gx = Math.floor(nodes[i].x / cell), gy = Math.floor(nodes[i].y / cell);
        var key = gx + "," + gy;
        (grid[key] = grid[key] || []).push(i);
        nodes[i].gx = gx; nodes[i].gy = gy;
      }
      for (i = 0; i < N; i++) {
        var a = nodes[i];
        for (var dx = -2; dx <= 2; dx++) for (var dy = -2; dy <= 2; dy++) {
          var bucket = grid[(a.gx + dx) + "," + (a.gy + dy)];
          if (!bucket) continue;
          for (var b = 0; b < bucket.length; b++) {
            var j = bucket[b];
            if (j <= i) continue;
            var o = nodes[j];
            var ddx = a.x - o.x, ddy = a.y - o.y;
            var d2 = ddx * ddx + ddy * ddy;
            if (d2 < 0.01) { ddx = rand() - 0.5; ddy = rand() - 0.5; d2 = 0.5; }
            var w = (a.kind === "document" ? 3 : 1) * (o.kind === "document" ? 3 : 1);
            var f = repulse * w / d2;
            var d = Math.sqrt(d2);
            fx[i] += f * ddx / d; fy[i] += f * ddy / d;
            fx[j] -= f * ddx / d; fy[j] -= f * ddy / d;
          }
        }
      }
      // springs
      for (var e = 0; e < edges.length; e++) {
        var ed = edges[e], s = nodes[ed.s], t = nodes[ed.t];
        var sp = SPRING[ed.kind] || [80, 0.2];
        var ex = t.x - s.x, ey = t.y - s.y;
        var dist = Math.sqrt(ex * ex + ey * ey) || 0.01;
        var force = sp[1] * (dist - sp[0]) * 0.1;
        fx[ed.s] += force * ex / dist; fy[ed.s] += force * ey / dist;
        fx[ed.t] -= force * ex / dist; fy[ed.t] -= force * ey / dist;
      }
      // gravity and integration with a cooling step cap
      var cap = 4 + 40 * temp;
      for (i = 0; i < N; i++) {
        var n = nodes[i];
        fx[i] -= gravity * n.x; fy[i] -= gravity * n.y;
        n.vx = (n.vx + fx[i]) * 0.6; n.vy = (n.vy + fy[i]) * 0.6;
        var sp2 = Math.sqrt(n.vx * n.vx + n.vy * n.vy);
        if (sp2 > cap) { n.vx *= cap / sp2; n.vy *= cap / sp2; }
        n.x += n.vx; n.y += n.vy;
      }
    }
  }

  if (data.meta.positioned) {
    nodes.forEach(function (n) { n.vx = 0; n.vy = 0; });
  } else {
    initialPositions();
    layout(N > 2500 ? 120 : (N > 1000 ? 200 : 300));
  }

  // ------------------------------------------------------------------ tasks on demand
  var taskData = null, expanded = {};
  function loadTasks() {
    if (taskData) return Promise.resolve(taskData);
    var holder = document.getElementById("graph-tasks");
    if (!holder || typeof DecompressionStream === "undefined") return Promise.resolve({});
    var raw = atob(holder.textContent.trim());
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).text().then(function (t) { taskData = JSON.parse(t); return taskData; });
  }
  function addEdge(s, t, kind, count) {
    edges.push({ s: s, t: t, kind: kind, count: count || 1 });
    adj[s].push({ other: t, kind: kind, out: true });
    adj[t].push({ other: s, kind: kind, out: false });
    nodes[s].degree++; nodes[t].degree++;
  }
  function expand(i) {
    var d = nodes[i];
    if (!data.meta.positioned || d.kind !== "document" || d.stub || expanded[d.id]) return;
    expanded[d.id] = true;
    loadTasks().then(function (all) {
      (all[d.id] || []).forEach(function (t, k) {
        var idx = nodes.length, a = (k + 1) * 2.4, r = 24 + 14 * Math.sqrt(k + 1);
        var text = String(t.label || (t.attrs && t.attrs.text) || t.id);
        t.label = text.length > 90 ? text.slice(0, 89) + "…" : text;
        nodes.push({
          id: t.id, kind: "task", label: t.label, untracked: !!t.untracked, overdue: !!t.overdue,
          search: t.label, attrs: t.attrs || {}, index: idx, degree: 0, vx: 0, vy: 0,
          x: d.x + r * Math.cos(a), y: d.y + r * Math.sin(a), key: fold(t.label)
        });
        adj.push([]);
        addEdge(i, idx, "contains");
        (t.lead || []).forEach(function (u) { addEdge(idx, u, "lead"); });
        (t.support || []).forEach(function (u) { addEdge(idx, u, "support"); });
      });
      N = nodes.length;
      if (selected === i) { highlight = neighbourhood(i); showDetails(i); }
      draw();
    });
  }

  // ------------------------------------------------------------------ view state
  var canvas = document.getElementById("canvas");
  var ctx = canvas.getContext("2d");
  var tooltip = document.getElementById("tooltip");
  var view = { x: 0, y: 0, k: 1 };
  var show = { task: true, unit: true, stub: true };
  var selected = -1, highlight = null;  // highlight: {index: true}

  function visible(n) {
    if (n.kind === "task") return show.task;
    if (n.kind === "unit") return show.unit;
    if (n.kind === "document" && n.stub) return show.stub;
    return true;
  }

  function resize() {
    var r = canvas.parentNode.getBoundingClientRect();
    var dpr = window.devicePixelRatio || 1;
    canvas.width = Math.max(1, Math.floor(r.width * dpr));
    canvas.height = Math.max(1, Math.floor(r.height * dpr));
    canvas.style.width = r.width + "px"; canvas.style.height = r.height + "px";
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  }

  function fit(list) {
    var pts = (list || nodes).filter(visible);
    if (!pts.length) return;
    var minx = Infinity, miny = Infinity, maxx = -Infinity, maxy = -Infinity;
    pts.forEach(function (n) {
      minx = Math.min(minx, n.x); maxx = Math.max(maxx, n.x);
      miny = Math.min(miny, n.y); maxy = Math.max(maxy, n.y);
    });
    var r = canvas.getBoundingClientRect();
    var w = Math.max(60, maxx - minx), h = Math.max(60, maxy - miny);
    view.k = Math.min(4, Math.min(r.width / (w + 80), r.height / (h + 80)));
    view.x = r.width / 2 - view.k * (minx + maxx) / 2;
    view.y = r.height / 2 - view.k * (miny + maxy) / 2;
  }

  function toScreen(n) { return [view.x + view.k * n.x, view.y + view.k * n.y]; }
  function toWorld(px, py) { return [(px - view.x) / view.k, (py - view.y) / view.k]; }

  // ------------------------------------------------------------------ drawing
  function drawShape(n, x, y, r) {
    ctx.beginPath();
    if (n.kind === "document") {
      ctx.rect(x - r, y - r * 0.75, 2 * r, 1.5 * r);
    } else if (n.kind === "unit") {
      ctx.moveTo(x, y - r * 1.2); ctx.lineTo(x + r * 1.2, y); ctx.lineTo(x, y + r * 1.2);
      ctx.lineTo(x - r * 1.2, y); ctx.closePath();
    } else {
      ctx.arc(x, y, r, 0, 2 * Math.PI);
    }
  }

  function draw() {
    var r = canvas.getBoundingClientRect();
    ctx.clearRect(0, 0, r.width, r.height);
    var dimOthers = !!highlight;
    // edges
    for (var e = 0; e < edges.length; e++) {
      var ed = edges[e], s = nodes[ed.s], t = nodes[ed.t];
      if (!visible(s) || !visible(t)) continue;
      var on = !dimOthers || (highlight[ed.s] && highlight[ed.t]);
      var p = toScreen(s), q = toScreen(t);
      ctx.strokeStyle = on ? EDGE_COLORS[ed.kind] || "#999" : "rgba(200,200,200,0.12)";
      ctx.lineWidth = ed.kind === "implements" ? 2.5 : (ed.kind === "derives_from" ? 1.6 : 1);
      if (ed.count > 1) ctx.lineWidth += Math.min(5, Math.log(ed.count));
      ctx.setLineDash(ed.kind === "support" ? [4, 3] : []);
      ctx.beginPath(); ctx.moveTo(p[0], p[1]); ctx.lineTo(q[0], q[1]); ctx.stroke();
      if (on && (ed.kind === "implements" || ed.kind === "cites" || ed.kind === "derives_from")) {
        var ang = Math.atan2(q[1] - p[1], q[0] - p[0]);
        var rr = nodeRadius(t) * Math.max(0.6, Math.min(1.6, view.k)) + 2;
        var ax = q[0] - rr * Math.cos(ang), ay = q[1] - rr * Math.sin(ang);
        ctx.setLineDash([]); ctx.fillStyle = ctx.strokeStyle; ctx.beginPath();
        ctx.moveTo(ax, ay);
        ctx.lineTo(ax - 8 * Math.cos(ang - 0.4), ay - 8 * Math.sin(ang - 0.4));
        ctx.lineTo(ax - 8 * Math.cos(ang + 0.4), ay - 8 * Math.sin(ang + 0.4));
        ctx.closePath(); ctx.fill();
      }
    }
    ctx.setLineDash([]);
    // task counts on the aggregated edges (zoomed in, or around the selection)
    if (data.meta.positioned) {
      ctx.font = "10px 'DejaVu Sans', Arial, sans-serif"; ctx.textBaseline = "middle";
      for (e = 0; e < edges.length; e++) {
        ed = edges[e];
        if (!(ed.count > 1) || !visible(nodes[ed.s]) || !visible(nodes[ed.t])) continue;
        if (!(view.k > 1.5 || (highlight && highlight[ed.s] && highlight[ed.t]))) continue;
        p = toScreen(nodes[ed.s]); q = toScreen(nodes[ed.t]);
        ctx.fillStyle = "#555"; ctx.fillText(String(ed.count), (p[0] + q[0]) / 2, (p[1] + q[1]) / 2);
      }
    }
    // nodes: tasks first, documents last (on top)
    var order = [[], [], []];
    nodes.forEach(function (n) {
      if (!visible(n)) return;
      order[n.kind === "task" ? 0 : (n.kind === "unit" ? 1 : 2)].push(n);
    });
    var scale = Math.max(0.6, Math.min(1.6, view.k));
    order.forEach(function (group) {
      group.forEach(function (n) {
        var on = !dimOthers || highlight[n.index];
        var p = toScreen(n), rad = nodeRadius(n) * scale;
        ctx.globalAlpha = on ? 1 : 0.15;
        drawShape(n, p[0], p[1], rad);
        ctx.fillStyle = nodeColor(n); ctx.fill();
        ctx.lineWidth = n.index === selected ? 3 : (n.untracked ? 1.8 : 1);
        ctx.strokeStyle = n.index === selected ? "#000" : (n.untracked ? "#8b0000" : "rgba(40,40,40,0.7)");
        ctx.setLineDash(n.kind === "document" && n.stub ? [3, 2] : []);
        ctx.stroke(); ctx.setLineDash([]);
        if (n.overdue && n.untracked) {  // overdue ring on untracked tasks
          ctx.beginPath(); ctx.arc(p[0], p[1], rad + 2.5, 0, 2 * Math.PI);
          ctx.strokeStyle = COLORS.overdue; ctx.lineWidth = 1.5; ctx.stroke();
        }
      });
    });
    ctx.globalAlpha = 1;
    // labels (every highlighted node's when the highlight is small)
    var hlCount = highlight ? Object.keys(highlight).length : 0;
    ctx.textBaseline = "middle";
    order.forEach(function (group, gi) {
      group.forEach(function (n) {
        var hl = highlight && highlight[n.index];
        // stubs: labelled when cited by several documents, zoomed in, or highlighted
        var want = gi === 2 ? ((!n.stub && (nDocs <= 80 || view.k > 0.9)) || (n.stub && n.degree >= 2 && nDocs <= 80)
            || view.k > 1.2 || hl)
          : (gi === 1 ? (view.k > 1.1 || hl) : (view.k > 2.2 || (hl && (n.index === selected || hlCount <= 30))));
        if (!want || (highlight && !hl)) return;
        var p = toScreen(n), rad = nodeRadius(n) * scale;
        var text = n.label.length > 48 ? n.label.slice(0, 47) + "…" : n.label;
        ctx.font = (gi === 2 && !n.stub ? "bold 12px" : (n.stub ? "10px" : "11px")) + " 'DejaVu Sans', Arial, sans-serif";
        ctx.lineWidth = 3; ctx.strokeStyle = "rgba(255,255,255,0.9)";
        ctx.strokeText(text, p[0] + rad + 3, p[1]);
        ctx.fillStyle = gi === 2 ? (n.stub ? "#4a5a6a" : "#10243a") : "#333";
        ctx.fillText(text, p[0] + rad + 3, p[1]);
      });
    });
  }

  // ------------------------------------------------------------------ selection
  function neighbourhood(i) {
    var h = {}; h[i] = true;
    adj[i].forEach(function (a) { h[a.other] = true; });
    return h;
  }

  function select(i, focus) {
    selected = i;
    highlight = i >= 0 ? neighbourhood(i) : null;
    if (i >= 0) {
      var n = nodes[i];
      if (!visible(n)) { show[n.kind === "document" ? "stub" : n.kind] = true; syncChecks(); }
      if (focus) {
        var r = canvas.getBoundingClientRect();
        view.k = Math.max(view.k, 1.4);
        view.x = r.width / 2 - view.k * n.x; view.y = r.height / 2 - view.k * n.y;
      }
    }
    showDetails(i);
    draw();
    if (i >= 0) expand(i);
  }

  function fmt(v) {
    if (v === true) return T.yes;
    if (v === false) return T.no;
    if (Array.isArray(v)) return v.join("; ");
    return String(v);
  }

  function showDetails(i) {
    var box = document.getElementById("details");
    box.innerHTML = "";
    if (i < 0) { box.appendChild(el("p", { "class": "muted" }, T.click_hint)); return; }
    var n = nodes[i];
    box.appendChild(el("h2", null, n.label));
    var tbl = el("table", { "class": "attrs" });
    tbl.appendChild(row(T.attr_names.kind || "kind", T.kinds[n.stub ? "stub" : n.kind] || n.kind));
    Object.keys(n.attrs).forEach(function (k) {
      var tr = row(T.attr_names[k] || k, fmt(n.attrs[k]));
      if (k === "untracked_reason") tr.lastChild.className = "reason";
      tbl.appendChild(tr);
    });
    box.appendChild(tbl);
    var groups = {};
    adj[i].forEach(function (a) {
      var label = (T.edge_names[a.kind] || a.kind) + (a.out ? " →" : " ←");
      (groups[label] = groups[label] || []).push(a.other);
    });
    Object.keys(groups).sort().forEach(function (g) {
      box.appendChild(el("h2", null, g + " (" + groups[g].length + ")"));
      var ul = el("ul");
      groups[g].slice(0, 200).forEach(function (j) {
        var li = el("li", { "class": "nb" }, nodes[j].label);
        li.addEventListener("click", function () { select(j, true); });
        ul.appendChild(li);
      });
      box.appendChild(ul);
    });
  }
  function row(k, v) {
    var tr = el("tr");
    tr.appendChild(el("td", null, k)); tr.appendChild(el("td", null, v));
    return tr;
  }

  // ------------------------------------------------------------------ search
  var search = document.getElementById("search"), results = document.getElementById("results");
  nodes.forEach(function (n) { n.key = fold(n.search || n.label); });
  function runSearch() {
    var q = fold(search.value.trim());
    results.innerHTML = "";
    if (!q) { results.style.display = "none"; return []; }
    var hits = nodes.filter(function (n) { return n.key.indexOf(q) >= 0; });
    var rank = { document: 0, unit: 1, task: 2 };
    hits.sort(function (a, b) {
      return (rank[a.kind] - rank[b.kind]) || (a.key.indexOf(q) - b.key.indexOf(q)) || (a.label.length - b.label.length);
    });
    hits.slice(0, 40).forEach(function (n) {
      var d = el("div");
      d.appendChild(el("span", { "class": "k" }, T.kinds[n.stub ? "stub" : n.kind]));
      d.appendChild(document.createTextNode(n.label));
      d.addEventListener("mousedown", function (ev) { ev.preventDefault(); pick(n.index); });
      results.appendChild(d);
    });
    if (!hits.length) results.appendChild(el("div", { "class": "muted" }, T.no_match));
    results.style.display = "block";
    // highlight every hit and its neighbours while typing
    highlight = {};
    hits.forEach(function (n) { highlight[n.index] = true; });
    if (!hits.length) highlight = null;
    draw();
    return hits;
  }
  function pick(i) { results.style.display = "none"; select(i, true); }
  search.addEventListener("input", runSearch);
  search.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") { var h = runSearch(); if (h.length) pick(h[0].index); }
    if (ev.key === "Escape") { search.value = ""; results.style.display = "none"; select(-1); }
  });
  search.addEventListener("blur", function () { setTimeout(function () { results.style.display = "none"; }, 150); });
  document.getElementById("reset").addEventListener("click", function () {
    search.value = ""; select(-1); fit(); draw();
  });

  // ------------------------------------------------------------------ legend / filters
  function syncChecks() {
    ["task", "unit", "stub"].forEach(function (k) {
      var c = document.getElementById("show-" + k); if (c) c.checked = show[k];
    });
  }
  function buildLegend() {
    var box = document.getElementById("legend");
    var counts = data.meta.counts;
    var items = [["document", COLORS.document, null], ["stub", COLORS.stub, "stub"],
      ["task", COLORS.task, "task"], ["untracked", COLORS.untracked, null],
      ["overdue", COLORS.overdue, null], ["unit", COLORS.unit, "unit"]];
    items.forEach(function (it) {
      var d = el("div");
      var sw = el("span", { "class": "sw" }); sw.style.background = it[1];
      if (it[2]) {
        var lab = el("label");
        var cb = el("input", { type: "checkbox", id: "show-" + it[2] }); cb.checked = true;
        cb.addEventListener("change", function () { show[it[2]] = cb.checked; draw(); });
        lab.appendChild(cb); lab.appendChild(sw);
        lab.appendChild(document.createTextNode(T.kinds[it[0]] + " (" + (counts[it[0]] || 0) + ")"));
        d.appendChild(lab);
      } else {
        d.appendChild(sw);
        d.appendChild(document.createTextNode(T.kinds[it[0]] + " (" + (counts[it[0]] || 0) + ")"));
      }
      box.appendChild(d);
    });
    Object.keys(EDGE_COLORS).forEach(function (k) {
      var d = el("div");
      var sw = el("span", { "class": "sw line" }); sw.style.background = EDGE_COLORS[k];
      d.appendChild(sw);
      d.appendChild(document.createTextNode(T.edge_names[k] + " (" + (data.meta.edge_counts[k] || 0) + ")"));
      box.appendChild(d);
    });
  }

  // ------------------------------------------------------------------ mouse
  function hit(px, py) {
    var w = toWorld(px, py), best = -1, bestD = Infinity;
    var scale = Math.max(0.6, Math.min(1.6, view.k));
    nodes.forEach(function (n) {
      if (!visible(n)) return;
      var dx = n.x - w[0], dy = n.y - w[1];
      var d = Math.sqrt(dx * dx + dy * dy) * view.k;
      if (d < nodeRadius(n) * scale + 4 && d < bestD) { best = n.index; bestD = d; }
    });
    return best;
  }
  var drag = null;
  canvas.addEventListener("mousedown", function (ev) {
    drag = { x: ev.offsetX, y: ev.offsetY, vx: view.x, vy: view.y, moved: false };
    canvas.style.cursor = "grabbing";
  });
  window.addEventListener("mouseup", function (ev) {
    if (drag && !drag.moved && ev.target === canvas) select(hit(ev.offsetX, ev.offsetY), false);
    drag = null; canvas.style.cursor = "grab";
  });
  canvas.addEventListener("mousemove", function (ev) {
    if (drag) {
      var dx = ev.offsetX - drag.x, dy = ev.offsetY - drag.y;
      if (Math.abs(dx) + Math.abs(dy) > 3) drag.moved = true;
      view.x = drag.vx + dx; view.y = drag.vy + dy; draw();
      return;
    }
    var i = hit(ev.offsetX, ev.offsetY);
    if (i >= 0) {
      tooltip.style.display = "block";
      tooltip.textContent = (T.kinds[nodes[i].stub ? "stub" : nodes[i].kind] || "") + ": " + nodes[i].label;
      tooltip.style.left = (ev.offsetX + 14) + "px"; tooltip.style.top = (ev.offsetY + 10) + "px";
    } else tooltip.style.display = "none";
  });
  canvas.addEventListener("wheel", function (ev) {
    ev.preventDefault();
    var f = Math.exp(-ev.deltaY * 0.0015);
    var k = Math.max(0.05, Math.min(12, view.k * f));
    view.x = ev.offsetX - (ev.offsetX - view.x) * k / view.k;
    view.y = ev.offsetY - (ev.offsetY - view.y) * k / view.k;
    view.k = k; draw();
  }, { passive: false });
  window.addEventListener("resize", function () { resize(); draw(); });

  // ------------------------------------------------------------------ start
  buildLegend();
  showDetails(-1);
  resize();
  fit();
  // deep links: page.html#q=<search text> focuses the first hit; #node=<node id> selects a node
  var hash = decodeURIComponent((location.hash || "").slice(1));
  var byId = {};
  nodes.forEach(function (n) { byId[n.id] = n.index; });
  if (hash.indexOf("q=") === 0) {
    search.value = hash.slice(2);
    var first = runSearch();
    if (first.length) pick(first[0].index); else draw();
  } else if (hash.indexOf("node=") === 0 && byId[hash.slice(5)] !== undefined) {
    select(byId[hash.slice(5)], true);
  } else if (data.meta.center !== null && data.meta.center !== undefined) {
    select(data.meta.center, false);
  } else draw();
  document.body.setAttribute("data-rendered", "1");
  // time from navigation to the end of the first drawing (read by bench/ux.py)
  document.body.setAttribute("data-first-paint-ms", String(Math.round(performance.now())));
})();
