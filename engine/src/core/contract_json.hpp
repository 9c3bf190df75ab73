#pragma once
// The contract's JSON form of a recommendation (CONTRACT.md
// "Recommendation"), written in a fixed key order so that identical input
// gives byte-identical output. The one writer of that document (but for the
// adjustments' elements), for both of its sources: a Recommendation
// (append_json, recommendation_json.cpp) and the decision record of an
// evaluation (Protocol::evaluate_json_into, record_render.cpp), which writes
// it without building a Recommendation.
//
// A Source provides, as string views unless said otherwise: head(w)
//   (write_head()'s members), client_id(), as_of(), stage(),
//   techniques(f): f(head, const Params&) with head a TechniqueHead or
//   JsonMembers, pressure_cap(), duration_minutes() (ints), frequency(),
//   next_session_in_days(), postpone_days() (ints), home_program(f):
//   f(id, parameters) with parameters(g): g(name, value), referral(f):
//   f(to, rule, reason) when there is one (returns whether there is),
//   held(f): f(id, rule, reason) (reasons here: what the Source writes
//   with write(w, reason)), adjustments_json(w): the adjustments' elements
//   (written by each Source: the record's from texts it quoted once),
//   warnings(f), fired(f): f(JsonString), has_trace(), trace(f): f(entry)
//   with entry.rule (to a TraceRule: its id, source and condition),
//   .outcome, .detail and entry.values(g): g(path, value).

#include "core/json_writer.hpp"

#include <fascia/recommendation.hpp>

#include <cstdint>
#include <string_view>
#include <variant>

namespace fascia::detail {

// A string value, or with `quoted` one already quoted and escaped by
// JsonWriter (its quotes included) and copied as it is: the protocol's texts
// a Source escaped once (with JsonWriter::text()'s padding).
struct JsonString {
  std::string_view text;
  bool quoted = false;
};
// Members of an object already written by a JsonWriter ("a":1,"b":2, no
// braces; padded).
struct JsonMembers {
  std::string_view json;
};
struct TechniqueHead {
  std::string_view id, plugin, version;
};

// Everything is written as fragments (JsonWriter::lit(), string(), ...):
// each comma and key is in the code's literals.

inline void write_members(JsonWriter& w, JsonMembers members) { w.text(members.json); }
inline void write_members(JsonWriter& w, const TechniqueHead& t) {
  w.lit("\"id\":");
  w.string(t.id);
  w.lit(",\"plugin\":");
  w.string(t.plugin);
  w.lit(",\"plugin_version\":");
  w.string(t.version);
}

// Each of a ParamValue's alternatives, and the values a Source gives.
inline void write_param_value(JsonWriter& w, std::monostate) { w.lit("null"); }
inline void write_param_value(JsonWriter& w, bool b) { w.boolean(b); }
inline void write_param_value(JsonWriter& w, std::int64_t n) { w.number(n); }
inline void write_param_value(JsonWriter& w, double d) { w.real(d); }
inline void write_param_value(JsonWriter& w, const std::string& s) { w.string(s); }
inline void write_param_value(JsonWriter& w, const std::vector<std::string>& list) {
  w.lit("[");
  for (std::size_t i = 0; i < list.size(); ++i) {
    w.comma_if(i != 0);
    w.string(list[i]);
  }
  w.lit("]");
}
inline void write_param_value(JsonWriter& w, const ParamValue& v) {
  std::visit([&](const auto& x) { write_param_value(w, x); }, v);
}
inline void write_param_value(JsonWriter& w, JsonString s) {
  s.quoted ? w.text(s.text) : w.string(s.text);
}

// f as the writer of a list's elements: a comma before each but the first
// (`more`: whether one was written).
template <class F>
auto elements(JsonWriter& w, bool& more, F f) {
  more = false;
  return [&w, &more, f](const auto&... a) {
    w.comma_if(more);
    more = true;
    f(a...);
  };
}

// "name":value,... (the members of an object, no braces).
inline void write_params(JsonWriter& w, const Params& params) {
  for (std::size_t i = 0; i < params.size(); ++i) {
    w.comma_if(i != 0);
    w.string(params[i].name, ':');
    write_param_value(w, params[i].value);
  }
}

// The members that depend only on the protocol (format to plugins, about 470
// bytes, no braces), which a Source writes with head(w) (the record's copied
// from a first rendering by this function).
inline void write_head(JsonWriter& w, int format, const Provenance& p) {
  w.lit("\"format\":", format);
  w.lit(",\"engine\":{\"name\":");
  w.string(p.engine_name);
  w.lit(",\"version\":");
  w.string(p.engine_version);
  w.lit("},\"protocol\":{\"id\":");
  w.string(p.protocol_id);
  w.lit(",\"version\":");
  w.string(p.protocol_version);
  w.lit(",\"sha256\":");
  w.string(p.protocol_sha256);
  w.lit("},\"plugins\":[");
  for (std::size_t i = 0; i < p.plugins.size(); ++i) {
    w.comma_if(i != 0);
    w.lit("{\"name\":");
    w.string(p.plugins[i].name);
    w.lit(",\"version\":");
    w.string(p.plugins[i].version);
    w.lit("}");
  }
  w.lit("]");
}

// Flattened: the Source's loops and this writer's lambdas become one
// function, as the hand-written writer it replaces was.
template <class Source>
[[gnu::flatten]] void write_recommendation(JsonWriter& w, Source& s) {
  bool more;
  w.lit("{");
  s.head(w);
  w.lit(",\"client_id\":");
  w.string(s.client_id());
  w.lit(",\"as_of\":");
  w.string(s.as_of());
  w.lit(",\"session\":{\"stage\":");
  w.string(s.stage());
  w.lit(",\"techniques\":[");
  s.techniques(elements(w, more, [&](const auto& head, const Params& parameters) {
    w.lit("{");
    write_members(w, head);
    w.lit(",\"parameters\":{");
    write_params(w, parameters);
    w.lit("}}");
  }));
  w.lit("],\"pressure_cap\":", s.pressure_cap());
  w.lit(",\"duration_minutes\":", s.duration_minutes());
  w.lit(",\"frequency\":");
  w.string(s.frequency());
  w.lit(",\"next_session_in_days\":", s.next_session_in_days());
  w.lit(",\"postpone_days\":", s.postpone_days());
  w.lit(",\"home_program\":[");
  s.home_program(elements(w, more, [&](std::string_view id, const auto& parameters) {
    w.lit("{\"id\":");
    w.string(id);
    parameters([&](std::string_view name, const ParamValue& value) {
      w.lit(",");
      w.string(name, ':');
      write_param_value(w, value);
    });
    w.lit("}");
  }));
  w.lit("],\"referral\":");
  const bool referral =
      s.referral([&](std::string_view to, std::string_view rule, const auto& reason) {
        w.lit("{\"to\":");
        w.string(to);
        w.lit(",\"rule\":");
        w.string(rule);
        w.lit(",\"reason\":");
        s.write(w, reason);
        w.lit("}");
      });
  if (!referral) w.lit("null");
  w.lit("},\"held_techniques\":[");
  s.held(elements(w, more, [&](std::string_view id, std::string_view rule, const auto& reason) {
    w.lit("{\"id\":");
    w.string(id);
    w.lit(",\"rule\":");
    w.string(rule);
    w.lit(",\"reason\":");
    s.write(w, reason);
    w.lit("}");
  }));
  w.lit("],\"adjustments\":[");
  s.adjustments_json(w);
  w.lit("],\"warnings\":[");
  s.warnings(elements(w, more, [&](std::string_view text) { w.string(text); }));
  w.lit("],\"fired\":[");
  s.fired(elements(w, more, [&](const auto& id) { write_param_value(w, id); }));
  w.lit("]");
  if (s.has_trace()) {
    w.lit(",\"trace\":[");
    s.trace(elements(w, more, [&](const auto& t) {
      w.lit("{\"rule\":");
      w.string(t.rule->id);
      w.lit(",\"source\":");
      w.string(t.rule->source);
      w.lit(",\"condition\":");
      w.string(t.rule->condition);
      w.lit(",\"outcome\":");
      w.string(to_string(t.outcome));
      w.lit(",\"values\":{");
      bool more_values;
      t.values(elements(w, more_values, [&](std::string_view path, std::string_view value) {
        w.string(path, ':');
        w.string(value);
      }));
      w.lit("}");
      if (!t.detail.empty()) {
        w.lit(",\"detail\":");
        w.string(t.detail);
      }
      w.lit("}");
    }));
    w.lit("]");
  }
  w.lit("}");
  w.finish();
}

}  // namespace fascia::detail
