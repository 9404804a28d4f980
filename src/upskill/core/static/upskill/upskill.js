// Behaviour of the pages that the Content-Security-Policy keeps out of the HTML (no inline
// script, no on…= handler): a <select data-autosubmit> submits its form when it changes; a
// destructive action (a button or form with data-confirm) asks before it is sent.
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target instanceof HTMLSelectElement && target.hasAttribute("data-autosubmit") && target.form) {
      target.form.submit();
    }
  });
  document.addEventListener("submit", function (event) {
    var submitter = event.submitter;
    var question = (submitter && submitter.getAttribute("data-confirm")) || event.target.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
  // The side menu's badges (the work waiting behind each entry), fetched after the page so
  // that a page costs no counting; the home page brings them itself.
  document.addEventListener("DOMContentLoaded", function () {
    var menu = document.querySelector("[data-badges-url]");
    if (!menu) { return; }
    fetch(menu.getAttribute("data-badges-url"), { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : {}; })
      .then(function (counts) {
        Object.keys(counts).forEach(function (slug) {
          var badge = document.getElementById("badge-" + slug);
          if (badge) {
            badge.textContent = String(counts[slug]);
            badge.classList.remove("d-none");
          }
        });
        menu.setAttribute("data-badges-loaded", "true");
      })
      .catch(function () { /* the menu works without its badges */ });
  });
})();
