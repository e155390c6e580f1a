/* genai-kg view. The whole graph stays in the arrays of the data blob; vis-network's DataSets hold only what
 * is shown: the opening (the taxonomy, a focus, or a summary by kind) and what clicks, the legend and search
 * reveal, placed next to what it links to. Every click adds or removes just the nodes and edges it concerns.
 * Every string from the data reaches the page through textContent, never parsed as markup; tooltips are DOM
 * elements built with textContent, because vis-network renders string titles as HTML. */
(function () {
  "use strict";
  performance.mark("genai-kg:start");
  var data = JSON.parse(document.getElementById("genai-kg-data").textContent);
  var FONT = 18, MIN_PX = 12.5, MAX_FONT = 44, fontNow = FONT;
  var ROWS = 14, ROW_GAP = 50, CHAR = 9.5, COL_GAP = 70;
  var EXPAND_CAP = 42, GROUP_SHOW = 28, LINK_CAP = 30, MATCH_CAP = 15;
  var D = data.nodes, N = D.label.length, M = data.edges.t.length;
  var status = document.getElementById("search-status");
  function say(text) { status.textContent = text; }

  /* ---- the graph as typed arrays: edge ends, and adjacency by node (compressed rows) ---- */
  var es = new Int32Array(M), et = Int32Array.from(data.edges.t), ep = Int32Array.from(data.edges.p);
  var outStart = new Int32Array(N + 1), inStart = new Int32Array(N + 1), inEdges = new Int32Array(M);
  var s = 0, i, e;
  for (e = 0; e < M; e++) { s += data.edges.ds[e]; es[e] = s; outStart[s + 1]++; inStart[et[e] + 1]++; }
  for (i = 0; i < N; i++) { outStart[i + 1] += outStart[i]; inStart[i + 1] += inStart[i]; }
  var fill = inStart.slice(0, N);
  for (e = 0; e < M; e++) { inEdges[fill[et[e]]++] = e; }
  function degree(n) { return outStart[n + 1] - outStart[n] + inStart[n + 1] - inStart[n]; }
  function iri(n) { return data.ns[D.ns[n]] + D.local[n]; }
  function kindOf(n) { return data.kinds[D.kind[n]]; }
  performance.mark("genai-kg:built");

  function el(tag, cls, text) {
    var x = document.createElement(tag);
    if (cls) { x.className = cls; }
    if (text !== undefined && text !== null) { x.textContent = String(text); }
    return x;
  }
  function colour(c) {
    return { background: c, border: "#4a4a4a", highlight: { background: c, border: "#000000" },
             hover: { background: c, border: "#000000" } };
  }
  function tooltip(lines) {
    var box = el("div", "tt");
    lines.forEach(function (l) { if (l[1]) { box.appendChild(el("div", l[0], l[1])); } });
    return box;
  }
  function nodeTooltip(n) {
    var src = data.texts[D.src[n]];
    return tooltip([["tt-label", D.label[n]], ["tt-kind", kindOf(n)[0]], ["tt-def", D.def[n]],
                    ["tt-src", src && "Sources: " + src]]);
  }
  function edgeTooltip(k) {
    var src = data.texts[data.edges.src[k]];
    return tooltip([["tt-label", D.label[es[k]] + " \u2192 " + data.preds[ep[k]][1] + " \u2192 " + D.label[et[k]]],
                    ["tt-src", src && "Sources: " + src]]);
  }

  /* ---- what is shown ---- */
  var shown = new Uint8Array(N), edgeShown = new Uint8Array(M), expanded = new Uint8Array(N);
  var nodes = new vis.DataSet(), edges = new vis.DataSet();
  var groupAt = {}, named = {};

  /* Classes are boxes with their label inside (the taxonomy reads like a class browser); other nodes keep
   * their kind's shape, label below. */
  function dark(c) {
    var v = parseInt(c.slice(1), 16);
    return 0.299 * (v >> 16) + 0.587 * ((v >> 8) & 255) + 0.114 * (v & 255) < 150;
  }
  function visNode(n, x, y) {
    var k = kindOf(n), node = { id: n, label: D.label[n], shape: k[2], color: colour(k[1]), x: x, y: y, borderWidth: 1 };
    if (D.cls[n]) { node.shape = "box"; node.font = { color: dark(k[1]) ? "#ffffff" : "#1d1d1f", strokeWidth: 0 }; }
    return node;
  }
  /* Adds nodes [[id, x, y], ...] and the edges between them and what is already shown: the cost follows
   * the new nodes' links, never the size of the graph. */
  function addNodes(list) {
    var fresh = list.filter(function (t) { return !shown[t[0]]; });
    fresh.forEach(function (t) { shown[t[0]] = 1; });
    if (!fresh.length) { return []; }
    nodes.add(fresh.map(function (t) {
      var v = visNode(t[0], t[1], t[2]);
      if (t[3]) { v.label += " (+" + t[3].toLocaleString("en") + ")"; }
      return v;
    }));
    var add = [];
    fresh.forEach(function (t) {
      var n = t[0], j, k;
      for (j = outStart[n]; j < outStart[n + 1]; j++) { if (shown[et[j]] && !edgeShown[j]) { edgeShown[j] = 1; add.push(j); } }
      for (j = inStart[n]; j < inStart[n + 1]; j++) {
        k = inEdges[j];
        if (shown[es[k]] && !edgeShown[k]) { edgeShown[k] = 1; add.push(k); }
      }
    });
    /* A line of the hierarchy (to the node's parent) is left unlabelled: the hint names what those lines are.
     * Of the other lines, the first of each relation from a node carries its name, like a column heading;
     * the tooltip and the panel name every one. */
    edges.add(add.map(function (k) {
      if (D.up[es[k]] === et[k]) { return { id: k, from: es[k], to: et[k], width: 1.5 }; }
      var key = es[k] + ":" + ep[k], first = !named[key];
      named[key] = 1;
      return first ? { id: k, from: es[k], to: et[k], label: data.preds[ep[k]][1] } : { id: k, from: es[k], to: et[k] };
    }));
    updateCounts();
    return fresh.map(function (t) { return t[0]; });
  }
  function removeNodes(ids) {
    var gone = ids.filter(function (n) { return shown[n]; });
    var drop = [];
    gone.forEach(function (n) {
      shown[n] = 0; expanded[n] = 0;
      var j;
      for (j = outStart[n]; j < outStart[n + 1]; j++) { if (edgeShown[j]) { edgeShown[j] = 0; drop.push(j); } }
      for (j = inStart[n]; j < inStart[n + 1]; j++) { if (edgeShown[inEdges[j]]) { edgeShown[inEdges[j]] = 0; drop.push(inEdges[j]); } }
    });
    edges.remove(drop);
    nodes.remove(gone);
    updateCounts();
  }

  /* Columns of at most ROWS rows to the right of the anchor node, moved further right until no shown node is
   * in the way; each column as wide as its longest label. */
  function place(ids, anchor) {
    var point = typeof anchor === "object", a = point ? anchor : where(anchor);
    var x = a.x + (point ? 0 : halfWidth(anchor)), y = a.y;
    var widths = [], c;
    for (c = 0; c * ROWS < ids.length; c++) {
      widths.push(Math.max.apply(null, ids.slice(c * ROWS, (c + 1) * ROWS).map(function (n) {
        return typeof n === "number" ? D.label[n].length * CHAR : 120;
      })));
    }
    var rows = Math.min(ids.length, ROWS), top = y - (rows - 1) * ROW_GAP / 2;
    var span = widths.reduce(function (a, b) { return a + b + COL_GAP; }, 0);
    var pos = network.getPositions(), x0 = x + 90 + widths[0] / 2;
    for (var tries = 0; tries < 60; tries++) {
      var clash = Object.keys(pos).some(function (id) {
        var p = pos[id];
        return p.x > x0 - widths[0] / 2 - 40 && p.x < x0 + span && p.y > top - ROW_GAP && p.y < top + rows * ROW_GAP;
      });
      if (!clash) { break; }
      x0 += 180;
    }
    var out = [], cx = x0;
    ids.forEach(function (n, k) {
      c = Math.floor(k / ROWS);
      if (k % ROWS === 0 && c > 0) { cx += widths[c - 1] / 2 + COL_GAP + widths[c] / 2; }
      out.push([n, cx, top + (k % ROWS) * ROW_GAP]);
    });
    return out;
  }
  function where(id) { var p = network.getPositions([id])[id]; return p || { x: 0, y: 0 }; }
  /* A free spot below the left of the drawing, for what nothing shown leads to. */
  function below() {
    var pos = network.getPositions(), maxY = 0, minX = Infinity;
    Object.keys(pos).forEach(function (id) { maxY = Math.max(maxY, pos[id].y); minX = Math.min(minX, pos[id].x); });
    return { x: (minX === Infinity ? 0 : minX) - 120, y: maxY + ROW_GAP * (ROWS / 2 + 2) };
  }
  /* After a click adds nodes off screen, frame the clicked node and what it added (labels stay legible). */
  function bringIntoView(ids) {
    var box = document.getElementById("graph").getBoundingClientRect();
    var off = ids.some(function (id) {
      var p = network.canvasToDOM(where(id));
      return p.x < 0 || p.y < 0 || p.x > box.width || p.y > box.height;
    });
    if (off && ids.length > 1) {
      network.fit({ nodes: ids, animation: false });
      if (network.getScale() > 1) { network.moveTo({ scale: 1, animation: false }); }
      fitLabels();
    }
  }
  function halfWidth(id) { var v = nodes.get(id); return v && v.label ? v.label.length * CHAR * fontNow / FONT / 2 : 0; }

  /* The links of a node, grouped by relation: [{label, out, ids}], outgoing first. */
  var linkCache = {};
  function linkGroups(n) {
    if (!linkCache[n]) { linkCache[n] = groupLinks(n); }
    return linkCache[n];
  }
  function groupLinks(n) {
    var groups = {}, order = [];
    function put(key, label, out, other) {
      if (!groups[key]) { groups[key] = { label: label, out: out, ids: [] }; order.push(key); }
      groups[key].ids.push(other);
    }
    var j, k, p;
    for (j = outStart[n]; j < outStart[n + 1]; j++) { p = data.preds[ep[j]]; put("o" + ep[j], p[1], true, et[j]); }
    for (j = inStart[n]; j < inStart[n + 1]; j++) {
      k = inEdges[j]; p = data.preds[ep[k]];
      put("i" + ep[k], p[2] || p[1], false, es[k]);
    }
    return order.map(function (key) {
      var g = groups[key];
      g.ids.sort(function (a, b) { return degree(b) - degree(a) || (D.label[a] < D.label[b] ? -1 : 1); });
      return g;
    }).sort(function (a, b) { return (b.out - a.out) || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0); });
  }

  function expand(n) {
    if (expanded[n]) { return 0; }
    expanded[n] = 1;
    if (nodes.get(n).label !== D.label[n]) { nodes.update({ id: n, label: D.label[n] }); }
    var todo = [], seen = {};
    linkGroups(n).forEach(function (g) {
      g.ids.forEach(function (m) { if (!shown[m] && !seen[m] && todo.length < EXPAND_CAP) { seen[m] = 1; todo.push(m); } });
    });
    bringIntoView([n].concat(addNodes(place(todo, n))));
    var total = degree(n);
    if (todo.length === EXPAND_CAP) { say("showing " + EXPAND_CAP + " of " + total + " links of " + D.label[n] + "; the panel lists them all"); }
    return todo.length;
  }

  /* ---- groups (large graphs) and the legend: the busiest nodes of a kind ---- */
  var byKind = null;
  function members(k) {
    if (!byKind) {
      byKind = data.kinds.map(function () { return []; });
      for (var n = 0; n < N; n++) { byKind[D.kind[n]].push(n); }
    }
    if (!byKind[k].sorted) { byKind[k].sort(function (a, b) { return degree(b) - degree(a) || a - b; }); byKind[k].sorted = true; }
    return byKind[k];
  }
  function showKind(k, anchor, cap) {
    var todo = [], list = members(k);
    for (var j = 0; j < list.length && todo.length < cap; j++) { if (!shown[list[j]]) { todo.push(list[j]); } }
    addNodes(place(todo, anchor));
    say("showing " + todo.length + " more of " + list.length + " \u201c" + data.kinds[k][0] + "\u201d; search reaches every one");
    return todo;
  }

  var network = new vis.Network(document.getElementById("graph"), { nodes: nodes, edges: edges }, {
    autoResize: true,
    layout: { improvedLayout: false, randomSeed: 7 },
    physics: { enabled: false },
    interaction: { hover: true, tooltipDelay: 150, navigationButtons: false, keyboard: false, multiselect: false },
    nodes: { font: { size: FONT, face: "system-ui, sans-serif", multi: false, strokeWidth: 4, strokeColor: "#ffffff" },
             size: 11, widthConstraint: { maximum: 480 } },
    edges: { arrows: { to: { enabled: true, scaleFactor: 0.5 } }, smooth: false,
             color: { color: "#b0b4b9", highlight: "#1a73e8", hover: "#5f6368" },
             font: { size: 11, color: "#5f6368", strokeWidth: 3, multi: false }, selectionWidth: 1.5 }
  });
  window.network = network;

  /* The opening: positions from Python, then group nodes, then a focus expanded. */
  addNodes(data.open);
  nodes.add(data.groups.map(function (g) {
    var k = data.kinds[g[0]];
    groupAt["g" + g[0]] = g;
    return { id: "g" + g[0], label: k[0] + " (" + g[1].toLocaleString("en") + ")", shape: "box", x: g[2], y: g[3],
             color: colour(k[1]), font: { color: dark(k[1]) ? "#ffffff" : "#1d1d1f", strokeWidth: 0 }, borderWidth: 2, shapeProperties: { borderDashes: [5, 3] } };
  }));
  data.expand.forEach(expand);
  performance.mark("genai-kg:network");
  var treeNames = {};
  edges.forEach(function (x) { if (x.label === undefined) { treeNames[data.preds[ep[x.id]][1]] = 1; } });
  if (Object.keys(treeNames).length) {
    document.getElementById("hint").textContent = "Unlabelled lines: " + Object.keys(treeNames).sort().join(", ") +
      " \u00b7 " + document.getElementById("hint").textContent;
  }

  /* Labels keep a legible size as the view zooms out (down to a floor, below which vis-network hides them). */
  function fitLabels() {
    var want = Math.min(MAX_FONT, Math.max(FONT, MIN_PX / network.getScale()));
    if (want > fontNow || (fontNow - want) / fontNow > 0.08) { fontNow = want; network.setOptions({ nodes: { font: { size: want } } }); }
  }
  /* On a narrow screen a fit would shrink labels out of reach: keep them readable and centre on the deepest
   * level (the families), the rest a swipe away. */
  function fitView() {
    network.fit({ animation: false });
    if (network.getScale() > 1.3) { network.moveTo({ scale: 1.3, animation: false }); }
    if (document.getElementById("graph").clientWidth < 600 && network.getScale() < 0.7) {
      var pos = network.getPositions(), ids = Object.keys(pos), maxX = -Infinity, sumY = 0;
      ids.forEach(function (id) { maxX = Math.max(maxX, pos[id].x); sumY += pos[id].y; });
      network.moveTo({ position: { x: maxX - 120, y: sumY / ids.length }, scale: 0.7, animation: false });
    }
    fitLabels();
  }
  network.on("zoom", fitLabels);
  fitView();

  var ready = new Promise(function (resolve) {
    network.once("afterDrawing", function () {
      window.genaiKgReady = performance.now();
      document.body.setAttribute("data-ready", "1");
      resolve(true);
    });
    network.redraw();
  });

  /* Tooltips are built when first hovered: vis-network looks for a title only after tooltipDelay. */
  function ensureTitle(items, id, build) {
    var item = items[id];
    if (item && item.options && item.options.title === undefined) { item.options.title = build(); }
  }
  network.on("hoverNode", function (p) {
    if (typeof p.node === "number") { ensureTitle(network.body.nodes, p.node, function () { return nodeTooltip(p.node); }); }
  });
  network.on("hoverEdge", function (p) { ensureTitle(network.body.edges, p.edge, function () { return edgeTooltip(p.edge); }); });

  /* ---- header, status, zoom buttons ---- */
  document.getElementById("title").textContent = data.title;
  function updateCounts() {
    document.getElementById("counts").textContent = N.toLocaleString("en") + " nodes \u00b7 " + M.toLocaleString("en") +
      " edges \u00b7 showing " + nodes.length.toLocaleString("en");
  }
  updateCounts();
  function zoomBy(f) { network.moveTo({ scale: network.getScale() * f, animation: false }); fitLabels(); }
  document.getElementById("zoom-in").addEventListener("click", function () { zoomBy(1.4); });
  document.getElementById("zoom-out").addEventListener("click", function () { zoomBy(1 / 1.4); });
  document.getElementById("zoom-fit").addEventListener("click", fitView);
  var side = document.getElementById("side");
  document.getElementById("panel-toggle").addEventListener("click", function () { side.classList.toggle("open"); });

  /* ---- selection, neighbour highlight and the side panel ---- */
  var highlighted = [];
  function clearHighlight() {
    if (highlighted.length) {
      nodes.update(highlighted.map(function (n) { return { id: n, borderWidth: 1, color: colour(kindOf(n)[1]) }; }));
    }
    highlighted = [];
  }
  function highlightNeighbours(n) {
    clearHighlight();
    network.getConnectedNodes(n).forEach(function (m) { if (m !== n && highlighted.indexOf(m) < 0) { highlighted.push(m); } });
    nodes.update(highlighted.map(function (m) {
      var c = colour(kindOf(m)[1]);
      c.border = "#d93025";
      return { id: m, borderWidth: 4, color: c };
    }));
  }
  function linkButton(n) {
    var b = el("button", "link", D.label[n]);
    b.type = "button";
    b.addEventListener("click", function () { reveal(n); });
    return b;
  }
  function showDetails(n) {
    var k = kindOf(n), src = data.texts[D.src[n]];
    document.getElementById("details").hidden = false;
    document.getElementById("d-label").textContent = D.label[n];
    document.getElementById("d-swatch").className = "swatch";
    document.getElementById("d-swatch").style.background = k[1];
    document.getElementById("d-kind-text").textContent = k[0];
    document.getElementById("d-definition").textContent = D.def[n];
    document.getElementById("d-sources-line").hidden = !src;
    document.getElementById("d-sources").textContent = src;
    document.getElementById("d-iri").textContent = iri(n);
    var box = document.getElementById("d-links");
    box.textContent = "";
    var groups = linkGroups(n), heads = { true: null, false: null };
    groups.forEach(function (g) {
      if (!heads[g.out]) {
        heads[g.out] = el("h3", null, g.out ? "Links from " + D.label[n] : "Links to " + D.label[n]);
        box.appendChild(heads[g.out]);
      }
      box.appendChild(el("h4", "rel", (g.out ? "\u2192 " : "\u2190 ") + g.label + " (" + g.ids.length + ")"));
      var ul = el("ul");
      g.ids.slice(0, LINK_CAP).forEach(function (m) { var li = el("li"); li.appendChild(linkButton(m)); ul.appendChild(li); });
      if (g.ids.length > LINK_CAP) { ul.appendChild(el("li", "count", "\u2026 and " + (g.ids.length - LINK_CAP) + " more")); }
      box.appendChild(ul);
    });
    document.getElementById("d-out-head").textContent = "Links (" + degree(n) + ")";
  }
  function select(n, move) {
    network.selectNodes([n], true);
    highlightNeighbours(n);
    showDetails(n);
    if (window.matchMedia && window.matchMedia("(max-width: 600px)").matches) { side.classList.add("open"); }
    if (move) { network.focus(n, { scale: Math.max(network.getScale(), 0.9), animation: false }); fitLabels(); }
    window.genaiKgSelected = n;
  }
  function clearDetails() { document.getElementById("details").hidden = true; clearHighlight(); }

  /* Shows a node where it belongs: next to the nearest shown node above it (its family, superclass, ...),
   * or its kind's group, bringing the nodes in between along. */
  function show(n) {
    if (shown[n]) { return; }
    var chain = [n], up = D.up[n], guard = 0;
    while (up >= 0 && !shown[up] && guard++ < 64 && chain.indexOf(up) < 0) { chain.push(up); up = D.up[up]; }
    var sel = window.genaiKgSelected, anchor = up >= 0 && shown[up] ? up : groupAt["g" + D.kind[n]] ? "g" + D.kind[n]
      : sel !== null && sel !== undefined && shown[sel] ? sel : null;
    chain.reverse().forEach(function (m) {
      addNodes(place([m], anchor === null ? below() : anchor));
      anchor = m;
    });
  }
  function reveal(n) { show(n); select(n, true); }

  network.on("click", function (params) {
    var id = params.nodes[0];
    if (typeof id === "string" && groupAt[id]) {
      showKind(groupAt[id][0], id, GROUP_SHOW);
    } else if (id !== undefined) {
      expand(id);
      select(id, false);
    } else if (!params.edges.length) {
      clearDetails();
      window.genaiKgSelected = null;
    }
  });

  /* ---- search over the arrays (every node, shown or not), by label and alternative label ---- */
  var lowered = null;
  function search(text) {
    var q = String(text).trim().toLowerCase();
    if (!q) { return []; }
    if (!lowered) { lowered = D.label.map(function (l, n) { return [l.toLowerCase(), D.alt[n] ? D.alt[n].toLowerCase().split("; ") : []]; }); }
    var hits = [], score;
    for (var n = 0; n < N; n++) {
      var label = lowered[n][0], alts = lowered[n][1];
      score = label === q ? 0 : alts.indexOf(q) >= 0 ? 1 : label.indexOf(q) === 0 ? 2 : label.indexOf(q) > 0 ? 3
        : alts.some(function (a) { return a.indexOf(q) >= 0; }) ? 4 : -1;
      if (score >= 0) { hits.push([score, label.length, D.label[n], n]); }
    }
    hits.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1] || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0) || a[3] - b[3]; });
    return hits.map(function (h) { return h[3]; });
  }
  function find(text) {
    var t = String(text).trim().replace(/^<|>$/g, "");
    for (var n = 0; /^[a-z][a-z0-9+.-]*:/i.test(t) && n < N; n++) { if (iri(n) === t) { return [n]; } }
    return search(text);
  }
  var input = document.getElementById("search");
  var matches = document.getElementById("matches");
  function showMatches(ids) {
    matches.textContent = "";
    ids.slice(0, MATCH_CAP).forEach(function (n) {
      var li = el("li");
      li.appendChild(linkButton(n));
      li.appendChild(el("span", "count", " " + kindOf(n)[0]));
      matches.appendChild(li);
    });
    matches.hidden = ids.length < 2;
  }
  input.addEventListener("input", function () {
    var ids = search(input.value);
    say(input.value.trim() ? ids.length + " found" : "");
    showMatches(ids);
  });
  document.getElementById("search-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var ids = find(input.value);
    say(ids.length ? ids.length + " found" : "not found");
    showMatches(ids);
    if (ids.length) { reveal(ids[0]); }
  });

  /* ---- legend: a kind's busiest nodes shown below the drawing, or taken away again ---- */
  var byLegend = {};
  var legend = document.getElementById("legend");
  data.kinds.map(function (k, j) { return j; }).sort(function (a, b) {
    return data.kinds[b][3] - data.kinds[a][3] || (data.kinds[a][0] < data.kinds[b][0] ? -1 : 1);
  }).forEach(function (k) {
    var entry = data.kinds[k], li = el("li"), b = el("button", "link");
    b.type = "button";
    var sw = el("span", "swatch");
    sw.style.background = entry[1];
    b.appendChild(sw);
    b.appendChild(el("span", null, entry[0] || "(no kind)"));
    b.appendChild(el("span", "count", " " + entry[3].toLocaleString("en")));
    b.title = "Show or take away these nodes";
    b.setAttribute("data-kind", String(k));
    b.addEventListener("click", function () {
      if (byLegend[k]) {
        removeNodes(byLegend[k].filter(function (n) { return !expanded[n] && n !== window.genaiKgSelected; }));
        byLegend[k] = null;
        b.classList.remove("on");
        return;
      }
      byLegend[k] = showKind(k, below(), EXPAND_CAP * 2);
      b.classList.add("on");
    });
    li.appendChild(b);
    legend.appendChild(li);
  });

  /* ---- the page API ---- */
  window.genaiKg = {
    data: data, nodes: nodes, edges: edges, network: network, ready: ready, search: search, select: select,
    expand: expand, show: show, iri: iri, kindOf: kindOf, fontSize: function () { return fontNow; },
    /* Finds the best match for a label, alternative label or IRI, shows it in place, selects it and fills the
     * panel; resolves to its IRI once drawn (null when nothing matches). */
    reveal: function (text) {
      var ids = find(text);
      if (!ids.length) { return Promise.resolve(null); }
      reveal(ids[0]);
      return new Promise(function (resolve) {
        network.once("afterDrawing", function () { resolve(iri(ids[0])); });
        network.redraw();
      });
    }
  };
}());
