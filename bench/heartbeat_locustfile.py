"""The heartbeat load test (issue 17): 1,000 learners each playing a lesson, their player
reporting every 15 s, against the production-like stack.

Run by ``make bench-heartbeat`` (``bench/heartbeat.sh``), after ``upskill bench heartbeat-seed``
made the learners and a server-side session for each (``HEARTBEAT_SESSIONS``, JSON: the lesson's
id and the session keys): each locust user takes its own session, opens the lesson's page (the
CSRF token the player reads from it), starts playback on its own device, then posts what
``learning/player.js`` posts, every 15 s (``constant_pacing``): the segment played since its
last report, as long as the wall-clock time that passed (the player plays in real time), and
the position. When the server says a presence check is due (WH20-PRG-1: every 10–20 minutes of
playing) the learner answers it, as a person clicking “I am here” does, and plays on. At the
video's end it starts over from the beginning (replays count as played, not new).

A response that is not 200 or whose body says an error, or a heartbeat that stops the player
(another device) counts as a failure.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import time
import uuid

from locust import HttpUser, constant_pacing, task

_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_DURATION = re.compile(r'data-duration="(\d+)"')
with open(os.environ.get("HEARTBEAT_SESSIONS", "var/heartbeat/sessions.json")) as _seed:
    _SEED = json.load(_seed)
_SESSIONS = itertools.cycle(_SEED["sessions"])
LESSON = _SEED["lesson"]
BASE = f"/me/learning/lessons/{LESSON}"


class Learner(HttpUser):
    """One learner with the lesson open, its player reporting every 15 s."""

    wait_time = constant_pacing(15)

    def on_start(self) -> None:
        self.client.cookies.set("sessionid", next(_SESSIONS))
        page = self.client.get(f"{BASE}/", name="/me/learning/lessons/[id]/")
        token = _CSRF.search(page.text)
        if page.status_code != 200 or token is None:
            raise RuntimeError(f"the lesson page answered {page.status_code}")
        duration = _DURATION.search(page.text)
        self.duration = int(duration.group(1)) if duration else 4 * 3600
        self.headers = {
            "X-CSRFToken": token.group(1),
            "Referer": f"{self.host}{BASE}/",
            "Accept": "application/json",
        }
        self.device = f"locust-{uuid.uuid4().hex[:12]}"
        self.play()

    def post(self, url: str, body: dict, name: str) -> dict | None:
        with self.client.post(
            url, json=body, headers=self.headers, name=name, catch_response=True
        ) as response:
            try:
                state = response.json()
            except ValueError:
                state = None
            if response.status_code != 200 or not isinstance(state, dict):
                response.failure(f"HTTP {response.status_code}")
                return None
            if state.get("error"):
                response.failure(state["error"])
                return None
            if state.get("stop"):
                response.failure("stopped: another device plays")
                return None
            return state

    def play(self) -> None:
        """Play: this device becomes the learner's playing device, from the server's resume
        position."""
        state = self.post(
            f"{BASE}/start", {"device": self.device}, "/me/learning/lessons/[id]/start"
        )
        self.position = float((state or {}).get("position") or 0)
        if self.position >= self.duration - 1:
            self.position = 0.0
        self.since = time.monotonic()
        if state and state.get("check"):
            self.answer(state["check"])

    def answer(self, token: str) -> None:
        """The learner clicks “I am here”; playing counts again from now."""
        self.post(
            f"{BASE}/presence",
            {"device": self.device, "token": token},
            "/me/learning/lessons/[id]/presence",
        )
        self.since = time.monotonic()

    @task
    def heartbeat(self) -> None:
        now = time.monotonic()
        start = self.position
        end = min(float(self.duration), start + (now - self.since))
        self.since, self.position = now, end
        state = self.post(
            f"{BASE}/heartbeat",
            {
                "device": self.device,
                "segments": [[round(start, 2), round(end, 2)]],
                "position": end,
            },
            "/me/learning/lessons/[id]/heartbeat",
        )
        if state and state.get("check"):
            self.answer(state["check"])  # the player paused at ``end`` and plays on from there
        if end >= self.duration:
            self.position = 0.0  # the video ended: the learner watches it again
