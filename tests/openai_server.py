"""A local HTTP server on 127.0.0.1 that speaks POST /v1/chat/completions, for the real client.

Each test queues the replies it wants (``ok``, an HTTP status, ``hang`` for a timeout, or
``stream`` with a delay between chunks); requests are recorded for assertions.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Reply:
    kind: str = "ok"  # ok | status | hang | stream
    text: str = "1. Do the thing [1]"
    status: int = 200
    delay_s: float = 0.0
    chunks: tuple[str, ...] = ()


@dataclass
class FakeOpenAI:
    replies: deque[Reply] = field(default_factory=deque)
    requests: list[dict[str, Any]] = field(default_factory=list)
    default: Reply = field(default_factory=Reply)
    url: str = ""

    def queue(self, *replies: Reply) -> None:
        self.replies.extend(replies)


def _completion(text: str, model: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-local",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": text},
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 42, "completion_tokens": 7, "total_tokens": 49},
    }


def _chunk(model: str, content: str | None, *, usage: bool = False) -> bytes:
    body: dict[str, Any] = {
        "id": "chatcmpl-local",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": model,
        "choices": []
        if usage
        else [{"index": 0, "delta": {"content": content}, "finish_reason": None}],
    }
    if usage:
        body["usage"] = {"prompt_tokens": 42, "completion_tokens": 3, "total_tokens": 45}
    return f"data: {json.dumps(body)}\n\n".encode()


def make_handler(state: FakeOpenAI) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            payload = json.loads(self.rfile.read(length) or b"{}")
            state.requests.append(
                {"path": self.path, "body": payload, "auth": self.headers.get("Authorization")}
            )
            reply = state.replies.popleft() if state.replies else state.default
            model = payload.get("model", "m")
            if self.path != "/v1/chat/completions":
                self._json(404, {"error": {"message": "not found"}})
            elif reply.kind == "status":
                self._json(
                    reply.status,
                    {"error": {"message": f"status {reply.status}", "type": "server_error"}},
                    extra={"retry-after-ms": "5"},
                )
            elif reply.kind == "hang":
                time.sleep(reply.delay_s)
                self._json(200, _completion(reply.text, model))
            elif reply.kind == "stream":
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.end_headers()
                for piece in reply.chunks:
                    self.wfile.write(_chunk(model, piece))
                    self.wfile.flush()
                    time.sleep(reply.delay_s)
                self.wfile.write(_chunk(model, None, usage=True))
                self.wfile.write(b"data: [DONE]\n\n")
                self.wfile.flush()
            else:
                self._json(200, _completion(reply.text, model))

        def _json(self, status: int, body: Any, extra: dict[str, str] | None = None) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for key, value in (extra or {}).items():
                self.send_header(key, value)
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(data)

    return Handler


class ServerThread:
    def __init__(self) -> None:
        self.state = FakeOpenAI()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(self.state))
        self.server.daemon_threads = True
        host, port = self.server.server_address[:2]
        self.state.url = f"http://{host}:{port}/v1"
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    def __enter__(self) -> FakeOpenAI:
        self.thread.start()
        return self.state

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
