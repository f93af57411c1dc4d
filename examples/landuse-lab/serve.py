"""Part 4, locally: the scoring script behind HTTP, as the lab's web service runs it.

    POST /score   body: the JSON request of score.run()   answer: class probabilities
    GET  /health  answer: ok, once the model is loaded
"""

from __future__ import annotations

import argparse
import json
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import score


class ScoringHandler(BaseHTTPRequestHandler):
    def _answer(self, status: int, body: str, kind: str = "application/json") -> None:
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):  # noqa: N802 - http.server's naming
        if self.path == "/health":
            self._answer(200, "ok\n", "text/plain")
        else:
            self._answer(404, json.dumps({"error": "try POST /score or GET /health"}))

    def do_POST(self):  # noqa: N802
        if self.path != "/score":
            return self._answer(404, json.dumps({"error": "POST requests go to /score"}))
        length = int(self.headers.get("Content-Length", 0))
        try:
            self._answer(200, score.run(self.rfile.read(length).decode()))
        except (ValueError, KeyError, OSError) as err:  # a bad request, not a broken service
            self._answer(400, json.dumps({"error": str(err)}))

    def log_message(self, format, *args):  # noqa: A002
        print(f"{self.address_string()} {format % args}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5001)
    args = parser.parse_args()
    score.init()
    server = ThreadingHTTPServer((args.host, args.port), ScoringHandler)
    print(f"serving on http://{args.host}:{server.server_address[1]}/score", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
