#!/usr/bin/env python3
"""The what-if page (tools/web) in headless Chromium against the real
`fascia serve`, with a static token required on the JSON API:

- GET /v1/protocols/{id}/state-schema needs the token and carries the
  stage titles, technique titles and rule families the page uses;
- the page is served at / with no --web-root (the bundled folder is found);
- without the token the page says it needs one; with it the protocols load;
- the example client loads, the plan shows its cap and no flare card;
- flipping the "Flare active" switch lowers the cap, adds the flare card,
  lists the cap under "What changed and why" and redraws the chart;
- every form control has a label;
- a screenshot (what-if.png) is written to --artifacts;
- a JSON state file chosen with the file input becomes the loaded state;
- choosing another protocol rebuilds the form from its schema; "New
  client" empties the form, an empty form is refused naming the missing
  fields, a filled-in one gives the new client's plan (new-client.png).

Then `fascia handout` for the flare client is opened in the same browser:
plain language, no rule ids, printable on one page (handout.png).

Exit 77 (ctest: skipped) only when Chromium, chromedriver or selenium is
missing."""
import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "serve"))

SKIP = 77


def find_browser():
    try:
        import selenium  # noqa: F401
    except ImportError:
        return None, None, "python3-selenium is not installed"
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if not chromium:
        return None, None, "chromium is not installed"
    if not driver:
        return None, None, "chromedriver (Debian chromium-driver) is not installed"
    return chromium, driver, None


def make_driver(chromium, driver_path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1280,2200", "--force-prefers-reduced-motion",
                "--disable-extensions", "--no-first-run"):
        options.add_argument(arg)
    return webdriver.Chrome(service=Service(driver_path), options=options)


def wait_for(driver, condition, what, timeout=15):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            value = condition()
            if value:
                return value
        except Exception:  # the element may be being replaced
            pass
        time.sleep(0.05)
    errors = driver.find_element("id", "errors").text
    raise AssertionError("timed out waiting for " + what + (
        "; the page says: " + errors if errors else ""))


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def flare_cards(driver):
    return driver.find_elements("css selector", "#flags [data-flag=flare]")


def test_state_schema_endpoint(server, token):
    """GET /v1/protocols/{id}/state-schema: behind the JSON API's auth, the
    schema of `fascia schema` plus the titles the page shows."""
    status, _, _ = server.json("GET", "/v1/protocols/fibromyalgia/state-schema")
    check(status == 401, "state-schema without a token: %d" % status)
    status, headers, schema = server.json("GET", "/v1/protocols/fibromyalgia/state-schema",
                                          headers={"Authorization": "Bearer " + token})
    check(status == 200, "state-schema: %d" % status)
    check(headers.get("Content-Type") == "application/schema+json", str(headers))
    stages = schema["properties"]["program"]["properties"]["stage"]["oneOf"]
    check({"const": "foundation", "title": "Swedish foundation"} in stages, str(stages))
    check(schema["x-fascia-titles"]["techniques"]["swedish"] == "Swedish massage",
          str(schema["x-fascia-titles"]))
    check(schema["x-fascia-rule-families"].get("caps.high-sensitivity") == "pressure_caps",
          str(schema["x-fascia-rule-families"])[:300])
    status, _, _ = server.json("GET", "/v1/protocols/nope/state-schema",
                               headers={"Authorization": "Bearer " + token})
    check(status == 404, "unknown protocol: %d" % status)


def test_page(driver, server, token, root, artifacts):
    driver.get("http://127.0.0.1:%d/" % server.port)
    check(driver.title == "fascia what-if", "the page at / is not the what-if page: " +
          driver.title)
    # The JSON API asks for the token: the page says so and opens the field.
    wait_for(driver, lambda: "access token" in driver.find_element("id", "errors").text,
             "the page to ask for an access token")
    check(driver.find_element("id", "auth").get_attribute("open") is not None,
          "the token field was not opened")
    driver.find_element("id", "token").send_keys(token + "\t")
    wait_for(driver, lambda: driver.find_element("tag name", "body").get_attribute(
        "data-ready") == "true", "the protocols to load with the token")
    from selenium.webdriver.support.ui import Select
    Select(driver.find_element("id", "protocol")).select_by_value("fibromyalgia")
    wait_for(driver, lambda: driver.find_elements("css selector", "[name='flare.active']"),
             "the form of the fibromyalgia protocol")

    with open(os.path.join(root, "protocols", "examples", "fibromyalgia-client.json")) as f:
        state = f.read()
    text = driver.find_element("id", "state-text")
    driver.execute_script("arguments[0].value = arguments[1];", text, state)
    driver.find_element("id", "load-state").click()
    wait_for(driver, lambda: driver.find_elements("id", "plan-cap"), "the plan")
    cap_before = driver.find_element("id", "plan-cap").text
    check(re.fullmatch(r"\d+ of 10", cap_before), "cap shown as " + cap_before)
    check(not flare_cards(driver), "a flare card before the flare")
    check(driver.find_element("id", "plan-stage").text == "Gentle myofascial release",
          "the stage is not shown by its title: " + driver.find_element("id", "plan-stage").text)
    ready = driver.find_element("tag name", "body").get_attribute("data-plan-ready")

    # Every control has a label (the accessibility floor of the form).
    unlabelled = driver.execute_script(
        "return [...document.querySelectorAll('input, select, textarea')]"
        ".filter(e => e.type !== 'hidden' && e.labels.length === 0).map(e => e.id || e.name);")
    check(not unlabelled, "controls without a label: %s" % unlabelled)

    # Flip the client into a flare with the keyboard (space on the switch).
    switch = driver.find_element("css selector", "[name='flare.active']")
    check(switch.get_attribute("role") == "switch", "flare.active is not a switch")
    check(not switch.is_selected(), "the example client is already in a flare")
    switch.send_keys(" ")
    wait_for(driver, lambda: driver.find_element("tag name", "body").get_attribute(
        "data-plan-ready") not in (ready, "error") and flare_cards(driver),
        "the flare card after flipping flare.active")
    cap_after = driver.find_element("id", "plan-cap").text
    check(int(cap_after.split()[0]) < int(cap_before.split()[0]),
          "the cap did not go down in the flare: %s -> %s" % (cap_before, cap_after))
    card = flare_cards(driver)[0].text
    check("Flare response" in card and ("at most " + cap_after.split()[0]) in card,
          "the flare card does not state the cap: " + card)
    changes = driver.find_element("id", "changes").text
    check("Pressure cap: %s \u2192 %s" % (cap_before.split()[0], cap_after.split()[0]) in changes,
          "the cap change is not listed under what changed: " + changes)
    check(driver.find_element("css selector", ".field.changed [name='flare.active']"),
          "the changed field is not marked")
    wait_for(driver, lambda: driver.find_elements("css selector", "#sim-chart polyline.cap"),
             "the simulation chart")
    check(driver.find_elements("css selector", "#sim-chart polyline.before"),
          "the chart does not show the run without the changes")
    driver.execute_script("document.getElementById('plan-panel').scrollIntoView();")
    path = os.path.join(artifacts, "what-if.png")
    driver.save_screenshot(path)
    check(os.path.getsize(path) > 10000, "the screenshot is empty")
    # The form's values become the client state: the flare is now the baseline.
    ready = driver.find_element("tag name", "body").get_attribute("data-plan-ready")
    driver.find_element("id", "form-to-state").click()
    wait_for(driver, lambda: driver.find_element("tag name", "body").get_attribute(
        "data-plan-ready") not in (ready, "error"), "the plan of the form's state")
    state = json.loads(driver.find_element("id", "state-text").get_attribute("value"))
    check(state["flare"]["active"] is True, "the form's flare did not reach the state")
    check(flare_cards(driver) and driver.find_element("id", "plan-cap").text == cap_after,
          "the plan of the form's state differs from the what-if")
    check("Change a value" in driver.find_element("id", "changes").text,
          "changes listed although the form equals the state")
    print("what-if page: cap %s -> %s, flare card shown; screenshot %s" % (
        cap_before, cap_after, path))


def plan_after(driver, action, what):
    """Does `action` and waits for the plan (or the error) it leads to:
    the page's data-plan-ready is a request number, or "error"."""
    driver.execute_script("document.body.dataset.planReady = 'waiting';")
    action()
    wait_for(driver, lambda: driver.find_element("tag name", "body").get_attribute(
        "data-plan-ready") != "waiting", what)
    return driver.find_element("tag name", "body").get_attribute("data-plan-ready")


def test_state_file(driver, root, work):
    """The file chooser: a JSON state file (here the example client in a
    flare) becomes the loaded state, the plan follows it."""
    with open(os.path.join(root, "protocols", "examples", "fibromyalgia-client.json")) as f:
        state = json.load(f)
    state["flare"]["active"] = True
    state["flare"]["severity"] = 7
    path = os.path.join(work, "flaring-client.json")
    with open(path, "w") as f:
        json.dump(state, f)
    check(plan_after(driver, lambda: driver.find_element("id", "state-file").send_keys(path),
                     "the plan of the loaded file") != "error",
          "the state file was refused: " + driver.find_element("id", "errors").text)
    loaded = json.loads(driver.find_element("id", "state-text").get_attribute("value"))
    check(loaded == state, "the text box does not hold the file's state")
    check(driver.find_element("css selector", "[name='flare.active']").is_selected(),
          "the form does not show the file's flare")
    check(flare_cards(driver), "no flare card for the flaring client of the file")
    check("Change a value" in driver.find_element("id", "changes").text,
          "changes listed right after loading a file")


def set_value(driver, name, value):
    """Sets a form control as a person would (the page listens for input and
    change events)."""
    control = driver.find_element("css selector", "[name='%s']" % name)
    driver.execute_script(
        "arguments[0].value = arguments[1];"
        "arguments[0].dispatchEvent(new Event('input', {bubbles: true}));"
        "arguments[0].dispatchEvent(new Event('change', {bubbles: true}));", control, value)


def test_protocol_and_new_client(driver, artifacts):
    """Another protocol rebuilds the form from its schema; "New client"
    empties the form; an incomplete form is refused naming the missing
    fields; a filled-in form gives the plan of that new client."""
    from selenium.webdriver.support.ui import Select
    Select(driver.find_element("id", "protocol")).select_by_value("chronic-low-back-pain")
    wait_for(driver, lambda: driver.find_elements(
        "css selector", "[name='observations.sitting_hours_per_day']"),
        "the form of the low back pain protocol (its observations)")
    stages = [o.text for o in driver.find_elements(
        "css selector", "[name='program.stage'] option")]
    check("Settling in (Swedish and myofascial release)" in stages and
          "Swedish foundation" not in stages,
          "the stage choices are not the low back pain protocol's: %s" % stages)
    # The fibromyalgia client does not fit this protocol: said, located, no plan.
    wait_for(driver, lambda: "condition" in driver.find_element("id", "errors").text,
             "the error for a client of another condition")

    driver.find_element("id", "new-client").click()
    check(driver.find_element("css selector", "[name='client.id']").get_attribute("value") == "",
          "the new-client form is not empty")
    check(driver.find_element("id", "plan").text == "", "the old plan stays after New client")
    check(driver.switch_to.active_element.get_attribute("name") == "client.id",
          "New client does not put the keyboard on the first field")
    use_form = driver.find_element("id", "form-to-state").click
    check(plan_after(driver, use_form, "the answer for an empty form") == "error",
          "an empty new-client form was accepted")
    errors = driver.find_element("id", "errors").text
    for missing in ("'id' in client", "'condition' in client", "'as_of'", "'sensitivity'"):
        check(missing in errors, "the missing %s is not named: %s" % (missing, errors))

    set_value(driver, "client.id", "C-NEW-1")
    Select(driver.find_element("css selector", "[name='client.condition']")).select_by_index(1)
    set_value(driver, "as_of", "2026-12-01")
    Select(driver.find_element("css selector", "[name='sensitivity']")).select_by_value("high")
    set_value(driver, "pressure_tolerance", "4")
    check(plan_after(driver, use_form, "the plan of the new client") != "error",
          "the filled-in new client was refused: " + driver.find_element("id", "errors").text)
    state = json.loads(driver.find_element("id", "state-text").get_attribute("value"))
    check(state["client"]["id"] == "C-NEW-1" and state["client"]["condition"] ==
          "chronic_low_back_pain" and "history" not in state,
          "the new client's state: %s" % json.dumps(state)[:300])
    cap = int(driver.find_element("id", "plan-cap").text.split()[0])
    check(cap <= 4, "the new client's cap %d is above their tolerance 4" % cap)
    check(driver.find_element("id", "errors").text == "", "errors left after the plan")
    driver.execute_script("document.getElementById('plan-panel').scrollIntoView();")
    driver.save_screenshot(os.path.join(artifacts, "new-client.png"))
    print("file load: flare card shown; protocol switch and new client: cap %d" % cap)


def test_handout(driver, fascia, root, artifacts):
    out = os.path.join(artifacts, "handout.html")
    subprocess.run([fascia, "handout", "--protocol",
                    os.path.join(root, "protocols", "fibromyalgia.yaml"), "--state",
                    os.path.join(root, "protocols", "examples", "fibromyalgia-flare.yaml"),
                    "--out", out], check=True)
    with open(out, encoding="utf-8") as f:
        html = f.read()
    for internal in ("flare.response", "caps.", "stages.", "frequency.", "rule", "fibromyalgia.yaml:"):
        check(internal not in html, "clinic-internal text %r in the hand-out" % internal)
    driver.get("file://" + out)
    body = driver.find_element("tag name", "body").text
    for expected in ("Your home programme", "Your next session", "When to call us",
                     "Gentle, pain-free stretches"):
        check(expected in body, "%r missing from the hand-out" % expected)
    # One printed page: A4 at 96 dpi is 1123 px high; the page fits in it.
    driver.set_window_size(794, 1123)
    height = driver.execute_script("return document.documentElement.scrollHeight")
    check(height <= 1123, "the hand-out is %d px high: more than one A4 page" % height)
    path = os.path.join(artifacts, "handout.png")
    driver.save_screenshot(path)
    print("hand-out: %d px high; screenshot %s" % (height, path))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--fascia", required=True)
    parser.add_argument("--root", required=True)
    parser.add_argument("--artifacts", required=True)
    args = parser.parse_args()
    chromium, driver_path, missing = find_browser()
    if missing:
        print("SKIPPED: %s (apt-get install chromium chromium-driver python3-selenium, "
              "or tools/scripts/setup.sh)" % missing)
        return SKIP
    from serve_support import Server
    os.makedirs(args.artifacts, exist_ok=True)
    work = tempfile.mkdtemp(prefix="fascia-web-")
    token = "therapist-ui-" + hashlib.sha256(os.urandom(16)).hexdigest()[:16]
    auth = os.path.join(work, "auth.yaml")
    with open(auth, "w") as f:
        f.write("auth: 1\naudience: https://fascia.test\nstatic_tokens:\n"
                "  - name: therapist-ui\n    sha256: %s\n" % hashlib.sha256(
                    token.encode()).hexdigest())
    started = time.time()
    server = Server(args.fascia, ["--protocols", os.path.join(args.root, "protocols"),
                                  "--auth-config", auth])
    driver = None
    try:
        test_state_schema_endpoint(server, token)
        driver = make_driver(chromium, driver_path)
        test_page(driver, server, token, args.root, args.artifacts)
        test_state_file(driver, args.root, work)
        test_protocol_and_new_client(driver, args.artifacts)
        test_handout(driver, args.fascia, args.root, args.artifacts)
    except AssertionError as e:
        print("FAILED:", e)
        if driver:
            driver.save_screenshot(os.path.join(args.artifacts, "failure.png"))
            print("browser console:", json.dumps(driver.get_log("browser"))[:2000])
        print("server log:\n" + server.log()[-3000:])
        return 1
    finally:
        if driver:
            driver.quit()
        server.stop()
        shutil.rmtree(work, ignore_errors=True)
    print("passed in %.1f s" % (time.time() - started))
    return 0


if __name__ == "__main__":
    sys.exit(main())
