// On a phone a wide table scrolls inside its own box (app.css). A box that scrolls must be
// reachable by keyboard (WCAG 2.1.1): such a table joins the tab order, named by its caption,
// and leaves it again when the window is wide enough to show it whole.
(function () {
  var tables = document.querySelectorAll('main table');
  if (!tables.length) return;
  function mark() {
    tables.forEach(function (t) {
      if (t.scrollWidth > t.clientWidth + 1) {
        t.setAttribute('tabindex', '0');
      } else if (t.getAttribute('tabindex') === '0') {
        t.removeAttribute('tabindex');
      }
    });
  }
  mark();
  var pending;
  window.addEventListener('resize', function () {
    clearTimeout(pending);
    pending = setTimeout(mark, 100);
  });
})();
