/* genai-kg view. vis-network's DataSets hold only what is shown: the opening (the taxonomy, a focus, or a
 * summary by kind) and what clicks, the legend and search reveal, placed next to what it links to.
 *
 * One interaction model, whatever holds the data: a click on a node shows its links grouped by property,
 * with counts, in the graph (one handle node per group) and in the panel; the groups that hold what the
 * node's "(+N)" counts open at once, a page at a time; a click on a handle adds the group's next page.
 * The data comes from a source: the arrays embedded in the page, or a SPARQL endpoint (the page's
 * data.remote, see views/remote.py) asked one question per click.
 *
 * Every string from the data reaches the page through textContent, never parsed as markup; tooltips are DOM
 * elements built with textContent, because vis-network renders string titles as HTML. */
(function (start) {
  "use strict";
  performance.mark("genai-kg:start");
  /* A big graph's data comes zlib-compressed in base64 (a fifth of the JSON's bytes): the browser inflates it
   * (DecompressionStream, no request), then the view starts. Until then window.genaiKg.ready waits for it. */
  var box = document.getElementById("genai-kg-data");
  if (box.getAttribute("data-encoding") !== "deflate-base64") {
    start(JSON.parse(box.textContent));
    return;
  }
  var opened;
  window.genaiKg = { ready: new Promise(function (resolve) { opened = resolve; }) };
  var bin = atob(box.textContent.trim()), bytes = new Uint8Array(bin.length);
  for (var i = 0; i < bin.length; i++) { bytes[i] = bin.charCodeAt(i); }
  bin = null;
  box.textContent = "";
  var packed = new Blob([bytes]);
  bytes = null;
  new Response(packed.stream().pipeThrough(new DecompressionStream("deflate"))).text()
    .then(function (text) { start(JSON.parse(text)); return window.genaiKg.ready; })
    .then(opened, function (error) {  /* a browser without DecompressionStream (before 2023) says so */
      document.getElementById("search-status").textContent = "This browser cannot read the page's data: " + error;
      throw error;
    });
}(function (data) {
  "use strict";
  /* Labels are drawn at FONT canvas pixels; the page never picks a zoom that puts them under MIN_PX screen
   * pixels (so, on a phone too, a tap keeps them legible), and never enlarges them (so they never overlap). */
  /* Labels stay >= MIN_PX screen pixels at any zoom the page picks; the opening may go down to 12 px to show
   * the whole opening (the bundled graph's needs 12.2 px at 1400x900). */
  var FONT = 18, MIN_PX = 12.5, MIN_SCALE = MIN_PX / FONT, OPEN_SCALE = 12 / FONT;
  var ROWS = 14, ROW_GAP = 50, CHAR = 9.5, COL_GAP = 70;
  var PAGE = 25, CAP = 1000, GROUP_SHOW = 28, LINK_CAP = 30, MATCH_CAP = 15, CLAIM_CAP = 40;
  var D = data.nodes, N = D.label.length, M = data.edges.t.length;
  /* A page written for a SPARQL endpoint carries no nodes: they are registered as answers bring them. */
  var R = data.remote || null;
  var status = document.getElementById("search-status");
  function say(text) { status.textContent = text; }

  /* ---- the graph as typed arrays: edge ends, and adjacency by node (compressed rows) ---- */
  var es = new Int32Array(M), et = Int32Array.from(data.edges.t), ep = Int32Array.from(data.edges.p);
  if (R) { es = Array.from(es); et = Array.from(et); ep = Array.from(ep); }
  var outStart = new Int32Array(N + 1), inStart = new Int32Array(N + 1), inEdges = new Int32Array(M);
  var s = 0, i, e;
  for (e = 0; e < M; e++) { s += data.edges.ds[e]; es[e] = s; outStart[s + 1]++; inStart[et[e] + 1]++; }
  for (i = 0; i < N; i++) { outStart[i + 1] += outStart[i]; inStart[i + 1] += inStart[i]; }
  var fill = inStart.slice(0, N);
  for (e = 0; e < M; e++) { inEdges[fill[et[e]]++] = e; }
  /* The edges known from and to a node: the arrays' rows, or (from an endpoint) what answers brought. */
  var outAdj = {}, inAdj = {};
  function outIds(n) {
    if (R) { return outAdj[n] || []; }
    var list = [];
    for (var j = outStart[n]; j < outStart[n + 1]; j++) { list.push(j); }
    return list;
  }
  function inIds(n) {
    if (R) { return inAdj[n] || []; }
    var list = [];
    for (var j = inStart[n]; j < inStart[n + 1]; j++) { list.push(inEdges[j]); }
    return list;
  }
  function degree(n) {
    if (R) { return summaries[n] ? summaries[n].total : outIds(n).length + inIds(n).length; }
    return outStart[n + 1] - outStart[n] + inStart[n + 1] - inStart[n];
  }
  function iri(n) { return data.ns[D.ns[n]] + D.local[n]; }
  function kindOf(n) { return data.kinds[D.kind[n]]; }
  /* The nodes under each node in the hierarchy the view draws (D.up), built when first needed. */
  var kids = null;
  function children(n) {
    if (!kids) {
      kids = {};
      for (var m = 0; m < N; m++) { if (D.up[m] >= 0) { (kids[D.up[m]] = kids[D.up[m]] || []).push(m); } }
    }
    return kids[n] || [];
  }
  function hiddenBelow(n) { return children(n).filter(function (m) { return !shown[m]; }).length; }
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
  function claimText(k) { return D.label[es[k]] + " \u2192 " + data.preds[ep[k]][1] + " \u2192 " + D.label[et[k]]; }
  function edgeTooltip(k) {
    var src = data.texts[data.edges.src[k]];
    return tooltip([["tt-label", claimText(k)], ["tt-src", src && "Sources: " + src],
                    ["tt-kind", data.edges.x[k] ? "The documents disagree: click to see both sides" : "Click for its sources"]]);
  }

  /* ---- what is shown ---- */
  var shown = R ? [] : new Uint8Array(N), edgeShown = R ? [] : new Uint8Array(M), expanded = R ? [] : new Uint8Array(N);
  var nodes = new vis.DataSet(), edges = new vis.DataSet();
  var groupAt = {}, named = {}, handles = {};

  /* Classes are boxes with their label inside (the taxonomy reads like a class browser); other nodes keep
   * their kind's shape, label below. */
  function dark(c) {
    var v = parseInt(c.slice(1), 16);
    return 0.299 * (v >> 16) + 0.587 * ((v >> 8) & 255) + 0.114 * (v & 255) < 150;
  }
  /* A node's label says what a click on it adds: "(+9)" when nine nodes under it are not shown. */
  function nodeLabel(n) {
    var more = expanded[n] ? 0 : hiddenBelow(n);
    return D.label[n] + (more ? " (+" + more.toLocaleString("en") + ")" : "");
  }
  function visNode(n, x, y) {
    var k = kindOf(n), node = { id: n, label: nodeLabel(n), shape: k[2], color: colour(k[1]), x: x, y: y, borderWidth: 1 };
    if (D.cls[n]) { node.shape = "box"; node.font = { color: dark(k[1]) ? "#ffffff" : "#1d1d1f", strokeWidth: 0 }; }
    return node;
  }
  /* A claim the documents disagree on: dashed, in the colour of disagreements. */
  function disputedLook(edge) {
    edge.dashes = [8, 5]; edge.width = 2.5; edge.color = { color: "#aa4499", highlight: "#aa4499", hover: "#aa4499" };
    return edge;
  }
  function visEdge(k) {
    var edge = { id: k, from: es[k], to: et[k] };
    if (data.edges.x[k]) { disputedLook(edge); }
    if (D.up[es[k]] === et[k] && !data.edges.x[k]) { edge.width = 1.5; return edge; }
    /* Of the other lines, the first of each relation from a node carries its name, like a column heading;
     * the tooltip and the panel name every one. */
    var key = es[k] + ":" + ep[k];
    if (!named[key]) { edge.label = data.preds[ep[k]][1]; }
    named[key] = 1;
    return edge;
  }
  /* Adds nodes [[id, x, y], ...] and the edges between them and what is already shown: the cost follows
   * the new nodes' links, never the size of the graph. */
  function addNodes(list) {
    var fresh = list.filter(function (t) { return typeof t[0] === "number" && !shown[t[0]]; });
    fresh.forEach(function (t) { shown[t[0]] = 1; });
    var extra = list.filter(function (t) { return typeof t[0] === "string" && !nodes.get(t[0]); });
    if (!fresh.length && !extra.length) { return []; }
    nodes.add(fresh.map(function (t) { return visNode(t[0], t[1], t[2]); }).concat(extra.map(function (t) {
      return handleNode(t[0], t[1], t[2]);
    })));
    var add = [];
    fresh.forEach(function (t) {
      outIds(t[0]).forEach(function (k) { if (shown[et[k]] && !edgeShown[k]) { edgeShown[k] = 1; add.push(k); } });
      inIds(t[0]).forEach(function (k) { if (shown[es[k]] && !edgeShown[k]) { edgeShown[k] = 1; add.push(k); } });
    });
    edges.add(add.map(visEdge).concat(extra.map(function (t) {
      return { id: "e" + t[0], from: handles[t[0]].n, to: t[0], dashes: [3, 4], color: { color: "#9aa0a6" }, arrows: { to: { enabled: false } } };
    })));
    /* the counts on the nodes these lead to change: "(+9)" becomes "(+8)" when one of the nine is shown */
    var touched = {};
    fresh.forEach(function (t) { var up = D.up[t[0]]; if (up >= 0 && shown[up] && !expanded[up]) { touched[up] = 1; } });
    Object.keys(touched).forEach(function (u) { nodes.update({ id: +u, label: nodeLabel(+u) }); });
    updateCounts();
    return fresh.map(function (t) { return t[0]; }).concat(extra.map(function (t) { return t[0]; }));
  }
  function removeNodes(ids) {
    var gone = ids.filter(function (n) { return shown[n]; });
    var drop = [];
    gone.forEach(function (n) {
      shown[n] = 0; expanded[n] = 0;
      outIds(n).concat(inIds(n)).forEach(function (k) { if (edgeShown[k]) { edgeShown[k] = 0; drop.push(k); } });
    });
    edges.remove(drop);
    nodes.remove(gone);
    updateCounts();
  }

  /* ---- placing: columns of at most ROWS rows right of the anchor, moved right until nothing shown (its
   * label included) is in the way; each column as wide as its longest label ---- */
  function labelWidth(id) {
    var v = nodes.get(id);
    var text = v ? v.label || "" : typeof id === "number" ? D.label[id] : handleLabel(id);
    return Math.max(40, text.length * CHAR);
  }
  function place(ids, anchor) {
    if (!ids.length) { return []; }
    var point = typeof anchor === "object" && anchor !== null, a = point ? anchor : where(anchor);
    var x = a.x + (point ? 0 : labelWidth(anchor) / 2), y = a.y;
    var widths = [], c;
    for (c = 0; c * ROWS < ids.length; c++) {
      widths.push(Math.max.apply(null, ids.slice(c * ROWS, (c + 1) * ROWS).map(function (n) {
        return typeof n === "number" ? D.label[n].length * CHAR + 24 : handleLabel(n).length * CHAR;
      })));
    }
    var rows = Math.min(ids.length, ROWS), top = y - (rows - 1) * ROW_GAP / 2;
    var span = widths.reduce(function (a, b) { return a + b + COL_GAP; }, 0);
    var pos = network.getPositions(), boxes = Object.keys(pos).map(function (id) {
      var key = isNaN(+id) ? id : +id, half = labelWidth(key) / 2;
      return [pos[id].x - half, pos[id].x + half, pos[id].y];
    });
    var start = x + 90 + widths[0] / 2, x0 = start, top0 = top;
    function clashes() {
      var left = x0 - widths[0] / 2 - 30, right = left + span + 30;
      return boxes.some(function (b) {
        return b[1] > left && b[0] < right && b[2] > top - ROW_GAP && b[2] < top + rows * ROW_GAP;
      });
    }
    /* Nearest free place: a column or two to the right, else above or below the anchor's column (new nodes
     * far to the right of a busy node would land off screen beside it). */
    var found = false;
    for (var step = 0; step < 3 && !found; step++) { x0 = start + step * 160; found = !clashes(); }
    for (var k = 1; k < 80 && !found; k++) {
      x0 = start;
      top = top0 + (k % 2 ? 1 : -1) * Math.ceil(k / 2) * ROW_GAP;
      found = !clashes();
    }
    if (!found) { top = top0; x0 = start + 3 * 160; }
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
  /* After nodes are added, bring them into view with `keep` (the node clicked) on screen: the whole lot
   * framed if it fits at a legible zoom, else the legible zoom centred as near their middle as keeps `keep`
   * on screen. Never below MIN_SCALE: labels stay >= MIN_PX screen pixels, on a phone too. */
  function narrow() { return document.getElementById("graph").clientWidth < 600; }
  /* The part of the drawing a person sees: on a phone the panel (a bottom sheet) covers the lower part. */
  function visibleBox() {
    var box = document.getElementById("graph").getBoundingClientRect(), h = box.height;
    if (narrow()) { h = Math.min(h, window.innerHeight * 0.55 - box.top); }
    return { width: box.width, height: Math.max(h, 120), full: box.height };
  }
  function bringIntoView(keep, ids) {
    var box = visibleBox();
    var all = (keep === null || keep === undefined ? [] : [keep]).concat(ids).filter(function (id) { return nodes.get(id); });
    if (!all.length || !box.width) { return; }
    picked = true;
    var margin = 30, scale = network.getScale();
    var off = all.some(function (id) {
      var p = network.canvasToDOM(where(id)), half = labelWidth(id) / 2 * scale;
      return p.x - half < 0 || p.y < 12 || p.x + half > box.width || p.y > box.height - 12;
    });
    if (!off && scale >= MIN_SCALE) { return; }
    var x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    all.forEach(function (id) {
      var p = where(id), half = labelWidth(id) / 2;
      x0 = Math.min(x0, p.x - half); x1 = Math.max(x1, p.x + half); y0 = Math.min(y0, p.y - 25); y1 = Math.max(y1, p.y + 25);
    });
    var fit = Math.min((box.width - 2 * margin) / Math.max(x1 - x0, 1), (box.height - 2 * margin) / Math.max(y1 - y0, 1));
    var target = Math.max(MIN_SCALE, Math.min(fit, Math.max(scale, 1)));
    var cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
    if (keep !== null && keep !== undefined && nodes.get(keep)) {
      var k = where(keep), hw = labelWidth(keep) / 2;
      var spanX = Math.max(0, (box.width / 2 - margin) / target - hw), spanY = Math.max(0, (box.height / 2 - margin) / target - 20);
      cx = Math.min(Math.max(cx, k.x - spanX), k.x + spanX);
      cy = Math.min(Math.max(cy, k.y - spanY), k.y + spanY);
    }
    network.moveTo({ position: { x: cx, y: cy + (box.full - box.height) / 2 / target }, scale: target, animation: false });
  }
  /* vis-network rescales the drawing when its box is resized; a zoom the page picked stays legible. */
  var picked = false;
  function keepLegible() {
    if (picked && network.getScale() < OPEN_SCALE * 0.999) { network.moveTo({ scale: MIN_SCALE, animation: false }); }
  }

  /* ---- the links of a node, grouped by property and direction ---- */
  var linkCache = {};
  function linkGroups(n) {
    if (!linkCache[n]) { linkCache[n] = groupLinks(n); }
    return linkCache[n];
  }
  /* [{key, pred, label, out, ids, below}], the groups holding the nodes under n (what "(+N)" counts) first,
   * then outgoing before incoming, by label. */
  function groupLinks(n) {
    var groups = {}, order = [];
    function put(key, p, label, out, other) {
      if (!groups[key]) { groups[key] = { key: key, pred: p, label: label, out: out, ids: [], below: 0 }; order.push(key); }
      if (groups[key].ids.indexOf(other) < 0) { groups[key].ids.push(other); }
      if (!out && D.up[other] === n) { groups[key].below++; }
    }
    outIds(n).forEach(function (k) { put("o" + ep[k], ep[k], data.preds[ep[k]][1], true, et[k]); });
    inIds(n).forEach(function (k) { var p = data.preds[ep[k]]; put("i" + ep[k], ep[k], p[2] || p[1], false, es[k]); });
    return order.map(function (key) {
      var g = groups[key];
      g.ids.sort(function (a, b) {
        return (D.up[b] === n) - (D.up[a] === n) || degree(b) - degree(a) || (D.label[a] < D.label[b] ? -1 : 1);
      });
      g.count = g.ids.length;
      g.capped = false;
      return g;
    }).sort(function (a, b) {
      return (b.below > 0) - (a.below > 0) || (b.out - a.out) || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0);
    });
  }
  function groupName(g) { return (g.out ? "\u2192 " : "\u2190 ") + g.label; }

  /* ---- handles: one node per group of links not all shown; a click on one adds its next page ---- */
  var pageAt = {};
  function handleId(n, g) { return "h" + n + ":" + g.key; }
  /* How many of the group's nodes a click could still add (from an endpoint: the count less the pages read). */
  function waiting(n, g) {
    if (R) { return Math.max(0, g.count - (pageAt[n + ":" + g.key] || 0)); }
    return g.ids.filter(function (m) { return !shown[m]; }).length;
  }
  function countText(g) { return g.capped ? Math.min(g.count, CAP).toLocaleString("en") + "+" : g.count.toLocaleString("en"); }
  function handleLabel(id) {
    var h = handles[id];
    if (!h) { return ""; }
    var g = h.group, left = waiting(h.n, g);
    return (pageAt[h.n + ":" + g.key] ? "+" + (g.capped ? "more" : left.toLocaleString("en") + " more") + " " : "") +
      groupName(g) + " (" + countText(g) + ")";
  }
  function handleNode(id, x, y) {
    return { id: id, label: handleLabel(id), shape: "box", x: x, y: y, borderWidth: 1, color: colour("#f1f3f4"),
             font: { size: 15, color: "#3c4043", strokeWidth: 0 }, shapeProperties: { borderDashes: [4, 3] } };
  }
  function refreshHandle(n, g) {
    var id = handleId(n, g);
    if (!handles[id]) { return; }
    if (!waiting(n, g)) { nodes.remove(id); edges.remove("e" + id); delete handles[id]; return; }
    nodes.update({ id: id, label: handleLabel(id) });
  }
  /* The group's next page: ids not yet shown (the arrays), or asked of the endpoint (one request). */
  function nextPage(n, g) {
    if (R) { return remotePage(n, g); }
    var key = n + ":" + g.key, from = pageAt[key] || 0, todo = [];
    while (from < g.ids.length && todo.length < PAGE) { if (!shown[g.ids[from]]) { todo.push(g.ids[from]); } from++; }
    pageAt[key] = from;
    return Promise.resolve(todo);
  }
  /* The group's next page placed right of `anchor`: resolves to the ids added. */
  function openPage(n, g, anchor) {
    return nextPage(n, g).then(function (todo) {
      var added = addNodes(place(todo.filter(function (m) { return !shown[m]; }), nodes.get(anchor) ? anchor : n));
      refreshHandle(n, g);
      return added;
    });
  }
  function addHandles(n, groups) {
    var ids = [];
    groups.forEach(function (g) {
      var id = handleId(n, g);
      if (!handles[id] && waiting(n, g)) { handles[id] = { n: n, group: g }; ids.push(id); }
    });
    return addNodes(place(ids, n));
  }
  function drawn() {
    return new Promise(function (resolve) { network.once("afterDrawing", function () { resolve(true); }); network.redraw(); });
  }
  function groupsOf(n) { return R ? remoteGroups(n) : Promise.resolve(linkGroups(n)); }

  /* What a click on a node does: its links grouped by property, the groups holding what its "(+N)" counts
   * opened a page each (the nine members of "large language model (+9)"), the others as handles. */
  function expand(n) {
    if (expanded[n]) { return Promise.resolve([]); }
    expanded[n] = 1;
    return groupsOf(n).then(function (groups) {
      var below = groups.filter(function (g) { return g.below > 0; });
      return Promise.all(below.map(function (g) { return openPage(n, g, n); })).then(function (pages) {
        var added = [].concat.apply([], pages);
        nodes.update({ id: n, label: nodeLabel(n) });
        var both = added.concat(addHandles(n, groups));
        bringIntoView(n, both);
        var total = groups.reduce(function (a, g) { return a + g.count; }, 0);
        say(D.label[n] + ": " + total.toLocaleString("en") + (groups.some(function (g) { return g.capped; }) ? "+" : "") +
            " links in " + groups.length + " groups; click a group for its nodes");
        if (window.genaiKgSelected === n) { showDetails(n); }
        return added;
      });
    });
  }
  /* The next page of one group of n's links (the handle's click). */
  function more(n, g) {
    var id = handleId(n, g);
    if (!handles[id] && waiting(n, g)) { addHandles(n, [g]); }
    return openPage(n, g, handles[id] ? id : n).then(function (added) {
      bringIntoView(n, added);
      say(added.length + " more of " + countText(g) + " \u201c" + g.label + "\u201d of " + D.label[n]);
      if (window.genaiKgSelected === n) { showDetails(n); }
      return added;
    });
  }
  function findGroup(groups, property) {
    var p = String(property).trim().replace(/^<|>$/g, ""), inverse = p.charAt(0) === "^";
    if (inverse) { p = p.slice(1); }
    var hits = groups.filter(function (g) {
      var pred = data.preds[g.pred];
      return (pred[0] === p && g.out !== inverse) || g.label === p || groupName(g) === p;
    });
    return hits[0] || null;
  }

  /* ---- an endpoint as the source: one bounded SPARQL request per question (see views/remote.py) ---- */
  var summaries = {}, byIri = {}, predIndex = {}, edgeKey = {};
  if (R) {
    PAGE = R.page; CAP = R.cap;
    for (var r0 = 0; r0 < N; r0++) { byIri[iri(r0)] = r0; }
    data.preds.forEach(function (p, k) { if (p[1].indexOf(": ") < 0 && predIndex[p[0]] === undefined) { predIndex[p[0]] = k; } });
    for (var r1 = 0; r1 < M; r1++) {
      edgeKey[es[r1] + " " + ep[r1] + " " + et[r1]] = r1;
      (outAdj[es[r1]] = outAdj[es[r1]] || []).push(r1); (inAdj[et[r1]] = inAdj[et[r1]] || []).push(r1);
    }
    window.genaiKgRequests = 0;
  }
  function ref(text) {
    if (/[<>"{}|^`\\\s]/.test(text)) { throw new Error("not an IRI the page can ask about: " + text); }
    return "<" + text + ">";
  }
  function literal(text) { return JSON.stringify(String(text)); }  /* a SPARQL string: JSON escapes are SPARQL's */
  /* One request; `quiet`: a refusal is the caller's to handle, not said in the status line. */
  function sparql(query, quiet, ask) {
    var body = new URLSearchParams();
    body.set("query", query);
    window.genaiKgRequests++;
    return fetch(R.endpoint, { method: "POST", body: body, credentials: "omit",
                               headers: { Accept: "application/sparql-results+json" } }).then(function (r) {
      if (!r.ok) { return r.text().then(function (t) { throw new Error("the endpoint answered " + r.status + ": " + t.slice(0, 200)); }); }
      return r.json();
    }).then(function (j) { return ask ? j.boolean === true : j.results.bindings; }).catch(function (err) { if (!quiet) { say(String(err.message || err)); } throw err; });
  }
  /* Keeps standard-vocabulary terms (owl:Class, rdfs:Resource ...) out, as the embedded view does. */
  function notStandard(v) {
    return R.standard.map(function (ns) { return "!STRSTARTS(STR(" + v + "), " + literal(ns) + ")"; }).join(" && ");
  }
  function drawablePredicate(v) {
    return "(" + v + " IN (" + R.structural.map(ref).join(", ") + ") || (" + notStandard(v) + "))";
  }
  function localName(t) { var m = /[^#/:]+[#/]?$/.exec(t.replace(/[#/]+$/, "")); return m ? m[0] : t; }
  function better(label, lang) { return lang === "en" ? 0 : lang === "" ? 1 : 2; }
  /* Registers a node the endpoint named: its label and types decide its text, colour and shape. */
  function remoteNode(text, label, types) {
    var n = byIri[text];
    if (n === undefined) {
      n = byIri[text] = N++;
      D.ns.push(0); D.local.push(text); D.label.push(label || localName(text)); D.alt.push(""); D.def.push("");
      D.src.push(0); D.up.push(-1); D.cls.push(0); D.kind.push(otherKind());
    } else if (label) { D.label[n] = label; }
    var best = null;
    (types || []).forEach(function (t) {
      var k = R.kinds[t];
      if (k && (best === null || k[1] < best[1])) { best = k; }
      if (t === "http://www.w3.org/2002/07/owl#Class" || t === "http://www.w3.org/2000/01/rdf-schema#Class") { D.cls[n] = 1; }
    });
    if (best) { D.kind[n] = best[0]; }
    return n;
  }
  var other = null;
  function otherKind() {
    if (other === null) {
      other = data.kinds.findIndex(function (k) { return k[0] === "other"; });
      if (other < 0) { other = data.kinds.length; data.kinds.push(["other", "#9e9e9e", "dot", 0]); }
    }
    return other;
  }
  function pred(text) {
    if (predIndex[text] === undefined) {
      var known = R.labels[text] || [localName(text), ""];
      predIndex[text] = data.preds.length;
      data.preds.push([text, known[0], known[1]]);
    }
    return predIndex[text];
  }
  function remoteEdge(a, p, b) {
    var key = a + " " + p + " " + b;
    if (edgeKey[key] !== undefined) { return edgeKey[key]; }
    var k = edgeKey[key] = M++;
    es.push(a); ep.push(p); et.push(b);
    data.edges.src.push(0); data.edges.c.push(0); data.edges.x.push(0);
    (outAdj[a] = outAdj[a] || []).push(k); (inAdj[b] = inAdj[b] || []).push(k);
    if (shown[a] && shown[b] && !edgeShown[k]) { edgeShown[k] = 1; edges.add(visEdge(k)); }
    return k;
  }
  /* Rows of ?m ?label ?type (one per type) as nodes, in the order they first come. */
  function rowsToNodes(rows, v) {
    var seen = {}, order = [], labels = {}, types = {};
    rows.forEach(function (b) {
      var m = b[v] && b[v].type === "uri" ? b[v].value : null;
      if (m === null) { return; }
      if (!seen[m]) { seen[m] = 1; order.push(m); types[m] = []; }
      if (b.label) {
        var rank = better(b.label.value, b.label["xml:lang"] || "");
        if (!labels[m] || rank < labels[m][1]) { labels[m] = [b.label.value, rank]; }
      }
      if (b.type && b.type.type === "uri") { types[m].push(b.type.value); }
    });
    return order.map(function (m) { return remoteNode(m, labels[m] && labels[m][0], types[m]); });
  }
  /* A node's links counted per property and direction, each direction read up to CAP + 1 links. An incoming
   * link's subject is an IRI or a blank node, so "not blank" is what keeps the IRIs: Virtuoso 7, given
   * isIRI() there beside the property's namespace tests, left its object index and took 1.3-2.5 s at 1M
   * triples for a node with one incoming link, 3-4 ms with !isBlank() (the same rows on every store). */
  function remoteGroups(n) {
    if (summaries[n]) { return Promise.resolve(summaries[n].groups); }
    var x = ref(iri(n)), limit = " } LIMIT " + (CAP + 1) + " } ";
    var q = "SELECT ?dir ?p (COUNT(*) AS ?n) WHERE { { { SELECT ?p WHERE { " + x + " ?p ?o . FILTER(isIRI(?o) && " +
      notStandard("?o") + " && " + drawablePredicate("?p") + ")" + limit + "BIND(\"o\" AS ?dir) } UNION { { SELECT ?p WHERE { ?o ?p " +
      x + " . FILTER(!isBlank(?o) && " + drawablePredicate("?p") + ")" + limit + "BIND(\"i\" AS ?dir) } } GROUP BY ?dir ?p";
    /* the same request reads the claims about the node with their citations: the panel's claims by source */
    var claims = "{ SELECT ?ax ?cs ?cp ?co ?src ?other WHERE { { VALUES ?cs { " + x + " } " + axiom() + " BIND(?co AS ?other) }" +
      " UNION { VALUES ?co { " + x + " } " + axiom() + " BIND(?cs AS ?other) } } LIMIT " + R.claims + " }";
    var own = "{ SELECT ?own WHERE { " + x + " " + ref(R.provenance.cites) + " ?own } LIMIT 50 } OPTIONAL { ?own " +
      ref(R.provenance.label) + " ?ownLabel }";
    /* and the disagreements about the node or the subjects of its claims: which of them are disputed */
    /* (a branch of VALUES alone, joined after the UNION, finds nothing on Virtuoso 7: BIND instead) */
    var about = disputesAbout("{ BIND(" + x + " AS ?about) } UNION { { SELECT DISTINCT ?about WHERE { ?dax " +
      ref(R.provenance.target) + " " + x + " ; " + ref(R.provenance.source) + " ?about } LIMIT " + R.claims + " } }");
    q = "SELECT * WHERE { { " + q + " } UNION { " + citations(claims) + " } UNION { " + own + " }" +
      (about ? " UNION { " + about + " }" : "") + " }";
    return sparql(q).then(function (rows) {
      var totals = { o: 0, i: 0 }, groups = [];
      if (readClaims(rows) < R.claims) { complete[n] = 1; }
      readDisputes(rows);
      nodeSources(n, rows);
      rows = rows.filter(function (b) { return b.dir; });
      rows.forEach(function (b) { totals[b.dir.value] += +b.n.value; });
      rows.forEach(function (b) {
        var k = pred(b.p.value), out = b.dir.value === "o", p = data.preds[k];
        var below = !out && (p[0] === "http://www.w3.org/1999/02/22-rdf-syntax-ns#type" || p[0] === "http://www.w3.org/2000/01/rdf-schema#subClassOf");
        groups.push({ key: (out ? "o" : "i") + k, pred: k, label: out ? p[1] : p[2] || p[1], out: out, ids: [],
                      count: +b.n.value, capped: totals[b.dir.value] > CAP, below: below ? +b.n.value : 0 });
      });
      groups.sort(function (a, b) { return (b.below > 0) - (a.below > 0) || (b.out - a.out) || (a.label < b.label ? -1 : 1); });
      summaries[n] = { groups: groups, total: totals.o + totals.i };
      return groups;
    });
  }
  /* ---- a claim's provenance from an endpoint: the annotation axioms (owl:Axiom) that state its sources, and the
   * nested annotations giving a source's section, note and text-position selector, read as views/kinds.py
   * reads them for the embedded page (R.provenance names the properties) ---- */
  var citesRead = {}, complete = {};
  function axiom() {
    var P = R.provenance;
    return "?ax " + ref(P.source) + " ?cs ; " + ref(P.property) + " ?cp ; " + ref(P.target) + " ?co ; " + ref(P.cites) + " ?src .";
  }
  /* `claims` binds ?ax ?cs ?cp ?co ?src and ?other (the end whose kind may not be known yet) in a bounded
   * subquery; the rest follows each axiom's few annotations. */
  function citations(claims) {
    var P = R.provenance, label = ref(P.label);
    return claims + " OPTIONAL { ?src " + label + " ?srcLabel } OPTIONAL { ?src " + ref(P.file) + " ?file } " +
      "OPTIONAL { ?cite " + ref(P.source) + " ?ax ; " + ref(P.property) + " " + ref(P.cites) + " ; " + ref(P.target) +
      " ?src . OPTIONAL { ?cite " + ref(P.section) + " ?section } OPTIONAL { ?cite " + ref(P.note) + " ?note } " +
      "OPTIONAL { ?cite " + ref(P.selector) + " ?sel . ?sel " + ref(P.start) + " ?start ; " + ref(P.end) + " ?end } } " +
      "OPTIONAL { ?cs " + label + " ?csLabel } OPTIONAL { ?co " + label + " ?coLabel } OPTIONAL { ?other a ?otherType }";
  }
  /* Whether a claim is one the page draws, as the summary's filters decide for links (checked here: filters
   * would double the request's text, and serve's guard reads every character of it). */
  function standard(t) { return R.standard.some(function (ns) { return t.indexOf(ns) === 0; }); }
  function drawableClaim(b) {
    return b.cs.type === "uri" && b.co.type === "uri" && !standard(b.cs.value) && !standard(b.co.value) &&
      (R.structural.indexOf(b.cp.value) >= 0 || !standard(b.cp.value));
  }
  function labelOf(b, v) {
    return b[v] ? [b[v].value, better(b[v].value, b[v]["xml:lang"] || "")] : null;
  }
  /* Rows of ?ax ?cs ?cp ?co ?src ... as the page's claims (edges) with their citations, one per nested
   * annotation (or per source without one): [source, section, note, [[start, end, file], ...]], sorted, as
   * the embedded page has them without the documents. Returns how many axioms the rows held. */
  function readClaims(rows) {
    var axioms = {}, count = 0, entries = {}, byEdge = {}, names = {}, types = {};
    rows.forEach(function (b) {
      if (!b.ax || !b.cs || !b.co || !b.cp || !b.src) { return; }
      if (!axioms[b.ax.value]) { axioms[b.ax.value] = 1; count++; }
      if (b.other && b.otherType && b.otherType.type === "uri") {
        var t = types[b.other.value] = types[b.other.value] || [];
        if (t.indexOf(b.otherType.value) < 0) { t.push(b.otherType.value); }
      }
      [["cs", "csLabel"], ["co", "coLabel"], ["src", "srcLabel"]].forEach(function (v) {
        var l = labelOf(b, v[1]), key = b[v[0]].value;
        if (l && (!names[key] || l[1] < names[key][1])) { names[key] = l; }
      });
    });
    rows.forEach(function (b) {
      if (!b.ax || !b.cs || !b.co || !b.cp || !b.src || !drawableClaim(b)) { return; }
      var s = remoteNode(b.cs.value, names[b.cs.value] && names[b.cs.value][0], types[b.cs.value]);
      var o = remoteNode(b.co.value, names[b.co.value] && names[b.co.value][0], types[b.co.value]);
      var k = remoteEdge(s, pred(b.cp.value), o), key = k + " " + (b.cite ? b.cite.value : "") + " " + b.src.value;
      (edgeDocs[k] = edgeDocs[k] || {})[b.src.value] = 1;
      if (!entries[key]) {
        entries[key] = { source: names[b.src.value] ? names[b.src.value][0] : localName(b.src.value), sections: {}, notes: {}, anchors: {} };
        (byEdge[k] = byEdge[k] || []).push(entries[key]);
      }
      var e = entries[key];
      if (b.section) { e.sections[b.section.value] = 1; }
      if (b.note) { e.notes[b.note.value] = 1; }
      if (b.start && b.end && +b.start.value >= 0 && +b.start.value < +b.end.value) {
        e.anchors[b.start.value + " " + b.end.value] = [+b.start.value, +b.end.value, b.file ? b.file.value : ""];
      }
    });
    Object.keys(byEdge).forEach(function (k) {
      var list = byEdge[k].map(function (e) {
        var anchors = Object.keys(e.anchors).map(function (a) { return e.anchors[a]; });
        anchors.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
        return [e.source, Object.keys(e.sections).sort().join(", "), Object.keys(e.notes).sort().join(" "), anchors];
      });
      list.sort(function (a, b) { var x = a.slice(0, 3).join("\u0000"), y = b.slice(0, 3).join("\u0000"); return x < y ? -1 : x > y ? 1 : 0; });
      data.cites.push(list);
      data.edges.c[k] = data.cites.length - 1;
      var sources = list.map(function (c) { return c[0]; }).filter(function (v, j, all) { return all.indexOf(v) === j; }).sort();
      data.texts.push(sources.join("; "));
      data.edges.src[k] = data.texts.length - 1;
      citesRead[k] = 1;
    });
    return count;
  }
  /* The node's "Sources" line, as the embedded page has it: its own sources and those of the claims it is the
   * subject of, by label. */
  function nodeSources(n, rows) {
    var names = {}, self = iri(n);
    function put(b, v, l) {
      var found = labelOf(b, l), key = b[v].value, had = names[key];
      if (!had || (found && (had[1] === null || found[1] < had[1]))) { names[key] = found ? found : [localName(key), null]; }
    }
    rows.forEach(function (b) {
      if (b.own) { put(b, "own", "ownLabel"); }
      if (b.ax && b.cs && b.src && b.cs.value === self) { put(b, "src", "srcLabel"); }
    });
    var labels = Object.keys(names).map(function (k) { return names[k][0]; });
    labels = labels.filter(function (v, j) { return labels.indexOf(v) === j; }).sort();
    if (labels.length) { data.texts.push(labels.join("; ")); D.src[n] = data.texts.length - 1; }
  }
  /* ---- disagreements from an endpoint: a term of a kind that contests some properties' claims (R.contests,
   * gkg:viewContests in the presentation data), about a term (R.provenance.about), citing documents: it
   * disputes the term's claims of those properties that cite one of its documents, as views/kinds.py decides
   * for the embedded page ---- */
  var disputes = {}, disputeAbout = {}, edgeDocs = {}, sidesRead = {}, contestAt = {}, defRank = {};
  var contestedProps = R ? Object.keys(R.contests).reduce(function (all, t) {
    R.contests[t].forEach(function (p) { if (all.indexOf(p) < 0) { all.push(p); } });
    return all;
  }, []) : [];
  /* The disagreements (at most R.disputes) about the terms `about` binds, with their labels, definitions and
   * the documents they cite; null when no kind contests anything. */
  function disputesAbout(about) {
    var P = R.provenance, kinds = Object.keys(R.contests);
    if (!kinds.length) { return null; }
    return "{ SELECT DISTINCT ?dis ?about ?disType WHERE { " + about + " ?dis " + ref(P.about) + " ?about ; a ?disType ." +
      " VALUES ?disType { " + kinds.map(ref).join(" ") + " } } LIMIT " + R.disputes + " } OPTIONAL { ?dis " + ref(P.label) +
      " ?disLabel } OPTIONAL { ?dis " + ref(P.definition) + " ?disDef } OPTIONAL { ?dis " + ref(P.cites) + " ?disDoc . ?disDoc " +
      ref(P.file) + " ?disFile }";
  }
  function readDisputes(rows) {
    var labels = {};
    rows.forEach(function (b) {
      var l = b.dis && labelOf(b, "disLabel");
      if (l && (!labels[b.dis.value] || l[1] < labels[b.dis.value][1])) { labels[b.dis.value] = l; }
    });
    rows.forEach(function (b) {
      if (!b.dis || !b.about || !b.disType || b.dis.type !== "uri" || b.about.type !== "uri") { return; }
      var d = remoteNode(b.dis.value, labels[b.dis.value] && labels[b.dis.value][0], [b.disType.value]);
      var w = disputes[d] = disputes[d] || { props: {}, docs: {} };
      (R.contests[b.disType.value] || []).forEach(function (p) { w.props[pred(p)] = 1; });
      if (b.disDoc && b.disFile) { w.docs[b.disDoc.value] = 1; }
      var def = labelOf(b, "disDef");
      if (def && (defRank[d] === undefined || def[1] < defRank[d])) { D.def[d] = def[0]; defRank[d] = def[1]; }
      var list = disputeAbout[b.about.value] = disputeAbout[b.about.value] || [];
      if (list.indexOf(d) < 0) { list.push(d); }
    });
    recontest();
  }
  /* Marks (and redraws) the claims the disagreements read so far dispute. */
  function recontest() {
    Object.keys(disputeAbout).forEach(function (about) {
      if (byIri[about] === undefined) { return; }
      outIds(byIri[about]).forEach(function (k) {
        var docs = Object.keys(edgeDocs[k] || {}), found = disputeAbout[about].filter(function (d) {
          return disputes[d].props[ep[k]] && docs.some(function (doc) { return disputes[d].docs[doc]; });
        }).sort(function (a, b) { return iri(a) < iri(b) ? -1 : 1; });
        if (!found.length) { return; }
        var key = found.join(" ");
        if (contestAt[key] === undefined) { contestAt[key] = data.contests.length; data.contests.push(found); }
        if (data.edges.x[k] === contestAt[key]) { return; }
        data.edges.x[k] = contestAt[key];
        if (edgeShown[k]) { edges.update(disputedLook({ id: k })); }
      });
    });
  }
  /* Whether a claim's panel needs a request: its citations (no summary of either end read them), or, for a
   * disputed claim, the other sides (the subject's claims of the contested properties). */
  function claimNeeds(k) {
    if (!R) { return false; }
    return (!citesRead[k] && !complete[es[k]] && !complete[et[k]]) ||
      (!!data.edges.x[k] && !complete[es[k]] && !sidesRead[es[k]]);
  }
  /* One claim's citations, the subject's claims of the properties a disagreement may contest (the sides) and
   * the disagreements about the subject: one request, unless summaries already read them. */
  function claimCites(k) {
    if (!claimNeeds(k)) { return Promise.resolve(); }
    citesRead[k] = 1;
    var s = ref(iri(es[k])), sides = contestedProps.length ? " UNION { VALUES ?cs { " + s + " } VALUES ?cp { " +
      contestedProps.map(ref).join(" ") + " } " + axiom() + " }" : "";
    if (sides) { sidesRead[es[k]] = 1; }
    var claims = "{ SELECT ?ax ?cs ?cp ?co ?src ?other WHERE { { VALUES (?cs ?cp ?co) { (" + s + " " +
      ref(data.preds[ep[k]][0]) + " " + ref(iri(et[k])) + ") } " + axiom() + " }" + sides + " BIND(?co AS ?other) } LIMIT " +
      R.claims + " }";
    var about = disputesAbout("VALUES ?about { " + s + " }");
    return sparql("SELECT * WHERE { { " + citations(claims) + " }" + (about ? " UNION { " + about + " }" : "") + " }")
      .then(function (rows) { readClaims(rows); readDisputes(rows); }, function () { return 0; });
  }
  /* The next page of a group: PAGE neighbours, unordered (no ORDER BY over a hub), with labels and types. */
  function remotePage(n, g) {
    var key = n + ":" + g.key, from = pageAt[key] || 0;
    if (from >= g.count && !g.capped) { return Promise.resolve([]); }
    pageAt[key] = from + PAGE;
    var x = ref(iri(n)), p = ref(data.preds[g.pred][0]);
    var q = "SELECT ?m ?label ?type WHERE { { SELECT ?m WHERE { " + (g.out ? x + " " + p + " ?m" : "?m " + p + " " + x) +
      " . FILTER(isIRI(?m)" + (g.out ? " && " + notStandard("?m") : "") + ") } LIMIT " + PAGE + " OFFSET " + from +
      " } OPTIONAL { ?m <http://www.w3.org/2000/01/rdf-schema#label> ?label } OPTIONAL { ?m a ?type } }";
    return sparql(q).then(function (rows) {
      var ids = rowsToNodes(rows, "m");
      if (ids.length < PAGE && g.capped) { g.count = from + ids.length; g.capped = false; }
      ids.forEach(function (m) {
        if (g.ids.indexOf(m) < 0) { g.ids.push(m); }
        if (g.out) { remoteEdge(n, g.pred, m); } else { remoteEdge(m, g.pred, n); }
        if (!g.out && g.below) { D.up[m] = n; }
      });
      return ids;
    });
  }
  /* Search: the server's index when there is one; else the endpoint's text index where it has one (Virtuoso's
   * bif:contains, found by one probe on the first search, never per keystroke); else an exact label lookup
   * (an index hit) and a prefix match over the first R.scan labels only, said to be partial. */
  var partial = false, textIndex = null;
  function names() { return R.names.map(ref).join("|"); }
  /* "virtuoso" when the endpoint is Virtuoso (it holds its own system graph, virtrdf:, which an ASK finds by
   * an index lookup on any store, and no store refuses: a refused probe would be a console error), else
   * null: asked once per page. */
  function hasTextIndex() {
    if (textIndex === null) {
      textIndex = sparql("ASK { GRAPH <http://www.openlinksw.com/schemas/virtrdf#> { ?s ?p ?o } }", true, true)
        .then(function (yes) { return yes ? "virtuoso" : null; }, function () { return null; });
    }
    return textIndex;
  }
  /* Virtuoso's free-text expression: every word, the last one a prefix ("anthro*") when it is long enough
   * for Virtuoso's wildcards (4 letters); null when there is no word to look for. */
  function freeText(t) {
    var words = t.toLowerCase().match(/[\p{L}\p{N}]+/gu);
    if (!words) { return null; }
    words = words.slice(0, 8);
    return words.map(function (w, k) { return "\"" + w + (k === words.length - 1 && w.length >= 4 ? "*" : "") + "\""; }).join(" AND ");
  }
  /* The exact label or synonym first, then labels starting with the text, then the rest, shorter first. */
  function ranked(rows, t) {
    var q = t.toLowerCase(), ids = rowsToNodes(rows, "m"), exact = {};
    rows.forEach(function (b) { if (b.e && b.m) { exact[byIri[b.m.value]] = 1; } });
    function score(n) {
      var l = D.label[n].toLowerCase();
      return l === q ? 0 : exact[n] ? 1 : l.indexOf(q) === 0 ? 2 : l.indexOf(q) > 0 ? 3 : 4;
    }
    return ids.map(function (n, k) { return [score(n), D.label[n].length, k, n]; }).sort(function (a, b) {
      return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
    }).map(function (h) { return h[3]; });
  }
  function exactly(t) {
    return "{ VALUES ?text { " + literal(t) + " " + literal(t) + "@en } ?m " + names() + " ?text BIND(1 AS ?e) }";
  }
  function labelled(inner) {
    var label = ref(R.names[0]);
    return "SELECT ?m ?e ?label ?type WHERE { { SELECT DISTINCT ?m ?e WHERE { " + inner + " } LIMIT " + MATCH_CAP * 3 +
      " } OPTIONAL { ?m " + label + " ?label } OPTIONAL { ?m a ?type } }";
  }
  function remoteSearch(text) {
    var t = String(text).trim();
    if (!t) { return Promise.resolve([]); }
    if (R.search) {
      window.genaiKgRequests++;
      return fetch(R.search + "?q=" + encodeURIComponent(t), { credentials: "omit" }).then(function (r) { return r.json(); })
        .then(function (hits) {
          partial = false;
          return hits.map(function (h) { return remoteNode(h.iri, h.label, h.types || []); });
        });
    }
    return hasTextIndex().then(function (kind) {
      var expr = kind ? freeText(t) : null;
      if (!expr) { return prefixSearch(t); }
      /* Virtuoso wants the literal's triple pattern plain (no property path) before bif:contains */
      var q = labelled(exactly(t) + " UNION { ?m ?np ?l . ?l <bif:contains> " + literal(expr) + " . FILTER(?np IN (" +
                       R.names.map(ref).join(", ") + ")) }");
      /* a Virtuoso whose literals are not text-indexed finds nothing: the bounded prefix search then */
      return sparql(q, true).then(function (rows) {
        if (!rows.length) { return prefixSearch(t); }
        partial = false;
        return ranked(rows, t).slice(0, MATCH_CAP);
      }, function () { return prefixSearch(t); });
    });
  }
  function prefixSearch(t) {
    var q = labelled(exactly(t) + " UNION { { SELECT ?m ?l WHERE { ?m " + ref(R.names[0]) + " ?l } LIMIT " + R.scan +
      " } FILTER(STRSTARTS(LCASE(STR(?l)), " + literal(t.toLowerCase()) + ")) }");
    return sparql(q).then(function (rows) { partial = true; return ranked(rows, t).slice(0, MATCH_CAP); });
  }
  function remoteFind(text) {
    if (typeof text === "number") { return Promise.resolve(text >= 0 && text < N ? [text] : []); }
    var t = String(text).trim().replace(/^<|>$/g, "");
    if (byIri[t] !== undefined) { return Promise.resolve([byIri[t]]); }
    if (/^[a-z][a-z0-9+.-]*:[^\s]*$/i.test(t) && !/\s/.test(t)) {
      var x = ref(t);
      return sparql("SELECT ?m ?label ?type WHERE { VALUES ?m { " + x + " } OPTIONAL { ?m <http://www.w3.org/2000/01/rdf-schema#label> ?label } OPTIONAL { ?m a ?type } }")
        .then(function (rows) { return rowsToNodes(rows, "m"); });
    }
    for (var n = 0; n < N; n++) { if (D.label[n].toLowerCase() === t.toLowerCase()) { return Promise.resolve([n]); } }
    return remoteSearch(t);
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
    var added = addNodes(place(todo, anchor));
    bringIntoView(typeof anchor === "string" ? anchor : null, added);
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

  /* With physics off, vis-network redraws the whole drawing synchronously after every change to its DataSets
   * (a page of a group: seven redraws of every label, most of a click's time once hundreds of nodes are
   * shown). Changes made together are drawn once, on the next frame. vis-network has no public call for
   * this: its renderer listens for "_blockRedraw" and "_allowRedraw" on the network's event bus (what its
   * own stabilisation sends, in 9.0 and 9.1). A version without those listeners is drawn as before, once
   * per change: `holds()` says which (window.genaiKg.drawsTogether, checked by a test). */
  var holding = 0;
  function bus() { return network.body && network.body.emitter; }
  function holds() {  /* the bus is the network's own emitter (body.emitter only forwards on, off, emit, once) */
    return !!bus() && typeof network.hasListeners === "function" && network.hasListeners("_blockRedraw") &&
      network.hasListeners("_allowRedraw");
  }
  var frame = null;  /* one draw on the next frame for every release before it ("_allowRedraw" forgets a request) */
  function drawSoon() {
    if (frame === null) { frame = requestAnimationFrame(function () { frame = null; network.redraw(); }); }
  }
  function together(f) {
    return function () {
      var hold = holding > 0 || holds();
      if (hold && holding++ === 0) { bus().emit("_blockRedraw"); }
      try { return f.apply(this, arguments); } finally {
        if (hold && --holding === 0) { bus().emit("_allowRedraw"); drawSoon(); }
      }
    };
  }
  addNodes = together(addNodes); removeNodes = together(removeNodes); refreshHandle = together(refreshHandle);
  bringIntoView = together(bringIntoView); show = together(show); select = together(select);
  showClaim = together(showClaim); showKind = together(showKind);
  if (R) { readClaims = together(readClaims); readDisputes = together(readDisputes); }

  /* The opening: positions from Python, then group nodes, then a focus expanded. */
  addNodes(data.open);
  nodes.add(data.groups.map(function (g) {
    var k = data.kinds[g[0]];
    groupAt["g" + g[0]] = g;
    return { id: "g" + g[0], label: k[0] + " (" + g[1].toLocaleString("en") + ")", shape: "box", x: g[2], y: g[3],
             color: colour(k[1]), font: { color: dark(k[1]) ? "#ffffff" : "#1d1d1f", strokeWidth: 0 }, borderWidth: 2, shapeProperties: { borderDashes: [5, 3] } };
  }));
  performance.mark("genai-kg:network");
  var treeNames = {};
  edges.forEach(function (x) { if (x.label === undefined && typeof x.id === "number") { treeNames[data.preds[ep[x.id]][1]] = 1; } });
  if (Object.keys(treeNames).length) {
    document.getElementById("hint").textContent = "Unlabelled lines: " + Object.keys(treeNames).sort().join(", ") +
      " \u00b7 " + document.getElementById("hint").textContent;
  }

  /* [left, right, y] of each node shown (in getPositions' order), its label measured (vis-network measures
   * labels when it fits); an estimate for a node not measured yet. */
  function labelSpans(pos) {
    return Object.keys(pos).map(function (id) {
      var key = isNaN(id) ? id : Number(id), b = network.getBoundingBox(key), half = labelWidth(key) / 2;
      return b && b.right > b.left ? [b.left, b.right, pos[id].y] : [pos[id].x - half, pos[id].x + half, pos[id].y];
    });
  }
  /* The opening zoom: everything, labels whole, if it fits legibly (vis-network's own fit frames the nodes
   * before their labels are measured, and cut the end columns' labels off at 1400x900); else, legible, the
   * fullest column (the families) whole on a narrow screen, and elsewhere the screenful that holds the most
   * labels whole (the middle cut a big graph's column of kinds off); a focus view centres on its focus. */
  function fitView() {
    network.fit({ animation: false });  /* measures every label */
    var pos = network.getPositions(), ids = Object.keys(pos), box = visibleBox(), margin = 8;
    if (!ids.length || !box.width) { return; }
    var spans = labelSpans(pos);
    function frame(list, scale) {
      var x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
      list.forEach(function (b) { x0 = Math.min(x0, b[0]); x1 = Math.max(x1, b[1]); y0 = Math.min(y0, b[2] - 20); y1 = Math.max(y1, b[2] + 20); });
      if (scale === undefined) {
        scale = Math.min(1.3, (box.width - 2 * margin) / Math.max(x1 - x0, 1), (box.height - 2 * margin) / Math.max(y1 - y0, 1));
      }
      return { position: { x: (x0 + x1) / 2, y: (y0 + y1) / 2 + (box.full - box.height) / 2 / scale }, scale: scale, animation: false };
    }
    var whole = frame(spans);
    if (whole.scale >= OPEN_SCALE) { network.moveTo(whole); return; }
    if (narrow()) {
      var columns = {}, fullest = null;
      ids.forEach(function (id, i) {
        var x = Math.round(pos[id].x);
        (columns[x] = columns[x] || []).push(spans[i]);
        if (fullest === null || columns[x].length > columns[fullest].length) { fullest = x; }
      });
      var x0 = Infinity, x1 = -Infinity, sumY = 0, column = columns[fullest];
      column.forEach(function (b) { x0 = Math.min(x0, b[0]); x1 = Math.max(x1, b[1]); sumY += b[2]; });
      var width = box.width - 40, scale = Math.max(MIN_SCALE, Math.min(0.75, width / Math.max(x1 - x0, 1)));
      network.moveTo(fewestCuts({ position: { x: (x0 + x1) / 2, y: sumY / column.length }, scale: scale, animation: false },
                                x0, x1, spans));
      return;
    }
    /* The widest run of labels that fits across the screen at the legible zoom, searched from each left end. */
    var across = (box.width - 2 * margin) / MIN_SCALE, best = null;
    spans.forEach(function (start) {
      var held = spans.filter(function (b) { return b[0] >= start[0] && b[1] <= start[0] + across; });
      if (best === null || held.length > best.length) { best = held; }
    });
    var lo = Infinity, hi = -Infinity;
    best.forEach(function (b) { lo = Math.min(lo, b[0]); hi = Math.max(hi, b[1]); });
    network.moveTo(fewestCuts(frame(best, MIN_SCALE), lo, hi, spans));
  }
  /* `view` moved sideways within its slack, keeping x0..x1 on screen, to where it cuts the fewest of `spans`'
   * labels in two at the screen's edges (centred, or either side flush): a label is shown whole or not at all
   * if it can be. */
  function fewestCuts(view, x0, x1, spans) {
    var seen = visibleBox().width / view.scale, pad = 8 / view.scale;
    function cuts(cx) {
      var left = cx - seen / 2, right = cx + seen / 2;
      return spans.filter(function (b) { return b[0] < right && b[1] > left && (b[0] < left || b[1] > right); }).length;
    }
    [x0 - pad + seen / 2, x1 + pad - seen / 2].forEach(function (cx) {
      if (x1 - x0 + 2 * pad <= seen && cuts(cx) < cuts(view.position.x)) { view.position.x = cx; }
    });
    return view;
  }
  fitView();
  picked = true;
  network.on("resize", function () { setTimeout(keepLegible, 0); });
  network.on("zoom", function () { picked = false; });

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
  network.on("hoverEdge", function (p) {
    if (typeof p.edge === "number") { ensureTitle(network.body.edges, p.edge, function () { return edgeTooltip(p.edge); }); }
  });

  /* ---- header, status, zoom buttons ---- */
  document.getElementById("title").textContent = data.title;
  function updateCounts() {
    document.getElementById("counts").textContent = R ? "from " + R.endpoint + " \u00b7 " + N.toLocaleString("en") +
      " nodes met \u00b7 showing " + nodes.length.toLocaleString("en") : N.toLocaleString("en") + " nodes \u00b7 " +
      M.toLocaleString("en") + " edges \u00b7 showing " + nodes.length.toLocaleString("en");
  }
  updateCounts();
  function zoomBy(f) { network.moveTo({ scale: network.getScale() * f, animation: false }); }
  document.getElementById("zoom-in").addEventListener("click", function () { zoomBy(1.4); });
  document.getElementById("zoom-out").addEventListener("click", function () { zoomBy(1 / 1.4); });
  document.getElementById("zoom-fit").addEventListener("click", function () {
    network.fit({ animation: false });
    if (network.getScale() > 1.3) { network.moveTo({ scale: 1.3, animation: false }); }
  });
  var side = document.getElementById("side");
  document.getElementById("panel-toggle").addEventListener("click", function () { side.classList.toggle("open"); });

  /* ---- selection, neighbour highlight and the side panel ---- */
  var highlighted = [];
  function clearHighlight() {
    if (highlighted.length) {
      nodes.update(highlighted.filter(function (n) { return shown[n]; }).map(function (n) {
        return { id: n, borderWidth: 1, color: colour(kindOf(n)[1]) };
      }));
    }
    highlighted = [];
  }
  function highlightNeighbours(n) {
    clearHighlight();
    network.getConnectedNodes(n).forEach(function (m) {
      if (m !== n && typeof m === "number" && highlighted.indexOf(m) < 0) { highlighted.push(m); }
    });
    nodes.update(highlighted.map(function (m) {
      var c = colour(kindOf(m)[1]);
      c.border = "#d93025";
      return { id: m, borderWidth: 4, color: c };
    }));
  }
  function linkButton(n, text) {
    var b = el("button", "link", text || D.label[n]);
    b.type = "button";
    b.addEventListener("click", function () { reveal(n); });
    return b;
  }
  function claimButton(k, text) {
    var b = el("button", "link", text || claimText(k));
    b.type = "button";
    b.addEventListener("click", function () { showClaim(k, true); });
    return b;
  }
  function panel(which) {
    document.getElementById("details").hidden = which !== "node";
    document.getElementById("claim").hidden = which !== "claim";
    if (which && window.matchMedia && window.matchMedia("(max-width: 600px)").matches) { side.classList.add("open"); }
  }
  function nodeEdges(n) { return outIds(n).concat(inIds(n)); }
  function showDetails(n) {
    var k = kindOf(n), src = data.texts[D.src[n]];
    panel("node");
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
    var groups = R ? (summaries[n] ? summaries[n].groups : []) : linkGroups(n);
    groups.forEach(function (g) {
      var head = el("h4", "rel", groupName(g) + " (" + countText(g) + ")");
      head.setAttribute("data-group", g.key);
      var left = waiting(n, g);
      if (left) {
        var b = el("button", "page", left === g.count ? "show " + Math.min(PAGE, left) : "show " + Math.min(PAGE, left) + " more");
        b.type = "button";
        b.addEventListener("click", function () { more(n, g); select(n, false); });
        head.appendChild(document.createTextNode(" "));
        head.appendChild(b);
      }
      box.appendChild(head);
      var ul = el("ul");
      g.ids.slice(0, LINK_CAP).forEach(function (m) { var li = el("li"); li.appendChild(linkButton(m)); ul.appendChild(li); });
      if (g.count > Math.min(LINK_CAP, g.ids.length)) {
        ul.appendChild(el("li", "count", "\u2026 and " + (g.capped ? "more" : (g.count - Math.min(LINK_CAP, g.ids.length)).toLocaleString("en") + " more")));
      }
      box.appendChild(ul);
    });
    document.getElementById("d-out-head").textContent = "Links (" + degree(n).toLocaleString("en") + ") by property";
    /* its claims, grouped by the source that states them */
    var bySource = {}, order = [];
    nodeEdges(n).forEach(function (k) {
      data.cites[data.edges.c[k]].forEach(function (c) {
        if (!bySource[c[0]]) { bySource[c[0]] = []; order.push(c[0]); }
        if (bySource[c[0]].indexOf(k) < 0) { bySource[c[0]].push(k); }
      });
    });
    var claims = document.getElementById("d-claims");
    claims.textContent = "";
    document.getElementById("d-claims-head").hidden = !order.length;
    order.sort().forEach(function (source) {
      claims.appendChild(el("h4", "rel", source + " (" + bySource[source].length + ")"));
      var ul = el("ul");
      bySource[source].slice(0, CLAIM_CAP).forEach(function (k) {
        var li = el("li");
        li.appendChild(claimButton(k));
        if (data.edges.x[k]) { li.appendChild(el("span", "disputed", " disputed")); }
        ul.appendChild(li);
      });
      if (bySource[source].length > CLAIM_CAP) { ul.appendChild(el("li", "count", "\u2026 and " + (bySource[source].length - CLAIM_CAP) + " more")); }
      claims.appendChild(ul);
    });
  }
  /* One citation: the source, its section, a note, and where it says it: the anchored sentence when the page
   * was written with the documents, else the character offsets. */
  function citation(c) {
    var li = el("li", "cite");
    li.appendChild(el("strong", null, c[0]));
    if (c[1]) { li.appendChild(el("div", "section", "Section: " + c[1])); }
    if (c[2]) { li.appendChild(el("div", "note", c[2])); }
    c[3].forEach(function (a) {
      if (a.text !== undefined) { li.appendChild(el("blockquote", "sentence", a.text)); }
      else { li.appendChild(el("div", "anchor", "characters " + a[0] + "\u2013" + a[1] + " of " + a[2])); }
    });
    return li;
  }
  /* A claim (an edge): its sources, sections and sentences; a claim the documents disagree on opens both
   * sides: the disagreement, and every claim it contests with their sources. */
  function showClaim(k, move) {
    panel("claim");
    var ends = [es[k], et[k]];
    if (!edgeShown[k]) { ends.forEach(show); }
    network.selectEdges([k]);
    if (move) { bringIntoView(es[k], [et[k]]); }
    var head = document.getElementById("c-claim");
    head.textContent = "";
    head.appendChild(linkButton(es[k]));
    head.appendChild(el("span", "rel", " " + data.preds[ep[k]][1] + " "));
    head.appendChild(linkButton(et[k]));
    var list = document.getElementById("c-sources");
    list.textContent = "";
    var cites = data.cites[data.edges.c[k]], asking = claimNeeds(k);
    if (asking) {
      claimCites(k).then(function () { if (window.genaiKgClaim === k) { showClaim(k, false); } });
      list.appendChild(el("li", "count", "Asking the endpoint for this claim's sources\u2026"));
    } else if (!cites.length) { list.appendChild(el("li", "count", data.texts[data.edges.src[k]] || "No source is recorded for this claim.")); }
    cites.forEach(function (c) { list.appendChild(citation(c)); });
    var dis = document.getElementById("c-disagree");
    dis.textContent = "";
    dis.hidden = !data.edges.x[k];
    if (data.edges.x[k]) {
      dis.appendChild(el("h3", null, "The documents disagree"));
      data.contests[data.edges.x[k]].forEach(function (d) {
        if (!shown[d]) { show(d); }
        var p = el("p");
        p.appendChild(linkButton(d));
        dis.appendChild(p);
        dis.appendChild(el("p", "note", D.def[d]));
        dis.appendChild(el("h4", "rel", "Each side"));
        var ul = el("ul"), sides = [];
        for (var j = 0; j < M; j++) {
          if (data.edges.x[j] && data.contests[data.edges.x[j]].indexOf(d) >= 0) { sides.push([claimText(j), j]); }
        }
        /* by what they say, whichever order the claims were met in */
        sides.sort(function (a, b) { return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]; }).forEach(function (side) {
          var li = el("li");
          li.appendChild(claimButton(side[1]));
          li.appendChild(el("span", "count", " " + (data.texts[data.edges.src[side[1]]] || "")));
          ul.appendChild(li);
        });
        dis.appendChild(ul);
      });
    }
    if (data.edges.x[k]) { bringIntoView(es[k], [et[k]].concat(data.contests[data.edges.x[k]])); }
    window.genaiKgClaim = k;
  }
  function select(n, move) {
    network.selectNodes([n], true);
    highlightNeighbours(n);
    showDetails(n);
    if (move || narrow()) { bringIntoView(n, []); }
    window.genaiKgSelected = n;
  }
  function clearDetails() { panel(null); clearHighlight(); }

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
    } else if (typeof id === "string" && handles[id]) {
      var h = handles[id];
      select(h.n, false);
      more(h.n, h.group);
    } else if (id !== undefined) {
      select(id, false);
      expand(id);
    } else if (params.edges.length && typeof params.edges[0] === "number") {
      showClaim(params.edges[0], false);
    } else {
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
    if (typeof text === "number") { return text >= 0 && text < N ? [text] : []; }
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
  /* From an endpoint a search is a request: typing waits for a pause, and only the latest answer is shown. */
  var typed = null, asked = 0;
  function found(ids, text) {
    say(text.trim() ? ids.length + (R && partial ? " found \u00b7 partial: this endpoint has no text index, so only exact" +
        " labels and the first " + R.scan.toLocaleString("en") + " labels were searched" : " found") : "");
    showMatches(ids);
  }
  input.addEventListener("input", function () {
    if (!R) { found(search(input.value), input.value); return; }
    clearTimeout(typed);
    var text = input.value, mine = ++asked;
    typed = setTimeout(function () {
      remoteSearch(text).then(function (ids) { if (mine === asked) { found(ids, text); } });
    }, 200);
  });
  document.getElementById("search-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var text = input.value, mine = ++asked;
    clearTimeout(typed);
    (R ? remoteFind(text) : Promise.resolve(find(text))).then(function (ids) {
      if (mine !== asked) { return; }
      found(ids, text);
      if (!ids.length) { say("not found"); }
      if (ids.length) { reveal(ids[0]); }
    });
  });

  /* ---- legend: a kind's busiest nodes shown below the drawing, or taken away again ---- */
  var byLegend = {};
  var legend = document.getElementById("legend");
  data.kinds.map(function (k, j) { return j; }).sort(function (a, b) {
    return data.kinds[b][3] - data.kinds[a][3] || (data.kinds[a][0] < data.kinds[b][0] ? -1 : 1);
  }).forEach(function (k) {
    var entry = data.kinds[k], li = el("li"), b = el("button", "link");
    b.type = "button";
    var sw = el("span", "swatch shape-" + entry[2]);
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
      byLegend[k] = showKind(k, below(), PAGE * 2);
      b.classList.add("on");
    });
    li.appendChild(b);
    legend.appendChild(li);
  });

  /* A focus view opens on its focus, clicked: its links by property, what its count promises shown. */
  data.expand.forEach(function (n) { select(n, false); expand(n).then(function () { bringIntoView(n, []); }); });

  /* ---- the page API: each call resolves once what it added is drawn ---- */
  function one(text) {
    if (R) { return remoteFind(text).then(function (ids) { return ids.length ? ids[0] : null; }); }
    var ids = find(text);
    return Promise.resolve(ids.length ? ids[0] : null);
  }
  window.genaiKg = {
    data: data, nodes: nodes, edges: edges, network: network, ready: ready, search: search, select: select,
    show: show, iri: iri, kindOf: kindOf, fontSize: function () { return FONT; },
    /* Whether a click's changes are drawn once (vis-network's renderer can be held), or once per change. */
    drawsTogether: holds,
    /* Finds the best match for a label, alternative label or IRI, shows it in place, selects it and fills the
     * panel; resolves to its IRI once drawn (null when nothing matches). */
    reveal: function (text) {
      return one(text).then(function (n) {
        if (n === null) { return null; }
        reveal(n);
        return drawn().then(function () { return iri(n); });
      });
    },
    /* What the search box finds for `text` (the endpoint's or the server's search when remote): IRIs. */
    lookup: function (text) {
      return (R ? remoteSearch(text) : Promise.resolve(search(text))).then(function (ids) { return ids.map(iri); });
    },
    /* What a click on the node does; resolves to the IRIs of the nodes it added. */
    expand: function (text) {
      return one(text).then(function (n) {
        if (n === null) { return null; }
        show(n);
        select(n, false);
        return expand(n).then(function (added) { return drawn().then(function () { return added.map(iri); }); });
      });
    },
    /* The next page of the node's links by `property` (its IRI, "^IRI" read backwards, or the group's label). */
    more: function (text, property) {
      return one(text).then(function (n) {
        if (n === null) { return null; }
        return groupsOf(n).then(function (groups) {
          var g = findGroup(groups, property);
          if (g === null) { return null; }
          show(n);
          return more(n, g).then(function (added) { return drawn().then(function () { return added.map(iri); }); });
        });
      });
    },
    /* The node's links grouped by property: [{property, label, out, count, capped, shown}]. */
    groups: function (text) {
      return one(text).then(function (n) {
        if (n === null) { return null; }
        return groupsOf(n).then(function (groups) {
          return groups.map(function (g) {
            return { property: data.preds[g.pred][0], label: g.label, out: g.out, count: g.count, capped: g.capped,
                     below: g.below, shown: g.count - waiting(n, g) };
          });
        });
      });
    },
    /* Opens a claim (an edge between two terms) in the panel: resolves to its citations. */
    claim: function (from, property, to) {
      return Promise.all([one(from), one(to)]).then(function (ends) {
        var s = ends[0], o = ends[1];
        if (s === null || o === null) { return null; }
        var out = outIds(s);
        for (var i = 0; i < out.length; i++) {
          var j = out[i], p = data.preds[ep[j]];
          if (et[j] === o && (p[0] === property || p[1] === property)) {
            return claimCites(j).then(function () { showClaim(j, true); return drawn(); }).then(function () {
              return { edge: j, citations: data.cites[data.edges.c[j]], disputed: !!data.edges.x[j] };
            });
          }
        }
        return null;
      });
    }
  };
}));
