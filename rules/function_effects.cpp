#include "function_effects.hpp"

namespace perfscan {

FunctionEffectFact& function_effect_fact(Context& ctx, const ExecutionFrame& function, bool* created) {
  std::vector<FunctionEffectFact>& functions = ctx.facts().database.functions;
  if (created != nullptr) *created = false;
  // The function being walked is nearly always the last one summarised.
  for (auto it = functions.rbegin(); it != functions.rend(); ++it) {
    if (it->function == function.qualified_name) return *it;
  }
  if (created != nullptr) *created = true;
  // Request handlers are remembered for PS901 (which fields request paths filter on), and with
  // event handlers for PS902 and PS506 (what runs once per request or event).
  switch (ctx.entry_point()) {
    case EntryPoint::request_handler: ctx.facts().database.request_handlers.add(function.qualified_name); break;
    case EntryPoint::event_handler: ctx.facts().database.event_handlers.add(function.qualified_name); break;
    case EntryPoint::none: break;
  }
  FunctionEffectFact fact;
  fact.function = function.qualified_name;
  fact.cached = has_cache_decorator(ctx, function.node);
  fact.is_async = function.is_async;
  functions.push_back(std::move(fact));
  return functions.back();
}

bool has_cache_decorator(const Context& ctx, Node function) {
  Node decorated = function ? function.parent() : Node{};
  if (!decorated || !decorated.is("decorated_definition")) return false;
  for (uint32_t i = 0, n = decorated.named_child_count(); i < n; ++i) {
    Node decorator = decorated.named_child(i);
    if (decorator.is("decorator") && ctx.text(decorator).find("cache") != std::string_view::npos) return true;
  }
  return false;
}

}  // namespace perfscan
