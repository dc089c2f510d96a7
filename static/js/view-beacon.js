// Counts one view of a published posting: a cookie-less POST after the page has loaded, so
// pages served from a cache still count. Sends nothing about the reader.
(function () {
  var script = document.currentScript;
  var url = script && script.getAttribute('data-beacon');
  if (!url) return;
  function send() {
    if (navigator.sendBeacon) {
      navigator.sendBeacon(url);
    } else if (window.fetch) {
      fetch(url, {method: 'POST', credentials: 'omit', keepalive: true});
    }
  }
  if (document.readyState === 'complete') send();
  else window.addEventListener('load', send, {once: true});
})();
