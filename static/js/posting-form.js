// Live advice and reach on the posting form: after a pause in typing, ask the server for the
// advice on the form's current values (shown next to the fields) and for how many registered
// professionals those conditions reach. The form works without this.
(function () {
  "use strict";
  var form = document.getElementById("posting-form");
  if (!form || !window.fetch || !window.FormData) { return; }
  var url = form.getAttribute("data-advice-url");
  var tokenInput = form.querySelector("input[name=csrf_token]");
  var summary = document.getElementById("advice-summary");
  var list = document.getElementById("advice-list");

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

  // After a pause in typing, post the form's current values to `endpoint` and hand the JSON
  // answer to `show`; an older answer arriving after a newer one is dropped. Both panels are
  // conveniences: the server shows them again on every save, so a failure stays quiet.
  function live(endpoint, accept, show) {
    var timer = null;
    var sequence = 0;
    function refresh() {
      var data = new FormData(form);
      data.delete("csrf_token");
      var mine = ++sequence;
      fetch(endpoint, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-CSRFToken": tokenInput ? tokenInput.value : "", "Accept": "application/json" }
      }).then(function (response) {
        if (!response.ok) { throw new Error(endpoint + " " + response.status); }
        return response.json();
      }).then(function (body) {
        if (mine === sequence && body && accept(body)) { show(body); }
      }).catch(function () {});
    }
    function schedule() {
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, 600);
    }
    form.addEventListener("input", schedule);
    form.addEventListener("change", schedule);
  }

  // Reach: how many registered professionals the current conditions reach, and what
  // easing one condition would add. Only rounded counts come back, never names.
  var reachUrl = form.getAttribute("data-reach-url");
  var reachPanel = document.getElementById("reach-panel");
  var reachBody = document.getElementById("reach-body");

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

  if (reachUrl) {
    live(reachUrl, function (body) { return typeof body.sentence === "string"; }, renderReach);
  }
  live(url, function (body) { return Array.isArray(body.advice); },
       function (body) { render(body.advice); });
})();
