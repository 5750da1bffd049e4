"""A small OpenID Connect provider for the tests, shaped like Pro Santé Connect, served on loopback.

It serves discovery, JWKS, authorize, token, userinfo and end-session, with an RSA key made when it
starts, and checks what a real provider checks: the client's id, secret and redirect address, the
authorization code (once), and the PKCE verifier against the S256 challenge. Who signs in is set by the
test (`provider.next_identity`); the tests can also make it misbehave (`provider.faults`) to see the site
refuse: a token signed with another key, an expired token, another nonce, another audience.

`/authorize` answers with a page holding one button ("Valider"), as the real provider's e-CPS step does,
so a browser test clicks through it; `authorize_now` gives the redirection at once for the client tests.
"""

import base64
import hashlib
import html
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlparse

from joserfc import jwt
from joserfc.jwk import RSAKey

CLIENT_ID = "observatoire-test"
CLIENT_SECRET = "secret-de-test"  # noqa: S105 (the test provider's own)


def identity(
    rpps, *, profession="10", savoir_faire="SM54", mode="L", last_name="Durand", first_name="Camille"
):
    """Userinfo claims the way Pro Santé Connect gives them (its national id is "8" + the RPPS)."""
    return {
        "sub": f"f:psc:{rpps}",
        "SubjectNameID": f"8{rpps}",
        "family_name": last_name,
        "given_name": first_name,
        "SubjectRefPro": {
            "codeCivilite": "M",
            "exercices": [
                {
                    "codeProfession": profession,
                    "codeCategorieProfessionnelle": "C",
                    "nomDexercice": last_name,
                    "prenomDexercice": first_name,
                    "codeTypeSavoirFaire": "S",
                    "codeSavoirFaire": savoir_faire,
                    "activities": [{"codeModeExercice": mode}],
                }
            ],
        },
    }


class Provider:
    def __init__(self):
        self.key = RSAKey.generate_key(2048, parameters={"kid": "key-1", "use": "sig", "alg": "RS256"})
        self.other_key = RSAKey.generate_key(2048, parameters={"kid": "key-1", "use": "sig", "alg": "RS256"})
        self.next_identity = None
        self.faults = set()  # "wrong_key", "expired", "nonce", "audience"
        self.codes = {}
        self.tokens = {}
        self.authorize_requests = []
        self.token_requests = []
        self.ended_sessions = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    @property
    def discovery_url(self):
        return self.base + "/.well-known/openid-configuration"

    def discovery(self):
        return {
            "issuer": self.base,
            "authorization_endpoint": self.base + "/authorize",
            "token_endpoint": self.base + "/token",
            "userinfo_endpoint": self.base + "/userinfo",
            "jwks_uri": self.base + "/jwks",
            "end_session_endpoint": self.base + "/logout",
            "response_types_supported": ["code"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
            "acr_values_supported": ["eidas1"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        }

    def authorize_now(self, url):
        """What the provider does when the person approves: the redirection back, with code and state."""
        query = {k: v[0] for k, v in parse_qs(urlparse(url).query).items()}
        self.authorize_requests.append(query)
        if query.get("client_id") != CLIENT_ID or query.get("response_type") != "code":
            raise ValueError(f"bad authorization request: {query}")
        code = secrets.token_urlsafe(16)
        self.codes[code] = {**query, "identity": self.next_identity}
        return query["redirect_uri"] + "?" + urlencode({"code": code, "state": query.get("state", "")})

    def _id_token(self, grant):
        now = int(time.time())
        claims = {
            "iss": self.base,
            "sub": grant["identity"]["sub"],
            "aud": "someone-else" if "audience" in self.faults else CLIENT_ID,
            "iat": now - (7200 if "expired" in self.faults else 0),
            "exp": now + (-3600 if "expired" in self.faults else 300),
            "nonce": "another-nonce" if "nonce" in self.faults else grant.get("nonce"),
            "acr": "eidas1",
        }
        key = self.other_key if "wrong_key" in self.faults else self.key
        return jwt.encode({"alg": "RS256", "kid": "key-1"}, claims, key)

    def exchange(self, form, authorization):
        """The token endpoint: returns (status, body)."""
        self.token_requests.append(form)
        client_id, client_secret = form.get("client_id"), form.get("client_secret")
        if authorization.startswith("Basic "):
            client_id, _, client_secret = base64.b64decode(authorization[6:]).decode().partition(":")
        if (client_id, client_secret) != (CLIENT_ID, CLIENT_SECRET):
            return 401, {"error": "invalid_client"}
        grant = self.codes.pop(form.get("code", ""), None)  # a code serves once
        if grant is None or grant["redirect_uri"] != form.get("redirect_uri"):
            return 400, {"error": "invalid_grant"}
        verifier = form.get("code_verifier", "")
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        if grant.get("code_challenge_method") != "S256" or challenge != grant.get("code_challenge"):
            return 400, {"error": "invalid_grant", "error_description": "PKCE verification failed"}
        access = secrets.token_urlsafe(24)
        self.tokens[access] = grant["identity"]
        return 200, {"access_token": access, "token_type": "Bearer", "expires_in": 300,
                     "id_token": self._id_token(grant)}  # fmt: skip

    def _handler(self):
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _send(self, status, body, content_type="application/json", headers=()):
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                for name, value in headers:
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                url = urlparse(self.path)
                if url.path == "/.well-known/openid-configuration":
                    return self._send(200, provider.discovery())
                if url.path == "/jwks":
                    return self._send(200, {"keys": [provider.key.as_dict(private=False)]})
                if url.path == "/authorize":
                    target = html.escape(self.path.replace("/authorize", "/approve", 1))
                    page = (
                        '<!DOCTYPE html><html lang="fr"><head><title>Pro Santé Connect (test)</title></head>'
                        f'<body><h1>Pro Santé Connect</h1><form method="post" action="{target}">'
                        '<button type="submit">Valider</button></form></body></html>'
                    )
                    return self._send(200, page.encode(), "text/html; charset=utf-8")
                if url.path == "/userinfo":
                    token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                    found = provider.tokens.get(token)
                    return self._send(200, found) if found else self._send(401, {"error": "invalid_token"})
                if url.path == "/logout":
                    query = {k: v[0] for k, v in parse_qs(url.query).items()}
                    provider.ended_sessions.append(query)
                    back = query.get("post_logout_redirect_uri", "/")
                    return self._send(302, b"", "text/plain", [("Location", back)])
                return self._send(404, {"error": "not_found"})

            def do_POST(self):
                url = urlparse(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                if url.path == "/approve":
                    location = provider.authorize_now("/authorize?" + url.query)
                    return self._send(302, b"", "text/plain", [("Location", location)])
                if url.path == "/token":
                    status, body = provider.exchange(form, self.headers.get("Authorization", ""))
                    return self._send(status, body)
                return self._send(404, {"error": "not_found"})

        return Handler
