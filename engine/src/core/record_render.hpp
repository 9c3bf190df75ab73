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
#include <fascia/param.hpp>
#include <fascia/recommendation.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace fascia::detail {

// Rendering's own storage, kept by the thread's PlannerScratch: texts are
// written into its strings, which keep their memory.
struct RenderScratch {
  std::string text, rule, detail;
  Params params;           // a clamped copy of a plugin's parameters
  RecordJsonTexts quoted;  // the protocol's texts, quoted once
  TracePlan trace;         // the protocol's trace order and the fields its rules read
};

// The session's home programme as SessionPlan merges it (add_home_item):
// each item's first parameter list and the parameters merged into it later
// (`changes`: replacing one of the same name, else added after the others),
// pointed at where the protocol's rules and the plugins' results hold them,
// never copied; rendering writes them.
struct HomeItems {
  struct Item {
    std::string_view id;
    const std::vector<std::string>* given;  // parameters a rule set (kept), or null
    const Params* parameters;
  };
  struct Change {
    std::size_t item;
    const Param* param;
  };
  std::vector<Item> items;
  std::vector<Change> changes;  // at most one per item and name, in the order first made
  void clear() {
    items.clear();
    changes.clear();
  }
  // f(id, parameters) for each item, with parameters(g): g(name, value) in
  // the merged order.
  template <class F>
  void for_each(F f) const {
    for (std::size_t i = 0; i < items.size(); ++i)
      f(items[i].id, [&, i](auto g) {
        const Params& first = *items[i].parameters;
        for (const Param& p : first) {
          const Param* q = &p;
          for (const Change& c : changes)
            if (c.item == i && c.param->name == p.name) q = c.param;
          g(std::string_view(q->name), q->value);
        }
        for (const Change& c : changes)
          if (c.item == i && !find_param(first, c.param->name))
            g(std::string_view(c.param->name), c.param->value);
      });
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
