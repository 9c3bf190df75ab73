#pragma once
// Values against their declarations (ConfigField): the checks shared by
// plugin registration (schema defaults), protocol loading (technique
// configuration) and the per-evaluation plugin result checks.

#include <fascia/param.hpp>
#include <fascia/plugin.hpp>

#include "common/text.hpp"  // join()

#include <optional>
#include <string>
#include <vector>

namespace fascia::detail {

// One value against its declaration: type, range, allowed values. Returns
// the problem ("must be an integer, got \"x\""), or nullopt when fine. The
// text does not name the field: callers prefix it.
std::optional<std::string> check_value(const ConfigField& field, const ParamValue& value);

// "integer", "number", "boolean", "string", "enumeration", "string list"
const char* to_string(ConfigType type) noexcept;
// Fills in the schema's defaults for fields the params do not give
// (in schema order, after the given ones).
void fill_defaults(const std::vector<ConfigField>& schema, Params& params);

// An integer or a number as a double; nullopt for other types.
std::optional<double> as_number(const ParamValue& value) noexcept;
// A number for a message: at most 6 significant digits ("%g"), so that a
// huge value never prints as hundreds of digits.
std::string number_text(double value);
// A value for a message: numbers as number_text, texts quoted and cut.
std::string describe(const ParamValue& value);

}  // namespace fascia::detail
