// Class photos and videos (GA23-PHO-1, GA23-VID-1) through the resumable, chunked upload of
// core (static/upskill/upload.js): the scenes offered follow the medium, and the evidence list
// and the checklist are refreshed before the upload is reported done.
(function () {
  "use strict";

  function setScenes(form) {
    var choices = JSON.parse(document.getElementById("scene-choices").textContent);
    var media = form.querySelector("[name=media]").value;
    var select = form.querySelector("[name=scene]");
    var current = select.value;
    select.innerHTML = "";
    choices[media].forEach(function (pair) {
      var option = document.createElement("option");
      option.value = pair[0];
      option.textContent = pair[1];
      if (pair[0] === current) option.selected = true;
      select.appendChild(option);
    });
  }

  function refresh(form) {
    if (!window.htmx) return Promise.resolve();
    return window.htmx
      .ajax("GET", form.dataset.refreshUrl, { target: "#evidence", swap: "outerHTML" })
      .then(function () {
        return window.htmx.ajax("GET", form.dataset.complianceUrl, {
          target: ".compliance",
          swap: "outerHTML",
        });
      });
  }

  function upload(form, event) {
    event.preventDefault();
    var file = form.querySelector("input[type=file]").files[0];
    var status = form.querySelector(".upload-status");
    var button = form.querySelector("button[type=submit]");
    if (!file) return;
    button.disabled = true;
    status.className = "upload-status";
    status.textContent = "";
    var body = new FormData(form);
    body.delete("file");
    window
      .upskillUpload(form, file, body)
      .then(function (data) {
        form.reset();
        setScenes(form);
        return refresh(form).then(function () {
          status.className = "upload-status message success";
          status.textContent = data.message;
        });
      })
      .catch(function (error) {
        status.className = "upload-status message error";
        status.textContent = error.message;
      })
      .finally(function () {
        button.disabled = false;
      });
  }

  function init() {
    document.querySelectorAll("form.evidence-upload").forEach(function (form) {
      form.querySelector("[name=media]").addEventListener("change", function () { setScenes(form); });
      form.addEventListener("submit", function (event) { upload(form, event); });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
