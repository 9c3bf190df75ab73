#include "expr/program.hpp"

#include <algorithm>
#include <string>

namespace fascia::detail::expr {
namespace {

class Compiler {
 public:
  explicit Compiler(CompiledProgram& program) : program_(program) {}

  void compile(const Node& node) {
    switch (node.kind) {
      case NodeKind::number:
        push_constant(Value::make_number(node.number));
        break;
      case NodeKind::boolean:
        push_constant(Value::make_bool(node.boolean));
        break;
      case NodeKind::string:
        push_constant(Value::make_string(intern(node.text)));
        break;
      case NodeKind::list:
        push_constant(list_constant(node));
        break;
      case NodeKind::name:
        if (node.enum_literal) {
          push_constant(Value::make_string(intern(node.text)));
        } else {
          use_field(node.field);
          Instruction in{OpCode::load_field};
          in.getter = node.field->getter;
          in.arg = node.field->arg;
          emit(in, 1);
        }
        break;
      case NodeKind::call:
        compile_call(node);
        break;
      case NodeKind::not_:
        if (is_field(node.children[0])) {
          const FieldInfo* field = node.children[0].field;
          use_field(field);
          Instruction in{OpCode::not_field};
          in.getter = field->getter;
          in.arg = field->arg;
          emit(in, 1);
          break;
        }
        compile(node.children[0]);
        emit({OpCode::not_}, 0);
        break;
      case NodeKind::negate:
        compile(node.children[0]);
        emit({OpCode::negate}, 0);
        break;
      case NodeKind::logical:
        compile_logical(node);
        break;
      case NodeKind::compare:
        if (compile_field_comparison(node)) break;
        if (is_comparison(node.ops[0]) && node.children[1].kind == NodeKind::number) {
          // The most common condition shape: one instruction for `<op> 7`.
          compile(node.children[0]);
          Instruction in{OpCode::compare_number};
          in.a = static_cast<std::uint32_t>(binary_code(node.ops[0]));
          in.number = node.children[1].number;
          emit(in, 0);
          break;
        }
        [[fallthrough]];
      case NodeKind::arithmetic:
        compile(node.children[0]);
        for (std::size_t i = 1; i < node.children.size(); ++i) {
          compile(node.children[i]);
          emit({binary_code(node.ops[i - 1])}, -1);
        }
        break;
    }
  }

  std::size_t max_depth() const { return max_depth_; }

 private:
  static bool is_field(const Node& node) {
    return node.kind == NodeKind::name && !node.enum_literal;
  }

  // `field <op> number` and `field ==/!= "text"` (or an enum value) as one
  // instruction; false when the node has another shape.
  bool compile_field_comparison(const Node& node) {
    if (node.children.size() != 2) return false;
    if (compile_field_or_comparison(node)) return true;
    if (compile_fields_comparison(node)) return true;
    if (!is_field(node.children[0])) return false;
    const Node& field = node.children[0];
    const Node& constant = node.children[1];
    const BinaryOp op = node.ops[0];
    Instruction in;
    if (is_comparison(op) && constant.kind == NodeKind::number) {
      in.code = OpCode::compare_field;
      in.a = static_cast<std::uint32_t>(binary_code(op));
      in.number = constant.number;
    } else if ((op == BinaryOp::eq || op == BinaryOp::ne) &&
               (constant.kind == NodeKind::string ||
                (constant.kind == NodeKind::name && constant.enum_literal))) {
      in.code = op == BinaryOp::eq ? OpCode::field_eq_string : OpCode::field_ne_string;
      in.a = static_cast<std::uint32_t>(program_.constants.size());
      program_.constants.push_back(Value::make_string(intern(constant.text)));
    } else {
      return false;
    }
    use_field(field.field);
    in.getter = field.field->getter;
    in.arg = field.field->arg;
    emit(in, 1);
    return true;
  }

  // `field <op> field <arith> number`.
  bool compile_fields_comparison(const Node& node) {
    const Node& lhs = node.children[0];
    const Node& rhs = node.children[1];
    if (!is_comparison(node.ops[0]) || !is_field(lhs) || rhs.kind != NodeKind::arithmetic ||
        rhs.children.size() != 2 || !is_field(rhs.children[0]) ||
        rhs.children[1].kind != NodeKind::number)
      return false;
    const FieldInfo* left = lhs.field;
    const FieldInfo* right = rhs.children[0].field;
    use_field(left);
    use_field(right);
    Instruction in{OpCode::compare_fields};
    in.getter = left->getter;
    in.arg = left->arg;
    in.getter2 = right->getter;
    in.arg2 = right->arg;
    in.a = static_cast<std::uint32_t>(binary_code(node.ops[0])) |
           static_cast<std::uint32_t>(binary_code(rhs.ops[0])) << 8;
    in.number = rhs.children[1].number;
    emit(in, 1);
    return true;
  }

  // `value_or(field, number) <op> number`.
  bool compile_field_or_comparison(const Node& node) {
    const Node& call = node.children[0];
    const Node& constant = node.children[1];
    if (!is_comparison(node.ops[0]) || constant.kind != NodeKind::number ||
        call.kind != NodeKind::call || !is_builtin_value_or(*call.function) ||
        call.children.size() != 2 || !is_field(call.children[0]) ||
        call.children[1].kind != NodeKind::number)
      return false;
    const Node& field = call.children[0];
    use_field(field.field);
    Instruction in{OpCode::compare_field_or};
    in.getter = field.field->getter;
    in.arg = field.field->arg;
    in.a = static_cast<std::uint32_t>(binary_code(node.ops[0]));
    in.number = constant.number;
    in.fallback = call.children[1].number;
    emit(in, 1);
    return true;
  }

  static bool is_comparison(BinaryOp op) {
    return op == BinaryOp::eq || op == BinaryOp::ne || op == BinaryOp::lt || op == BinaryOp::le ||
           op == BinaryOp::gt || op == BinaryOp::ge;
  }

  static OpCode binary_code(BinaryOp op) {
    switch (op) {
      case BinaryOp::eq:
        return OpCode::eq;
      case BinaryOp::ne:
        return OpCode::ne;
      case BinaryOp::lt:
        return OpCode::lt;
      case BinaryOp::le:
        return OpCode::le;
      case BinaryOp::gt:
        return OpCode::gt;
      case BinaryOp::ge:
        return OpCode::ge;
      case BinaryOp::in:
        return OpCode::in;
      case BinaryOp::not_in:
        return OpCode::not_in;
      case BinaryOp::add:
        return OpCode::add;
      case BinaryOp::sub:
        return OpCode::sub;
      case BinaryOp::mul:
        return OpCode::mul;
      case BinaryOp::div:
        return OpCode::div;
      case BinaryOp::or_:
      case BinaryOp::and_:
        break;
    }
    return OpCode::and_merge;
  }

  // `stack_effect`: how the instruction changes the stack depth.
  void emit(Instruction in, int stack_effect) {
    program_.code.push_back(in);
    depth_ = static_cast<std::size_t>(static_cast<long>(depth_) + stack_effect);
    max_depth_ = std::max(max_depth_, depth_);
  }

  void push_constant(Value value) {
    Instruction in{OpCode::push_constant};
    in.a = static_cast<std::uint32_t>(program_.constants.size());
    program_.constants.push_back(value);
    emit(in, 1);
  }

  std::string_view intern(const std::string& text) {
    program_.strings.push_back(text);
    return program_.strings.back();
  }

  Value list_constant(const Node& list) {
    if (list.type == Type::number_list) {
      auto& numbers = program_.number_lists.emplace_back();
      for (const Node& item : list.children)
        numbers.push_back(item.kind == NodeKind::negate ? -item.children[0].number : item.number);
      return Value::make_numbers(numbers);
    }
    auto& strings = program_.string_lists.emplace_back();
    for (const Node& item : list.children) strings.push_back(item.text);
    return Value::make_strings(strings);
  }

  void use_field(const FieldInfo* field) {
    auto& used = program_.fields_used;
    if (std::find(used.begin(), used.end(), field) == used.end()) used.push_back(field);
  }

  void compile_call(const Node& node) {
    const FunctionInfo& function = *node.function;
    if (function.shape == FunctionInfo::Shape::field_presence) {
      const FieldInfo* field = node.children[0].field;
      use_field(field);
      Instruction in{field->type == Type::series ? OpCode::has_series : OpCode::has_field};
      in.getter = field->getter;
      in.arg = field->arg;
      in.series = field->series;
      emit(in, 1);
      return;
    }
    const bool series = function.series_call && !function.parameters.empty() &&
                        function.parameters[0] == Type::series;
    std::size_t first = 0;
    Instruction in{series ? OpCode::call_series : OpCode::call};
    in.function = &function;
    if (series) {
      use_field(node.children[0].field);
      in.series = node.children[0].field->series;
      first = 1;
    }
    for (std::size_t i = first; i < node.children.size(); ++i) compile(node.children[i]);
    const auto count = static_cast<int>(node.children.size() - first);
    in.a = static_cast<std::uint32_t>(count);
    emit(in, 1 - count);
  }

  // a and b and c: a; jf end; b; merge; jf end; c; merge; end:
  void compile_logical(const Node& node) {
    const bool is_and = node.ops[0] == BinaryOp::and_;
    std::vector<std::size_t> jumps;
    compile(node.children[0]);
    for (std::size_t i = 1; i < node.children.size(); ++i) {
      jumps.push_back(program_.code.size());
      emit({is_and ? OpCode::jump_if_false : OpCode::jump_if_true}, 0);
      compile(node.children[i]);
      emit({is_and ? OpCode::and_merge : OpCode::or_merge}, -1);
    }
    for (std::size_t at : jumps)
      program_.code[at].a = static_cast<std::uint32_t>(program_.code.size());
  }

  CompiledProgram& program_;
  std::size_t depth_ = 0;
  std::size_t max_depth_ = 0;
};

bool is_single(const Instruction& in) {
  switch (in.code) {
    case OpCode::load_field:
    case OpCode::compare_field:
    case OpCode::compare_field_or:
    case OpCode::field_eq_string:
    case OpCode::field_ne_string:
    case OpCode::not_field:
    case OpCode::compare_fields:
      return true;
    case OpCode::call:
      return in.a == 0;
    default:
      return false;
  }
}

// Recognises the shapes runner_for (evaluator.cpp) runs without the value stack, or
// (prefixed) starts without it; sets program.shape and program.prefix_end.
void set_shape(CompiledProgram& program) {
  using Shape = CompiledProgram::Shape;
  const std::vector<Instruction>& code = program.code;
  program.shape = Shape::general;
  program.prefix_end = 0;
  if (code.empty() || !is_single(code[0])) return;
  if (code.size() == 1) {
    program.shape = Shape::single;
    return;
  }
  const bool is_and = code[1].code == OpCode::jump_if_false;
  const OpCode jump = is_and ? OpCode::jump_if_false : OpCode::jump_if_true;
  const OpCode merge = is_and ? OpCode::and_merge : OpCode::or_merge;
  // The longest prefix s0; (jump to the end; s; merge)...
  std::size_t end = 1;
  while (end + 2 < code.size() && code[end].code == jump && code[end].a == code.size() &&
         is_single(code[end + 1]) && code[end + 2].code == merge)
    end += 3;
  if (end == code.size()) {
    program.shape = is_and ? Shape::and_chain : Shape::or_chain;
    return;
  }
  program.shape = Shape::prefixed;
  program.prefix_end = static_cast<std::uint32_t>(end);
}

}  // namespace

bool compile_program(const Node& root, CompiledProgram& program,
                     std::vector<ExpressionError>& errors) {
  Compiler compiler(program);
  compiler.compile(root);
  program.stack_size = compiler.max_depth();
  set_shape(program);
  if (program.stack_size > max_stack) {
    errors.push_back(
        {root.offset, "expression too complex (needs " + std::to_string(program.stack_size) +
                          " evaluation slots; limit " + std::to_string(max_stack) + ")"});
    return false;
  }
  return true;
}

}  // namespace fascia::detail::expr
