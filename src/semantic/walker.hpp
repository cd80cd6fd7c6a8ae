// Stage 3: one walk over a file's tree. The walker keeps the Context in step with the node
// being visited (scopes, bindings, enclosing function and loops) and calls the rules that
// subscribed to the node's kind.
#pragma once

#include <cstdint>
#include <vector>

#include "perfscan/context.hpp"
#include "perfscan/rule.hpp"
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

class Walker {
 public:
  Walker(Context& context, const RuleDispatch& dispatch);
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
  void enter_child_region(const Entry& parent, Node child, TSFieldId field, Entry& entry);
  void apply_node_effects(Entry& entry);
  void hoist_module_bindings(Node module);

  void push_scope(FrameKind kind, Entry& entry);
  void push_frame(FrameKind kind, Node node, bool is_async, std::string_view name, Entry& entry);
  void push_loop(LoopFrame loop, Entry& entry);

  void bind(std::string_view name, Binding binding);
  void bind_pattern(Node pattern, BindingKind kind);
  void bind_parameters(Node parameters);
  void bind_import(Node statement);
  void bind_import_from(Node statement);
  void bind_assignment(Node assignment);
  void bind_augmented_assignment(Node assignment);
  void bind_definition(Node definition, BindingKind kind);
  void bind_with_targets(Node with_statement);
  void record_call_fact(Node call);
  void record_suppression(Node comment);

  Context& ctx_;
  const RuleDispatch& dispatch_;
  std::vector<Entry> stack_;
};

}  // namespace perfscan
