// The header's menu button (below 900 px): shows or hides the navigation. Without scripts the
// navigation simply stays open, so nothing is ever out of reach.
(function () {
  var button = document.querySelector('.menu-toggle');
  var nav = document.getElementById('site-nav');
  if (!button || !nav) return;
  document.documentElement.classList.add('has-menu');
  button.addEventListener('click', function () {
    var open = button.getAttribute('aria-expanded') !== 'true';
    button.setAttribute('aria-expanded', String(open));
    nav.classList.toggle('open', open);
  });
  // One panel (「その他」 or the account) open at a time; Escape closes it.
  var panels = nav.querySelectorAll('details.nav-more');
  panels.forEach(function (d) {
    d.addEventListener('toggle', function () {
      if (d.open) panels.forEach(function (o) { if (o !== d) o.open = false; });
    });
  });
  document.addEventListener('keydown', function (e) {
    if (e.key === 'Escape') panels.forEach(function (d) { d.open = false; });
  });
  document.addEventListener('click', function (e) {
    panels.forEach(function (d) { if (!d.contains(e.target)) d.open = false; });
  });
})();
