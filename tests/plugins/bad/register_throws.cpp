// Registration throws: FASCIA_PLUGIN must turn it into the load error text.
#include <fascia/plugin.hpp>
#include <stdexcept>

namespace {
void register_throws(fascia::TechniqueRegistry&) {
  throw std::runtime_error("trigger point map is missing");
}
}  // namespace

FASCIA_PLUGIN("test_register_throws", "1.0.0", register_throws)
