#pragma once
// Rendering one evaluation's decision record: the Recommendation (reasons
// written only here), Recommendation::fired, the --explain trace, and the
// contract JSON written straight from the record without a Recommendation
// (contract_json.hpp). Every text of a recommendation (reasons, rule ids,
// trace details and values) is written by the same code for both forms.

#include "core/decision_record.hpp"
#include "core/protocol_model.hpp"
#include "core/record_json_texts.hpp"
#include "core/record_trace_plan.hpp"

#include <fascia/client_state.hpp>
#include <fascia/recommendation.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace fascia::detail {

// Rendering's own storage, kept by the thread's PlannerScratch: texts are
// written into its strings, which keep their memory.
struct RenderScratch {
  std::string text, rule, kept, detail;
  Params params;           // a clamped copy of a plugin's parameters
  RecordJsonTexts quoted;  // the protocol's texts, quoted once
  TracePlan trace;         // the protocol's trace order and the fields its rules read
};

// The session's home programme as SessionPlan merges it (add_home_item):
// items and their parameters pointed at where the protocol's rules and the
// plugins' results hold them, never copied; rendering writes them.
struct HomeItems {
  struct Item {
    std::string_view id;
    const std::vector<std::string>* given;  // parameters a rule set (kept), or null
  };
  struct Parameter {
    std::size_t item;
    const Param* param;
  };
  std::vector<Item> items;
  std::vector<Parameter> parameters;  // by item, then in each item's order
  void clear() {
    items.clear();
    parameters.clear();
  }
  // f(id, parameters) for each item, with parameters(g): g(name, value).
  template <class F>
  void for_each(F f) const {
    const Parameter* p = parameters.data();
    const Parameter* const end = p + parameters.size();
    for (std::size_t i = 0; i < items.size(); ++i) {
      const Parameter* first = p;
      while (p != end && p->item == i) ++p;
      f(items[i].id, [first, last = p](auto g) {
        for (const Parameter* q = first; q != last; ++q)
          g(std::string_view(q->param->name), q->param->value);
      });
    }
  }
};

struct RecordView {
  const DecisionRecord& record;  // its plugin results are the memo's: copied, never changed
  const ProtocolModel& model;
  const ClientState& state;
  const HomeItems& home_program;  // the session's, merged while deciding
  RenderScratch& scratch;
  bool explain = false;
};

// Written over what `out` holds (a reused recommendation's strings and
// lists keep their memory).
void render_recommendation(const RecordView& view, Recommendation& out);

// The recommendation's JSON document (one line) appended to `out`: the bytes
// append_json() writes for the Recommendation render_recommendation() would
// give, both written by one walk of the record.
void append_record_json(const RecordView& view, std::string& out);

}  // namespace fascia::detail
