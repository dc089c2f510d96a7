// Skill suggestions for the profile's skills box. Optional: without JavaScript the box is plain
// text and the server resolves each typed term (Japanese or English) to the vocabulary.
(function () {
  "use strict";
  var box = document.querySelector('textarea[data-suggest="skills"]');
  var panel = document.getElementById("skills-suggest");
  if (!box || !panel || !window.fetch) { return; }
  var lang = document.documentElement.lang === "en" ? "en" : "ja";
  var sep = /[;；,，、\n]/;
  var timer = null;
  var lastQuery = "";

  function currentTerm() {
    var parts = box.value.slice(0, box.selectionEnd).split(sep);
    return parts[parts.length - 1].trim();
  }

  function replaceTerm(label) {
    var end = box.selectionEnd;
    var before = box.value.slice(0, end);
    var after = box.value.slice(end).replace(/^[^;；,，、\n]*[;；,，、]?\s*/, "");
    var match = before.match(/^([\s\S]*[;；,，、\n])/);
    var head = match ? match[1] : "";
    if (head && lang === "en" && !/\s$/.test(head)) { head += " "; }
    var joiner = lang === "ja" ? "、" : "; ";
    var start = head + label + joiner;
    box.value = start + after;
    box.focus();
    box.setSelectionRange(start.length, start.length);
    lastQuery = "";
    hide();
  }

  function hide() {
    panel.hidden = true;
    panel.textContent = "";
  }

  function show(items) {
    panel.textContent = "";
    if (!items.length) { hide(); return; }
    var title = document.createElement("p");
    title.className = "small";
    title.textContent = panel.getAttribute("data-label");
    panel.appendChild(title);
    var list = document.createElement("ul");
    items.forEach(function (item) {
      var li = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "secondary small";
      button.textContent = item.ja === item.en ? item.ja : item.ja + " / " + item.en;
      button.addEventListener("click", function () { replaceTerm(lang === "en" ? item.en : item.ja); });
      li.appendChild(button);
      list.appendChild(li);
    });
    panel.appendChild(list);
    panel.hidden = false;
  }

  function lookup() {
    var q = currentTerm();
    if (q === lastQuery) { return; }
    lastQuery = q;
    if (q.length < 1) { hide(); return; }
    fetch(panel.getAttribute("data-url") + "?q=" + encodeURIComponent(q), {
      credentials: "same-origin", headers: { "Accept": "application/json" }
    }).then(function (r) { return r.ok ? r.json() : []; })
      .then(function (items) { if (q === currentTerm()) { show(items); } })
      .catch(hide);
  }

  panel.setAttribute("aria-live", "polite");
  box.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(lookup, 200);
  });
  box.addEventListener("keydown", function (e) { if (e.key === "Escape") { hide(); } });
}());
