// Stage 3: one walk over a file's tree. The walker keeps the Context in step with the node
// being visited (scopes, bindings, enclosing function and loops) and calls the rules that
// subscribed to the node's kind.
#pragma once

#include <cstdint>
#include <vector>

#include "perfscan/context.hpp"
#include "perfscan/rule.hpp"
#include "semantic/file_types.hpp"
#include "semantic/kinds.hpp"
#include "semantic/suppressions.hpp"

namespace perfscan {

// Which rules want which node kinds, by grammar symbol. Built once per scan.
class RuleDispatch {
 public:
  explicit RuleDispatch(const std::vector<const Rule*>& rules, RuleSettings settings = {});
  // Settings every file's Context is created with.
  [[nodiscard]] const RuleSettings& settings() const { return settings_; }
  [[nodiscard]] const std::vector<const Rule*>& rules_for(TSSymbol symbol) const {
    static const std::vector<const Rule*> kNone;
    if (symbol == kErrorSymbol) return error_rules_;
    return symbol < by_symbol_.size() ? by_symbol_[symbol] : kNone;
  }

 private:
  std::vector<std::vector<const Rule*>> by_symbol_;
  std::vector<const Rule*> error_rules_;
  RuleSettings settings_;
};

// A file is walked twice. The first walk (collect_types) dispatches no rule and records what the
// file's classes and functions are (FileTypes): attribute types agreed across all methods,
// return types, growing collections. The second walk (check) answers every rule's questions
// with that knowledge, so a use sees what code written further down the file establishes.
enum class WalkMode : std::uint8_t { collect_types, check };

class Walker {
 public:
  // collect_types: records into `types` (which must outlive the walk). check: reads `types`
  // (may be null: then only local reasoning answers) and calls the rules.
  Walker(Context& context, const RuleDispatch& dispatch, WalkMode mode = WalkMode::check,
         FileTypes* types = nullptr);
  // Walks the whole tree without recursion: depth is bounded only by memory.
  void walk(Node root);

 private:
  // What entering a node pushed onto the context, so leaving it pops exactly that.
  struct Entry {
    Node node;
    SemKind kind = SemKind::other;
    std::uint16_t loops_pushed = 0;
    bool scope_pushed = false;
    bool frame_pushed = false;
    bool with_pushed = false;
    bool try_pushed = false;
    bool statement_pushed = false;
  };

  void enter(Node node, TSFieldId field);
  void leave(const Entry& entry);
  // semantic_kind() without its call: the walk asks for every node.
  [[nodiscard]] SemKind kind_of(TSSymbol symbol) const {
    if (symbol == kErrorSymbol) return SemKind::error;
    return symbol < kinds_.size() ? kinds_[symbol] : SemKind::other;
  }
  static bool opens_child_regions(SemKind kind);
  void enter_child_region(const Entry& parent, Node child, TSFieldId field, Entry& entry);
  void apply_node_effects(Entry& entry);
  void hoist_module_bindings(Node module);

  void push_scope(FrameKind kind, Entry& entry);
  void push_frame(FrameKind kind, Node node, bool is_async, std::string_view name, Entry& entry);
  void push_loop(LoopFrame loop, Entry& entry);

  void bind(std::string_view name, Binding binding);
  void bind_pattern(Node pattern, BindingKind kind);
  // Binds the names of `pattern` to the parts of `value`: `a, b = X(), Y()`, `for i, p in
  // enumerate(paths)`, `for k, (a, b) in ...`.
  void bind_pattern_value(Node pattern, const Value& value, BindingKind kind, Node made_by);
  void bind_parameters(Node function, Node parameters);
  void hoist_bindings(Node container, bool only_unbound);
  void hoist_enclosing_function();
  void bind_import(Node statement);
  void bind_import_from(Node statement);
  void bind_assignment(Node assignment);
  void bind_augmented_assignment(Node assignment);
  void bind_definition(Node definition, BindingKind kind);
  void bind_with_targets(Node with_statement);
  void record_call_fact(Node call);
  void record_suppression(Node comment);

  // ---- the first walk: what the file's classes and functions are ---------------------------
  void record_class(Node class_definition);
  void record_function(Node function_definition);
  void record_return(Node return_statement);
  void record_attribute_assignment(Node target, const Value& value, bool annotated);
  void record_class_level_assignment(Node target, const Value& value, bool annotated);
  Value merged_with_other_branch(std::string_view name, Node statement, const Value& value) const;
  // An assignment nested as the value of another (`b = value` in `a = b = value`).
  static bool is_chained_link(Node assignment);
  // `bounded_step`: the statement adds one item or a collection the program text bounds.
  void record_growth(Node collection, bool bounded_step);
  [[nodiscard]] bool is_bounded_operand(Node added) const;
  void record_growth_by_call(Node call);
  void finish_function(Node function_definition);
  FunctionTypes* current_function_types();

  Context& ctx_;
  const RuleDispatch& dispatch_;
  WalkMode mode_;
  FileTypes* types_ = nullptr;  // written in collect_types
  const std::vector<SemKind>& kinds_ = semantic_kinds();
  std::vector<Entry> stack_;
  // Functions whose own bindings were hoisted for the functions nested in them (late binding).
  std::vector<std::uint32_t> hoisted_functions_;
};

// Walks a file the way a scan does: a first walk that records `types` (which must outlive
// `context`), then `context`'s own walk, which dispatches the rules and answers them with it.
void walk_file(Context& context, const RuleDispatch& dispatch, Node root, FileTypes& types);

}  // namespace perfscan
