// PS701 regex-compile-in-loop: `re.compile(CONST)` inside a loop, and `re.match(CONST, s)` and
// friends with a constant pattern inside a nested loop: the pattern is looked up (or rebuilt)
// on every iteration instead of compiled once.
// Documentation: PS701.md beside this file.
#include <fmt/format.h>

#include <array>

#include "memory/call_shapes.hpp"
#include "perfscan/context.hpp"
#include "perfscan/rule.hpp"
#include "rule_helpers.hpp"

namespace perfscan {
namespace {

// Module-level functions of `re` that take the pattern as their first argument.
constexpr std::array<std::string_view, 8> kPatternFunctions = {
    "match", "search", "fullmatch", "sub", "subn", "findall", "finditer", "split"};

bool is_pattern_function(std::string_view callee, std::string_view& function) {
  for (std::string_view module : {std::string_view{"re."}, std::string_view{"regex."}}) {
    if (!callee.starts_with(module)) continue;
    std::string_view rest = callee.substr(module.size());
    for (std::string_view name : kPatternFunctions) {
      if (rest == name) {
        function = name;
        return true;
      }
    }
  }
  return false;
}

// Flags fixed by the source: absent, `re.I | re.M`, an integer.
bool constant_flags(const Context& ctx, Node flags) {
  std::vector<Node> pending{flags};
  while (!pending.empty()) {
    Node node = shapes::unparenthesised(pending.back());
    pending.pop_back();
    if (!node) continue;
    if (node.is("integer")) continue;
    if (node.is("binary_operator")) {
      pending.push_back(node.field("left"));
      pending.push_back(node.field("right"));
      continue;
    }
    std::string name = ctx.qualified_name(node);
    if (!name.starts_with("re.") && !name.starts_with("regex.")) return false;
  }
  return true;
}

class RegexCompileInLoop final : public Rule {
 public:
  RegexCompileInLoop()
      : Rule({"PS701", "regex-compile-in-loop", Category::caching, Severity::low,
              "Constant regular expression compiled or looked up on every loop iteration"}) {}

  [[nodiscard]] std::vector<std::string_view> node_kinds() const override { return {"call"}; }

  void check(Node call, Context& ctx) const override {
    auto loops = ctx.loops();
    if (loops.empty()) return;
    std::string callee = ctx.callee_name(call);
    if (callee.empty()) return;
    Node arguments = call.field("arguments");
    if (!arguments || !arguments.is("argument_list")) return;
    Node pattern = first_argument(call);
    if (!pattern || !shapes::is_constant_string(ctx, pattern, loops.back().node)) return;
    std::string pattern_text = short_text(ctx, pattern, 30);
    if (callee == "re.compile" || callee == "regex.compile") {
      Node flags = pattern.next_named_sibling();
      if (flags && (flags.is("keyword_argument") ? !constant_flags(ctx, flags.field("value"))
                                                 : !constant_flags(ctx, flags))) {
        return;
      }
      ctx.report(*this, call,
                 fmt::format("`{}({})` runs on every iteration of {}: each call "
                             "pays a cache lookup, and a full recompile once the program uses "
                             "more patterns than the cache holds",
                             callee, pattern_text, shapes::loop_description(ctx, loops.back())),
                 "compile the pattern once, at module level or before the loop "
                 "(`PATTERN = re.compile(...)`), and use `PATTERN` inside the loop");
      return;
    }
    std::string_view name;
    if (!is_pattern_function(callee, name) || loops.size() < 2) return;
    ctx.report(*this, call,
               fmt::format("`{}({}, ...)` inside nested loops looks the constant pattern up in "
                           "re's cache on every inner iteration (about as long as a short match "
                           "itself)",
                           callee, pattern_text),
               fmt::format("compile it once outside the loops (`PATTERN = re.compile({})`) and "
                           "call `PATTERN.{}(...)`",
                           pattern_text, name));
  }
};

}  // namespace

std::unique_ptr<Rule> make_ps701_regex_compile_in_loop() {
  return std::make_unique<RegexCompileInLoop>();
}

}  // namespace perfscan
