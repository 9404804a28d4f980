// Resumable, chunked upload of class photos and videos (GA23-PHO-1, GA23-VID-1).
// The server answers a chunk sent for the wrong position with 409 and the offset it stands
// at, so the script resumes from there; an interrupted upload of the same file (name, size,
// modification time) is resumed from the session remembered in localStorage.
(function () {
  "use strict";

  function csrf(form) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function post(url, body, form) {
    return fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf(form), Accept: "application/json" },
    }).then(function (response) {
      return response.json().then(function (data) {
        return { status: response.status, data: data };
      });
    });
  }

  function fileKey(form, file) {
    return "upskill-upload:" + form.dataset.startUrl + ":" + file.name + ":" + file.size + ":" + file.lastModified;
  }

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

  function send(form, file, session, status, progress) {
    var attempts = 0;
    function step(offset) {
      progress.value = file.size ? Math.round((offset * 100) / file.size) : 100;
      if (offset >= file.size) {
        status.textContent = status.dataset.checking || "…";
        return post(session.finish_url, new FormData(), form);
      }
      var body = new FormData();
      body.append("chunk", file.slice(offset, offset + session.chunk_size), "chunk");
      return post(session.url + "?offset=" + offset, body, form).then(
        function (answer) {
          attempts = 0;
          if (answer.status === 200 || answer.status === 409) return step(answer.data.offset);
          return answer;
        },
        function () {
          // the network dropped: ask where the upload stands and go on from there
          attempts += 1;
          if (attempts > 5) throw new Error("network");
          return new Promise(function (resolve) { setTimeout(resolve, 1000 * attempts); })
            .then(function () { return fetch(session.url, { credentials: "same-origin" }); })
            .then(function (response) { return response.json(); })
            .then(function (data) { return step(data.offset); });
        }
      );
    }
    return step(session.offset);
  }

  function upload(form, event) {
    event.preventDefault();
    var input = form.querySelector("input[type=file]");
    var file = input.files[0];
    var status = form.querySelector(".upload-status");
    var progress = form.querySelector("progress");
    var button = form.querySelector("button[type=submit]");
    if (!file) return;
    button.disabled = true;
    progress.hidden = false;
    status.className = "upload-status";
    status.textContent = "";
    var key = fileKey(form, file);
    var remembered = window.localStorage.getItem(key);
    var resume = remembered
      ? fetch(remembered, { credentials: "same-origin" }).then(function (response) {
          return response.ok ? response.json() : null;
        }).then(function (data) { return data && data.status === "open" ? data : null; })
      : Promise.resolve(null);
    resume
      .then(function (session) {
        if (session) return session;
        var body = new FormData(form);
        body.delete("file");
        body.append("filename", file.name);
        body.append("size", String(file.size));
        return post(form.dataset.startUrl, body, form).then(function (answer) {
          if (answer.status !== 201) throw new Error(answer.data.error || "error");
          window.localStorage.setItem(key, answer.data.url);
          return answer.data;
        });
      })
      .then(function (session) { return send(form, file, session, status, progress); })
      .then(function (answer) {
        window.localStorage.removeItem(key);
        if (answer.status !== 201) throw new Error(answer.data.error || "error");
        form.reset();
        setScenes(form);
        // the list and the checklist are refreshed before the upload is reported done
        return refresh(form).then(function () {
          status.className = "upload-status message success";
          status.textContent = answer.data.message;
        });
      })
      .catch(function (error) {
        status.className = "upload-status message error";
        status.textContent = error.message;
      })
      .finally(function () {
        button.disabled = false;
        progress.hidden = true;
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
