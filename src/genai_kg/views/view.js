/* genai-kg view: builds the vis-network drawing, tooltips, search, side panel and legend.
 * Every string from the data reaches the page through textContent, never parsed as markup, and tooltips are
 * DOM elements built with textContent, because vis-network renders string titles as HTML. */
(function () {
  "use strict";
  performance.mark("genai-kg:start");
  var data = JSON.parse(document.getElementById("genai-kg-data").textContent);
  var LINK_CAP = 200;
  var MATCH_CAP = 15;
  var HUGE_EDGES = 10000;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }

  function nodeTooltip(n) {
    var box = el("div", "tt");
    box.appendChild(el("div", "tt-label", n.label));
    if (n.kind) { box.appendChild(el("div", "tt-kind", n.kind)); }
    if (n.definition) { box.appendChild(el("div", "tt-def", n.definition)); }
    if (n.sources) { box.appendChild(el("div", "tt-src", "Sources: " + n.sources)); }
    return box;
  }

  function edgeTooltip(e) {
    var box = el("div", "tt");
    box.appendChild(el("div", "tt-label", data.nodes[e.from].label + " \u2192 " + e.label + " \u2192 " + data.nodes[e.to].label));
    if (e.sources) { box.appendChild(el("div", "tt-src", "Sources: " + e.sources)); }
    return box;
  }

  function nodeColour(n) {
    return { background: n.colour, border: "#4a4a4a", highlight: { background: n.colour, border: "#000000" },
             hover: { background: n.colour, border: "#000000" } };
  }

  var large = data.large;
  var visNodes = new Array(data.nodes.length);
  var outgoing = new Array(data.nodes.length);
  var incoming = new Array(data.nodes.length);
  for (var i = 0; i < data.nodes.length; i++) {
    var n = data.nodes[i];
    outgoing[i] = [];
    incoming[i] = [];
    visNodes[i] = { id: n.id, label: n.label, shape: n.shape, color: nodeColour(n), x: n.x, y: n.y,
                    borderWidth: 1 };
  }
  var visEdges = new Array(data.edges.length);
  for (var j = 0; j < data.edges.length; j++) {
    var e = data.edges[j];
    outgoing[e.from].push(j);
    incoming[e.to].push(j);
    visEdges[j] = { id: j, from: e.from, to: e.to };
    if (!large) { visEdges[j].label = e.label; }
  }
  performance.mark("genai-kg:built");
  var nodes = new vis.DataSet(visNodes);
  var edges = new vis.DataSet(visEdges);

  var smooth = false;
  if (!large) {
    smooth = data.layout === "hierarchical"
      ? { enabled: true, type: "cubicBezier", forceDirection: "vertical", roundness: 0.4 }
      : { enabled: true, type: "continuous", roundness: 0.3 };
  }
  var options = {
    autoResize: true,
    layout: { improvedLayout: false, randomSeed: 7 },
    physics: data.physics
      ? { enabled: true, solver: "barnesHut", barnesHut: { springLength: 120, avoidOverlap: 0.1 },
          stabilization: { enabled: true, iterations: data.iterations, updateInterval: 1000, fit: true } }
      : { enabled: false },
    interaction: { hover: true, tooltipDelay: 150, hideEdgesOnDrag: large, hideEdgesOnZoom: large,
                   navigationButtons: false, keyboard: false, multiselect: false },
    /* Wrapping labels measures text word by word, and arrow heads are drawn per edge: for large graphs,
     * where labels show only when zoomed in, both cost more than they give. */
    nodes: { font: { size: 14, face: "system-ui, sans-serif", multi: false },
             widthConstraint: large ? false : { maximum: 170 }, size: 12 },
    edges: { arrows: { to: { enabled: data.edges.length <= HUGE_EDGES, scaleFactor: 0.5 } }, smooth: smooth,
             color: { color: "#9aa0a6", highlight: "#1a73e8", hover: "#5f6368" },
             font: { size: 10, color: "#5f6368", strokeWidth: 3, multi: false }, selectionWidth: 1.5 }
  };

  var container = document.getElementById("graph");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, options);
  window.network = network;
  performance.mark("genai-kg:network");

  /* Tooltips are built when first hovered (10,000 nodes need no 40,000 elements up front). vis-network
   * looks for a title only after tooltipDelay, and emits hoverNode/hoverEdge before that. */
  function ensureTitle(items, id, build) {
    var item = items[id];
    if (item && item.options && item.options.title === undefined) { item.options.title = build(); }
  }
  network.on("hoverNode", function (p) {
    ensureTitle(network.body.nodes, p.node, function () { return nodeTooltip(data.nodes[p.node]); });
  });
  network.on("hoverEdge", function (p) {
    ensureTitle(network.body.edges, p.edge, function () { return edgeTooltip(data.edges[p.edge]); });
  });

  function markReady() {
    network.once("afterDrawing", function () {
      window.genaiKgReady = performance.now();
      document.body.setAttribute("data-ready", "1");
    });
    network.redraw();
  }
  if (data.physics) {
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });
      markReady();
    });
  } else {
    markReady();
  }

  /* ---- header ---- */
  document.getElementById("title").textContent = data.title;
  document.getElementById("counts").textContent =
    data.nodes.length + " nodes \u00b7 " + data.edges.length + " edges";

  /* ---- side panel and neighbour highlight ---- */
  var highlighted = [];

  function clearHighlight() {
    if (highlighted.length) {
      nodes.update(highlighted.map(function (id) {
        return { id: id, borderWidth: 1, color: nodeColour(data.nodes[id]) };
      }));
    }
    highlighted = [];
  }

  function highlightNeighbours(id) {
    clearHighlight();
    var seen = {};
    network.getConnectedNodes(id).forEach(function (nb) {
      if (nb !== id && !seen[nb]) { seen[nb] = true; highlighted.push(nb); }
    });
    if (highlighted.length) {
      nodes.update(highlighted.map(function (nb) {
        var c = nodeColour(data.nodes[nb]);
        c.border = "#d93025";
        return { id: nb, borderWidth: 4, color: c };
      }));
    }
  }

  function linkItem(arrow, relation, otherId) {
    var li = el("li");
    li.appendChild(el("span", "rel", arrow + " " + relation + " "));
    var b = el("button", "link", data.nodes[otherId].label);
    b.type = "button";
    b.addEventListener("click", function () { select(otherId, true); });
    li.appendChild(b);
    return li;
  }

  function showDetails(id) {
    var n = data.nodes[id];
    document.getElementById("details").hidden = false;
    document.getElementById("d-label").textContent = n.label;
    document.getElementById("d-swatch").className = "swatch";
    document.getElementById("d-swatch").style.background = n.colour;
    document.getElementById("d-kind-text").textContent = n.kind;
    document.getElementById("d-definition").textContent = n.definition;
    document.getElementById("d-sources-line").hidden = !n.sources;
    document.getElementById("d-sources").textContent = n.sources;
    document.getElementById("d-iri").textContent = n.iri;
    var list = document.getElementById("d-links");
    list.textContent = "";
    var items = [];
    outgoing[id].forEach(function (k) { items.push(["\u2192", data.edges[k].label, data.edges[k].to]); });
    incoming[id].forEach(function (k) { items.push(["\u2190", data.edges[k].label, data.edges[k].from]); });
    items.slice(0, LINK_CAP).forEach(function (it) { list.appendChild(linkItem(it[0], it[1], it[2])); });
    if (items.length > LINK_CAP) {
      list.appendChild(el("li", "count", "\u2026 and " + (items.length - LINK_CAP) + " more"));
    }
    document.getElementById("d-out-head").textContent = "Links (" + items.length + ")";
  }

  function clearDetails() {
    document.getElementById("details").hidden = true;
    clearHighlight();
  }

  function select(id, move) {
    network.selectNodes([id], true);
    highlightNeighbours(id);
    showDetails(id);
    if (move) {
      network.focus(id, { scale: Math.max(network.getScale(), 1.0), animation: false });
    }
    window.genaiKgSelected = id;
  }

  network.on("click", function (params) {
    if (params.nodes.length) {
      select(params.nodes[0], false);
    } else if (!params.edges.length) {
      clearDetails();
      window.genaiKgSelected = null;
    }
  });

  /* ---- search ---- */
  var lowered = data.nodes.map(function (n) {
    return [n.label.toLowerCase(), n.alt ? n.alt.toLowerCase().split("; ") : []];
  });

  function search(text) {
    var q = String(text).trim().toLowerCase();
    if (!q) { return []; }
    var hits = [];
    for (var k = 0; k < lowered.length; k++) {
      var label = lowered[k][0];
      var alts = lowered[k][1];
      var score = -1;
      if (label === q) { score = 0; }
      else if (alts.indexOf(q) >= 0) { score = 1; }
      else if (label.indexOf(q) === 0) { score = 2; }
      else if (label.indexOf(q) > 0) { score = 3; }
      else if (alts.some(function (a) { return a.indexOf(q) >= 0; })) { score = 4; }
      if (score >= 0) { hits.push([score, label.length, data.nodes[k].label, k]); }
    }
    hits.sort(function (a, b) {
      return a[0] - b[0] || a[1] - b[1] || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0) || a[3] - b[3];
    });
    return hits.map(function (h) { return h[3]; });
  }

  var input = document.getElementById("search");
  var status = document.getElementById("search-status");
  var matches = document.getElementById("matches");

  function showMatches(ids) {
    matches.textContent = "";
    ids.slice(0, MATCH_CAP).forEach(function (id) {
      var li = el("li");
      var b = el("button", "link", data.nodes[id].label);
      b.type = "button";
      b.addEventListener("click", function () { select(id, true); });
      li.appendChild(b);
      li.appendChild(el("span", "count", " " + data.nodes[id].kind));
      matches.appendChild(li);
    });
    matches.hidden = ids.length < 2;
  }

  input.addEventListener("input", function () {
    var ids = search(input.value);
    status.textContent = input.value.trim() ? ids.length + " found" : "";
    showMatches(ids);
  });

  document.getElementById("search-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var ids = search(input.value);
    status.textContent = ids.length ? ids.length + " found" : "not found";
    showMatches(ids);
    if (ids.length) { select(ids[0], true); }
  });

  /* ---- legend: click a kind to hide or show its nodes ---- */
  var hiddenKinds = {};
  var legend = document.getElementById("legend");
  data.legend.forEach(function (entry) {
    var li = el("li");
    var b = el("button", "link");
    b.type = "button";
    var sw = el("span", "swatch");
    sw.style.background = entry.colour;
    b.appendChild(sw);
    b.appendChild(el("span", null, entry.kind || "(no kind)"));
    b.appendChild(el("span", "count", " " + entry.shape + " \u00b7 " + entry.count));
    b.title = "Hide or show these nodes";
    b.addEventListener("click", function () {
      var hide = !hiddenKinds[entry.kind];
      hiddenKinds[entry.kind] = hide;
      b.style.opacity = hide ? "0.4" : "1";
      nodes.update(data.nodes.filter(function (n) { return n.kind === entry.kind; })
        .map(function (n) { return { id: n.id, hidden: hide }; }));
    });
    li.appendChild(b);
    legend.appendChild(li);
  });

  window.genaiKg = { data: data, nodes: nodes, edges: edges, search: search, select: select };
}());
