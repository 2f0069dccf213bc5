/* kgraph map behaviour: legend and filters, search by alias, side panel with evidence, physics toggle.
   Called by pyvis's drawing script once the vis-network exists. Text that comes from articles reaches the
   DOM only through textContent and text nodes, never through innerHTML or attribute-based URLs. */
"use strict";

function kgraphStart(network, nodes, edges) {
  const data = JSON.parse(document.getElementById("kgraph-data").textContent);
  const meta = data.meta;
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

  function plural(count, singular, pluralForm) {
    return count.toLocaleString("en") + " " + (count === 1 ? singular : (pluralForm || singular + "s"));
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
    let status = "Showing " + shownNodes.toLocaleString("en") + " of " + plural(nodeIds.length, "entity", "entities")
      + " and " + shownEdges.toLocaleString("en") + " of " + plural(edgeIds.length, "relation") + ".";
    if (meta.omittedEntities) {
      status += " " + plural(meta.omittedEntities, "entity", "entities") + " left off this map.";
    }
    if (state.ego !== null) status += " Only the relations of " + data.nodes[state.ego].label + ".";
    byId("kg-status").textContent = status;
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
    fieldset.appendChild(el("div", "kg-filter-all", button("kg-small", "all", all), button("kg-small", "none", none)));
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

  function renderResults() {
    clear(resultList);
    if (!searchInput.value.trim()) { resultList.hidden = true; return; }
    if (!results.length) {
      resultList.appendChild(el("li", "kg-empty", "No entity matches this name or alias."));
    }
    results.forEach((hit, i) => {
      const n = data.nodes[hit.id];
      const b = button(i === active ? "kg-active" : "", null, () => choose(i));
      b.appendChild(swatch("kg-dot", typeColor[n.type]));
      b.appendChild(document.createTextNode(" " + n.label + " "));
      b.appendChild(el("span", "kg-type", n.type));
      if (hit.via !== n.label) b.appendChild(el("div", "kg-via", "also written " + hit.via));
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
    network.focus(id, { scale: Math.max(network.getScale(), 1), animation: { duration: 400 } });
    showNode(id);
  }

  // ---------------------------------------------------------------------------------- panel

  const panel = byId("kg-panel");
  const panelBody = byId("kg-panel-body");

  function openPanel(children) {
    clear(panelBody);
    children.forEach((child) => { if (child) panelBody.appendChild(child); });
    panel.hidden = false;
    panel.scrollTop = 0;
  }

  function closePanel() {
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
    if (items.length > limit) list.appendChild(el("li", "kg-note", plural(items.length - limit, more) + " more"));
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
      const name = e.polarity === "negative" ? e.relation + " (denied)" : e.relation;
      const row = el("li", "kg-rel-row", swatch("kg-line", relationColor[e.relation]),
        button("kg-link", name, () => selectEdge(eid)), arrow + " ", entityLink(other));
      if (e.date) row.appendChild(el("span", "kg-date", e.date));
      relList.appendChild(row);
    });
    const egoButton = button("kg-small", state.ego === id ? "Show everything again" : "Show only its relations",
      () => { state.ego = state.ego === id ? null : id; applyFilters(); showNode(id); });
    openPanel([
      typeBadge(n.type),
      el("h2", null, el("bdi", null, n.label)),
      el("p", "kg-sub", plural(n.mentions, "mention") + " · " + plural(n.documents.length, "document")),
      egoButton,
      aliases.length ? section("Also written", textList(aliases, 50, "alias")) : null,
      section("Relations (" + rels.length + ")", rels.length ? relList : el("p", "kg-note", "None on this map.")),
      rels.some((eid) => !data.edges[eid].symmetric)
        ? el("p", "kg-note", "→ " + n.label + " acts on the other entity; ← the other entity acts on it.") : null,
      n.hiddenRelations ? el("p", "kg-note", plural(n.hiddenRelations, "more relation")
        + " with entities left off this map (see the GraphML/JSON export).") : null,
      n.documents.length ? section("Documents", textList(n.documents, 100, "document")) : null,
      el("p", "kg-id", "id: " + n.id),
    ]);
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

  const CERTAINTY = {
    asserted: "asserted (stated as fact)",
    reported: "reported (attributed to a source)",
    hedged: "hedged (conditional, planned or uncertain)",
  };

  function showEdge(id) {
    const e = data.edges[id];
    const facts = el("dl", "kg-facts-list");
    const fact = (name, value) => {
      if (value === null || value === undefined || value === "") return;
      facts.appendChild(el("dt", null, name));
      facts.appendChild(el("dd", null, value));
    };
    fact("Relation", relationBadge(e.relation));
    fact("Polarity", e.polarity === "negative" ? "negative: denied / negated" : "positive");
    fact("Date", e.date);
    fact("Place", e.placeNode ? entityLink(e.placeNode) : e.place);
    fact("Mentions", String(e.weight));
    fact("Certainty", CERTAINTY[e.certainty] || e.certainty);
    fact("Confidence", typeof e.confidence === "number" ? Math.round(e.confidence * 100) + " %" : null);
    fact("Found by", e.method);
    const evidence = el("ol", "kg-evidence");
    e.evidence.forEach((ev) => {
      const where = [ev.doc || "unknown document", ev.date || e.date, e.place].filter(Boolean).join(" · ");
      evidence.appendChild(el("li", null, highlighted(ev.sentence, ev.spans), el("p", "kg-meta", el("bdi", null, where))));
    });
    openPanel([
      relationBadge(e.relation),
      el("h2", null, entityLink(e.from), e.symmetric ? " — " : " → ", entityLink(e.to)),
      e.label ? el("p", "kg-human", "« ", el("bdi", null, e.label), " »") : null,
      e.polarity === "negative"
        ? el("p", "kg-negated", "Denied / negated: the text says this did not happen.") : null,
      facts,
      section("Evidence (" + (e.evidence.length + e.moreEvidence) + ")",
        e.evidence.length ? evidence : el("p", "kg-note", "No sentence recorded.")),
      e.moreEvidence ? el("p", "kg-note", plural(e.moreEvidence, "more sentence")
        + " in the JSON export.") : null,
    ]);
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
    physicsButton.textContent = on ? "Physics: on" : "Physics: off";
    physicsButton.setAttribute("aria-pressed", String(on));
  }
  physicsButton.addEventListener("click", () => setPhysics(!state.physics));
  byId("kg-fit").addEventListener("click", () => network.fit({ animation: { duration: 300 } }));
  byId("kg-reset").addEventListener("click", showAll);

  // landmark labels keep about 12 px on screen when zoomed out, and shrink back to normal when zoomed in
  const landmarks = nodeIds.filter((id) => data.nodes[id].landmark);
  let landmarkSize = meta.landmarkFontSize;

  function sizeLandmarks() {
    const size = Math.round(Math.max(14, Math.min(150, 12 / network.getScale())));
    if (!landmarks.length || size === landmarkSize) return;
    landmarkSize = size;
    nodes.update(landmarks.map((id) => ({ id: id, font: { size: size } })));
  }
  network.on("zoom", sizeLandmarks);
  network.on("animationFinished", sizeLandmarks);

  const api = {
    network: network, nodes: nodes, edges: edges, data: data, state: state, ready: false, readyAt: null,
    search: search, focusNode: focusNode, showNode: showNode, showEdge: showEdge, selectEdge: selectEdge,
    applyFilters: applyFilters, setPhysics: setPhysics, showAll: showAll,
    setTypeVisible: (type, on) => { if (on) state.types.add(type); else state.types.delete(type); syncChecks(); applyFilters(); },
    setRelationVisible: (relation, on) => {
      if (on) state.relations.add(relation); else state.relations.delete(relation);
      syncChecks();
      applyFilters();
    },
  };
  window.kgraph = api;

  function markReady() {
    sizeLandmarks();
    network.once("afterDrawing", () => {
      api.ready = true;
      api.readyAt = performance.now();
      document.documentElement.setAttribute("data-kg-ready", "true");
    });
    network.redraw();
  }

  if (meta.physics && nodeIds.length) {
    state.physics = true;
    physicsButton.textContent = "Physics: settling…";
    network.once("stabilizationIterationsDone", () => { setPhysics(false); markReady(); });
  } else {
    markReady();
  }
  applyFilters();
}
