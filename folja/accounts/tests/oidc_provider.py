"""A minimal but real OpenID Connect provider, run as a separate process by the OIDC tests.

Written from the spec, so that the tests can make it misbehave in ways a certified provider
will not (test_oidc_real_provider.py runs the certified `oidc-provider` beside it):
discovery, authorization-code flow with PKCE (S256), RS256-signed id_tokens, a JWKS
endpoint and userinfo. It speaks HTTP on 127.0.0.1 and is started with

    python oidc_provider.py --client-id ID --client-secret SECRET --users users.json

printing `READY <port>` once it listens. `users.json` maps a login name to its claims. The
authorize endpoint stands in for the e-ID app: it approves the identity named by the
`login_as` query parameter. `sign_with=rogue` signs with a key that is not in the JWKS, and
`audience=...` overrides the audience, so the tests can show the relying party refuses them.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import hashlib
import json
import secrets
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa


def _b64(n: int) -> str:
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


class Provider:
    def __init__(self, client_id: str, client_secret: str, users: dict[str, dict]) -> None:
        self.client_id = client_id
        self.client_secret = client_secret
        self.users = users
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.rogue_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = secrets.token_hex(8)
        self.codes: dict[str, dict[str, Any]] = {}
        self.access_tokens: dict[str, dict[str, Any]] = {}
        self.lock = threading.Lock()
        self.issuer = ""

    def jwks(self) -> dict:
        public = self.key.public_key().public_numbers()
        return {
            "keys": [
                {
                    "kty": "RSA",
                    "use": "sig",
                    "alg": "RS256",
                    "kid": self.kid,
                    "n": _b64(public.n),
                    "e": _b64(public.e),
                }
            ]
        }


class Handler(BaseHTTPRequestHandler):
    provider: Provider

    def log_message(self, format: str, *args: Any) -> None:  # quiet test output
        return

    def _json(self, status: int, body: dict) -> None:
        data = json.dumps(body).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        url = urlparse(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        p = self.provider
        if url.path == "/.well-known/openid-configuration":
            self._json(
                200,
                {
                    "issuer": p.issuer,
                    "authorization_endpoint": f"{p.issuer}/authorize",
                    "token_endpoint": f"{p.issuer}/token",
                    "userinfo_endpoint": f"{p.issuer}/userinfo",
                    "jwks_uri": f"{p.issuer}/jwks",
                    "response_types_supported": ["code"],
                    "subject_types_supported": ["public"],
                    "id_token_signing_alg_values_supported": ["RS256"],
                    "code_challenge_methods_supported": ["S256"],
                },
            )
        elif url.path == "/jwks":
            self._json(200, p.jwks())
        elif url.path == "/authorize":
            self._authorize(query)
        elif url.path == "/userinfo":
            auth = self.headers.get("Authorization", "")
            token = auth.removeprefix("Bearer ").strip()
            with p.lock:
                grant = p.access_tokens.get(token)
            if grant is None:
                self._json(401, {"error": "invalid_token"})
                return
            self._json(200, {"sub": grant["sub"], **grant["claims"]})
        else:
            self._json(404, {"error": "not_found"})

    def _authorize(self, q: dict[str, str]) -> None:
        p = self.provider
        if q.get("client_id") != p.client_id or q.get("response_type") != "code":
            self._json(400, {"error": "invalid_request"})
            return
        user = p.users.get(q.get("login_as", ""))
        redirect_uri = q["redirect_uri"]
        if user is None:
            target = f"{redirect_uri}?{urlencode({'error': 'access_denied', 'state': q['state']})}"
        else:
            code = secrets.token_urlsafe(24)
            with p.lock:
                p.codes[code] = {
                    "sub": user["sub"],
                    "claims": {k: v for k, v in user.items() if k != "sub"},
                    "nonce": q.get("nonce"),
                    "redirect_uri": redirect_uri,
                    "code_challenge": q.get("code_challenge"),
                    "sign_with": q.get("sign_with", "good"),
                    "audience": q.get("audience", p.client_id),
                    "expires": time.time() + 60,
                }
            target = f"{redirect_uri}?{urlencode({'code': code, 'state': q['state']})}"
        self.send_response(302)
        self.send_header("Location", target)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_POST(self) -> None:
        p = self.provider
        if urlparse(self.path).path != "/token":
            self._json(404, {"error": "not_found"})
            return
        length = int(self.headers.get("Content-Length", "0"))
        form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode("utf-8")).items()}
        client_id, client_secret = form.get("client_id"), form.get("client_secret")
        auth = self.headers.get("Authorization", "")
        if auth.startswith("Basic "):
            client_id, _, client_secret = base64.b64decode(auth[6:]).decode().partition(":")
        if client_id != p.client_id or client_secret != p.client_secret:
            self._json(401, {"error": "invalid_client"})
            return
        with p.lock:
            grant = p.codes.pop(form.get("code", ""), None)  # a code is used once
        if (
            grant is None
            or form.get("grant_type") != "authorization_code"
            or grant["expires"] < time.time()
            or form.get("redirect_uri") != grant["redirect_uri"]
        ):
            self._json(400, {"error": "invalid_grant"})
            return
        if grant["code_challenge"]:
            verifier = form.get("code_verifier", "")
            digest = hashlib.sha256(verifier.encode("ascii")).digest()
            challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
            if challenge != grant["code_challenge"]:
                self._json(400, {"error": "invalid_grant", "error_description": "PKCE"})
                return
        now = int(time.time())
        claims = {
            "iss": p.issuer,
            "sub": grant["sub"],
            "aud": grant["audience"],
            "iat": now,
            "exp": now + 300,
            "nonce": grant["nonce"],
            **grant["claims"],
        }
        key = p.rogue_key if grant["sign_with"] == "rogue" else p.key
        id_token = jwt.encode(claims, key, algorithm="RS256", headers={"kid": p.kid})
        access_token = secrets.token_urlsafe(24)
        with p.lock:
            p.access_tokens[access_token] = grant
        self._json(
            200,
            {
                "access_token": access_token,
                "token_type": "Bearer",
                "expires_in": 300,
                "id_token": id_token,
            },
        )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--client-id", required=True)
    parser.add_argument("--client-secret", required=True)
    parser.add_argument("--users", required=True)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    with open(args.users, encoding="utf-8") as fh:
        users = json.load(fh)
    provider = Provider(args.client_id, args.client_secret, users)
    handler = type("BoundHandler", (Handler,), {"provider": provider})
    server = ThreadingHTTPServer(("127.0.0.1", args.port), handler)
    provider.issuer = f"http://127.0.0.1:{server.server_address[1]}"
    print(f"READY {server.server_address[1]}", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
