#pragma once
// The contract's JSON form of a recommendation (CONTRACT.md
// "Recommendation"), written in a fixed key order so that identical input
// gives byte-identical output. The one writer of that document, for both of
// its sources: a Recommendation (append_json, recommendation_json.cpp) and
// the decision record of an evaluation (Protocol::evaluate_json_into,
// record_render.cpp), which writes it without building a Recommendation.
//
// A Source provides, as string views unless said otherwise:
//   format() (int), engine_name(), engine_version(), protocol_id(),
//   protocol_version(), protocol_sha256(), plugins(f): f(name, version),
//   client_id(), as_of(), stage() (these two may be JsonString),
//   techniques(f): f(head, const Params&) with head a TechniqueHead or
//   JsonMembers, pressure_cap(), duration_minutes() (ints), frequency() (may
//   be JsonString), next_session_in_days(), postpone_days() (ints),
//   home_program(f): f(id, parameters) with parameters(g): g(name, value), referral(f):
//   f(to, rule, reason) when there is one (returns whether there is),
//   held(f): f(id, rule, reason) (reasons here: texts, or what the Source
//   writes with write(w, reason)), adjustments(f): f(kind, value, rule,
//   reason, source) with value a ParamValue, std::int64_t, std::string_view,
//   JsonString or std::monostate, warnings(f), fired(f): f(text or
//   JsonString), has_trace(), trace(f): f(entry) with entry.rule, .source,
//   .condition, .outcome, .detail and entry.values(g): g(path, value).
//   Optionally head(w): the members of write_head() written by the Source,
//   and adjustments_json(w): the adjustments' elements (the same bytes).

#include "core/json_writer.hpp"

#include <fascia/recommendation.hpp>

#include <cstdint>
#include <string_view>
#include <type_traits>
#include <variant>

namespace fascia::detail {

// A string value, or with `quoted` one already quoted and escaped by
// JsonWriter (its quotes included) and copied as it is: the protocol's texts
// a Source escaped once.
struct JsonString {
  std::string_view text;
  bool quoted = false;
};
// Members of an object already written by a JsonWriter ("a":1,"b":2, no
// braces).
struct JsonMembers {
  std::string_view json;
};
struct TechniqueHead {
  std::string_view id, plugin, version;
};

inline void write_string_value(JsonWriter& w, std::string_view text) { w.value(text); }
inline void write_string_value(JsonWriter& w, JsonString s) {
  if (s.quoted)
    w.raw_value(s.text);
  else
    w.value(s.text);
}

inline void write_members(JsonWriter& w, JsonMembers members) { w.raw_members(members.json); }
inline void write_members(JsonWriter& w, const TechniqueHead& t) {
  w.key("id");
  w.value(t.id);
  w.key("plugin");
  w.value(t.plugin);
  w.key("plugin_version");
  w.value(t.version);
}

inline void write_param_value(JsonWriter& w, const ParamValue& v) {
  std::visit(
      [&](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, std::monostate>) {
          w.null();
        } else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
          w.begin_array();
          for (const auto& item : x) w.value(item);
          w.end_array();
        } else {
          w.value(x);
        }
      },
      v);
}
inline void write_param_value(JsonWriter& w, std::int64_t n) { w.value(n); }
inline void write_param_value(JsonWriter& w, std::string_view text) { w.value(text); }
inline void write_param_value(JsonWriter& w, std::monostate) { w.null(); }
inline void write_param_value(JsonWriter& w, JsonString s) { write_string_value(w, s); }

inline void write_params(JsonWriter& w, const Params& params) {
  for (const auto& p : params) {
    w.key(p.name);
    write_param_value(w, p.value);
  }
}

// A text of the Source: a string, or one the Source writes itself
// (s.write(w, text): a reason rendered straight into the document).
template <class Source, class Text>
void write_text(JsonWriter& w, Source& s, const Text& text) {
  if constexpr (std::is_convertible_v<const Text&, std::string_view>)
    w.value(std::string_view(text));
  else
    s.write(w, text);
}

template <class Source>
void write_session(JsonWriter& w, Source& s) {
  w.key("session");
  w.begin_object();
  w.key("stage");
  write_string_value(w, s.stage());
  w.key("techniques");
  w.begin_array();
  s.techniques([&](const auto& head, const Params& parameters) {
    w.begin_object();
    write_members(w, head);
    w.key("parameters");
    w.begin_object();
    write_params(w, parameters);
    w.end_object();
    w.end_object();
  });
  w.end_array();
  w.key("pressure_cap");
  w.value(s.pressure_cap());
  w.key("duration_minutes");
  w.value(s.duration_minutes());
  w.key("frequency");
  write_string_value(w, s.frequency());
  w.key("next_session_in_days");
  w.value(s.next_session_in_days());
  w.key("postpone_days");
  w.value(s.postpone_days());
  w.key("home_program");
  w.begin_array();
  s.home_program([&](std::string_view id, const auto& parameters) {
    w.begin_object();
    w.key("id");
    w.value(id);
    parameters([&](std::string_view name, const ParamValue& value) {
      w.key(name);
      write_param_value(w, value);
    });
    w.end_object();
  });
  w.end_array();
  w.key("referral");
  const bool referral =
      s.referral([&](std::string_view to, std::string_view rule, const auto& reason) {
        w.begin_object();
        w.key("to");
        w.value(to);
        w.key("rule");
        w.value(rule);
        w.key("reason");
        write_text(w, s, reason);
        w.end_object();
      });
  if (!referral) w.null();
  w.end_object();
}

template <class Source>
void write_trace(JsonWriter& w, Source& s) {
  w.key("trace");
  w.begin_array();
  s.trace([&](const auto& t) {
    w.begin_object();
    w.key("rule");
    w.value(t.rule);
    w.key("source");
    w.value(t.source);
    w.key("condition");
    w.value(t.condition);
    w.key("outcome");
    w.value(to_string(t.outcome));
    w.key("values");
    w.begin_object();
    t.values([&](std::string_view path, std::string_view value) {
      w.key(path);
      w.value(value);
    });
    w.end_object();
    if (!t.detail.empty()) {
      w.key("detail");
      w.value(t.detail);
    }
    w.end_object();
  });
  w.end_array();
}

// The members that depend only on the protocol (format to plugins, about 470
// bytes): a Source may write them itself with head(w), e.g. copied from a
// first rendering by this function.
template <class Source>
void write_head(JsonWriter& w, Source& s) {
  w.key("format");
  w.value(s.format());
  w.key("engine");
  w.begin_object();
  w.key("name");
  w.value(s.engine_name());
  w.key("version");
  w.value(s.engine_version());
  w.end_object();
  w.key("protocol");
  w.begin_object();
  w.key("id");
  w.value(s.protocol_id());
  w.key("version");
  w.value(s.protocol_version());
  w.key("sha256");
  w.value(s.protocol_sha256());
  w.end_object();
  w.key("plugins");
  w.begin_array();
  s.plugins([&](std::string_view name, std::string_view version) {
    w.begin_object();
    w.key("name");
    w.value(name);
    w.key("version");
    w.value(version);
    w.end_object();
  });
  w.end_array();
}

// Flattened: the Source's loops and this writer's lambdas become one
// function, as the hand-written writer it replaces was.
template <class Source>
[[gnu::flatten]] void write_recommendation(JsonWriter& w, Source& s) {
  w.begin_object();
  if constexpr (requires { s.head(w); })
    s.head(w);
  else
    write_head(w, s);
  w.key("client_id");
  w.value(s.client_id());
  w.key("as_of");
  write_string_value(w, s.as_of());
  write_session(w, s);
  w.key("held_techniques");
  w.begin_array();
  s.held([&](std::string_view id, std::string_view rule, const auto& reason) {
    w.begin_object();
    w.key("id");
    w.value(id);
    w.key("rule");
    w.value(rule);
    w.key("reason");
    write_text(w, s, reason);
    w.end_object();
  });
  w.end_array();
  w.key("adjustments");
  w.begin_array();
  if constexpr (requires { s.adjustments_json(w); })
    s.adjustments_json(w);
  else
    s.adjustments([&](AdjustmentKind kind, const auto& value, const auto& rule, const auto& reason,
                      const auto& source) {
      w.begin_object();
      w.key("kind");
      w.value(to_string(kind));
      w.key("value");
      write_param_value(w, value);
      w.key("rule");
      write_string_value(w, rule);
      w.key("reason");
      write_string_value(w, reason);
      w.key("source");
      write_string_value(w, source);
      w.end_object();
    });
  w.end_array();
  w.key("warnings");
  w.begin_array();
  s.warnings([&](std::string_view text) { w.value(text); });
  w.end_array();
  w.key("fired");
  w.begin_array();
  s.fired([&](const auto& id) { write_string_value(w, id); });
  w.end_array();
  if (s.has_trace()) write_trace(w, s);
  w.end_object();
  w.finish();
}

}  // namespace fascia::detail
