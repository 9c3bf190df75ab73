"""`fascia serve --auth-config` and TLS: signed JWTs (RS384 and ES384,
keys made at test time) accepted; expired, wrong audience, wrong key,
another issuer's key, replayed, unsigned and `alg: none` tokens refused
with a bare 401; static tokens for the JSON API only; HTTPS.

  python3 tests/serve/serve_auth_test.py --fascia build/bin/fascia --root .
"""
import argparse
import datetime
import json
import os
import shutil
import ssl
import sys
import tempfile
import unittest

from serve_support import Key, Server, b64url, claims, load_fixture, sha256_hex

ARGS = None
HERE = os.path.dirname(os.path.abspath(__file__))
EHR_A = "https://ehr-a.example.org"
EHR_B = "https://ehr-b.example.org"
BASE = "https://cds.clinic.example"
STATIC = "therapist-ui-token-1234567890"


class AuthTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="fascia-serve-auth-")
        cls.a_rsa, cls.a_ec = Key("RSA", "a-rsa"), Key("EC", "a-ec")
        cls.b_ec = Key("EC", "b-ec")
        cls.stranger = Key("RSA", "a-rsa")  # same kid as EHR A's key, different key
        for name, keys in (("a.jwks.json", [cls.a_rsa, cls.a_ec]), ("b.jwks.json", [cls.b_ec])):
            with open(os.path.join(cls.tmp, name), "w") as f:
                json.dump({"keys": [k.jwk() for k in keys]}, f)
        config = os.path.join(cls.tmp, "auth.yaml")
        with open(config, "w") as f:
            f.write("auth: 1\naudience: %s\nreplay_window_seconds: 300\n"
                    "issuers:\n  - iss: %s\n    jwks: a.jwks.json\n"
                    "  - iss: %s\n    jwks: b.jwks.json\n"
                    "static_tokens:\n  - name: therapist-ui\n    sha256: %s\n"
                    % (BASE, EHR_A, EHR_B, sha256_hex(STATIC)))
        cls.server = Server(ARGS.fascia, ["--protocols", os.path.join(ARGS.root, "protocols"),
                                          "--auth-config", config])
        cls.request = load_fixture(os.path.join(HERE, "data", "flare-patient-view.json"))

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def call(self, token, path="/cds-services/fibromyalgia", body=None):
        headers = {"Authorization": "Bearer " + token} if token is not None else {}
        return self.server.request("POST", path, body if body is not None else self.request,
                                   headers)

    def assert_refused(self, token, path="/cds-services/fibromyalgia", body=None):
        status, headers, data = self.call(token, path, body)
        self.assertEqual(status, 401)
        self.assertEqual(json.loads(data)["errors"][0]["message"], "unauthorized")
        self.assertEqual(headers["WWW-Authenticate"], "Bearer")

    def test_signed_requests_are_accepted(self):
        aud = BASE + "/cds-services/fibromyalgia"
        for key, iss in ((self.a_rsa, EHR_A), (self.a_ec, EHR_A), (self.b_ec, EHR_B)):
            status, _, data = self.call(key.sign(claims(iss, aud)))
            self.assertEqual(status, 200, data)
            self.assertIn("cards", json.loads(data))

    def test_bad_tokens_are_refused_without_detail(self):
        aud = BASE + "/cds-services/fibromyalgia"
        self.assert_refused(None)
        self.assert_refused("")
        self.assert_refused(self.a_rsa.sign(claims(EHR_A, aud, lifetime=60, iat_offset=-400)))
        self.assert_refused(self.a_rsa.sign(claims(EHR_A, BASE + "/cds-services/other")))
        self.assert_refused(self.a_rsa.sign(claims(EHR_A, "https://evil.example/cds-services/fibromyalgia")))
        self.assert_refused(self.stranger.sign(claims(EHR_A, aud)))        # wrong key
        self.assert_refused(self.b_ec.sign(claims(EHR_A, aud), kid="a-ec"))  # B's key, A's name
        self.assert_refused(self.a_ec.sign(claims("https://unknown.example", aud)))
        self.assert_refused(self.a_rsa.sign(claims(EHR_A, aud, lifetime=3600)))  # beyond window
        c = claims(EHR_A, aud)
        del c["jti"]
        self.assert_refused(self.a_rsa.sign(c))
        unsigned = (b64url(json.dumps({"alg": "none"}).encode()) + "." +
                    b64url(json.dumps(claims(EHR_A, aud)).encode()) + ".")
        self.assert_refused(unsigned)
        self.assert_refused(STATIC)  # static tokens are for the JSON API only

    def test_replayed_token_is_refused(self):
        token = self.a_ec.sign(claims(EHR_A, BASE + "/cds-services/fibromyalgia"))
        self.assertEqual(self.call(token)[0], 200)
        self.assert_refused(token)

    def test_json_api_takes_a_static_token_or_a_jwt(self):
        path = "/v1/protocols/fibromyalgia/evaluate"
        with open(os.path.join(ARGS.root, "protocols", "examples", "fibromyalgia-client.json")) as f:
            state = f.read()
        headers = {"Content-Type": "application/json"}
        self.assertEqual(self.server.request("POST", path, state, headers)[0], 401)
        self.assertEqual(self.server.request("POST", path, state, dict(
            headers, Authorization="Bearer wrong-token"))[0], 401)
        self.assertEqual(self.server.request("POST", path, state, dict(
            headers, Authorization="Bearer " + STATIC))[0], 200)
        token = self.a_rsa.sign(claims(EHR_A, BASE + path))
        self.assertEqual(self.server.request("POST", path, state, dict(
            headers, Authorization="Bearer " + token))[0], 200)
        self.assertEqual(self.server.request("GET", "/v1/protocols")[0], 401)
        # Discovery, health and metrics stay open.
        self.assertEqual(self.server.request("GET", "/cds-services")[0], 200)
        self.assertEqual(self.server.request("GET", "/healthz")[0], 200)

    def test_tokens_never_reach_the_log(self):
        token = self.a_rsa.sign(claims(EHR_A, BASE + "/cds-services/fibromyalgia"))
        self.call(token)
        log = self.server.log()
        self.assertNotIn(token.split(".")[2], log)
        self.assertNotIn(STATIC, log)


class TlsTest(unittest.TestCase):
    def test_https(self):
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import NameOID
        import ipaddress
        tmp = tempfile.mkdtemp(prefix="fascia-serve-tls-")
        try:
            key = ec.generate_private_key(ec.SECP256R1())
            name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
            now = datetime.datetime.now(datetime.timezone.utc)
            cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
                    .public_key(key.public_key()).serial_number(x509.random_serial_number())
                    .not_valid_before(now - datetime.timedelta(days=1))
                    .not_valid_after(now + datetime.timedelta(days=1))
                    .add_extension(x509.SubjectAlternativeName(
                        [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
                    .sign(key, hashes.SHA256()))
            cert_path, key_path = os.path.join(tmp, "cert.pem"), os.path.join(tmp, "key.pem")
            with open(cert_path, "wb") as f:
                f.write(cert.public_bytes(serialization.Encoding.PEM))
            with open(key_path, "wb") as f:
                f.write(key.private_bytes(serialization.Encoding.PEM,
                                          serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
            context = ssl.create_default_context(cafile=cert_path)
            server = Server(ARGS.fascia, ["--protocols", os.path.join(ARGS.root, "protocols"),
                                          "--tls-cert", cert_path, "--tls-key", key_path],
                            tls=context)
            try:
                conn = server.connection()
                for _ in range(3):  # keep-alive over TLS
                    status, _, data = server.request("GET", "/cds-services", conn=conn)
                    self.assertEqual(status, 200)
                    self.assertEqual(len(json.loads(data)["services"]), 6)
                conn.close()
            finally:
                self.assertEqual(server.stop(), 0)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--fascia", required=True)
    parser.add_argument("--root", required=True)
    parser.add_argument("--test-plugins")  # unused here (serve_test.py)
    ARGS, rest = parser.parse_known_args()
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)
