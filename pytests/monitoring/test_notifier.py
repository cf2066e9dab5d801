"""The notifier posts new and resolved alerts to a webhook (a local receiver here) or appends to a file."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import datetime
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from monitoring.alerts import Alert, Outcome
from monitoring.notifier import NotifyError, notify

ALERT = Alert("a1", "freshness_sla", "weather_api", "critical", "firing", "weather_api is stalled",
              {"hours_behind_freshest_source": 24.0}, datetime(2026, 1, 1), datetime(2026, 1, 1))


class _Receiver(BaseHTTPRequestHandler):
    received: ClassVar[list[dict]] = []

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        _Receiver.received.append(json.loads(self.rfile.read(length)))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[str]:
    server = HTTPServer(("127.0.0.1", 0), _Receiver)
    _Receiver.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/hook"
    server.shutdown()
    server.server_close()


def test_webhook_receives_the_new_alert_with_its_evidence(receiver: str) -> None:
    assert notify(receiver, Outcome(firing=[ALERT], opened=[ALERT]))
    (payload,) = _Receiver.received
    assert payload["critical_count"] == 1
    assert payload["opened"][0]["subject"] == "weather_api"
    assert payload["opened"][0]["evidence"] == {"hours_behind_freshest_source": 24.0}


def test_nothing_is_sent_for_an_alert_that_was_already_firing(receiver: str) -> None:
    assert not notify(receiver, Outcome(firing=[ALERT]))
    assert _Receiver.received == []


def test_file_target_appends_one_json_line_per_evaluation(tmp_path: Path) -> None:
    target = tmp_path / "alerts.jsonl"
    notify(str(target), Outcome(firing=[ALERT], opened=[ALERT]))
    notify(str(target), Outcome(resolved=[ALERT]))
    lines = [json.loads(line) for line in target.read_text().splitlines()]
    assert [len(line["opened"]) for line in lines] == [1, 0]
    assert [len(line["resolved"]) for line in lines] == [0, 1]


def test_unreachable_webhook_is_a_clear_error() -> None:
    with pytest.raises(NotifyError, match="unreachable"):
        notify("http://127.0.0.1:9/hook", Outcome(opened=[ALERT]))
