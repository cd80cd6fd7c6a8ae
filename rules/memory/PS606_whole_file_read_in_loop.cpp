// PS606 whole-file-read-in-loop: inside a loop over files, each file read whole and split into
// lines (`f.read().splitlines()`, `f.readlines()`, `p.read_text().splitlines()`).
// Documentation: PS606.md beside this file.
#include <fmt/format.h>

#include "memory/call_shapes.hpp"
#include "perfscan/context.hpp"
#include "perfscan/node_kinds.hpp"
#include "perfscan/rule.hpp"
#include "rule_helpers.hpp"

namespace perfscan {
namespace {

class WholeFileReadInLoop final : public Rule {
 public:
  WholeFileReadInLoop()
      : Rule({"PS606", "whole-file-read-in-loop", Category::memory, Severity::medium,
              "Each file of a loop read whole into a list of lines"}) {}

  [[nodiscard]] std::vector<std::string_view> node_kinds() const override { return {"call"}; }

  void check(Node call, Context& ctx) const override {
    auto loops = ctx.loops();
    if (loops.empty()) return;
    Node file = shapes::whole_file_lines_receiver(ctx, call);
    if (!file) return;
    // Iterated directly (`for line in f.readlines()`): PS601 says it.
    Node parent = call.parent();
    if (parent && (parent.is("for_statement") || parent.is("for_in_clause")) &&
        parent.field("right") == call) {
      return;
    }
    const LoopFrame& loop = loops.back();
    if (loop.kind != LoopKind::for_loop || !opened_in(ctx, file, loop)) return;
    if (!only_iterated(ctx, call, parent, loop)) return;
    ctx.report(*this, call,
               fmt::format("`{}` reads each file of the loop over `{}` whole and splits it into "
                           "a list: a large file costs its size twice in memory",
                           short_text(ctx, call), short_text(ctx, loop.iterable)),
               fmt::format("stream each file: `for line in {}:` reads one line at a time "
                           "(count lines with `sum(1 for _ in f)`)",
                           kinds::call.matches(file) ? "open(...)" : short_text(ctx, file)));
  }

 private:
  // The list is only walked: counted with len(), or bound to a name whose one other use is a
  // loop over it. A list kept (`rows.append(f.readlines())`) is what the code wants.
  static bool only_iterated(const Context& ctx, Node call, Node parent, const LoopFrame& loop) {
    if (parent && kinds::argument_list.matches(parent)) {
      Node outer = parent.parent();
      return outer && kinds::call.matches(outer) && ctx.callee_name(outer) == "builtins.len" &&
             parent.named_child_count() == 1;
    }
    if (!parent || !kinds::assignment.matches(parent) || parent.field("right") != call) return false;
    Node target = parent.field("left");
    return kinds::identifier.matches(target) &&
           shapes::only_iterated_once(ctx, loop.node, ctx.text(target));
  }

  // The file is opened by this loop's iteration: `open(...)` itself, a `with open(...) as f`
  // inside the loop, or `path.read_text()` on the loop's own variable.
  static bool opened_in(const Context& ctx, Node file, const LoopFrame& loop) {
    file = shapes::unparenthesised(file);
    if (kinds::call.matches(file)) {
      std::string callee = ctx.callee_name(file);
      return shapes::is_file_open(callee);
    }
    if (!kinds::identifier.matches(file)) return false;
    std::string_view name = ctx.text(file);
    const Binding* binding = ctx.lookup(name);
    if (binding == nullptr) return false;
    if (binding->kind == BindingKind::with_target || binding->kind == BindingKind::assignment) {
      bool opened = binding->value.kind == ValueKind::instance &&
                    shapes::is_file_open(binding->value.qualified_name);
      return opened && binding->node && loop.node.contains(binding->node);
    }
    // `for path in paths: path.read_text().splitlines()`
    return binding->kind == BindingKind::loop_target && loop.target &&
           loop.target.is("identifier") && ctx.text(loop.target) == name;
  }
};

}  // namespace

std::unique_ptr<Rule> make_ps606_whole_file_read_in_loop() {
  return std::make_unique<WholeFileReadInLoop>();
}

}  // namespace perfscan
