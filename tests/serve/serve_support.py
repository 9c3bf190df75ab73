"""Starting `fascia serve` on an ephemeral loopback port and talking to it
over HTTP (the standard library only), plus JWTs and keys for the auth
tests (python3-cryptography)."""
import base64
import datetime
import hashlib
import http.client
import json
import os
import re
import signal as signals
import subprocess
import tempfile
import time
import uuid


def today(offset=0):
    return (datetime.datetime.now(datetime.timezone.utc).date()
            + datetime.timedelta(days=offset)).isoformat()


def fill_dates(text):
    """{{day:-7}} -> the date 7 days before today (UTC)."""
    return re.sub(r"\{\{day:(-?\d+)\}\}", lambda m: today(int(m.group(1))), text)


def load_fixture(path):
    with open(path, encoding="utf-8") as f:
        return json.loads(fill_dates(f.read()))


class Server:
    """A running `fascia serve`; stderr goes to a file read by the tests."""

    def __init__(self, fascia, args, env=None, tls=None):
        self.log_file = tempfile.NamedTemporaryFile("w+", suffix=".log", delete=False)
        environment = dict(os.environ, FASCIA_PLUGIN_PATH="")
        environment.update(env or {})
        self.proc = subprocess.Popen([fascia, "serve", "--listen", "127.0.0.1:0"] + args,
                                     stdout=subprocess.DEVNULL, stderr=self.log_file,
                                     env=environment)
        self.tls = tls
        deadline = time.time() + 30
        self.port = None
        while time.time() < deadline and self.port is None:
            m = re.search(r"listening on https?://[^:]+:(\d+)", self.log())
            if m:
                self.port = int(m.group(1))
            elif self.proc.poll() is not None:
                raise RuntimeError("fascia serve exited %s:\n%s" % (self.proc.returncode, self.log()))
            else:
                time.sleep(0.05)
        if self.port is None:
            self.stop()
            raise RuntimeError("fascia serve did not start:\n" + self.log())

    def log(self):
        with open(self.log_file.name, encoding="utf-8", errors="replace") as f:
            return f.read()

    def connection(self, timeout=10):
        if self.tls:
            return http.client.HTTPSConnection("127.0.0.1", self.port, timeout=timeout,
                                               context=self.tls)
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)

    def request(self, method, path, body=None, headers=None, conn=None):
        """(status, headers, body bytes); a JSON object body is sent as JSON."""
        own = conn is None
        conn = conn or self.connection()
        hdrs = dict(headers or {})
        if isinstance(body, (dict, list)):
            body = json.dumps(body)
            hdrs.setdefault("Content-Type", "application/json")
        if isinstance(body, str):
            body = body.encode()
        conn.request(method, path, body=body, headers=hdrs)
        r = conn.getresponse()
        data = r.read()
        result = (r.status, dict(r.getheaders()), data)
        if own:
            conn.close()
        return result

    def json(self, method, path, body=None, headers=None, conn=None):
        status, hdrs, data = self.request(method, path, body, headers, conn)
        return status, hdrs, json.loads(data) if data else None

    def served_seconds(self, decision_id, timeout=10):
        """How long the server took over the request that answered with this
        X-Decision-Id, by its own clock: its access-log line (header read to
        answer written). A loaded test machine's delays in the client (thread
        wake-ups, the GIL) do not count, the server's own do. The line is
        written within the access log's flush delay; waits up to `timeout`."""
        pattern = re.compile(r" (\d+)us decision_id=%s$" % re.escape(decision_id), re.M)
        deadline = time.time() + timeout
        while True:
            m = pattern.search(self.log())
            if m:
                return int(m.group(1)) / 1e6
            if time.time() >= deadline:
                raise AssertionError("no access-log line for decision %s:\n%s"
                                     % (decision_id, self.log()[-2000:]))
            time.sleep(0.02)

    def signal(self, sig):
        self.proc.send_signal(sig)

    def stop(self, sig=signals.SIGTERM, timeout=20):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode


# ---- JWT (RS384 / ES384) with python3-cryptography only -------------------

def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def int_b64(n, length=None):
    length = length or (n.bit_length() + 7) // 8
    return b64url(n.to_bytes(length, "big"))


class Key:
    def __init__(self, kind, kid):
        from cryptography.hazmat.primitives.asymmetric import ec, rsa
        self.kind, self.kid = kind, kid
        if kind == "RSA":
            self.private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        else:
            self.private = ec.generate_private_key(ec.SECP384R1())

    def jwk(self):
        pub = self.private.public_key().public_numbers()
        if self.kind == "RSA":
            return {"kty": "RSA", "kid": self.kid, "alg": "RS384", "use": "sig",
                    "n": int_b64(pub.n), "e": int_b64(pub.e)}
        return {"kty": "EC", "kid": self.kid, "alg": "ES384", "use": "sig", "crv": "P-384",
                "x": int_b64(pub.x, 48), "y": int_b64(pub.y, 48)}

    def sign(self, claims, kid=None, alg=None):
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import ec, padding, utils
        alg = alg or ("RS384" if self.kind == "RSA" else "ES384")
        header = {"alg": alg, "typ": "JWT", "kid": kid or self.kid}
        signing_input = (b64url(json.dumps(header).encode()) + "." +
                         b64url(json.dumps(claims).encode())).encode()
        if self.kind == "RSA":
            sig = self.private.sign(signing_input, padding.PKCS1v15(), hashes.SHA384())
        else:
            der = self.private.sign(signing_input, ec.ECDSA(hashes.SHA384()))
            r, s = utils.decode_dss_signature(der)
            sig = r.to_bytes(48, "big") + s.to_bytes(48, "big")
        return signing_input.decode() + "." + b64url(sig)


def claims(iss, aud, lifetime=120, iat_offset=0, jti=None):
    now = int(time.time())
    return {"iss": iss, "sub": "ehr-client", "aud": aud, "iat": now + iat_offset,
            "exp": now + iat_offset + lifetime, "jti": jti or str(uuid.uuid4())}


def sha256_hex(text):
    return hashlib.sha256(text.encode()).hexdigest()
