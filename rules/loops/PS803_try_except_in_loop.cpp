// PS803 try-except-in-loop: a loop whose whole body is a try/except, on Python < 3.11 targets
// (where setting up a try block costs on every iteration). Documentation: PS803.md.
#include <fmt/format.h>

#include "loop_helpers.hpp"
#include "perfscan/context.hpp"
#include "perfscan/rule.hpp"

namespace perfscan {
namespace {

// Exceptions are "zero-cost" on the happy path from this version on.
constexpr PythonVersion kZeroCostExceptions{3, 11};

class TryExceptInLoop final : public Rule {
 public:
  TryExceptInLoop()
      : Rule({"PS803", "try-except-in-loop", Category::loops, Severity::low,
              "try/except set up on every iteration (Python < 3.11 targets only)"}) {}

  [[nodiscard]] std::vector<std::string_view> node_kinds() const override {
    return {"for_statement", "while_statement"};
  }

  void check(Node loop, Context& ctx) const override {
    const std::optional<PythonVersion>& target = ctx.target_version();
    if (!target || *target >= kZeroCostExceptions) return;
    Node statement = loops::only_statement(loop.field("body"));
    if (!statement || !statement.is("try_statement")) return;
    if (!every_handler_leaves_loop(statement)) return;
    if (controls_loop(statement.field("body"))) return;
    ctx.report(*this, statement.child(0),
               fmt::format("try/except inside the loop is set up on every iteration: on Python "
                           "{}.{} (before 3.11) that costs even when nothing is raised",
                           target->major, target->minor),
               "every handler leaves the loop, so wrap the whole loop in one try/except");
  }

 private:
  // Handlers that end with `break`, `return` or `raise` stop the loop anyway: moving the loop
  // inside one try behaves the same. A handler that swallows the error and goes on to the next
  // item needs the per-item try (only look-before-you-leap could replace it), so such loops
  // are left alone, as are `finally` clauses, which must run on every iteration.
  static bool every_handler_leaves_loop(Node try_statement) {
    bool has_handler = false;
    for (uint32_t i = 0, n = try_statement.named_child_count(); i < n; ++i) {
      Node clause = try_statement.named_child(i);
      if (clause.is("finally_clause")) return false;
      if (!clause.is("except_clause") && !clause.is("except_group_clause")) continue;
      has_handler = true;
      Node block;
      for (uint32_t j = clause.named_child_count(); j-- > 0;) {
        if (clause.named_child(j).is("block")) {
          block = clause.named_child(j);
          break;
        }
      }
      std::vector<Node> statements = loops::statements_of(block);
      if (statements.empty()) return false;
      std::string_view last = statements.back().kind();
      if (last != "break_statement" && last != "return_statement" && last != "raise_statement") {
        return false;
      }
    }
    return has_handler;
  }

  // A `break` or `continue` in the try body that belongs to this loop (not to a loop nested
  // in it, nor to a nested function) cannot move outside the try.
  static bool controls_loop(Node body) {
    std::vector<Node> pending{body};
    while (!pending.empty()) {
      Node node = pending.back();
      pending.pop_back();
      std::string_view kind = node.kind();
      if (kind == "break_statement" || kind == "continue_statement") return true;
      if (kind == "for_statement" || kind == "while_statement" ||
          kind == "function_definition" || kind == "class_definition" || kind == "lambda") {
        continue;
      }
      for (uint32_t i = 0, n = node.named_child_count(); i < n; ++i) {
        pending.push_back(node.named_child(i));
      }
    }
    return false;
  }
};

}  // namespace

std::unique_ptr<Rule> make_ps803_try_except_in_loop() { return std::make_unique<TryExceptInLoop>(); }

}  // namespace perfscan
