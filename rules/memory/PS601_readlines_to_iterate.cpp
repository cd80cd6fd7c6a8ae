// PS601 readlines-to-iterate: `for line in f.readlines()`, `f.read().splitlines()`,
// `lines = f.readlines()` iterated once, `list(open(...))`: the whole file held in memory where
// iterating the file object streams it line by line.
// Documentation: PS601.md beside this file.
#include <fmt/format.h>

#include "fix_edits.hpp"
#include "loops/loop_helpers.hpp"
#include "memory/call_shapes.hpp"
#include "perfscan/context.hpp"
#include "perfscan/rule.hpp"
#include "perfscan/types.hpp"
#include "rule_helpers.hpp"

namespace perfscan {
namespace {

class ReadlinesToIterate final : public Rule {
 public:
  ReadlinesToIterate()
      : Rule({"PS601", "readlines-to-iterate", Category::memory, Severity::low,
              "Whole file read into a list of lines only to iterate over it"}) {}

  [[nodiscard]] std::vector<std::string_view> node_kinds() const override {
    return {"for_statement", "for_in_clause", "call"};
  }

  void check(Node node, Context& ctx) const override {
    if (node.is("call")) {
      check_list_of_open(node, ctx);
      return;
    }
    Node iterable = shapes::unparenthesised(node.field("right"));
    if (!iterable) return;
    if (Node file = shapes::whole_file_lines_receiver(ctx, iterable)) {
      if (!is_in_memory_stream(ctx.infer(file))) report_iteration(ctx, node, iterable, file);
      return;
    }
    if (iterable.is("identifier") && node.is("for_statement")) check_lines_variable(ctx, iterable);
  }

 private:
  void report_iteration(Context& ctx, Node loop, Node iterable, Node file) const {
    std::string source = short_text(ctx, file);
    Finding& finding = ctx.report(*this, iterable,
               fmt::format("`{}` reads the whole file into a list of lines before the loop "
                           "sees the first one",
                           short_text(ctx, iterable)),
               fmt::format("iterate the file object itself, `for line in {}:`, which reads one "
                           "line at a time (strip the trailing newline with `line.rstrip(\"\\n\")` "
                           "if needed)",
                           source));
    if (Node call = shapes::unparenthesised(iterable); call && call.is("call") &&
                                                      ctx.text(call).ends_with("readlines()")) {
      finding.fix = fixes::make(iteration_safety(ctx, loop, file),
                                {fixes::replace(ctx, call, fixes::as_primary(ctx, file))});
    }
  }

  // `for line in f.readlines()` -> `for line in f`: the same lines, read as the loop goes
  // instead of all before it. Safe only when nothing can tell the difference: `f` is known to
  // be a file and the loop never touches it (a `f.readline()` or `f.seek()` in the body would
  // see another position), never leaves early (`break` leaves the file's position on the
  // current line instead of at its end) and never suspends (`yield`, `await`: other code could
  // read or close the file meanwhile). A comprehension runs to the end at once, except a
  // generator expression, which would read a file that may be closed by then.
  static FixSafety iteration_safety(const Context& ctx, Node loop, Node file) {
    if (!is_file_object(ctx.infer(file))) return FixSafety::unsafe;
    std::string_view name = ctx.text(file);
    if (loop.is("for_statement")) {
      for (Node part : {loop.field("body"), loop.field("alternative")}) {
        if (!part) continue;
        if (loops::mentions(ctx, part, name) || fixes::contains_kind(part, "break_statement") ||
            fixes::contains_kind(part, "yield") || fixes::contains_kind(part, "await")) {
          return FixSafety::unsafe;
        }
      }
      return FixSafety::safe;
    }
    Node comprehension = loop.parent();
    if (!comprehension || comprehension.is("generator_expression")) return FixSafety::unsafe;
    loops::Occurrences found = loops::occurrences_of(ctx, comprehension, name);
    return found.complete && found.items.size() == 1 ? FixSafety::safe : FixSafety::unsafe;
  }

  // `lines = f.readlines()` followed by `for line in lines:` and no other use of `lines`. Inside
  // a loop the same read is PS606's business.
  void check_lines_variable(Context& ctx, Node name) const {
    const Binding* binding = ctx.lookup(ctx.text(name));
    const ExecutionFrame* function = ctx.function();
    if (binding == nullptr || function == nullptr || binding->kind != BindingKind::assignment) return;
    Node assignment = binding->node;
    if (!assignment || !assignment.is("assignment") || !assignment.field("left").is("identifier")) {
      return;
    }
    Node value = assignment.field("right");
    Node file = shapes::whole_file_lines_receiver(ctx, value);
    // An in-memory stream holds every line already: the list costs no read.
    if (!file || is_in_memory_stream(ctx.infer(file))) return;
    for (const LoopFrame& loop : ctx.loops()) {
      if (loop.node.contains(assignment)) return;
    }
    if (!shapes::only_iterated_once(ctx, function->node, ctx.text(name))) return;
    if (used_again_before_loop_ends(ctx, file, value, name)) return;
    ctx.report(*this, name,
               fmt::format("`{}` holds every line of the file (`{}`) only to be iterated once",
                           ctx.text(name), short_text(ctx, value)),
               fmt::format("iterate the file object itself, `for line in {}:`, which reads one "
                           "line at a time",
                           short_text(ctx, file)));
  }

  // `reader = make_reader(target)` between the read and the end of the loop: another reader
  // shares the file's position, so iterating the file itself would move it under that reader.
  static bool used_again_before_loop_ends(const Context& ctx, Node file, Node read, Node name) {
    if (!file.is("identifier")) return false;
    Node statement = name;
    while (statement && !statement.is("for_statement")) statement = statement.parent();
    const ExecutionFrame* function = ctx.function();
    if (!statement || function == nullptr) return false;
    std::string_view file_name = ctx.text(file);
    std::vector<Node> pending{function->node};
    constexpr int kMaxNodes = 50000;
    for (int visited = 0; !pending.empty() && visited < kMaxNodes; ++visited) {
      Node node = pending.back();
      pending.pop_back();
      if (node.end_byte() <= read.end_byte() || node.start_byte() >= statement.end_byte()) continue;
      if (node.is("identifier") && ctx.text(node) == file_name && !read.contains(node)) return true;
      shapes::push_named_children(node, pending);
    }
    return false;
  }

  void check_list_of_open(Node call, Context& ctx) const {
    Node argument = shapes::sole_positional_argument(call);
    if (!argument || !argument.is("call") || !shapes::is_file_open(ctx.callee_name(argument))) return;
    if (ctx.callee_name(call) != "builtins.list") return;
    ctx.report(*this, call,
               "`list(open(...))` reads every line into memory and leaves closing the file to "
               "the garbage collector",
               fmt::format("`with {} as f:` and iterate `f` line by line (or `f.readlines()` "
                           "inside the `with` when the list is really needed)",
                           short_text(ctx, argument)));
  }

};

}  // namespace

std::unique_ptr<Rule> make_ps601_readlines_to_iterate() {
  return std::make_unique<ReadlinesToIterate>();
}

}  // namespace perfscan
