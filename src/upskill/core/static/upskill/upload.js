// Resumable, chunked upload of one file (core/uploads.py): evidence photos and videos of a
// class, lesson videos of a course. The form's data-start-url opens the upload (the app's own
// endpoint, which answers with where to send the chunks and where to finish); the server
// answers a chunk sent for the wrong position with 409 and the offset it stands at, so the
// script resumes from there; an interrupted upload of the same file (name, size, modification
// time) is resumed from the upload remembered in localStorage.
//
// window.upskillUpload(form, file, body) sends `file`, opening the upload with the FormData
// `body`; it shows progress in the form's <progress> and resolves with the finishing answer
// (201), or rejects with an Error whose message is the server's.
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

  function send(form, file, session, status, progress) {
    var attempts = 0;
    function step(offset) {
      if (progress) progress.value = file.size ? Math.round((offset * 100) / file.size) : 100;
      if (offset >= file.size) {
        if (status) status.textContent = status.dataset.checking || "…";
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

  window.upskillUpload = function (form, file, body) {
    var status = form.querySelector(".upload-status");
    var progress = form.querySelector("progress");
    if (progress) progress.hidden = false;
    var key = fileKey(form, file);
    var remembered = window.localStorage.getItem(key);
    var resume = remembered
      ? fetch(remembered, { credentials: "same-origin" }).then(function (response) {
          return response.ok ? response.json() : null;
        }).then(function (data) { return data && data.status === "open" ? data : null; })
      : Promise.resolve(null);
    return resume
      .then(function (session) {
        if (session) return session;
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
        return answer.data;
      })
      .finally(function () {
        if (progress) progress.hidden = true;
      });
  };
})();
