/* kgraph map behaviour: legend and filters, search by alias, side panel with evidence, physics toggle,
   labels kept legible. Called by pyvis's drawing script once the vis-network exists. The interface's words
   come from data.ui (kgraph/export/assets/ui/<lang>.json). Text that comes from articles reaches the DOM
   only through textContent and text nodes, never through innerHTML or attribute-based URLs. */
"use strict";

function kgraphStart(network, nodes, edges) {
  const data = JSON.parse(document.getElementById("kgraph-data").textContent);
  const meta = data.meta;
  const ui = data.ui;
  const byId = (id) => document.getElementById(id);
  const nodeIds = Object.keys(data.nodes);
  const edgeIds = Object.keys(data.edges);
  const typeColor = {};
  data.types.forEach((t) => { typeColor[t.type] = t.color; });
  const relationColor = {};
  data.relations.forEach((r) => { relationColor[r.relation] = r.color; });
  const state = {
    types: new Set(data.types.map((t) => t.type)),
    relations: new Set(data.relations.map((r) => r.relation)),
    hideIsolated: false,
    ego: null,
    physics: false,
  };
  const incident = {};
  nodeIds.forEach((id) => { incident[id] = []; });
  edgeIds.forEach((id) => {
    const e = data.edges[id];
    incident[e.from].push(id);
    if (e.to !== e.from) incident[e.to].push(id);
  });

  // ---------------------------------------------------------------------------------- DOM helpers

  function el(tag, className, ...children) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    children.forEach((child) => {
      if (child === null || child === undefined || child === false) return;
      node.appendChild(typeof child === "string" || typeof child === "number"
        ? document.createTextNode(String(child)) : child);
    });
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  // the interface's words: t("status", {name: …}) fills {name}; count(3, "entity") gives "3 entities"
  function t(key, values) {
    return String(ui.text[key]).replace(/\{(\w+)\}/g, (whole, name) =>
      (values && Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole));
  }

  function num(n) {
    return n.toLocaleString("en").replace(/,/g, ui.thousands_separator);
  }

  function count(n, noun) {
    const forms = ui.count[noun];
    return (ui.plural_one.includes(n) ? forms.one : forms.other).replace("{n}", num(n));
  }

  function swatch(className, color) {
    const s = el("span", className);
    s.style.background = color;
    s.setAttribute("aria-hidden", "true");
    return s;
  }

  function button(className, text, onClick) {
    const b = el("button", className, text);
    b.type = "button";
    b.addEventListener("click", onClick);
    return b;
  }

  // ---------------------------------------------------------------------------------- filters

  const nodeHidden = {};
  const edgeHidden = {};

  function applyFilters() {
    const nodeOn = {};
    nodeIds.forEach((id) => { nodeOn[id] = state.types.has(data.nodes[id].type); });
    const edgeOn = {};
    const degree = {};
    edgeIds.forEach((id) => {
      const e = data.edges[id];
      let on = state.relations.has(e.relation) && nodeOn[e.from] && nodeOn[e.to];
      if (on && state.ego !== null) on = e.from === state.ego || e.to === state.ego;
      edgeOn[id] = on;
      if (on) {
        degree[e.from] = (degree[e.from] || 0) + 1;
        degree[e.to] = (degree[e.to] || 0) + 1;
      }
    });
    if (state.ego !== null) {
      nodeIds.forEach((id) => { nodeOn[id] = id === state.ego || Boolean(degree[id]); });
    } else if (state.hideIsolated) {
      nodeIds.forEach((id) => { if (!degree[id]) nodeOn[id] = false; });
    }
    const nodeUpdates = [];
    nodeIds.forEach((id) => {
      const hidden = !nodeOn[id];
      if (hidden !== Boolean(nodeHidden[id])) {
        nodeHidden[id] = hidden;
        nodeUpdates.push({ id: id, hidden: hidden });
      }
    });
    const edgeUpdates = [];
    edgeIds.forEach((id) => {
      const hidden = !edgeOn[id];
      if (hidden !== Boolean(edgeHidden[id])) {
        edgeHidden[id] = hidden;
        edgeUpdates.push({ id: id, hidden: hidden });
      }
    });
    if (nodeUpdates.length) nodes.update(nodeUpdates);
    if (edgeUpdates.length) edges.update(edgeUpdates);
    const shownNodes = nodeIds.filter((id) => !nodeHidden[id]).length;
    const shownEdges = edgeIds.filter((id) => !edgeHidden[id]).length;
    let status = t("status", {
      shownEntities: num(shownNodes), entities: count(nodeIds.length, "entity"),
      shownRelations: num(shownEdges), relations: count(edgeIds.length, "relation"),
    });
    if (meta.omittedEntities) status += " " + t("status_omitted", { entities: count(meta.omittedEntities, "entity") });
    if (state.ego !== null) status += " " + t("status_ego", { name: data.nodes[state.ego].label });
    byId("kg-status").textContent = status;
    // a panel about something the filters just hid would describe what the map no longer shows
    if (panelFor && (panelFor.kind === "node" ? nodeHidden[panelFor.id] : edgeHidden[panelFor.id])) {
      closePanel();
      network.unselectAll();
    }
    sizeLabels(true);
  }

  function syncChecks() {
    document.querySelectorAll("#kg-types input").forEach((input) => { input.checked = state.types.has(input.value); });
    document.querySelectorAll("#kg-relations input").forEach((input) => {
      input.checked = state.relations.has(input.value);
    });
    byId("kg-isolated").checked = state.hideIsolated;
  }

  function buildFilter(fieldsetId, items, key, set, makeSwatch) {
    const fieldset = byId(fieldsetId);
    const all = () => { items.forEach((item) => set.add(item[key])); syncChecks(); applyFilters(); };
    const none = () => { set.clear(); syncChecks(); applyFilters(); };
    fieldset.appendChild(el("div", "kg-filter-all", button("kg-small", t("all"), all), button("kg-small", t("none"), none)));
    items.forEach((item) => {
      const input = el("input");
      input.type = "checkbox";
      input.checked = true;
      input.value = item[key];
      input.addEventListener("change", () => {
        if (input.checked) set.add(item[key]); else set.delete(item[key]);
        applyFilters();
      });
      fieldset.appendChild(el("label", "kg-check", input, makeSwatch(item), el("span", "kg-name", item[key]),
        el("span", "kg-count", String(item.count))));
    });
  }

  buildFilter("kg-types", data.types, "type", state.types, (t) => swatch("kg-dot", t.color));
  buildFilter("kg-relations", data.relations, "relation", state.relations, (r) => swatch("kg-line", r.color));
  byId("kg-isolated").addEventListener("change", (event) => {
    state.hideIsolated = event.target.checked;
    applyFilters();
  });

  function showAll() {
    data.types.forEach((t) => state.types.add(t.type));
    data.relations.forEach((r) => state.relations.add(r.relation));
    state.hideIsolated = false;
    state.ego = null;
    syncChecks();
    applyFilters();
    network.fit({ animation: false });
  }

  // ---------------------------------------------------------------------------------- search

  function fold(text) {
    return String(text).normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/œ/g, "oe").replace(/æ/g, "ae").replace(/ß/g, "ss")
      .replace(/[^\p{L}\p{N}]+/gu, " ").trim();
  }

  const searchIndex = nodeIds.map((id) => {
    const n = data.nodes[id];
    const names = [];
    const seen = new Set();
    [n.label].concat(n.aliases).forEach((name) => {
      const key = fold(name);
      if (key && !seen.has(key)) { seen.add(key); names.push({ key: key, name: name }); }
    });
    return { id: id, names: names };
  });

  function search(query, limit) {
    const q = fold(query);
    if (!q) return [];
    const hits = [];
    searchIndex.forEach((entry) => {
      let best = 9;
      let via = null;
      entry.names.forEach((n) => {
        const score = n.key === q ? 0 : n.key.startsWith(q) ? 1 : (" " + n.key).includes(" " + q) ? 2
          : n.key.includes(q) ? 3 : 9;
        if (score < best) { best = score; via = n.name; }
      });
      if (best < 9) hits.push({ id: entry.id, score: best, via: via });
    });
    hits.sort((a, b) => a.score - b.score || data.nodes[b.id].mentions - data.nodes[a.id].mentions
      || data.nodes[a.id].label.localeCompare(data.nodes[b.id].label));
    return hits.slice(0, limit || 12);
  }

  const searchInput = byId("kg-search");
  const resultList = byId("kg-results");
  let results = [];
  let active = 0;

  const noMatch = byId("kg-no-match");

  function renderResults() {
    clear(resultList);
    // "no match" is a line in the page's flow, not a box over the buttons below the search field
    noMatch.hidden = !searchInput.value.trim() || results.length > 0;
    noMatch.textContent = noMatch.hidden ? "" : t("no_match");
    if (!searchInput.value.trim() || !results.length) { resultList.hidden = true; return; }
    results.forEach((hit, i) => {
      const n = data.nodes[hit.id];
      const b = button(i === active ? "kg-active" : "", null, () => choose(i));
      b.appendChild(swatch("kg-dot", typeColor[n.type]));
      b.appendChild(document.createTextNode(" " + n.label + " "));
      b.appendChild(el("span", "kg-type", n.type));
      if (hit.via !== n.label) b.appendChild(el("div", "kg-via", t("via", { name: hit.via })));
      resultList.appendChild(el("li", null, b));
    });
    resultList.hidden = false;
  }

  function choose(i) {
    const hit = results[i];
    if (!hit) return;
    resultList.hidden = true;
    focusNode(hit.id);
  }

  searchInput.addEventListener("input", () => {
    results = search(searchInput.value);
    active = 0;
    renderResults();
  });
  searchInput.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (results.length) {
        active = (active + (event.key === "ArrowDown" ? 1 : results.length - 1)) % results.length;
        renderResults();
      }
      event.preventDefault();
    } else if (event.key === "Enter") {
      results = search(searchInput.value);
      choose(Math.min(active, results.length - 1));
      event.preventDefault();
    } else if (event.key === "Escape") {
      searchInput.value = "";
      results = [];
      renderResults();
    }
  });
  document.addEventListener("click", (event) => {
    if (!event.target.closest || !event.target.closest(".kg-search")) resultList.hidden = true;
  });

  function focusNode(id) {
    const n = data.nodes[id];
    if (!state.types.has(n.type)) state.types.add(n.type);
    if (state.ego !== null && state.ego !== id) state.ego = null;
    applyFilters();
    if (nodeHidden[id]) { state.hideIsolated = false; applyFilters(); }
    syncChecks();
    network.selectNodes([id]);
    showNode(id);
    // on narrow windows the panel floats over the map: centre the entity in the part left visible
    const floating = getComputedStyle(panel).position === "absolute";
    const offset = { x: floating ? -panel.offsetWidth / 2 : 0, y: 0 };
    network.focus(id, { scale: Math.max(network.getScale(), 1), offset: offset, animation: { duration: 400 } });
  }

  // ---------------------------------------------------------------------------------- panel

  const panel = byId("kg-panel");
  const panelBody = byId("kg-panel-body");

  let panelFor = null; // {kind: "node" | "edge", id} of the open panel

  function openPanel(children) {
    clear(panelBody);
    children.forEach((child) => { if (child) panelBody.appendChild(child); });
    panel.hidden = false;
    panel.scrollTop = 0;
  }

  function closePanel() {
    panelFor = null;
    panel.hidden = true;
    clear(panelBody);
  }
  byId("kg-close").addEventListener("click", () => { closePanel(); network.unselectAll(); });

  function section(title, content) {
    const box = el("section", null, el("h3", null, title));
    box.appendChild(content);
    return box;
  }

  function textList(items, limit, more) {
    const list = el("ul");
    items.slice(0, limit).forEach((item) => list.appendChild(el("li", null, el("bdi", null, item))));
    if (items.length > limit) list.appendChild(el("li", "kg-note", t("more", { items: count(items.length - limit, more) })));
    return list;
  }

  function entityLink(id) {
    return button("kg-link", data.nodes[id].label, () => focusNode(id));
  }

  function typeBadge(type) {
    return el("span", "kg-badge", swatch("kg-dot", typeColor[type] || "#9c9c9c"), type);
  }

  function relationBadge(relation) {
    return el("span", "kg-badge", swatch("kg-line", relationColor[relation] || "#999"), relation);
  }

  function showNode(id) {
    const n = data.nodes[id];
    const aliases = n.aliases.filter((a) => a !== n.label);
    const rels = incident[id].slice().sort((a, b) => {
      const ea = data.edges[a];
      const eb = data.edges[b];
      return ea.relation.localeCompare(eb.relation) || otherLabel(ea, id).localeCompare(otherLabel(eb, id));
    });
    const relList = el("ul");
    rels.forEach((eid) => {
      const e = data.edges[eid];
      const other = e.from === id ? e.to : e.from;
      const arrow = e.symmetric ? "—" : e.from === id ? "→" : "←";
      const name = e.polarity === "negative" ? e.relation + " " + t("denied") : e.relation;
      const row = el("li", "kg-rel-row", swatch("kg-line", relationColor[e.relation]),
        button("kg-link", name, () => selectEdge(eid)), arrow + " ", entityLink(other));
      if (e.date) row.appendChild(el("span", "kg-date", e.date));
      relList.appendChild(row);
    });
    // one way back from the ego view: the "Show all" button, which the panel points to
    const ego = state.ego === id ? el("p", "kg-note", t("ego_active"))
      : button("kg-small", t("ego"), () => { state.ego = id; applyFilters(); fitShown(); showNode(id); });
    openPanel([
      typeBadge(n.type),
      el("h2", null, el("bdi", null, n.label)),
      el("p", "kg-sub", count(n.mentions, "mention") + " · " + count(n.documents.length, "document")),
      ego,
      aliases.length ? section(t("also_written"), textList(aliases, 50, "alias")) : null,
      section(t("relations_count", { n: num(rels.length) }), rels.length ? relList : el("p", "kg-note", t("none_on_map"))),
      rels.some((eid) => !data.edges[eid].symmetric) ? el("p", "kg-note", t("direction_note", { name: n.label })) : null,
      n.hiddenRelations
        ? el("p", "kg-note", t("hidden_relations", { relations: count(n.hiddenRelations, "more_relation") })) : null,
      n.documents.length ? section(t("documents"), textList(n.documents, 100, "document")) : null,
      el("p", "kg-id", t("id", { id: n.id })),
    ]);
    panelFor = { kind: "node", id: id };
  }

  function otherLabel(e, id) {
    return data.nodes[e.from === id ? e.to : e.from].label;
  }

  function highlighted(sentence, spans) {
    const quote = el("blockquote", "kg-sentence");
    quote.dir = "auto";
    const chars = Array.from(sentence); // spans count code points, as Python does
    let pos = 0;
    spans.forEach((span) => {
      const start = span[0];
      const end = span[1];
      if (start < pos || end > chars.length || start >= end) return;
      if (start > pos) quote.appendChild(document.createTextNode(chars.slice(pos, start).join("")));
      quote.appendChild(el("mark", null, chars.slice(start, end).join("")));
      pos = end;
    });
    if (pos < chars.length) quote.appendChild(document.createTextNode(chars.slice(pos).join("")));
    return quote;
  }

  function certainty(value) {
    const key = "certainty_" + value;
    return Object.prototype.hasOwnProperty.call(ui.text, key) ? t(key) : value;
  }

  function showEdge(id) {
    const e = data.edges[id];
    const facts = el("dl", "kg-facts-list");
    const fact = (name, value) => {
      if (value === null || value === undefined || value === "") return;
      facts.appendChild(el("dt", null, name));
      facts.appendChild(el("dd", null, value));
    };
    fact(t("fact_relation"), relationBadge(e.relation));
    fact(t("fact_polarity"), e.polarity === "negative" ? t("polarity_negative") : t("polarity_positive"));
    fact(t("fact_date"), e.date);
    fact(t("fact_place"), e.placeNode ? entityLink(e.placeNode) : e.place);
    fact(t("fact_mentions"), num(e.weight));
    fact(t("fact_certainty"), e.certainty ? certainty(e.certainty) : null);
    fact(t("fact_confidence"), typeof e.confidence === "number" ? Math.round(e.confidence * 100) + " %" : null);
    fact(t("fact_method"), e.method);
    const evidence = el("ol", "kg-evidence");
    e.evidence.forEach((ev) => {
      const where = [ev.doc || t("unknown_document"), ev.date || e.date, e.place].filter(Boolean).join(" · ");
      evidence.appendChild(el("li", null, highlighted(ev.sentence, ev.spans), el("p", "kg-meta", el("bdi", null, where))));
    });
    openPanel([
      relationBadge(e.relation),
      el("h2", null, entityLink(e.from), e.symmetric ? " — " : " → ", entityLink(e.to)),
      e.label ? el("p", "kg-human", "« ", el("bdi", null, e.label), " »") : null,
      e.polarity === "negative" ? el("p", "kg-negated", t("negated_banner")) : null,
      facts,
      section(t("evidence_count", { n: num(e.evidence.length + e.moreEvidence) }),
        e.evidence.length ? evidence : el("p", "kg-note", t("no_sentence"))),
      e.moreEvidence ? el("p", "kg-note", t("more_evidence", { sentences: count(e.moreEvidence, "sentence") })) : null,
    ]);
    panelFor = { kind: "edge", id: id };
  }

  function selectEdge(id) {
    network.setSelection({ nodes: [], edges: [id] }, { unselectAll: true, highlightEdges: false });
    showEdge(id);
  }

  network.on("click", (params) => {
    if (params.nodes.length) showNode(params.nodes[0]);
    else if (params.edges.length) showEdge(params.edges[0]);
    else closePanel();
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && event.target !== searchInput) { closePanel(); network.unselectAll(); }
  });

  // ---------------------------------------------------------------------------------- physics

  const physicsButton = byId("kg-physics");

  function setPhysics(on) {
    state.physics = on;
    network.setOptions({ physics: { enabled: on } });
    physicsButton.textContent = on ? t("physics_on") : t("physics_off");
    physicsButton.setAttribute("aria-pressed", String(on));
  }
  physicsButton.addEventListener("click", () => setPhysics(!state.physics));
  byId("kg-fit").addEventListener("click", () => network.fit({ animation: { duration: 300 } }));
  byId("kg-reset").addEventListener("click", showAll);

  // ---------------------------------------------------------------------------------- labels

  // vis hides a label drawn below meta.minLabelPx on screen (its drawThreshold): small text is hidden, never
  // illegible. Emphasised entities (landmarks of a big map, every entity of a small one, the entities of an
  // ego view) keep about minLabelPx + 1 px at any zoom; where two of their labels would overlap, the less
  // connected one is hidden until zooming in separates them. Hovering a dot shows its name in the tooltip.
  const landmarks = nodeIds.filter((id) => data.nodes[id].landmark);
  const smallMap = !landmarks.length && nodeIds.length <= 60;
  const rank = (id) => [incident[id].length, data.nodes[id].mentions];
  const byRank = (a, b) => rank(b)[0] - rank(a)[0] || rank(b)[1] - rank(a)[1] || (a < b ? -1 : 1);
  const fontOf = {};
  nodeIds.forEach((id) => { fontOf[id] = data.nodes[id].landmark ? meta.landmarkFontSize : meta.nodeFontSize; });
  const measure = document.createElement("canvas").getContext("2d");
  let lastScale = null;

  function emphasised() {
    let ids = state.ego !== null ? nodeIds.filter((id) => !nodeHidden[id]) : smallMap ? nodeIds : landmarks;
    ids = ids.filter((id) => !nodeHidden[id]);
    return ids.sort(byRank).slice(0, 300);
  }

  function labelBox(id, size) {
    const pos = network.getPositions([id])[id];
    const radius = network.body.nodes[id].options.size;
    measure.font = size + "px system-ui, sans-serif";
    const width = measure.measureText(network.body.nodes[id].options.label || "").width + 6;
    return { left: pos.x - width / 2, right: pos.x + width / 2, top: pos.y + radius, bottom: pos.y + radius + size * 1.25 };
  }

  function overlaps(a, b) {
    return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  }

  function sizeLabels(force) {
    const scale = network.getScale();
    if (!force && scale === lastScale) return;
    lastScale = scale;
    const target = Math.round(Math.max(meta.nodeFontSize, Math.min(150, (meta.minLabelPx + 1) / scale)));
    const wanted = {};
    const kept = [];
    emphasised().forEach((id) => {
      const box = labelBox(id, target);
      if (kept.some((other) => overlaps(box, other))) {
        wanted[id] = 1; // drawn at 1 × scale px: below vis's threshold, so hidden
      } else {
        kept.push(box);
        wanted[id] = target;
      }
    });
    nodeIds.forEach((id) => { if (!(id in wanted)) wanted[id] = meta.nodeFontSize; });
    const updates = nodeIds.filter((id) => wanted[id] !== fontOf[id]).map((id) => {
      fontOf[id] = wanted[id];
      return { id: id, font: { size: wanted[id] } };
    });
    if (updates.length) nodes.update(updates);
  }
  // any change of scale (wheel, fit, focus, a window or panel resizing the canvas) is seen on the next frame
  network.on("afterDrawing", () => sizeLabels(false));
  network.on("dragEnd", () => sizeLabels(true));

  function fitShown() {
    network.fit({ nodes: nodeIds.filter((id) => !nodeHidden[id]), animation: false });
    sizeLabels(true);
  }

  const api = {
    network: network, nodes: nodes, edges: edges, data: data, state: state, ready: false, readyAt: null,
    search: search, focusNode: focusNode, showNode: showNode, showEdge: showEdge, selectEdge: selectEdge,
    applyFilters: applyFilters, setPhysics: setPhysics, showAll: showAll, sizeLabels: sizeLabels,
    setTypeVisible: (type, on) => { if (on) state.types.add(type); else state.types.delete(type); syncChecks(); applyFilters(); },
    setRelationVisible: (relation, on) => {
      if (on) state.relations.add(relation); else state.relations.delete(relation);
      syncChecks();
      applyFilters();
    },
  };
  window.kgraph = api;

  function markReady() {
    sizeLabels(true);
    network.once("afterDrawing", () => {
      api.ready = true;
      api.readyAt = performance.now();
      document.documentElement.setAttribute("data-kg-ready", "true");
    });
    network.redraw();
  }

  if (meta.physics && nodeIds.length) {
    state.physics = true;
    physicsButton.textContent = t("physics_settling");
    network.once("stabilizationIterationsDone", () => { setPhysics(false); markReady(); });
  } else {
    markReady();
  }
  applyFilters();
}
