// Live advice on the posting form: after a pause in typing, ask the server for the advice on
// the form's current values and show it next to the fields. The form works without this.
(function () {
  "use strict";
  var form = document.getElementById("posting-form");
  if (!form || !window.fetch || !window.FormData) { return; }
  var url = form.getAttribute("data-advice-url");
  var tokenInput = form.querySelector("input[name=csrf_token]");
  var summary = document.getElementById("advice-summary");
  var list = document.getElementById("advice-list");
  var timer = null;
  var sequence = 0;

  function fieldAnchor(field) {
    return "#" + field;
  }

  function render(items) {
    var byField = {};
    items.forEach(function (item) {
      (byField[item.field] = byField[item.field] || []).push(item.message);
    });
    form.querySelectorAll("[data-advice-for]").forEach(function (box) {
      var messages = byField[box.getAttribute("data-advice-for")] || [];
      var current = Array.prototype.map.call(box.children, function (p) { return p.textContent; });
      if (current.join("\n") === messages.join("\n")) { return; }
      box.replaceChildren();
      messages.forEach(function (text) {
        var p = document.createElement("p");
        p.className = "advice";
        p.textContent = text;
        box.appendChild(p);
      });
    });
    if (!summary || !list) { return; }
    list.replaceChildren();
    items.forEach(function (item) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = fieldAnchor(item.field);
      a.textContent = item.message;
      li.appendChild(a);
      list.appendChild(li);
    });
    summary.hidden = items.length === 0;
  }

  function refresh() {
    var data = new FormData(form);
    data.delete("csrf_token");
    var mine = ++sequence;
    fetch(url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-CSRFToken": tokenInput ? tokenInput.value : "", "Accept": "application/json" }
    }).then(function (response) {
      if (!response.ok) { throw new Error("advice " + response.status); }
      return response.json();
    }).then(function (body) {
      if (mine === sequence && body && Array.isArray(body.advice)) { render(body.advice); }
    }).catch(function () {
      // Advice is a convenience: the server shows it again on every save.
    });
  }

  function schedule() {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 600);
  }

  // Reach: how many registered professionals the current conditions reach, and what
  // easing one condition would add. Only rounded counts come back, never names.
  var reachUrl = form.getAttribute("data-reach-url");
  var reachPanel = document.getElementById("reach-panel");
  var reachBody = document.getElementById("reach-body");
  var reachSequence = 0;

  function renderReach(body) {
    if (!reachPanel || !reachBody) { return; }
    var figure = document.createElement("p");
    figure.id = "reach-figure";
    figure.textContent = body.sentence;
    var nodes = [figure];
    if (Array.isArray(body.what_if) && body.what_if.length) {
      var ul = document.createElement("ul");
      ul.id = "reach-what-if";
      body.what_if.forEach(function (w) {
        var li = document.createElement("li");
        li.setAttribute("data-change", w.change);
        li.textContent = w.sentence;
        ul.appendChild(li);
      });
      nodes.push(ul);
    }
    reachBody.replaceChildren.apply(reachBody, nodes);
    reachPanel.hidden = false;
  }

  function refreshReach() {
    if (!reachUrl) { return; }
    var data = new FormData(form);
    data.delete("csrf_token");
    var mine = ++reachSequence;
    fetch(reachUrl, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-CSRFToken": tokenInput ? tokenInput.value : "", "Accept": "application/json" }
    }).then(function (response) {
      if (!response.ok) { throw new Error("reach " + response.status); }
      return response.json();
    }).then(function (body) {
      if (mine === reachSequence && body && typeof body.sentence === "string") { renderReach(body); }
    }).catch(function () {
      // The draft's page shows the reach too, server-rendered.
    });
  }

  var reachTimer = null;
  function scheduleReach() {
    window.clearTimeout(reachTimer);
    reachTimer = window.setTimeout(refreshReach, 600);
  }

  form.addEventListener("input", scheduleReach);
  form.addEventListener("change", scheduleReach);
  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
})();
