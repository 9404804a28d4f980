/* The lesson player (WH20-PRG-1): reports the segments actually played every ~15 s; the
   server merges them into unique seconds and decides what counts. It pauses when the page is
   hidden, resumes at the last position, and pauses when another device takes over. No inline
   script: the page loads this file (CSP script-src 'self'). */
(function () {
  "use strict";
  var root = document.getElementById("lesson-player");
  if (!root) return;
  var video = root.querySelector("video");
  var texts = root.querySelector("[data-role=texts]").dataset;
  var messageBox = root.querySelector("[data-role=message]");
  var bar = root.querySelector("progress");
  var watchedText = root.querySelector("[data-role=watched]");
  var percentText = root.querySelector("[data-role=percent]");
  var stateText = root.querySelector("[data-role=state]");
  var checkBox = root.querySelector("[data-role=check]");
  var checkButton = root.querySelector("[data-role=check-answer]");
  var checkToken = "";  // a presence check the server says is due (WH20-PRG-1)
  var interval = (parseInt(root.dataset.interval, 10) || 15) * 1000;
  var duration = parseInt(root.dataset.duration, 10) || 0;
  var csrf = root.querySelector("input[name=csrfmiddlewaretoken]").value;

  function deviceId() {
    var key = "upskill-learning-device";
    var id = null;
    try { id = window.localStorage.getItem(key); } catch (e) { id = null; }
    if (!id) {
      id = "d-" + Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 10);
      try { window.localStorage.setItem(key, id); } catch (e) { /* private mode: per page */ }
    }
    return id;
  }
  var device = deviceId();

  var segments = [];   // closed segments not yet reported: [start, end]
  var current = null;  // the segment being played: [start, end]
  var stopped = false; // another device plays: nothing is reported until play again
  var docTime = 0;     // a document's reading timeline
  var timer = null;

  function post(url, body, keepalive) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      keepalive: !!keepalive,
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, Accept: "application/json" },
      body: JSON.stringify(body)
    }).then(function (response) { return response.json(); });
  }

  function show(message) {
    messageBox.textContent = message || "";
    messageBox.classList.toggle("d-none", !message);
  }

  function render(state) {
    if (!state || state.error) { if (state) show(state.error); return; }
    bar.value = state.percent;
    watchedText.textContent = state.watched;
    percentText.textContent = state.percent;
    stateText.textContent = state.complete ? texts.completed : texts.learning;
    root.dataset.watched = state.watched;
    root.dataset.complete = state.complete ? "1" : "0";
    if (state.check) ask(state.check, state.message);
    if (state.stop) {
      stopped = true;
      if (video) video.pause();
      show(state.message);
    }
  }

  // A presence check: the server decides when one is due (in played time) and keeps it until
  // answered; nothing played counts meanwhile, so the video pauses and waits for the click.
  function ask(token, message) {
    checkToken = token;
    segments = [];
    current = null;
    if (video && !video.paused) video.pause();
    checkBox.querySelector("[data-role=check-text]").textContent = message || "";
    checkBox.classList.remove("d-none");
    root.dataset.check = "1";
    checkButton.focus();
  }

  checkButton.addEventListener("click", function () {
    post(root.dataset.presenceUrl, { device: device, token: checkToken }).then(function (state) {
      if (state && state.error) { show(state.error); return; }
      checkToken = "";
      checkBox.classList.add("d-none");
      root.dataset.check = "0";
      if (video) video.play();
    });
  });

  function position() { return video ? video.currentTime : docTime; }

  function close() {
    if (current && current[1] > current[0]) segments.push(current);
    current = null;
  }

  function track(now) {
    if (current && now >= current[1] && now - current[1] < 2) {
      current[1] = now;
    } else {
      close();
      current = [now, now];
    }
  }

  function report(keepalive) {
    if (stopped || checkToken) return Promise.resolve();
    var playing = current ? [current[0], current[1]] : null;
    var sent = segments.concat(playing && playing[1] > playing[0] ? [playing] : []);
    segments = [];
    if (playing) current = [playing[1], playing[1]];
    return post(root.dataset.beatUrl, { device: device, segments: sent, position: position() }, keepalive)
      .then(render)
      .catch(function () { segments = sent.concat(segments); });
  }

  function start() {
    stopped = false;
    show("");
    return post(root.dataset.startUrl, { device: device }).then(function (state) {
      render(state);
      return state;
    });
  }

  function ticking(on) {
    if (on && !timer) timer = window.setInterval(report, interval);
    if (!on && timer) { window.clearInterval(timer); timer = null; }
  }

  if (video) {
    // resume where the learner stopped, on any device (the server's position)
    var resumeAt = parseFloat(root.dataset.position) || 0;
    var resume = function () {
      if (resumeAt > 0 && resumeAt < video.duration) video.currentTime = resumeAt;
    };
    if (video.readyState >= 1) resume(); else video.addEventListener("loadedmetadata", resume, { once: true });
    var started = false;
    video.addEventListener("play", function () {
      if (checkToken) { video.pause(); return; }  // answer the presence check first
      // playing makes this the learner's one playing device (the newest wins)
      if (stopped || !started) { started = true; start(); }
      current = null;
      ticking(true);
    });
    video.addEventListener("timeupdate", function () {
      if (!video.paused && !video.seeking) track(video.currentTime);
    });
    video.addEventListener("seeking", close);
    var finish = function () {
      if (current) track(video.currentTime);
      close();
      report();
      ticking(false);
    };
    video.addEventListener("pause", finish);
    video.addEventListener("ended", finish);
  } else {
    // a document: its reading time runs while the page is visible
    start().then(function (state) { docTime = state && state.position ? state.position : 0; });
    window.setInterval(function () {
      if (document.visibilityState !== "visible" || stopped || checkToken || docTime >= duration) return;
      track(docTime);
      docTime += 1;
      track(docTime);
    }, 1000);
    ticking(true);
  }

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") {
      if (video && !video.paused) { video.pause(); show(texts.hidden); }
      close();
      report(true);
    }
  });
  window.addEventListener("pagehide", function () { close(); report(true); });
})();
