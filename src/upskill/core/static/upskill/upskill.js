// Behaviour of the pages that the Content-Security-Policy keeps out of the HTML (no inline
// script, no on…= handler): a <select data-autosubmit> submits its form when it changes.
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target instanceof HTMLSelectElement && target.hasAttribute("data-autosubmit") && target.form) {
      target.form.submit();
    }
  });
})();
