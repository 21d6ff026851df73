(function () {
  "use strict";
  // Diffs are JSON in one <script type="application/json"> block per group, parsed and turned into
  // DOM nodes (textContent only: article text is never parsed as HTML) when a member is opened.
  var KIND = {
    "=": null,
    i: ["ins", "chg-ins", "the copy's wording"],
    n: ["ins", "new", "new content, not in the source"],
    b: ["ins", "bp", "site furniture the republisher added"],
    m: ["span", "moved", "a sentence moved from elsewhere in the source"],
    d: ["del", "chg-del", "the source's wording"],
    r: ["del", "removed", "in the source, cut from the copy"],
    f: ["del", "moved-from", "moved: stands further on in the copy"]
  };
  var SOURCE_SIDE = { d: 1, r: 1, f: 1 };
  var parsed = new Map();
  var lowered = new Map();

  function groupData(n) {
    if (!parsed.has(n)) {
      parsed.set(n, JSON.parse(document.getElementById("data-" + n).textContent));
    }
    return parsed.get(n);
  }

  function renderOps(ops, text, role) {
    var frag = document.createDocumentFragment();
    var pos = 0;
    for (var k = 0; k < ops.length; k++) {
      var op = ops[k], code = op[0], piece;
      if (typeof op[1] === "number") {
        piece = text.slice(pos, pos + op[1]);
        pos += op[1];
      } else {
        piece = op[1];
      }
      var kind = KIND[code];
      if (!kind || !/\S/.test(piece)) { frag.appendChild(document.createTextNode(piece)); continue; }
      var tag = kind[0], cls = kind[1], title = kind[2];
      if (role === "source" && code === "b") { tag = "span"; title = "site furniture"; }
      var el = document.createElement(tag);
      el.className = cls;
      el.textContent = piece;
      if (code === "b") {
        var rule = op[2] || "furniture";
        el.setAttribute("data-rule", rule);
        title = title + ": " + rule;
      }
      el.title = title;
      frag.appendChild(el);
    }
    return frag;
  }

  function fillDiff(details) {
    var box = details.querySelector(".diff");
    if (!box || box.getAttribute("data-done")) return;
    var n = details.closest(".group").getAttribute("data-n");
    var id = details.getAttribute("data-id");
    var data = groupData(n);
    var ops = data.ops[id], text = data.texts[id], role = box.getAttribute("data-role");
    var head = document.createElement("div");
    head.className = "summary";
    var body = document.createElement("div");
    body.className = "body";
    body.appendChild(renderOps(ops, text, role));
    if (role === "source") {
      head.textContent = "The source, as published; site furniture is marked.";
    } else {
      // the diff's own figures (dedup.diff), as the row shows them
      var c = (details.getAttribute("data-tally") || "").split(" ").map(Number);
      var said = [[c[0], "changed phrase"], [c[1], "new sentence"], [c[2], "sentence of site furniture", "sentences of site furniture"],
        [c[3], "sentence cut", "sentences cut"], [c[4], "moved sentence"]]
        .filter(function (x) { return x[0]; })
        .map(function (x) { return x[0] + " " + (x[0] === 1 ? x[1] : (x[2] || x[1] + "s")); });
      head.textContent = "Against the source " + data.source + ": " + (said.length ? said.join(", ") : "no change") + ".";
      var tools = document.createElement("label");
      tools.className = "tools";
      var hide = document.createElement("input");
      hide.type = "checkbox";
      hide.addEventListener("change", function () { box.classList.toggle("hide-removed", hide.checked); });
      tools.appendChild(hide);
      tools.appendChild(document.createTextNode(" hide text cut from the source"));
      box.appendChild(tools);
    }
    box.appendChild(head);
    box.appendChild(body);
    box.setAttribute("data-done", "1");
  }

  document.addEventListener("toggle", function (event) {
    var el = event.target;
    if (el.classList && el.classList.contains("member") && el.open) fillDiff(el);
    if (el.id === "unique" && el.open) fillUnique();
  }, true);

  function fillUnique() {
    var list = document.getElementById("unique-list");
    if (list.getAttribute("data-done")) return;
    var items = JSON.parse(document.getElementById("unique-data").textContent);
    var frag = document.createDocumentFragment();
    items.forEach(function (d) {
      var li = document.createElement("li");
      var code = document.createElement("code");
      code.textContent = d.id;
      li.appendChild(code);
      var rest = [d.title, d.site, d.date].filter(Boolean).join(" · ");
      if (rest) li.appendChild(document.createTextNode(" " + rest));
      li.setAttribute("data-search", (d.id + " " + rest).toLowerCase());
      frag.appendChild(li);
    });
    list.appendChild(frag);
    list.setAttribute("data-done", "1");
    applyFilters();
  }

  function groupText(n) {
    if (!lowered.has(n)) {
      var texts = groupData(n).texts, all = [];
      for (var id in texts) all.push(texts[id]);
      lowered.set(n, all.join("\n").toLowerCase());
    }
    return lowered.get(n);
  }

  var groups = Array.prototype.slice.call(document.querySelectorAll("section.group"));
  var search = document.getElementById("search");
  var shown = document.getElementById("shown");

  function applyFilters() {
    var wanted = {};
    document.querySelectorAll('input[name="relation"]').forEach(function (b) { wanted[b.value] = b.checked; });
    var q = search.value.trim().toLowerCase();
    var visible = 0;
    groups.forEach(function (g) {
      var any = false;
      g.querySelectorAll("details.member").forEach(function (m) {
        var rel = m.getAttribute("data-relation");
        if (rel === "source") return;
        var on = wanted[rel] !== false;
        m.hidden = !on;
        any = any || on;
      });
      var match = !q || g.getAttribute("data-search").indexOf(q) >= 0 || groupText(g.getAttribute("data-n")).indexOf(q) >= 0;
      g.hidden = !(any && match);
      if (!g.hidden) visible++;
    });
    shown.textContent = visible + " of " + groups.length + " groups";
    document.querySelectorAll("#unique-list li").forEach(function (li) {
      li.hidden = !!q && li.getAttribute("data-search").indexOf(q) < 0;
    });
  }

  var timer = null;
  search.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(applyFilters, 180);
  });
  document.querySelectorAll('input[name="relation"]').forEach(function (b) {
    b.addEventListener("change", applyFilters);
  });
})();
