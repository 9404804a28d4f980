// The online exam's paper (WH20-EXM-1): each choice is sent to the server as it is given, so an
// attempt survives a dropped connection and a reload resumes it; the time left counts down to
// the server's deadline, which is where the attempt ends whatever this page does.
(function () {
  "use strict";
  var paper = document.getElementById("paper");
  if (!paper) return;
  var form = document.getElementById("paper-form");
  var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var pending = {};

  function choiceOf(fieldset) {
    var chosen = [];
    fieldset.querySelectorAll("input:checked").forEach(function (input) {
      chosen.push(parseInt(input.value, 10));
    });
    return chosen;
  }

  function send(fieldset) {
    var position = parseInt(fieldset.dataset.position, 10);
    var state = fieldset.querySelector(".save-state");
    pending[position] = true;
    fetch(paper.dataset.saveUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token },
      body: JSON.stringify({ position: position, choice: choiceOf(fieldset) }),
    })
      .then(function (response) {
        return response.json().then(function (data) {
          if (!response.ok) {
            state.textContent = data.error || paper.dataset.errorText;
            if (data.open === false) window.location.reload();
            return;
          }
          delete pending[position];
          state.textContent = paper.dataset.savedText;
          fieldset.dataset.saved = "1";
        });
      })
      .catch(function () {
        state.textContent = paper.dataset.errorText;
      });
  }

  form.addEventListener("change", function (event) {
    var fieldset = event.target.closest("fieldset[data-position]");
    if (fieldset) {
      fieldset.dataset.saved = "0";
      send(fieldset);
    }
    Object.keys(pending).forEach(function (position) {
      var other = form.querySelector('fieldset[data-position="' + position + '"]');
      if (other && other !== fieldset) send(other);
    });
  });

  var deadline = new Date(paper.dataset.deadline).getTime();
  var left = document.getElementById("time-left");
  function tick() {
    var seconds = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    var minutes = Math.floor(seconds / 60);
    left.textContent = minutes + ":" + String(seconds % 60).padStart(2, "0");
    if (seconds <= 0) {
      window.location.reload();
      return;
    }
    window.setTimeout(tick, 1000);
  }
  tick();
})();
