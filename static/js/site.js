// Small enhancements under a strict CSP (no inline scripts): focus after HTMX swaps and "Copy link".
(function () {
  "use strict";
  // After an HTMX swap, move focus to the element the new content marks with data-focus-after-swap.
  // An outerHTML swap settles on the new elements (event.target), while detail.target is the
  // replaced, detached one; so look in the element the event fired on when it is on the page.
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.target instanceof Element && event.target.isConnected
      ? event.target
      : event.detail && event.detail.target;
    if (!target || !target.isConnected) return;
    var focusable = target.matches("[data-focus-after-swap]")
      ? target
      : target.querySelector("[data-focus-after-swap]");
    if (focusable) {
      if (!focusable.hasAttribute("tabindex")) focusable.setAttribute("tabindex", "-1");
      focusable.focus();
    }
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy-target]");
    if (!button) return;
    var field = document.getElementById(button.getAttribute("data-copy-target"));
    if (!field) return;
    var done = function () {
      var status = document.getElementById(button.getAttribute("data-copy-status"));
      if (status) status.textContent = "Link copied.";
    };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(field.value).then(done, function () { field.select(); });
    } else {
      field.select();
      done();
    }
  });
})();
