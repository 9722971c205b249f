#!/usr/bin/env python3
"""Berth test token server: the `auth.token` realm of the "token" test registry.

Answers the Docker registry token protocol (distribution/docs/spec/auth/token.md):

  GET  /token?service=S&scope=repository:NAME:ACTIONS[&scope=...]   Authorization: Basic … optional
  POST /token  (OAuth2 form: grant_type=password|refresh_token, username, password, refresh_token,
                service, scope (space separated), client_id, access_type=offline)

with a JSON body {"token", "access_token", "expires_in", "issued_at"} (POST: also "scope" and, when asked
for with access_type=offline, "refresh_token"). The token is an RS256 JWT whose header carries the
signing certificate in `x5c`, which the registry verifies against its `rootcertbundle`.

Policy (the same for GET and POST):
  * known user + right password: repositories -> the requested actions among pull, push, delete, *;
    `registry:catalog:*` -> *.
  * wrong user or password: 401 with a JSON error body (never a token).
  * anonymous: repositories -> pull only, and nothing at all for names starting with `private/`
    (the token is still issued, with an empty `access` list, as Docker Hub does; the registry then
    answers 401 insufficient_scope); catalog -> nothing.

Also: GET /stats -> {"requests": N, "tokens": N, "by_user": {...}} so tests can check token caching.
Each request is logged (method, path, user, granted scopes; never a password) on stderr.

Standard library + python3-cryptography only.
"""

import argparse
import base64
import datetime
import json
import os
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

REPO_ACTIONS = ("pull", "push", "delete", "*")


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def log(message: str) -> None:
    stamp = datetime.datetime.now().strftime("%H:%M:%S.%f")[:-3]
    sys.stderr.write(f"{stamp} {message}\n")
    sys.stderr.flush()


class Settings:
    def __init__(self, args):
        with open(args.key, "rb") as f:
            self.key = serialization.load_pem_private_key(f.read(), password=None)
        with open(args.cert, "rb") as f:
            cert = x509.load_pem_x509_certificate(f.read())
        self.cert_der_b64 = base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode()
        self.issuer = args.issuer
        self.service = args.service
        self.expires_in = args.expires_in
        self.users = {}
        entries = list(args.user)
        if args.users_file:
            with open(args.users_file) as f:
                entries += [line.rstrip("\n") for line in f if line.strip()]
        for entry in entries:
            name, _, password = entry.partition(":")
            self.users[name] = password
        self.lock = threading.Lock()
        self.refresh_tokens = {}  # refresh token -> user
        self.stats = {"requests": 0, "tokens": 0, "by_user": {}}


def parse_scope(scope: str):
    """'repository:name/with/parts:pull,push' -> ('repository', 'name/with/parts', ['pull', 'push']).
    The name is everything between the first and the last colon (a scope type may carry a class,
    e.g. 'repository(plugin)')."""
    first = scope.find(":")
    last = scope.rfind(":")
    if first < 0 or last <= first:
        return None
    rtype = scope[:first]
    name = scope[first + 1:last]
    actions = [a for a in scope[last + 1:].split(",") if a]
    if not rtype or not name:
        return None
    return rtype, name, actions


def grant(user, scopes):
    """The access list for `user` (None = anonymous) asking for `scopes` (raw strings)."""
    access = {}
    order = []
    for raw in scopes:
        parsed = parse_scope(raw)
        if parsed is None:
            continue
        rtype, name, actions = parsed
        base_type = rtype.split("(")[0]
        allowed = []
        if base_type == "repository":
            if user is not None:
                allowed = [a for a in actions if a in REPO_ACTIONS]
            elif not name.startswith("private/"):
                allowed = [a for a in actions if a == "pull"]
        elif base_type == "registry" and name == "catalog":
            if user is not None:
                allowed = [a for a in actions if a == "*"]
        if not allowed:
            continue
        key = (rtype, name)
        if key not in access:
            access[key] = []
            order.append(key)
        for a in allowed:
            if a not in access[key]:
                access[key].append(a)
    return [{"type": t, "name": n, "actions": access[(t, n)]} for (t, n) in order]


def make_jwt(settings: Settings, subject: str, access, now: int) -> str:
    header = {"alg": "RS256", "typ": "JWT", "x5c": [settings.cert_der_b64]}
    claims = {
        "iss": settings.issuer,
        "sub": subject,
        "aud": settings.service,
        "exp": now + settings.expires_in,
        "nbf": now - 10,
        "iat": now,
        "jti": uuid.uuid4().hex,
        "access": access,
    }
    signing_input = (b64url(json.dumps(header, separators=(",", ":")).encode()) + "."
                     + b64url(json.dumps(claims, separators=(",", ":")).encode()))
    signature = settings.key.sign(signing_input.encode("ascii"), padding.PKCS1v15(), hashes.SHA256())
    return signing_input + "." + b64url(signature)


def format_access(access) -> str:
    if not access:
        return "[]"
    return " ".join(f"{a['type']}:{a['name']}:{','.join(a['actions'])}" for a in access)


class Handler(BaseHTTPRequestHandler):
    server_version = "berth-token-server/1"
    protocol_version = "HTTP/1.1"

    @property
    def settings(self) -> Settings:
        return self.server.settings

    def log_message(self, fmt, *args):  # the default access log is replaced by ours
        pass

    def send_json(self, status: int, body, extra_headers=None):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        for k, v in (extra_headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def unauthorized(self, user: str, message: str):
        log(f"{self.command} {self.path_only} user={user!r} -> 401 ({message})")
        self.send_json(401, {"errors": [{"code": "UNAUTHORIZED", "message": message, "detail": None}],
                             "details": message},
                       {"WWW-Authenticate": 'Basic realm="berth-test-token"'})

    @property
    def path_only(self) -> str:
        return urlsplit(self.path).path

    def basic_credentials(self):
        """(user, password) from a Basic Authorization header, None if absent, False if malformed."""
        header = self.headers.get("Authorization")
        if not header:
            return None
        scheme, _, value = header.partition(" ")
        if scheme.lower() != "basic":
            return False
        try:
            decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
        except Exception:
            return False
        user, sep, password = decoded.partition(":")
        if not sep:
            return False
        return user, password

    def count(self, user):
        with self.settings.lock:
            self.settings.stats["tokens"] += 1
            key = user or "<anonymous>"
            self.settings.stats["by_user"][key] = self.settings.stats["by_user"].get(key, 0) + 1

    def issue(self, user, scopes, service, oauth=False, offline=False):
        s = self.settings
        access = grant(user, scopes)
        now = int(time.time())
        token = make_jwt(s, user or "", access, now)
        issued = datetime.datetime.fromtimestamp(now, datetime.timezone.utc)
        body = {"token": token, "access_token": token, "expires_in": s.expires_in,
                "issued_at": issued.strftime("%Y-%m-%dT%H:%M:%SZ")}
        if oauth:
            body["scope"] = " ".join(scopes)
            if offline and user is not None:
                refresh = uuid.uuid4().hex
                with s.lock:
                    s.refresh_tokens[refresh] = user
                body["refresh_token"] = refresh
        self.count(user)
        note = "" if service in (None, s.service) else f" (unknown service {service!r})"
        log(f"{self.command} {self.path_only} user={user or '<anonymous>'!r} "
            f"scopes={' '.join(scopes) or '-'} granted={format_access(access)}{note}")
        self.send_json(200, body)

    def start_request(self):
        with self.settings.lock:
            self.settings.stats["requests"] += 1

    def do_GET(self):
        self.start_request()
        url = urlsplit(self.path)
        if url.path == "/stats":
            with self.settings.lock:
                body = json.loads(json.dumps(self.settings.stats))
            self.send_json(200, body)
            return
        if url.path != "/token":
            log(f"GET {url.path} -> 404")
            self.send_json(404, {"errors": [{"code": "NOT_FOUND", "message": "no such endpoint"}]})
            return
        query = parse_qs(url.query, keep_blank_values=True)
        scopes = []
        for value in query.get("scope", []):
            scopes.extend(v for v in value.split(" ") if v)
        service = query.get("service", [None])[0]
        creds = self.basic_credentials()
        if creds is False:
            self.unauthorized("<malformed>", "malformed Authorization header")
            return
        user = None
        if creds is not None:
            name, password = creds
            if self.settings.users.get(name) != password:
                self.unauthorized(name, "invalid username or password")
                return
            user = name
        self.issue(user, scopes, service)

    def do_POST(self):
        self.start_request()
        url = urlsplit(self.path)
        if url.path != "/token":
            log(f"POST {url.path} -> 404")
            self.send_json(404, {"errors": [{"code": "NOT_FOUND", "message": "no such endpoint"}]})
            return
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode("utf-8", "replace") if length > 0 else ""
        form = parse_qs(raw, keep_blank_values=True)

        def field(name):
            return form.get(name, [None])[0]

        grant_type = field("grant_type")
        scopes = [s for s in (field("scope") or "").split(" ") if s]
        service = field("service")
        offline = field("access_type") == "offline"
        if grant_type == "password":
            name, password = field("username"), field("password")
            if not name or self.settings.users.get(name) != password:
                self.unauthorized(name or "", "invalid username or password")
                return
            self.issue(name, scopes, service, oauth=True, offline=offline)
        elif grant_type == "refresh_token":
            with self.settings.lock:
                name = self.settings.refresh_tokens.get(field("refresh_token") or "")
            if name is None:
                self.unauthorized("<refresh>", "invalid refresh token")
                return
            self.issue(name, scopes, service, oauth=True, offline=False)
        else:
            log(f"POST {url.path} unsupported grant_type={grant_type!r} -> 400")
            self.send_json(400, {"error": "unsupported_grant_type",
                                 "errors": [{"code": "UNSUPPORTED",
                                             "message": f"unsupported grant_type {grant_type!r}"}]})


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0, help="0 = any free port (see --port-file)")
    p.add_argument("--port-file", help="write the bound port here once listening")
    p.add_argument("--key", required=True, help="PEM RSA private key")
    p.add_argument("--cert", required=True, help="PEM certificate of that key (sent as x5c)")
    p.add_argument("--issuer", default="berth-test-issuer")
    p.add_argument("--service", default="berth-test-registry")
    p.add_argument("--user", action="append", default=[], help="USER:PASSWORD (repeatable)")
    p.add_argument("--users-file", help="a file of USER:PASSWORD lines (keeps passwords out of argv)")
    p.add_argument("--expires-in", type=int,
                   default=int(os.environ.get("BERTH_TOKEN_EXPIRES_IN", "300")),
                   help="token lifetime in seconds (default $BERTH_TOKEN_EXPIRES_IN or 300)")
    args = p.parse_args()

    settings = Settings(args)
    server = ThreadingHTTPServer((args.host, args.port), Handler)
    server.daemon_threads = True
    server.settings = settings
    port = server.server_address[1]
    if args.port_file:
        tmp = args.port_file + ".tmp"
        with open(tmp, "w") as f:
            f.write(f"{port}\n")
        os.replace(tmp, args.port_file)
    log(f"listening on {args.host}:{port} service={settings.service} issuer={settings.issuer} "
        f"expires_in={settings.expires_in} users={sorted(settings.users)}")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
