"""`fascia serve` end to end: the real server on an ephemeral loopback port,
driven over HTTP. CDS Hooks discovery and calls with FHIR prefetch fixtures,
the JSON API against the CLI's own documents, every error status, limits,
hot reload under load, SIGTERM drain, static files, and that no client value
reaches a log. The auth and TLS tests are in serve_auth_test.py.

  python3 tests/serve/serve_test.py --fascia build/bin/fascia --root .
"""
import argparse
import http.server
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest

from serve_support import Server, fill_dates, load_fixture, today

ARGS = None
HERE = os.path.dirname(os.path.abspath(__file__))


def cli_json(*args, stdin=None):
    out = subprocess.run([ARGS.fascia] + list(args), input=stdin, capture_output=True, text=True,
                         env=dict(os.environ, FASCIA_PLUGIN_PATH=""), check=True)
    return out.stdout


# A protocol whose only technique is the 3-second test plugin
# (tests/plugins/bad/slow.cpp): an evaluation of it returns no sooner.
SLOW_PLUGIN_SECONDS = 3.0
SLOW_PROTOCOL = """format: 1
protocol: {id: slow, version: 1.0.0, title: Slow (test), conditions: [fibromyalgia]}
plugins:
  test_slow: {version: "*"}
session: {duration_minutes: 60}
stages:
  - {id: foundation, techniques: [test_slow], pressure_max: 5}
frequency:
  start: weekly
  ladder:
    - {id: weekly, interval_days: 7, title: Weekly}
"""


def fixture(name):
    return load_fixture(os.path.join(HERE, "data", name))


class ServeTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="fascia-serve-test-")
        cls.decisions = os.path.join(cls.tmp, "decisions.jsonl")
        cls.web = os.path.join(cls.tmp, "web")
        os.makedirs(cls.web)
        with open(os.path.join(cls.web, "index.html"), "w") as f:
            f.write("<!doctype html><title>what-if</title>")
        with open(os.path.join(cls.web, "app.js"), "w") as f:
            f.write("console.log('what-if');")
        with open(os.path.join(cls.tmp, "secret.txt"), "w") as f:
            f.write("outside the web root")
        os.symlink(os.path.join(cls.tmp, "secret.txt"), os.path.join(cls.web, "link.txt"))
        cls.server = Server(ARGS.fascia, [
            "--protocols", os.path.join(ARGS.root, "protocols"),
            "--decision-log", cls.decisions, "--web-root", cls.web,
            "--max-body", "65536", "--max-header", "4096",
            "--header-timeout-ms", "1500", "--body-timeout-ms", "1500"])

    @classmethod
    def tearDownClass(cls):
        code = cls.server.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)
        if code != 0:  # e.g. a ThreadSanitizer report (tools/scripts/ci-stages/20-tsan.sh)
            raise AssertionError("fascia serve exited %s:\n%s" % (code, cls.server.log()[-4000:]))

    # ---- discovery and CDS Hooks calls ----------------------------------
    def test_discovery_lists_two_services_per_bundled_protocol(self):
        status, _, doc = self.server.json("GET", "/cds-services")
        self.assertEqual(status, 200)
        ids = sorted(s["id"] for s in doc["services"])
        self.assertEqual(ids, sorted([
            "chronic-low-back-pain", "chronic-low-back-pain-encounter-start",
            "fibromyalgia", "fibromyalgia-encounter-start",
            "myofascial-release-course", "myofascial-release-course-encounter-start"]))
        for s in doc["services"]:
            self.assertEqual(s["hook"], "encounter-start" if s["id"].endswith("-encounter-start")
                             else "patient-view")
            self.assertEqual(s["prefetch"]["patient"], "Patient/{{context.patientId}}")
            self.assertIn("http://loinc.org|72514-3", s["prefetch"]["observations"])
            self.assertEqual("encounter" in s["prefetch"], s["hook"] == "encounter-start")

    def test_flaring_patient_gets_flare_card_and_plan_matching_the_cli(self):
        request = fixture("flare-patient-view.json")
        status, headers, doc = self.server.json("POST", "/cds-services/fibromyalgia", request)
        self.assertEqual(status, 200, doc)
        cards = doc["cards"]
        plan = cards[0]
        expected_state = json.dumps(fixture("flare-expected-state.json"))
        expected = json.loads(cli_json("evaluate", "--protocol",
                                       os.path.join(ARGS.root, "protocols", "fibromyalgia.yaml"),
                                       "--state", "-", "--json", stdin=expected_state))
        self.assertEqual(plan["extension"]["fascia.recommendation"], expected)
        self.assertIn("pressure at most %d/10" % expected["session"]["pressure_cap"],
                      plan["summary"])
        self.assertEqual(plan["indicator"], "warning")  # red flags today
        flare = [c for c in cards[1:] if c["extension"]["fascia.rule"].startswith("flare.")]
        self.assertEqual(len(flare), 1, [c["summary"] for c in cards])
        self.assertIn(flare[0]["indicator"], ("warning", "critical"))
        self.assertIn("Flare", flare[0]["summary"])
        for card in cards:
            self.assertLessEqual(len(card["summary"]), 140)
            self.assertEqual(card["source"]["topic"]["code"], "fibromyalgia")
            self.assertIn("1.0.0", card["source"]["label"])
            self.assertIn(card["indicator"], ("info", "warning", "critical"))
            self.assertEqual(card["extension"]["fascia.decision_id"], headers["X-Decision-Id"])
        for adj in expected["adjustments"]:
            self.assertIn(adj["rule"], plan["detail"])
        # The clinician reads titles; the ids stay in the recommendation.
        self.assertIn("- Stage: Swedish foundation\n", plan["detail"])
        self.assertIn("- Frequency: Weekly,", plan["detail"])
        # The decision is in the log, with hashes, not values.
        with open(self.decisions) as f:
            lines = [json.loads(l) for l in f]
        mine = [l for l in lines if l["decision_id"] == headers["X-Decision-Id"]]
        self.assertEqual(len(mine), 1)
        self.assertEqual(mine[0]["protocol"]["id"], "fibromyalgia")
        self.assertEqual(len(mine[0]["input_sha256"]), 64)
        self.assertTrue(any(r.startswith("flare.") for r in mine[0]["red_flags"]))

    def test_medication_change_after_last_session_is_a_red_flag(self):
        request = fixture("flare-patient-view.json")
        request["prefetch"]["medicationStatements"] = {
            "resourceType": "MedicationStatement", "id": "ms-new", "status": "active",
            "medicationCodeableConcept": {"text": "new"}, "subject": {"reference": "Patient/C-1042"},
            "effectiveDateTime": today(-1)}
        status, _, doc = self.server.json("POST", "/cds-services/fibromyalgia", request)
        self.assertEqual(status, 200, doc)
        rec = doc["cards"][0]["extension"]["fascia.recommendation"]
        rules = [a["rule"] for a in rec["adjustments"]]
        self.assertIn("general.medication-change", rules)
        self.assertIn("general.medication-change", doc["cards"][0]["detail"])

    def test_encounter_start_takes_the_encounter_date(self):
        request = fixture("flare-patient-view.json")
        request["hook"] = "encounter-start"
        request["context"]["encounterId"] = "enc-1"
        request["prefetch"]["encounter"] = {
            "resourceType": "Encounter", "id": "enc-1", "status": "in-progress",
            "class": {"code": "AMB"}, "period": {"start": today(0) + "T09:00:00Z"}}
        status, _, doc = self.server.json("POST", "/cds-services/fibromyalgia-encounter-start",
                                          request)
        self.assertEqual(status, 200, doc)
        self.assertEqual(doc["cards"][0]["extension"]["fascia.recommendation"]["as_of"], today(0))
        # The patient-view service refuses an encounter-start request.
        status, _, doc = self.server.json("POST", "/cds-services/fibromyalgia", request)
        self.assertEqual(status, 400)
        self.assertEqual(doc["errors"][0]["path"], "$.hook")

    def test_missing_data_gives_one_warning_card_never_a_guess(self):
        request = fixture("flare-patient-view.json")
        del request["fhirServer"]  # nothing to fetch the rest from
        del request["prefetch"]["observations"]
        status, _, doc = self.server.json("POST", "/cds-services/fibromyalgia", request)
        self.assertEqual(status, 200)
        self.assertEqual(len(doc["cards"]), 1)
        card = doc["cards"][0]
        self.assertEqual(card["indicator"], "warning")
        self.assertNotIn("fascia.recommendation", card["extension"])
        self.assertIn("prefetch 'observations'", card["detail"])
        self.assertRegex(card["summary"],
                         r"^No massage plan: the record lacks \d+ items? the protocol needs$")
        # Observations present but no pain rating: named with its code.
        request = fixture("flare-patient-view.json")
        entries = request["prefetch"]["observations"]["entry"]
        request["prefetch"]["observations"]["entry"] = [
            e for e in entries if e["resource"]["code"]["coding"][0]["code"] != "72514-3"]
        status, _, doc = self.server.json("POST", "/cds-services/fibromyalgia", request)
        self.assertEqual(len(doc["cards"]), 1)
        self.assertIn("pain.current", doc["cards"][0]["detail"])
        self.assertIn("72514-3", doc["cards"][0]["detail"])

    def test_missing_prefetch_is_fetched_from_the_fhir_server(self):
        # A FHIR server (python http.server) holding the fixture's resources;
        # the request carries no prefetch at all.
        full = fixture("flare-patient-view.json")
        _, _, discovery = self.server.json("GET", "/cds-services")
        templates = [s for s in discovery["services"] if s["id"] == "fibromyalgia"][0]["prefetch"]
        by_type = {t.split("?")[0].split("/")[0]: key for key, t in templates.items()}
        seen = []

        class Fhir(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                seen.append((self.path, self.headers.get("Authorization")))
                path = self.path[len("/fhir/"):] if self.path.startswith("/fhir/") else ""
                key = by_type.get(path.split("?")[0].split("/")[0])
                found = full["prefetch"][key] if key else None
                if key and found is None:  # a search that finds nothing
                    found = {"resourceType": "Bundle", "type": "searchset", "entry": []}
                body = json.dumps(found).encode() if key else b""
                self.send_response(200 if key else 404)
                self.send_header("Content-Type", "application/fhir+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        fhir = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Fhir)
        threading.Thread(target=fhir.serve_forever, daemon=True).start()
        try:
            request = fixture("flare-patient-view.json")
            del request["prefetch"]
            request["fhirServer"] = "http://127.0.0.1:%d/fhir" % fhir.server_address[1]
            request["fhirAuthorization"] = {"access_token": "tok-123", "token_type": "Bearer",
                                            "expires_in": 300, "scope": "patient/*.read",
                                            "subject": "fascia"}
            status, _, fetched = self.server.json("POST", "/cds-services/fibromyalgia", request)
            self.assertEqual(status, 200, fetched)
            _, _, direct = self.server.json("POST", "/cds-services/fibromyalgia", full)
            self.assertEqual([(c["indicator"], c["summary"]) for c in fetched["cards"]],
                             [(c["indicator"], c["summary"]) for c in direct["cards"]])
            self.assertEqual(fetched["cards"][0]["extension"]["fascia.recommendation"],
                             direct["cards"][0]["extension"]["fascia.recommendation"])
            self.assertEqual(len(seen), len(templates))
            self.assertTrue(all(auth == "Bearer tok-123" for _, auth in seen), seen)
            self.assertIn("/fhir/Patient/C-1042", [p for p, _ in seen])
        finally:
            fhir.shutdown()
            fhir.server_close()
        # The FHIR server is gone: one warning card naming what is missing.
        status, _, doc = self.server.json("POST", "/cds-services/fibromyalgia", request)
        self.assertEqual(status, 200, doc)
        self.assertEqual(len(doc["cards"]), 1)
        card = doc["cards"][0]
        self.assertEqual(card["indicator"], "warning")
        self.assertNotIn("fascia.recommendation", card["extension"])
        for key in templates:
            self.assertIn("prefetch '%s'" % key, card["detail"])
        self.assertIn("the FHIR server did not give it", card["detail"])
        _, _, body = self.server.request("GET", "/metrics")
        self.assertRegex(body.decode(), r"fascia_fhir_fetches_total [1-9]")
        self.assertRegex(body.decode(), r"fascia_fhir_fetch_failures_total [1-9]")

    def test_mapping_errors_name_resource_id_and_element(self):
        request = fixture("flare-patient-view.json")
        for e in request["prefetch"]["observations"]["entry"]:
            if e["resource"]["id"] == "tol":
                e["resource"]["valueInteger"] = "five"
            if e["resource"]["id"] == "pain-today":
                e["resource"]["valueQuantity"]["value"] = 12
        status, _, doc = self.server.json("POST", "/cds-services/fibromyalgia", request)
        self.assertEqual(status, 200)
        self.assertEqual(len(doc["cards"]), 1)
        self.assertIn("Observation/tol.valueInteger", doc["cards"][0]["detail"])
        # Values that are there but cannot be used are not called missing.
        self.assertEqual(doc["cards"][0]["summary"], "No massage plan: 1 value cannot be used")
        self.assertNotIn("Missing", doc["cards"][0]["detail"])
        request = fixture("flare-patient-view.json")
        for e in request["prefetch"]["observations"]["entry"]:
            if e["resource"]["id"] == "pain-today":
                e["resource"]["valueQuantity"]["value"] = 12
        status, _, doc = self.server.json("POST", "/cds-services/fibromyalgia", request)
        self.assertIn("Observation/pain-today.valueQuantity.value", doc["cards"][0]["detail"])
        self.assertEqual(doc["cards"][0]["summary"], "No massage plan: 1 value cannot be used")

    def test_feedback_is_answered_and_logged(self):
        body = {"feedback": [{"card": "9368d37b-283f-44a0-93ea-547cebab93ed",
                              "outcome": "overridden",
                              "overrideReason": {"reason": {"code": "patient-preference",
                                                            "system": "https://example.org"},
                                                 "userComment": "ZZ-SECRET-COMMENT"},
                              "outcomeTimestamp": "2026-12-02T10:00:00Z"}]}
        status, headers, doc = self.server.json("POST", "/cds-services/fibromyalgia/feedback",
                                                body)
        self.assertEqual(status, 200)
        with open(self.decisions) as f:
            text = f.read()
        self.assertNotIn("ZZ-SECRET-COMMENT", text)
        lines = [json.loads(l) for l in text.splitlines()]
        fb = [l for l in lines if l["decision_id"] == headers["X-Decision-Id"]]
        self.assertEqual(fb[0]["type"], "feedback")
        self.assertEqual(fb[0]["outcome"], "overridden")
        self.assertEqual(fb[0]["override_reason"], "patient-preference")
        status, _, doc = self.server.json("POST", "/cds-services/fibromyalgia/feedback",
                                          {"feedback": [{"card": "x", "outcome": "maybe"}]})
        self.assertEqual(status, 400)
        self.assertEqual(doc["errors"][0]["path"], "$.feedback[0].outcome")

    # ---- JSON API --------------------------------------------------------
    def test_evaluate_is_the_cli_document(self):
        state_path = os.path.join(ARGS.root, "protocols", "examples", "fibromyalgia-client.json")
        with open(state_path) as f:
            state = f.read()
        status, headers, body = self.server.request(
            "POST", "/v1/protocols/fibromyalgia/evaluate", state,
            {"Content-Type": "application/json"})
        self.assertEqual(status, 200)
        expected = cli_json("evaluate", "--protocol",
                            os.path.join(ARGS.root, "protocols", "fibromyalgia.yaml"),
                            "--state", state_path, "--json")
        self.assertEqual(body.decode() + "\n", expected)
        self.assertRegex(headers["X-Decision-Id"], r"^[0-9a-f-]{36}$")

    def test_what_if_and_simulate_are_the_cli_documents(self):
        protocol = os.path.join(ARGS.root, "protocols", "fibromyalgia.yaml")
        state_path = os.path.join(ARGS.root, "protocols", "examples", "fibromyalgia-client.json")
        with open(state_path) as f:
            state = json.load(f)
        status, _, doc = self.server.json("POST", "/v1/protocols/fibromyalgia/what-if",
                                          {"state": state, "set": {"flare.active": True,
                                                                   "flare.severity": 5}})
        self.assertEqual(status, 200, doc)
        expected = json.loads(cli_json("what-if", "--protocol", protocol, "--state", state_path,
                                       "--set", "flare.active=true", "--set", "flare.severity=5",
                                       "--json"))
        self.assertEqual(doc, expected)
        import yaml
        scenario_path = os.path.join(ARGS.root, "protocols", "scenarios",
                                     "fibromyalgia-setback.yaml")
        with open(scenario_path) as f:
            scenario = yaml.safe_load(f)
        scenario["weeks"] = {str(k): v for k, v in scenario["weeks"].items()}
        status, _, doc = self.server.json("POST", "/v1/protocols/fibromyalgia/simulate",
                                          {"state": state, "weeks": 20, "scenario": scenario})
        self.assertEqual(status, 200, doc)
        expected = json.loads(cli_json("simulate", "--protocol", protocol, "--state", state_path,
                                       "--weeks", "20", "--scenario", scenario_path, "--json"))
        self.assertEqual(doc, expected)

    def test_protocol_list_health_and_metrics(self):
        status, _, doc = self.server.json("GET", "/v1/protocols")
        self.assertEqual(status, 200)
        self.assertEqual(sorted(p["id"] for p in doc["protocols"]),
                         ["chronic-low-back-pain", "fibromyalgia", "myofascial-release-course"])
        for p in doc["protocols"]:
            self.assertEqual(len(p["sha256"]), 64)
        self.assertEqual(self.server.json("GET", "/healthz")[0], 200)
        self.server.request("POST", "/v1/protocols/fibromyalgia/evaluate", "{}",
                            {"Content-Type": "application/json"})
        status, headers, body = self.server.request("GET", "/metrics")
        self.assertEqual(status, 200)
        self.assertTrue(headers["Content-Type"].startswith("text/plain; version=0.0.4"))
        text = body.decode()
        self.assertIn('fascia_http_requests_total{route="/v1/protocols/{id}/evaluate",status="400"}',
                      text)
        self.assertIn("fascia_http_request_duration_seconds_bucket{", text)
        self.assertIn("fascia_protocols_loaded 3", text)
        for name in ("fascia_evaluations_total", "fascia_protocol_reloads_total",
                     "fascia_protocol_load_errors_total"):
            self.assertIn(name + " ", text)

    # ---- errors ----------------------------------------------------------
    def test_invalid_state_is_400_with_located_errors_and_paths(self):
        body = ('{\n  "format": 1,\n  "client": {"id": "C-1", "condition": "fibromyalgia"},\n'
                '  "as_of": "2026-11-20",\n  "pain": {"current": 12, "baseline": 8},\n'
                '  "sensitivity": "moderate", "pressure_tolerance": 5,\n'
                '  "flare": {"active": false}\n}')
        status, headers, doc = self.server.json("POST", "/v1/protocols/fibromyalgia/evaluate",
                                                body, {"Content-Type": "application/json"})
        self.assertEqual(status, 400)
        err = doc["errors"][0]
        self.assertEqual(err["line"], 5)
        self.assertEqual(err["path"], "$.pain.current")
        self.assertIn("pain.current", err["message"])
        self.assertEqual(doc["decision_id"], headers["X-Decision-Id"])
        # In a what-if, the path is inside "state" (the engine's JSON paths,
        # as the C API's error documents give them).
        status, _, doc = self.server.json(
            "POST", "/v1/protocols/fibromyalgia/what-if",
            '{"set": {"pain.current": 4},\n "state": ' + body + '}',
            {"Content-Type": "application/json"})
        self.assertEqual(status, 400)
        self.assertEqual(doc["errors"][0]["path"], "$.state.pain.current")
        self.assertEqual(doc["errors"][0]["line"], 6)
        status, _, doc = self.server.json("POST", "/v1/protocols/fibromyalgia/what-if",
                                          '{"state": {"client": ', {"Content-Type": "application/json"})
        self.assertEqual(status, 400)
        self.assertIn("invalid JSON", doc["errors"][0]["message"])

    def test_every_error_status(self):
        s = self.server
        self.assertEqual(s.json("POST", "/v1/protocols/nope/evaluate", {})[0], 404)
        self.assertEqual(s.json("POST", "/cds-services/nope", {"hook": "patient-view"})[0], 404)
        self.assertEqual(s.json("GET", "/v1/nothing")[0], 404)
        status, headers, _ = s.json("GET", "/v1/protocols/fibromyalgia/evaluate")
        self.assertEqual(status, 405)
        self.assertEqual(headers["Allow"], "POST")
        self.assertEqual(s.json("DELETE", "/cds-services")[0], 405)
        self.assertEqual(s.json("POST", "/v1/protocols/fibromyalgia/evaluate", "x: 1",
                                {"Content-Type": "text/yaml"})[0], 415)
        status, _, doc = s.json("POST", "/v1/protocols/fibromyalgia/evaluate", "x" * 70000,
                                {"Content-Type": "application/json"})
        self.assertEqual(status, 413)
        status, _, _ = s.request("GET", "/healthz", headers={"X-Big": "y" * 5000})
        self.assertEqual(status, 431)

    # ---- HTTP behaviour and limits ---------------------------------------
    def test_keep_alive_serves_many_requests_on_one_connection(self):
        conn = self.server.connection()
        for _ in range(20):
            status, _, _ = self.server.request("GET", "/healthz", conn=conn)
            self.assertEqual(status, 200)
        conn.close()

    def raw_exchange(self, request):
        """Sends raw request bytes; returns (status line, {field: value}, body,
        closed by the server)."""
        sock = socket.create_connection(("127.0.0.1", self.server.port))
        sock.settimeout(5)
        try:
            sock.sendall(request)
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                data += chunk
            head, _, body = data.partition(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            fields = dict(line.split(": ", 1) for line in lines[1:])
            length = int(fields["Content-Length"])
            if not request.startswith(b"HEAD"):
                while len(body) < length:
                    body += sock.recv(65536)
            # A response that announces the close (Connection: close, or
            # HTTP/1.0 without keep-alive) gets 5 s to be followed by it (a
            # busy machine); one that keeps the connection is watched for
            # 0.5 s to see that it stays open.
            keep = fields.get("Connection") == "keep-alive" or (
                lines[0].startswith("HTTP/1.1") and fields.get("Connection") != "close")
            sock.settimeout(0.5 if keep else 5)
            try:
                closed = sock.recv(1) == b""
            except socket.timeout:
                closed = False
            return lines[0], fields, body, closed
        finally:
            sock.close()

    def test_response_status_line_and_fields(self):
        # The response head is written by fascia (response_head.cpp), not by
        # Beast's serializer: the same fields, in the same order, for each
        # HTTP version and connection choice.
        status, fields, body, closed = self.raw_exchange(
            b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        self.assertEqual(status, "HTTP/1.1 200 OK")
        self.assertEqual(list(fields), ["Server", "Content-Type", "X-Decision-Id",
                                        "Access-Control-Allow-Origin",
                                        "Access-Control-Expose-Headers", "Cache-Control",
                                        "Content-Length"])
        self.assertEqual(fields["Server"], "fascia")
        self.assertEqual(fields["Cache-Control"], "no-store")
        self.assertEqual(int(fields["Content-Length"]), len(body))
        self.assertEqual(json.loads(body)["decision_id"], fields["X-Decision-Id"])
        self.assertFalse(closed)
        status, fields, body, closed = self.raw_exchange(
            b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        self.assertEqual((fields["Connection"], closed), ("close", True))
        status, fields, body, closed = self.raw_exchange(b"GET /healthz HTTP/1.0\r\n\r\n")
        self.assertEqual(status, "HTTP/1.0 200 OK")
        self.assertNotIn("Connection", fields)
        self.assertTrue(closed)
        status, fields, body, closed = self.raw_exchange(
            b"GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        self.assertEqual((status, fields["Connection"], closed),
                         ("HTTP/1.0 200 OK", "keep-alive", False))
        _, get_fields, get_body, _ = self.raw_exchange(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        status, fields, body, _ = self.raw_exchange(b"HEAD / HTTP/1.1\r\nHost: x\r\n\r\n")
        self.assertEqual((status, body), ("HTTP/1.1 200 OK", b""))
        self.assertEqual(fields["Content-Length"], get_fields["Content-Length"])
        self.assertEqual(int(get_fields["Content-Length"]), len(get_body))
        status, fields, _, _ = self.raw_exchange(
            b"DELETE /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        self.assertEqual((status, fields["Allow"]), ("HTTP/1.1 405 Method Not Allowed", "GET"))

    def test_slow_client_is_dropped(self):
        sock = socket.create_connection(("127.0.0.1", self.server.port))
        start = time.time()
        dropped = False
        request = b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
        try:
            for byte in request:
                sock.sendall(bytes([byte]))
                time.sleep(0.25)  # 4 bytes a second: the header takes ~9 s
                if time.time() - start > 6:
                    break
            sock.settimeout(5)
            dropped = sock.recv(100) == b""
        except (ConnectionResetError, BrokenPipeError):
            dropped = True
        finally:
            sock.close()
        self.assertTrue(dropped)
        self.assertLess(time.time() - start, 8)

    def test_static_files_and_no_traversal(self):
        s = self.server
        status, headers, body = s.request("GET", "/")
        self.assertEqual(status, 200)
        self.assertTrue(headers["Content-Type"].startswith("text/html"))
        status, headers, body = s.request("GET", "/app.js")
        self.assertEqual((status, headers["Content-Type"]), (200, "text/javascript; charset=utf-8"))
        for path in ("/../secret.txt", "/%2e%2e/secret.txt", "/link.txt", "/..%2fsecret.txt",
                     "/.hidden", "/nope.html", "/%2e%2e%2f%2e%2e%2fetc%2fpasswd"):
            status, _, body = s.request("GET", path)
            self.assertEqual(status, 404, path)
            self.assertNotIn(b"outside", body)

    def test_no_client_values_in_logs(self):
        request = fixture("flare-patient-view.json")
        text = json.dumps(request).replace("C-1042", "ZQX-PRIVATE-77")
        self.server.request("POST", "/cds-services/fibromyalgia", text,
                            {"Content-Type": "application/json"})
        state = fixture("flare-expected-state.json")
        state["client"]["id"] = "ZQX-PRIVATE-78"
        self.server.request("POST", "/v1/protocols/fibromyalgia/evaluate", state)
        state["pain"]["current"] = 11
        self.server.request("POST", "/v1/protocols/fibromyalgia/evaluate", state)
        self.server.request("POST", "/v1/protocols/ZQX-PRIVATE-79/evaluate", state)
        time.sleep(0.1)
        log = self.server.log()
        with open(self.decisions) as f:
            decisions = f.read()
        for secret in ("ZQX-PRIVATE-77", "ZQX-PRIVATE-78", "ZQX-PRIVATE-79"):
            self.assertNotIn(secret, log)
            self.assertNotIn(secret, decisions)
        self.assertRegex(log, r"POST /v1/protocols/fibromyalgia/evaluate 200 \d+us decision_id=")
        self.assertRegex(log, r"POST /cds-services/fibromyalgia 200 \d+us decision_id=")


class FolderTest(unittest.TestCase):
    """Broken files, hot reload under load, SIGTERM drain, SIGHUP."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="fascia-serve-folder-")
        self.protocols = os.path.join(self.tmp, "protocols")
        shutil.copytree(os.path.join(ARGS.root, "protocols"), self.protocols)

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def assertServedWithin(self, server, headers, low, high, msg=None):
        """The server's own time for the request answered with `headers`
        (serve_support.Server.served_seconds) is in [low, high)."""
        seconds = server.served_seconds(headers["X-Decision-Id"])
        self.assertGreaterEqual(seconds, low, msg)
        self.assertLess(seconds, high, msg)

    def write_atomically(self, name, text):
        tmp = os.path.join(self.protocols, "." + name + ".tmp")
        with open(tmp, "w") as f:
            f.write(text)
        os.replace(tmp, os.path.join(self.protocols, name))

    def test_broken_protocol_is_reported_and_skipped(self):
        with open(os.path.join(self.protocols, "broken.yaml"), "w") as f:
            f.write("format: 1\nprotocol:\n  id: broken\n  version: [\n")
        server = Server(ARGS.fascia, ["--protocols", self.protocols])
        try:
            self.assertRegex(server.log(), r"broken\.yaml:\d+:\d+: error: ")
            _, _, doc = server.json("GET", "/v1/protocols")
            self.assertEqual(len(doc["protocols"]), 3)  # not the broken one, not the *.test.yaml
        finally:
            self.assertEqual(server.stop(), 0)

    def test_hot_reload_while_requests_are_in_flight(self):
        server = Server(ARGS.fascia, ["--protocols", self.protocols, "--reload-interval-ms", "50"])
        path = os.path.join(self.protocols, "fibromyalgia.yaml")
        with open(path) as f:
            original = f.read()
        with open(os.path.join(ARGS.root, "protocols", "examples", "fibromyalgia-client.json")) as f:
            state = f.read()
        seen, failures, stop = {}, [], threading.Event()

        def hammer():
            conn = server.connection()
            while not stop.is_set():
                try:
                    status, _, body = server.request(
                        "POST", "/v1/protocols/fibromyalgia/evaluate", state,
                        {"Content-Type": "application/json"}, conn=conn)
                except Exception as e:  # noqa: BLE001 - any failure fails the test
                    failures.append(repr(e))
                    return
                if status != 200:
                    failures.append(status)
                    continue
                p = json.loads(body)["protocol"]
                seen.setdefault(p["version"], set()).add(p["sha256"])
            conn.close()

        try:
            threads = [threading.Thread(target=hammer) for _ in range(4)]
            for t in threads:
                t.start()
            # The original is answered before the first change (a loaded
            # machine may take longer than one reload interval to start
            # the clients).
            deadline = time.time() + 10
            while time.time() < deadline and "1.0.0" not in seen and not failures:
                time.sleep(0.01)
            for version in ("1.0.1", "1.0.2", "1.0.3"):
                time.sleep(0.3)
                self.write_atomically("fibromyalgia.yaml",
                                      original.replace("version: 1.0.0", "version: " + version, 1))
            deadline = time.time() + 10
            while time.time() < deadline and "1.0.3" not in seen:
                time.sleep(0.05)
            stop.set()
            for t in threads:
                t.join()
            self.assertEqual(failures, [])
            self.assertIn("1.0.0", seen)
            self.assertIn("1.0.3", seen)
            for version, hashes in seen.items():
                self.assertEqual(len(hashes), 1, version)  # never a mixed response
            status, _, body = server.request("GET", "/metrics")
            self.assertRegex(body.decode(), r"fascia_protocol_reloads_total [1-9]")
        finally:
            self.assertEqual(server.stop(), 0)

    def test_slow_evaluation_answers_503_at_the_deadline(self):
        # A technique that takes 3 s (tests/plugins/bad/slow.cpp) against a
        # deadline of 500 ms: the 503 comes on time, other requests are
        # served meanwhile, and the late result is dropped (not sent as the
        # answer to the connection's next request).
        with open(os.path.join(self.protocols, "slow.yaml"), "w") as f:
            f.write(SLOW_PROTOCOL)
        server = Server(ARGS.fascia, [
            "--protocols", self.protocols, "--request-deadline-ms", "500",
            "--plugin-dir", os.path.join(ARGS.test_plugins, "slow")])
        with open(os.path.join(ARGS.root, "protocols", "examples", "fibromyalgia-client.json")) as f:
            state = json.load(f)
        state.pop("observations", None)  # the slow protocol declares none
        try:
            conn = server.connection()
            fast = {}

            def evaluate_fast():
                time.sleep(0.1)
                fast["status"], fast["headers"], _ = server.json(
                    "POST", "/v1/protocols/fibromyalgia/evaluate", state)
                fast["arrived"] = time.time() - start

            start = time.time()
            other = threading.Thread(target=evaluate_fast)
            other.start()
            status, headers, doc = server.json("POST", "/v1/protocols/slow/evaluate", state,
                                               conn=conn)
            elapsed = time.time() - start
            other.join()
            self.assertEqual(status, 503)
            self.assertIn("deadline", doc["errors"][0]["message"])
            self.assertGreaterEqual(elapsed, 0.45)
            self.assertEqual(fast["status"], 200)
            # Both answers came before the slow evaluation could return (its
            # plugin sleeps 3 s from after `start`): the 503 did not wait for
            # the plugin, and the fast request was served meanwhile.
            self.assertLess(max(elapsed, fast["arrived"]), SLOW_PLUGIN_SECONDS)
            # On time by the server's own clock, which a loaded machine's
            # delays in this client do not touch: the 503 at the 500 ms
            # deadline, the fast answer at once.
            self.assertServedWithin(server, headers, 0.5, 1.5)
            self.assertServedWithin(server, fast["headers"], 0, 1.0)
            # The same keep-alive connection: the next answer is its own,
            # also once the slow result has come in (and been dropped).
            for wait in (0, 3.0):
                time.sleep(wait)
                status, _, doc = server.json(
                    "POST", "/v1/protocols/fibromyalgia/evaluate", state, conn=conn)
                self.assertEqual(status, 200)
                self.assertEqual(doc["protocol"]["id"], "fibromyalgia")
            conn.close()
            _, _, body = server.request("GET", "/metrics")
            self.assertIn("fascia_deadline_exceeded_total 1", body.decode())
        finally:
            self.assertEqual(server.stop(), 0)

    def test_slow_evaluations_on_every_thread_still_answer_503_on_time(self):
        # Two I/O threads: one POST at a time runs inline on an I/O thread,
        # the other on the worker pool (http_session.hpp), so that an I/O
        # thread is always free to answer the deadline's 503. Two 3-second
        # evaluations at once: both answered 503 on time, and a fast request
        # sent meanwhile is served.
        with open(os.path.join(self.protocols, "slow.yaml"), "w") as f:
            f.write(SLOW_PROTOCOL)
        server = Server(ARGS.fascia, [
            "--protocols", self.protocols, "--request-deadline-ms", "500", "--threads", "2",
            "--plugin-dir", os.path.join(ARGS.test_plugins, "slow")])
        with open(os.path.join(ARGS.root, "protocols", "examples", "fibromyalgia-client.json")) as f:
            state = json.load(f)
        state.pop("observations", None)  # the slow protocol declares none
        try:
            results = {}

            def call(name, protocol, delay=0.0):
                time.sleep(delay)
                status, headers, _ = server.json("POST", "/v1/protocols/%s/evaluate" % protocol,
                                                 state)
                results[name] = (status, headers, time.time() - start)

            threads = [threading.Thread(target=call, args=("slow1", "slow")),
                       threading.Thread(target=call, args=("slow2", "slow")),
                       threading.Thread(target=call, args=("fast", "fibromyalgia", 0.15))]
            start = time.time()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            for name in ("slow1", "slow2"):
                self.assertEqual(results[name][0], 503, name)
                # 503 at the deadline by the server's own clock, not after the plugin's 3 s.
                self.assertServedWithin(server, results[name][1], 0.5, 1.5, name)
            self.assertEqual(results["fast"][0], 200)
            self.assertServedWithin(server, results["fast"][1], 0, 1.0)
            # Every answer came before either slow evaluation could return:
            # no request waited for a plugin (nor for a blocked I/O thread).
            self.assertLess(max(r[2] for r in results.values()), SLOW_PLUGIN_SECONDS)
            _, _, body = server.request("GET", "/metrics")
            self.assertIn("fascia_deadline_exceeded_total 2", body.decode())
        finally:
            self.assertEqual(server.stop(), 0)

    def test_sigterm_drains_in_flight_request_and_exits_0(self):
        decisions = os.path.join(self.tmp, "decisions.jsonl")
        server = Server(ARGS.fascia, ["--protocols", self.protocols, "--decision-log", decisions])
        with open(os.path.join(ARGS.root, "protocols", "examples", "fibromyalgia-client.json"),
                  "rb") as f:
            body = f.read()
        idle = socket.create_connection(("127.0.0.1", server.port))
        sock = socket.create_connection(("127.0.0.1", server.port))
        sock.sendall(b"POST /v1/protocols/fibromyalgia/evaluate HTTP/1.1\r\nHost: x\r\n"
                     b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body)
                     + body[:10])
        time.sleep(0.3)
        # SIGHUP first: the decision log is reopened (log rotation).
        os.rename(decisions, decisions + ".1")
        server.signal(signal.SIGHUP)
        time.sleep(0.3)
        server.signal(signal.SIGTERM)
        time.sleep(0.3)
        self.assertIsNone(server.proc.poll())  # still draining the request in flight
        sock.sendall(body[10:])
        sock.settimeout(10)
        response = b""
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            response += chunk
        self.assertTrue(response.startswith(b"HTTP/1.1 200"), response[:200])
        self.assertIn(b"Connection: close", response)
        self.assertEqual(server.proc.wait(10), 0)
        idle.settimeout(5)
        self.assertEqual(idle.recv(10), b"")  # the idle keep-alive connection was closed
        idle.close()
        sock.close()
        with open(decisions) as f:
            self.assertEqual(len(f.read().splitlines()), 1)  # written to the reopened file


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--fascia", required=True)
    parser.add_argument("--root", required=True)
    parser.add_argument("--test-plugins", required=True)  # build/lib/fascia/test-plugins
    ARGS, rest = parser.parse_known_args()
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)
