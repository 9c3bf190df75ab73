// Fuzzes the expression language: parse, type-check and compile arbitrary
// text against a catalog of the client-state fields (with observations of
// every kind), then evaluate whatever compiles against a few client states.
// Errors must be reported, located inside the text, never crash.
#include "expr/catalog.hpp"
#include "expr/client_fields.hpp"
#include "expr/expression.hpp"
#include "fuzz_check.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace fascia;
using namespace fascia::detail;

std::vector<ObservationDecl> observations() {
  std::vector<ObservationDecl> decls(4);
  decls[0].name = "morning_stiffness_minutes";
  decls[0].kind = ObservationDecl::Kind::integer;
  decls[1].name = "energy";
  decls[1].kind = ObservationDecl::Kind::enumeration;
  decls[1].values = {"low", "ok", "high"};
  decls[2].name = "notes";
  decls[2].kind = ObservationDecl::Kind::string;
  decls[3].name = "swollen";
  decls[3].kind = ObservationDecl::Kind::boolean;
  return decls;
}

const Catalog& catalog() {
  static const Catalog c = [] {
    Catalog out;
    add_client_state_fields(out, {"fibromyalgia", "low_back_pain"},
                            {"foundation", "myofascial_introduction", "targeted", "maintenance"},
                            {"weekly", "every_other_week", "monthly"}, observations());
    return out;
  }();
  return c;
}

// States that reach different branches: no history and absent optionals;
// a long history with gaps; extreme but valid values.
const std::vector<ClientState>& states() {
  static const std::vector<ClientState> all = [] {
    std::vector<ClientState> out;
    ClientState empty;
    empty.client_id = "F-1";
    empty.condition = "fibromyalgia";
    empty.as_of = Date{2026, 11, 20};
    empty.program.stage = "foundation";
    empty.program.frequency = "weekly";
    empty.pressure_tolerance = 1;
    for (const auto& d : observations()) empty.observations.push_back({d.name, {}});
    out.push_back(empty);

    ClientState full = empty;
    full.program.stage = "targeted";
    full.program.sessions_completed = 40;
    full.program.sessions_in_stage = 7;
    full.program.weeks_in_program = 30;
    full.pain = {9.5, 2};
    full.sensitivity = Sensitivity::high;
    full.pressure_tolerance = 10;
    full.sleep_quality = 0;
    full.flare = {true, 10, 0, 5};
    full.medications_changed = true;
    for (int i = 0; i < 12; ++i) {
      HistoryEntry h;
      h.date = Date{2026, 8, 1}.plus_days(i * 7);
      h.techniques = i % 2 ? std::vector<std::string>{"swedish", "myofascial_release"}
                           : std::vector<std::string>{"swedish"};
      if (i % 3) h.pressure = 1 + i % 10;
      if (i % 4) h.soreness_24h = i % 11;
      h.pain_before = 10 - i % 11;
      if (i % 5) h.pain_after = 0;
      full.history.push_back(h);
    }
    full.observations = {{"morning_stiffness_minutes", 600.0},
                         {"energy", std::string("low")},
                         {"notes", std::string("")},
                         {"swollen", true}};
    out.push_back(full);
    return out;
  }();
  return all;
}

void check_errors(std::string_view text, const std::vector<ExpressionError>& errors) {
  FASCIA_FUZZ_CHECK(!errors.empty(), "a failed compile reports at least one error");
  for (const auto& e : errors) {
    FASCIA_FUZZ_CHECK(e.offset <= text.size(), "error offset inside the expression");
    FASCIA_FUZZ_CHECK(!e.message.empty(), "error has a message");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const CompileLimits limits;  // the engine's defaults
  {
    Expression expression;
    std::vector<ExpressionError> errors;
    if (compile_expression(text, catalog(), limits, expression, errors)) {
      FASCIA_FUZZ_CHECK(errors.empty(), "no errors after a successful compile");
      for (const auto& state : states()) {
        const Value v = expression.evaluate(state);
        (void)format_value(v);
        // Two evaluations of an immutable expression agree.
        const Value again = expression.evaluate(state);
        FASCIA_FUZZ_CHECK(format_value(v) == format_value(again), "evaluation is deterministic");
      }
    } else {
      check_errors(text, errors);
    }
  }
  {
    // Conditions: the result type must be boolean or the compile fails.
    Expression condition;
    std::vector<ExpressionError> errors;
    if (compile_expression(text, Type::boolean, catalog(), limits, condition, errors)) {
      FASCIA_FUZZ_CHECK(condition.type() == Type::boolean, "a condition is boolean");
      for (const auto& state : states()) {
        const Value v = condition.evaluate(state);
        FASCIA_FUZZ_CHECK(v.kind == Value::Kind::boolean || !v.is_known(),
                          "a condition yields a boolean, missing or error");
      }
    } else {
      check_errors(text, errors);
    }
  }
  return 0;
}
