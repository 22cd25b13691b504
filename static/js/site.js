// Small enhancements under a strict CSP (no inline scripts): focus after HTMX swaps, why an HTMX
// request failed, and "Copy link".
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
  // htmx swaps nothing for a 4xx or 5xx answer (a lost CSRF cookie is a 403): say why in the
  // page's alert region, in the words of the error page the server sent.
  function showRequestError(heading, text) {
    var region = document.getElementById("request-error");
    if (!region) return;
    var message = document.createElement("p");
    message.className = "message message-error";
    if (heading) {
      var strong = document.createElement("strong");
      strong.textContent = heading + " ";
      message.appendChild(strong);
    }
    message.appendChild(document.createTextNode(text));
    region.replaceChildren(message);
    region.scrollIntoView({ block: "nearest" });
  }
  document.addEventListener("htmx:beforeRequest", function () {
    var region = document.getElementById("request-error");
    if (region) region.replaceChildren();
  });
  document.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail.xhr;
    var page = null;
    if ((xhr.getResponseHeader("Content-Type") || "").indexOf("text/html") === 0) {
      page = new DOMParser().parseFromString(xhr.responseText, "text/html");
    }
    var heading = page && page.querySelector("main h1");
    var text = page && page.querySelector("main h1 ~ p");
    if (text && text.textContent.trim()) {
      showRequestError(heading ? heading.textContent.trim() : "", text.textContent.trim());
    } else {
      showRequestError("", "Something went wrong (" + xhr.status + "). Reload the page and try again.");
    }
  });
  document.addEventListener("htmx:sendError", function () {
    showRequestError("", "The site could not be reached. Check your connection and try again.");
  });
  // "Copy link" buttons work only with JavaScript, so they start hidden and are shown here;
  // without it the read-only field beside them holds the link to select and copy.
  function revealCopyButtons() {
    document.querySelectorAll("button[data-copy-target][hidden]").forEach(function (button) {
      button.hidden = false;
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", revealCopyButtons);
  } else {
    revealCopyButtons();
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy-target]");
    if (!button) return;
    var field = document.getElementById(button.getAttribute("data-copy-target"));
    if (!field) return;
    var say = function (text) {
      var status = document.getElementById(button.getAttribute("data-copy-status"));
      if (status) status.textContent = text;
    };
    // Without clipboard access (an insecure origin, a refused permission) select the link instead.
    var selectIt = function () {
      field.focus();
      field.select();
      say("The link is selected: press Ctrl+C (or \u2318C) to copy it.");
    };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(field.value).then(function () { say("Link copied."); }, selectIt);
    } else {
      selectIt();
    }
  });
})();
