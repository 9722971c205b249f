#!/usr/bin/env python3
"""Berth test pull-limit front: a reverse proxy before a test registry that states a pull limit the
way Docker Hub does, so that Berth's reading of it is tested against real registry answers.

Every request is forwarded to the upstream registry (bodies streamed both ways, the Host header kept
so that upload Locations point back at the front). Answers to /v2/<name>/manifests/<reference> get

    ratelimit-limit: 100;w=21600
    ratelimit-remaining: N;w=21600
    docker-ratelimit-source: 127.0.0.1

where N starts at the limit for each repository name (tests running side by side each use their
own repository and do not disturb one another) and drops by one for each manifest GET the upstream
answered with 200, never for a HEAD, as on Docker Hub. One line per request, `METHOD PATH STATUS`,
is appended to the log file before the answer goes out, so a client that has its answer finds it.

Standard library only.
"""

import argparse
import http.client
import os
import re
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MANIFEST_PATH = re.compile(r"^/v2/(?P<name>.+)/manifests/[^/]+$")
CHUNK = 256 * 1024
# Hop-by-hop headers are the proxy's own business (RFC 9110 §7.6.1).
HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "te",
              "trailer", "upgrade", "proxy-authenticate", "proxy-authorization"}


class Counters:
    def __init__(self, limit):
        self.limit = limit
        self.remaining = {}
        self.lock = threading.Lock()

    def after(self, name, counted):
        with self.lock:
            left = self.remaining.get(name, self.limit)
            if counted:
                left = max(0, left - 1)
                self.remaining[name] = left
            return left


class Front(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "berth-ratelimit-front"

    def log_message(self, format, *args):
        pass

    def do_GET(self):
        self.forward()

    def do_HEAD(self):
        self.forward()

    def do_PUT(self):
        self.forward()

    def do_POST(self):
        self.forward()

    def do_PATCH(self):
        self.forward()

    def do_DELETE(self):
        self.forward()

    def forward(self):
        upstream = http.client.HTTPConnection(self.server.upstream, timeout=120)
        try:
            self.send_upstream(upstream)
            answer = upstream.getresponse()
            self.answer(answer)
        except (ConnectionError, TimeoutError, http.client.HTTPException) as e:
            self.log_line(502)
            self.close_connection = True
            try:
                self.send_error(502, f"upstream: {e}")
            except OSError:
                pass
        finally:
            upstream.close()

    def send_upstream(self, upstream):
        upstream.putrequest(self.command, self.path, skip_host=True, skip_accept_encoding=True)
        for key, value in self.headers.items():
            if key.lower() not in HOP_BY_HOP:
                upstream.putheader(key, value)
        length = self.headers.get("Content-Length")
        chunked = "chunked" in self.headers.get("Transfer-Encoding", "").lower()
        if chunked:
            upstream.putheader("Transfer-Encoding", "chunked")
        upstream.endheaders()
        if length is not None:
            self.copy_body(upstream, int(length))
        elif chunked:
            self.copy_chunked(upstream)

    def copy_body(self, upstream, length):
        while length > 0:
            data = self.rfile.read(min(CHUNK, length))
            if not data:
                raise ConnectionError("the client closed the request body early")
            upstream.send(data)
            length -= len(data)

    def copy_chunked(self, upstream):
        while True:
            size = int(self.rfile.readline().split(b";")[0].strip(), 16)
            data = self.rfile.read(size) if size else b""
            self.rfile.readline()
            upstream.send(b"%x\r\n%s\r\n" % (size, data))
            if size == 0:
                return

    def answer(self, answer):
        # Logged before the client can see the answer: a test reads the log right after it.
        self.log_line(answer.status)
        self.send_response(answer.status, answer.reason)
        for key, value in answer.getheaders():
            if key.lower() not in HOP_BY_HOP:
                self.send_header(key, value)
        self.add_rate_limit(answer.status)
        length = answer.getheader("Content-Length")
        if length is None and self.command != "HEAD" and answer.status not in (204, 304):
            self.close_connection = True
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command == "HEAD":
            return
        while True:
            data = answer.read(CHUNK)
            if not data:
                break
            self.wfile.write(data)

    def add_rate_limit(self, status):
        match = MANIFEST_PATH.match(self.path.split("?")[0])
        if not match:
            return
        counters = self.server.counters
        left = counters.after(match.group("name"), self.command == "GET" and status == 200)
        window = self.server.window
        self.send_header("ratelimit-limit", f"{counters.limit};w={window}")
        self.send_header("ratelimit-remaining", f"{left};w={window}")
        self.send_header("docker-ratelimit-source", "127.0.0.1")

    def log_line(self, status):
        with self.server.log_lock, open(self.server.log_path, "a") as log:
            log.write(f"{self.command} {self.path} {status}\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--upstream", required=True, help="HOST:PORT of the registry")
    parser.add_argument("--log", required=True)
    parser.add_argument("--limit", type=int, default=100)
    parser.add_argument("--window", type=int, default=21600)
    args = parser.parse_args()

    server = ThreadingHTTPServer((args.host, args.port), Front)
    server.daemon_threads = True
    server.upstream = args.upstream
    server.counters = Counters(args.limit)
    server.window = args.window
    server.log_path = args.log
    server.log_lock = threading.Lock()
    with open(args.port_file + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    os.replace(args.port_file + ".tmp", args.port_file)
    sys.stderr.write(f"pull-limit front on {server.server_address} -> {args.upstream}\n")
    sys.stderr.flush()
    server.serve_forever()


if __name__ == "__main__":
    main()
