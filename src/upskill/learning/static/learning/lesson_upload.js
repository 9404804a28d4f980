// A lesson's video goes through core's resumable, chunked upload (static/upskill/upload.js):
// the lesson form's fields open the upload, the file follows in parts, and the finished upload
// becomes the lesson (its length read from the file); the course page is then shown again
// with the new lesson. A document is posted with the form as it is.
(function () {
  "use strict";

  function upload(form, event) {
    var medium = form.querySelector("[name=lesson-medium]");
    var input = form.querySelector("input[type=file]");
    var file = input && input.files[0];
    if (!medium || medium.value !== "video" || !file) return; // the plain form post
    event.preventDefault();
    var status = form.querySelector(".upload-status");
    var button = form.querySelector("button[type=submit]");
    button.disabled = true;
    status.className = "upload-status";
    status.textContent = "";
    var body = new FormData(form);
    body.delete(input.name);
    window
      .upskillUpload(form, file, body)
      .then(function (data) {
        status.className = "upload-status message success";
        status.textContent = data.message;
        window.location.assign(data.url);
      })
      .catch(function (error) {
        status.className = "upload-status message error";
        status.textContent = error.message;
        button.disabled = false;
      });
  }

  function init() {
    document.querySelectorAll("form.lesson-upload").forEach(function (form) {
      form.addEventListener("submit", function (event) { upload(form, event); });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
