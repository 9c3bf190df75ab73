// The fascia what-if page: plain JavaScript, no libraries, no build step.
// Talks to the JSON API of `fascia serve` on the same origin:
//   GET  /v1/protocols                      protocol list
//   GET  /v1/protocols/{id}/state-schema    the form's fields and the titles
//   POST /v1/protocols/{id}/what-if         plan before and after the changes
//   POST /v1/protocols/{id}/simulate        the next weeks (chart)
// Client values stay in this page and in the requests: nothing is stored
// except the optional access token (sessionStorage, this tab only).
"use strict";

const $ = (id) => document.getElementById(id);
const page = {
  protocol: null,   // protocol id
  schema: null,     // specialised client-state schema
  baseline: null,   // the loaded client state (object) or null
  fields: [],       // [{path, schema, required, input, absent}]
  sequence: 0,      // newest request wins
  timer: null,
};

// ---------------------------------------------------------------- HTTP
async function api(method, path, body) {
  const headers = {"Accept": "application/json"};
  const token = $("token").value.trim();
  if (token) headers["Authorization"] = "Bearer " + token;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(path, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body),
  });
  let doc = null;
  try { doc = await response.json(); } catch (e) { doc = null; }
  if (response.status === 401) {
    $("auth").open = true;
    throw new Error("The server asks for an access token: enter it under " +
                    "\"Access token\" (a Bearer token with the json_api scope).");
  }
  if (!response.ok) {
    const errors = doc && doc.errors ? doc.errors : [{message: response.statusText}];
    const error = new Error(errors.map((e) =>
      (e.path && e.path !== "$" ? e.path + ": " : "") + e.message).join("\n"));
    error.list = errors;
    throw error;
  }
  return doc;
}

function showErrors(error) {
  const box = $("errors");
  box.textContent = "";
  if (!error) return;
  const heading = document.createElement("p");
  heading.className = "error-title";
  heading.textContent = "The plan cannot be made:";
  const list = document.createElement("ul");
  for (const line of String(error.message).split("\n")) {
    const item = document.createElement("li");
    item.textContent = line;
    list.appendChild(item);
  }
  box.append(heading, list);
}

// ---------------------------------------------------------------- schema
function resolve(schema) {
  if (schema && schema.$ref && schema.$ref.startsWith("#/$defs/")) {
    const target = page.schema.$defs[schema.$ref.slice(8)];
    const merged = Object.assign({}, target, schema);
    delete merged.$ref;
    return merged;
  }
  return schema;
}

function typesOf(s) {
  if (s.enum || s.oneOf) return ["enum"];
  return Array.isArray(s.type) ? s.type : [s.type];
}

// Every scalar field of the state schema, depth first (history is left out:
// past sessions are not what a what-if changes).
function collectFields(schema, prefix, requiredHere, out) {
  for (const [name, raw] of Object.entries(schema.properties || {})) {
    if (name === "format" || name === "history") continue;
    const s = resolve(raw);
    const path = prefix ? prefix + "." + name : name;
    const types = typesOf(s);
    if (types.includes("object")) {
      collectFields(s, path, s.required || [], out);
      continue;
    }
    if (types.includes("array")) continue;
    out.push({path, schema: s, required: (requiredHere || []).includes(name)});
  }
  return out;
}

function getPath(object, path) {
  let value = object;
  for (const key of path.split(".")) {
    if (value === null || typeof value !== "object" || !(key in value)) return undefined;
    value = value[key];
  }
  return value === null ? undefined : value;
}

function setPath(object, path, value) {
  const keys = path.split(".");
  let target = object;
  for (const key of keys.slice(0, -1)) {
    if (target[key] === null || typeof target[key] !== "object") target[key] = {};
    target = target[key];
  }
  if (value === undefined) delete target[keys[keys.length - 1]];
  else target[keys[keys.length - 1]] = value;
}

function titleOf(kind, id) {
  if (!page.schema || id === undefined || id === null) return id;
  const x = page.schema["x-fascia-titles"] || {};
  if (kind === "technique") return (x.techniques || {})[id] || id;
  if (kind === "home") return (x.home_program || {})[id] || id;
  const program = page.schema.properties.program.properties;
  const list = (program[kind] || {}).oneOf || [];
  const found = list.find((o) => o.const === id);
  // The protocol's title, as the CLI shows it ("Every other week"); the
  // schema adds the interval for forms, which the plan states on its own.
  return found && found.title ? found.title.replace(/ \(every \d+ days\)$/, "") : id;
}

// ---------------------------------------------------------------- form
let controlCount = 0;

function makeControl(field) {
  const s = field.schema;
  const id = "f-" + (++controlCount);
  const wrap = document.createElement("div");
  wrap.className = "field";
  wrap.dataset.path = field.path;
  const label = document.createElement("label");
  label.htmlFor = id;
  label.textContent = s.title || field.path;
  const help = document.createElement("p");
  help.className = "hint";
  help.id = id + "-help";
  help.textContent = (s.description || "").replace(/`/g, "");
  const types = typesOf(s);
  let input;
  const isNumber = types.includes("number") || types.includes("integer");
  if (types.includes("enum")) {
    input = document.createElement("select");
    const none = document.createElement("option");
    none.value = "";
    none.textContent = field.required ? "(choose)" : "(not recorded)";
    input.appendChild(none);
    const options = s.oneOf ? s.oneOf.map((o) => [o.const, o.title || o.const])
                            : s.enum.filter((v) => v !== null).map((v) => [v, v]);
    for (const [value, text] of options) {
      const option = document.createElement("option");
      option.value = value;
      option.textContent = text;
      input.appendChild(option);
    }
    field.read = () => (input.value === "" ? undefined : input.value);
    field.write = (v) => { input.value = v === undefined ? "" : String(v); };
  } else if (types.includes("boolean")) {
    input = document.createElement("input");
    input.type = "checkbox";
    input.setAttribute("role", "switch");
    wrap.classList.add("switch");
    field.read = () => input.checked;
    field.write = (v) => { input.checked = v === true; };
  } else if (isNumber && s.minimum !== undefined && s.maximum !== undefined &&
             s.maximum - s.minimum <= 10) {
    // A 0-10 or 1-10 scale: a slider, with "not recorded" for optional values.
    input = document.createElement("input");
    input.type = "range";
    input.min = s.minimum;
    input.max = s.maximum;
    input.step = types.includes("integer") ? 1 : 0.5;
    const shown = document.createElement("output");
    shown.htmlFor = id;
    shown.className = "value";
    wrap.classList.add("slider");
    let known = document.createElement("input");
    known.type = "checkbox";
    known.id = id + "-known";
    const knownLabel = document.createElement("label");
    knownLabel.htmlFor = known.id;
    knownLabel.className = "known";
    knownLabel.textContent = "recorded";
    if (field.required) known = null;
    const sync = () => {
      const on = !known || known.checked;
      input.disabled = !on;
      shown.textContent = on ? input.value + " of " + s.maximum : "not recorded";
      input.setAttribute("aria-valuetext", shown.textContent);
    };
    input.addEventListener("input", sync);
    field.read = () => (known && !known.checked ? undefined : Number(input.value));
    field.write = (v) => {
      if (known) known.checked = v !== undefined;
      input.value = v === undefined ? String(s.minimum) : String(v);
      sync();
    };
    field.extra = [shown];
    if (known) {
      known.addEventListener("change", () => { sync(); changed(); });
      field.extra.push(known, knownLabel);
    }
  } else if (isNumber) {
    input = document.createElement("input");
    input.type = "number";
    if (s.minimum !== undefined) input.min = s.minimum;
    if (s.maximum !== undefined) input.max = s.maximum;
    input.step = types.includes("integer") ? 1 : "any";
    field.read = () => (input.value === "" ? undefined : Number(input.value));
    field.write = (v) => { input.value = v === undefined ? "" : String(v); };
  } else {
    input = document.createElement("input");
    input.type = s.format === "date" ? "date" : "text";
    field.read = () => (input.value === "" ? undefined : input.value);
    field.write = (v) => { input.value = v === undefined ? "" : String(v); };
  }
  input.id = id;
  input.name = field.path;
  input.setAttribute("aria-describedby", help.id);
  if (field.required) input.required = true;
  input.addEventListener(input.type === "range" || input.type === "text" ||
                         input.type === "number" ? "input" : "change", changed);
  field.input = input;
  wrap.append(label, input, ...(field.extra || []), help);
  return wrap;
}

function buildForm() {
  const form = $("state-form");
  form.textContent = "";
  page.fields = collectFields(page.schema, "", page.schema.required || [], []);
  const groups = new Map();
  for (const field of page.fields) {
    const top = field.path.includes(".") ? field.path.split(".")[0] : "";
    if (!groups.has(top)) groups.set(top, []);
    groups.get(top).push(field);
  }
  for (const [top, fields] of groups) {
    const set = document.createElement("fieldset");
    const legend = document.createElement("legend");
    legend.textContent = top ? (resolve(page.schema.properties[top]).title || top) : "Client";
    set.appendChild(legend);
    for (const field of fields) set.appendChild(makeControl(field));
    form.appendChild(set);
  }
}

function writeForm(state) {
  for (const field of page.fields) field.write(getPath(state || {}, field.path));
  markChanges();
}

// The changed fields as the what-if's {"PATH": VALUE}.
function formChanges() {
  const set = {};
  if (!page.baseline) return set;
  for (const field of page.fields) {
    const before = getPath(page.baseline, field.path);
    const after = field.read();
    if (before !== after) set[field.path] = after === undefined ? null : after;
  }
  return set;
}

function formState() {
  const state = page.baseline ? JSON.parse(JSON.stringify(page.baseline)) : {};
  for (const field of page.fields) setPath(state, field.path, field.read());
  return state;
}

function markChanges() {
  const set = formChanges();
  for (const field of page.fields) {
    const wrap = field.input.closest(".field");
    wrap.classList.toggle("changed", field.path in set);
  }
  return set;
}

function changed() {
  markChanges();
  clearTimeout(page.timer);
  page.timer = setTimeout(update, 200);
}

// ---------------------------------------------------------------- plan
const RED_KINDS = new Set(["referral", "postponed", "stage_regressed", "stage_held",
                           "technique_held", "frequency_held"]);

function element(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

function familyOf(rule) {
  return ((page.schema || {})["x-fascia-rule-families"] || {})[rule] || "";
}

// One card per red-flag rule (as fascia serve's CDS cards): a flare
// response, a referral, a postponement, a stage step back, a held escalation.
function renderFlags(rec) {
  const box = $("flags");
  box.textContent = "";
  const byRule = new Map();
  for (const a of rec.adjustments) {
    const family = familyOf(a.rule);
    if (!RED_KINDS.has(a.kind) && family !== "flare_response" &&
        family !== "frequency step_up") continue;
    if (!byRule.has(a.rule)) byRule.set(a.rule, []);
    byRule.get(a.rule).push(a);
  }
  const s = rec.session;
  for (const [rule, list] of byRule) {
    const kinds = new Set(list.map((a) => a.kind));
    let type = "held", title = "An escalation is held today";
    if (kinds.has("referral")) {
      type = "referral";
      title = "Refer to " + (s.referral ? s.referral.to : "a physician") + " first";
    } else if (kinds.has("postponed")) {
      type = "postponed";
      title = "Postpone today's massage by " + s.postpone_days + " days";
    } else if (familyOf(rule) === "flare_response") {
      type = "flare";
      title = "Flare response: gentler session, pressure at most " + s.pressure_cap +
              " of 10, " + s.duration_minutes + " minutes";
    } else if (kinds.has("stage_regressed")) {
      type = "regressed";
      title = "Step back a stage today";
    } else if (familyOf(rule) === "frequency step_up") {
      type = "step-up";
      title = "Sessions more often";
    }
    const card = element("article", "card flag flag-" + type);
    card.dataset.flag = type;
    card.dataset.rule = rule;
    card.setAttribute("aria-label", title);
    card.appendChild(element("h3", "", title));
    const reasons = element("ul");
    for (const reason of new Set(list.map((a) => a.reason)))
      reasons.appendChild(element("li", "", reason));
    card.appendChild(reasons);
    box.appendChild(card);
  }
}

function row(list, label, value, id) {
  const dt = element("dt", "", label);
  const dd = element("dd", "", value);
  if (id) dd.id = id;
  list.append(dt, dd);
}

function describeHome(item) {
  const parts = [];
  for (const [name, value] of Object.entries(item)) {
    if (name === "id") continue;
    if (name === "minutes_per_day") parts.push(value + " minutes a day");
    else if (name === "every_minutes") parts.push("every " + value + " minutes");
    else if (name === "entries_per_day") parts.push(value + (value === 1 ? " entry" : " entries") + " a day");
    else if (name === "times_per_day") parts.push(value + " times a day");
    else parts.push(name.replace(/_/g, " ") + ": " + (Array.isArray(value) ? value.join(", ") : value));
  }
  return titleOf("home", item.id) + (parts.length ? " (" + parts.join(", ") + ")" : "");
}

function renderPlan(rec) {
  const box = $("plan");
  box.textContent = "";
  const s = rec.session;
  const card = element("article", "card plan");
  card.appendChild(element("h3", "", "Session plan for " + rec.client_id + " on " + rec.as_of));
  const list = element("dl");
  row(list, "Stage", titleOf("stage", s.stage), "plan-stage");
  const techniques = s.techniques.map((t) => {
    const p = t.parameters && t.parameters.pressure_max !== undefined
      ? " (pressure up to " + t.parameters.pressure_max + ")" : "";
    return titleOf("technique", t.id) + p;
  });
  row(list, "Techniques", techniques.length ? techniques.join("; ") : "no massage today",
      "plan-techniques");
  row(list, "Pressure cap", s.pressure_cap + " of 10", "plan-cap");
  row(list, "Duration", s.duration_minutes + " minutes", "plan-duration");
  row(list, "Frequency", titleOf("frequency", s.frequency), "plan-frequency");
  row(list, "Next session", s.postpone_days > 0
      ? "postponed: in " + s.postpone_days + " days"
      : "in " + s.next_session_in_days + " days", "plan-next");
  row(list, "Home programme", s.home_program.length
      ? s.home_program.map(describeHome).join("; ") : "none", "plan-home");
  if (s.referral) row(list, "Referral", "to " + s.referral.to + ": " + s.referral.reason);
  if (rec.held_techniques.length)
    row(list, "Left out today", rec.held_techniques.map((h) =>
      titleOf("technique", h.id) + ": " + h.reason).join("; "));
  const notes = rec.adjustments.filter((a) => a.kind === "check_in" || a.kind === "note");
  if (notes.length) row(list, "Check-ins and notes", notes.map((a) => a.reason).join("\n"));
  card.appendChild(list);
  box.appendChild(card);
}

const PATH_LABELS = {
  "session.stage": "Stage", "session.techniques": "Techniques",
  "session.pressure_cap": "Pressure cap", "session.duration_minutes": "Duration (minutes)",
  "session.frequency": "Frequency", "session.next_session_in_days": "Next session in (days)",
  "session.postpone_days": "Postponed (days)", "session.home_program": "Home programme",
  "session.referral": "Referral", "held_techniques": "Left out today",
};

function describeValue(path, value) {
  if (value === null || value === undefined) return "none";
  if (path === "session.stage") return titleOf("stage", value);
  if (path === "session.frequency") return titleOf("frequency", value);
  if (Array.isArray(value))
    return value.length ? value.map((v) => titleOf(path.includes("home") ? "home" : "technique",
                                                   typeof v === "object" && v ? v.id : v))
      .join("; ") : "none";
  if (typeof value === "object") return value.to ? "to " + value.to : JSON.stringify(value);
  return String(value);
}

function renderChanges(doc, set) {
  const box = $("changes");
  box.textContent = "";
  if (!Object.keys(set).length) {
    box.appendChild(element("p", "hint", "Change a value above to compare."));
    return;
  }
  if (!doc.changes.length) {
    box.appendChild(element("p", "", "These changes leave the plan as it is."));
    return;
  }
  const list = element("ul", "changes");
  for (const c of doc.changes) {
    const item = element("li");
    item.dataset.path = c.path;
    item.appendChild(element("strong", "", (PATH_LABELS[c.path] || c.path) + ": "));
    item.appendChild(document.createTextNode(
      describeValue(c.path, c.from) + " \u2192 " + describeValue(c.path, c.to)));
    const reasons = element("ul", "reasons");
    for (const rule of c.rules || []) {
      const now = doc.what_if.adjustments.find((a) => a.rule === rule);
      const before = doc.baseline.adjustments.find((a) => a.rule === rule);
      if (now) reasons.appendChild(element("li", "", now.reason));
      else if (before) reasons.appendChild(element("li", "", "No longer applies: " + before.reason));
    }
    if (reasons.childNodes.length) item.appendChild(reasons);
    list.appendChild(item);
  }
  box.appendChild(list);
}

// ---------------------------------------------------------------- chart
const SVG = "http://www.w3.org/2000/svg";

function svg(tag, attributes, text) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attributes || {})) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

function renderChart(before, after, changedSomething) {
  const box = $("chart");
  box.textContent = "";
  const W = 720, H = 260, L = 44, R = 16, T = 20, B = 40;
  const weeks = after.weeks;
  const x = (week) => L + ((week - 0.5) / weeks) * (W - L - R);
  const y = (v) => T + (1 - v / 10) * (H - T - B);
  const chart = svg("svg", {viewBox: "0 0 " + W + " " + H, role: "img", id: "sim-chart",
                            "aria-labelledby": "sim-title sim-desc"});
  const done = after.sessions.filter((s) => s.status === "session");
  chart.appendChild(svg("title", {id: "sim-title"}, "Simulated pain and pressure cap, " +
                        weeks + " weeks"));
  chart.appendChild(svg("desc", {id: "sim-desc"}, "Final stage: " +
                        titleOf("stage", after.summary.final_stage) + "; " +
                        after.summary.sessions + " sessions, " + after.summary.missed +
                        " missed, " + after.summary.postponed + " postponed."));
  for (const f of after.flare_weeks)
    chart.appendChild(svg("rect", {x: x(f.week) - (W - L - R) / weeks / 2, y: T,
                                   width: (W - L - R) / weeks, height: H - T - B,
                                   class: "flare-week"}));
  for (let v = 0; v <= 10; v += 2) {
    chart.appendChild(svg("line", {x1: L, x2: W - R, y1: y(v), y2: y(v), class: "grid"}));
    chart.appendChild(svg("text", {x: L - 8, y: y(v) + 4, class: "axis", "text-anchor": "end"},
                          String(v)));
  }
  for (let w = 1; w <= weeks; w += weeks > 26 ? 4 : weeks > 12 ? 2 : 1)
    chart.appendChild(svg("text", {x: x(w), y: H - B + 16, class: "axis",
                                   "text-anchor": "middle"}, String(w)));
  chart.appendChild(svg("text", {x: (L + W - R) / 2, y: H - 6, class: "axis",
                                 "text-anchor": "middle"}, "week"));
  const line = (sessions, key, cls) => {
    const points = sessions.filter((s) => s[key] !== null && s[key] !== undefined)
      .map((s) => x(s.week) + "," + y(s[key]));
    if (points.length) chart.appendChild(svg("polyline", {points: points.join(" "), class: cls}));
  };
  if (changedSomething && before) {
    line(before.sessions.filter((s) => s.status === "session"), "pressure_cap", "cap before");
    line(before.sessions, "pain", "pain before");
  }
  line(done, "pressure_cap", "cap");
  line(after.sessions, "pain", "pain");
  box.appendChild(chart);
  const legend = element("p", "legend");
  legend.innerHTML = '<span class="key pain"></span> pain (0-10) ' +
    '<span class="key cap"></span> pressure cap (1-10) ' +
    '<span class="key flare-week"></span> flare week' +
    (changedSomething ? ' <span class="key before"></span> dashed: without the changes' : "");
  box.appendChild(legend);

  const table = $("sim-table");
  table.textContent = "";
  const details = element("details");
  details.appendChild(element("summary", "", "The weeks as a table"));
  const t = element("table");
  const head = element("tr");
  for (const h of ["Week", "Date", "Status", "Stage", "Pressure cap", "Pain", "Frequency"])
    head.appendChild(element("th", "", h));
  t.appendChild(head);
  for (const s of after.sessions) {
    const r = element("tr");
    for (const v of [s.week, s.date, s.status, titleOf("stage", s.stage),
                     s.pressure_cap === null ? "-" : s.pressure_cap, s.pain,
                     titleOf("frequency", s.frequency)])
      r.appendChild(element("td", "", String(v)));
    t.appendChild(r);
  }
  details.appendChild(t);
  table.appendChild(details);
}

// ---------------------------------------------------------------- update
async function update() {
  // A form change still waiting for its turn would only repeat this update
  // and redraw the plan after it was shown.
  clearTimeout(page.timer);
  if (!page.protocol || !page.baseline) return;
  const sequence = ++page.sequence;
  const set = markChanges();
  const base = "/v1/protocols/" + encodeURIComponent(page.protocol);
  try {
    const doc = await api("POST", base + "/what-if", {state: page.baseline, set});
    if (sequence !== page.sequence) return;
    showErrors(null);
    renderFlags(doc.what_if);
    renderPlan(doc.what_if);
    renderChanges(doc, set);
    document.body.dataset.planReady = String(sequence);
    const weeks = Math.max(1, Math.min(52, Number($("weeks").value) || 12));
    const changedSomething = Object.keys(set).length > 0;
    const after = await api("POST", base + "/simulate", {state: formState(), weeks});
    const before = changedSomething
      ? await api("POST", base + "/simulate", {state: page.baseline, weeks}) : null;
    if (sequence !== page.sequence) return;
    renderChart(before, after, changedSomething);
    document.body.dataset.chartReady = String(sequence);
  } catch (error) {
    if (sequence !== page.sequence) return;
    showErrors(error);
    document.body.dataset.planReady = "error";
  }
}

function loadState() {
  const text = $("state-text").value.trim();
  if (!text) { showErrors(new Error("Paste a client state (JSON) or load a file first.")); return; }
  try {
    page.baseline = JSON.parse(text);
  } catch (e) {
    showErrors(new Error("The client state is not valid JSON: " + e.message));
    return;
  }
  if (page.schema) writeForm(page.baseline);
  update();
}

async function chooseProtocol() {
  page.protocol = $("protocol").value;
  try {
    page.schema = await api("GET", "/v1/protocols/" + encodeURIComponent(page.protocol) +
                            "/state-schema");
    showErrors(null);
  } catch (error) {
    showErrors(error);
    return;
  }
  buildForm();
  if (page.baseline) writeForm(page.baseline);
  update();
}

async function loadProtocols() {
  try {
    const list = await api("GET", "/v1/protocols");
    const select = $("protocol");
    const chosen = select.value;
    select.textContent = "";
    for (const p of list.protocols) {
      const option = document.createElement("option");
      option.value = p.id;
      option.textContent = (p.title || p.id) + " " + p.version;
      select.appendChild(option);
    }
    if (!list.protocols.length) throw new Error("The server has no protocols loaded.");
    if (chosen && list.protocols.some((p) => p.id === chosen)) select.value = chosen;
    await chooseProtocol();
    document.body.dataset.ready = "true";
  } catch (error) {
    showErrors(error);
  }
}

function start() {
  $("token").value = sessionStorage.getItem("fascia-token") || "";
  $("token").addEventListener("change", () => {
    sessionStorage.setItem("fascia-token", $("token").value.trim());
    loadProtocols();
  });
  $("load-state").addEventListener("click", loadState);
  $("new-client").addEventListener("click", () => {
    page.baseline = null;
    writeForm({});
    $("plan").textContent = "";
    $("flags").textContent = "";
    $("changes").textContent = "";
    showErrors(null);
    $("state-form").querySelector("input, select").focus();
  });
  $("reset").addEventListener("click", () => { writeForm(page.baseline || {}); update(); });
  $("form-to-state").addEventListener("click", () => {
    $("state-text").value = JSON.stringify(formState(), null, 2);
    loadState();
  });
  $("state-file").addEventListener("change", async () => {
    const file = $("state-file").files[0];
    if (!file) return;
    $("state-text").value = await file.text();
    loadState();
  });
  $("weeks").addEventListener("change", update);
  $("protocol").addEventListener("change", chooseProtocol);
  loadProtocols();
}

document.addEventListener("DOMContentLoaded", start);
