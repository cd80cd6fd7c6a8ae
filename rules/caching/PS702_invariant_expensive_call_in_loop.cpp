// PS702 invariant-expensive-call-in-loop: a parser (`json.loads`, `ast.literal_eval`,
// `yaml.safe_load`, ...) called on a constant inside a loop: the same text is parsed again on
// every iteration.
// Documentation: PS702.md beside this file.
#include <fmt/format.h>

#include <array>

#include "caching/constant_work.hpp"
#include "loops/loop_helpers.hpp"
#include "memory/call_shapes.hpp"
#include "perfscan/context.hpp"
#include "perfscan/rule.hpp"
#include "rule_helpers.hpp"

namespace perfscan {
namespace {

// Calls whose cost grows with the text they parse and whose result depends only on it. Cheap
// or cached calls (attribute look-ups, `datetime.strptime`, `re.*`: PS701) are not listed.
constexpr std::array<std::string_view, 13> kParsers = {
    "json.loads",        "ast.literal_eval",   "ast.parse",      "builtins.compile",
    "yaml.safe_load",    "yaml.load",          "yaml.full_load", "pickle.loads",
    "tomllib.loads",     "tomli.loads",        "textwrap.dedent",
    "xml.etree.ElementTree.fromstring",        "lxml.etree.fromstring",
};

bool is_parser(std::string_view callee) {
  for (std::string_view parser : kParsers) {
    if (callee == parser) return true;
  }
  return false;
}

// Every argument after the first is fixed by the source too (a literal, a constant name, a
// keyword with such a value): then the whole call is loop-invariant.
bool other_arguments_constant(const Context& ctx, Node first) {
  for (Node argument = first.next_named_sibling(); argument;
       argument = argument.next_named_sibling()) {
    if (argument.is("comment")) continue;
    Node value = argument.is("keyword_argument") ? argument.field("value") : argument;
    value = shapes::unparenthesised(value);
    if (!value) return false;
    std::string_view kind = value.kind();
    if (kind == "integer" || kind == "float" || kind == "true" || kind == "false" ||
        kind == "none" || shapes::is_literal_string(value)) {
      continue;
    }
    // A module attribute such as `yaml.SafeLoader`: resolved through imports, not a variable.
    std::string name = ctx.qualified_name(value);
    if (name.empty() || name.starts_with("builtins.") || !value.is("attribute")) return false;
  }
  return true;
}

class InvariantExpensiveCallInLoop final : public Rule, public ProjectRule {
 public:
  InvariantExpensiveCallInLoop()
      : Rule({"PS702", "invariant-expensive-call-in-loop", Category::caching, Severity::medium,
              "Constant text parsed again on every loop iteration"}) {}

  [[nodiscard]] std::vector<std::string_view> node_kinds() const override { return {"call"}; }

  void check(Node call, Context& ctx) const override {
    auto loops = ctx.loops();
    if (loops.empty()) {
      summarise_constant_parse(call, ctx);
      return;
    }
    // A few iterations fixed by the program text parse it a few times: not worth a finding.
    if (loops.empty() || loops::runs_fixed_number_of_times(ctx)) return;
    Node text = first_argument(call);
    if (!text || !shapes::is_constant_string(ctx, text, loops.back().node)) return;
    std::string callee = ctx.callee_name(call);
    if (!is_parser(callee) || !other_arguments_constant(ctx, text)) return;
    ctx.report(*this, call,
               fmt::format("`{}({})` computes the same result from the same constant on every "
                           "iteration of {}",
                           callee, short_text(ctx, text, 30),
                           shapes::loop_description(ctx, loops.back())),
               "parse it once before the loop (or at module level) and reuse the result; "
               "if the loop mutates the result, copy it per iteration, which is still "
               "cheaper than parsing");
  }

  // A helper that parses a constant, called once per iteration of a loop in any module.
  void link(const ProjectIndex& index, std::vector<Finding>& findings) const override {
    link_constant_work(*this, /*regex=*/false, index, findings);
  }

 private:
  // A parser called on a constant outside any loop of a function: the same work on every call,
  // recorded in the function's summary for the link step.
  static void summarise_constant_parse(Node call, Context& ctx) {
    Node function = call.field("function");
    if (!function || !names_a_parser(ctx, function)) return;
    Node text = first_argument(call);
    if (!text || text.is("keyword_argument") || !shapes::is_constant_string(ctx, text, Node{})) return;
    std::string callee = ctx.callee_name(call);
    if (!is_parser(callee) || !other_arguments_constant(ctx, text) || shapes::result_is_memoised(ctx, call)) return;
    record_constant_work(ctx, call, fmt::format("{}({})", callee, short_text(ctx, text, 30)));
  }

  // A cheap test before resolving the callee: its last name is one of the parsers'.
  static bool names_a_parser(const Context& ctx, Node function) {
    std::string_view last = function.is("attribute") ? ctx.text(function.field("attribute")) : ctx.text(function);
    for (std::string_view parser : kParsers) {
      auto dot = parser.rfind('.');
      if (parser.substr(dot + 1) == last) return true;
    }
    return false;
  }
};

}  // namespace

std::unique_ptr<Rule> make_ps702_invariant_expensive_call_in_loop() {
  return std::make_unique<InvariantExpensiveCallInLoop>();
}

}  // namespace perfscan
