#pragma once
// Spirit X3 declarations of the expression grammar (the rexpr_full layout:
// this header declares, parser_def.hpp defines, parser.cpp instantiates).
// Include only from the expression library's parser.

#include "expr/ast.hpp"

#include <boost/spirit/home/x3.hpp>

#include <cstddef>
#include <string>

namespace fascia::detail::grammar {

namespace x3 = boost::spirit::x3;

// Threaded through the parse with x3::with: where the text starts (to turn
// iterators into offsets) and where parsing failed.
struct ParseState {
  const char* begin = nullptr;
  bool failed = false;
  std::size_t error_offset = 0;
  std::string expected;  // the name of what the failed expectation wanted
};
struct parse_state_tag;

using iterator_type = const char*;
using phrase_context_type = x3::phrase_parse_context<x3::ascii::space_type>::type;
using context_type = x3::context<parse_state_tag, ParseState, phrase_context_type>;

// The whole input: an expression followed by the end of the text.
struct top_class;
using top_type = x3::rule<top_class, ast::Operand>;
BOOST_SPIRIT_DECLARE(top_type)

const top_type& top();

}  // namespace fascia::detail::grammar
