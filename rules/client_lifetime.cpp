// Clients made per call (client_lifetime.hpp): the site test, the records for the link step and
// the link step shared by PS902 and PS506.
#include "client_lifetime.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "function_effects.hpp"
#include "n_plus_one/loop_context.hpp"
#include "n_plus_one/query_shapes.hpp"
#include "rule_helpers.hpp"

namespace perfscan {
namespace {

// Callers printed in a chain before it is cut short (real chains are two or three long).
constexpr int kMaxChainShown = 6;

// The names of the function's parameters, `self` and `cls` left out: an object's own settings
// (`connect(**self.params)`) are the same on every call.
std::vector<std::string_view> parameter_names(const Context& ctx, Node function) {
  std::vector<std::string_view> names;
  Node parameters = function.field("parameters");
  for (uint32_t i = 0, n = parameters ? parameters.named_child_count() : 0; i < n; ++i) {
    Node parameter = parameters.named_child(i);
    if (parameter.is("typed_parameter") || parameter.is("list_splat_pattern") ||
        parameter.is("dictionary_splat_pattern")) {
      parameter = parameter.named_child(0);
    } else if (parameter.is("default_parameter") || parameter.is("typed_default_parameter")) {
      parameter = parameter.field("name");
    }
    if (!parameter || !parameter.is("identifier")) continue;
    std::string_view name = ctx.text(parameter);
    if (name != "self" && name != "cls") names.push_back(name);
  }
  return names;
}

bool arguments_mention(const Context& ctx, Node call, const std::vector<std::string_view>& names) {
  if (names.empty()) return false;
  Node arguments = call.field("arguments");
  if (!arguments) return false;
  for (std::string_view name : identifiers_in(ctx, arguments)) {
    if (std::find(names.begin(), names.end(), name) != names.end()) return true;
  }
  return false;
}

// `redis.Redis(connection_pool=POOL)`, `ClientSession(connector=shared, connector_owner=False)`,
// `httpx.AsyncClient(transport=shared)`: a client object over a pool made elsewhere is cheap to
// make; the connections are the pool's, and reused. A pool made right there (`connector=
// TCPConnector()`) is new with the client.
bool shares_a_pool(const Context& ctx, Node call) {
  Node arguments = call.field("arguments");
  for (uint32_t i = 0, n = arguments ? arguments.named_child_count() : 0; i < n; ++i) {
    Node argument = arguments.named_child(i);
    if (!argument.is("keyword_argument")) continue;
    std::string_view name = ctx.text(argument.field("name"));
    if (name != "connection_pool" && name != "connector" && name != "transport" && name != "pool") continue;
    Node value = argument.field("value");
    if (value && !value.is("call") && !value.is("none")) return true;
  }
  return false;
}

// "`view()`" / "`get_user()` → `_connect()`": the callers from the seed down to `function`.
std::string caller_chain(const ProjectIndex& index, const std::string& function, const RepeatOrigin& origin) {
  std::vector<std::string> callers;
  std::optional<RepeatOrigin> current = origin;
  while (current && !current->next.empty() && callers.size() < kMaxChainShown) {
    // The handler that seeds the walk is named before the chain, not in it.
    if (current->next == origin.seed && !origin.from_loop) break;
    callers.push_back(current->next);
    current = index.repeated_by(current->next);
  }
  std::string text;
  if (callers.size() == kMaxChainShown) text = "… → ";
  for (auto it = callers.rbegin(); it != callers.rend(); ++it) text += fmt::format("`{}()` → ", last_segment(*it));
  return text + fmt::format("`{}()`", last_segment(function));
}

}  // namespace

std::optional<PerCallClient> per_call_client(Context& ctx, Node call, AcceptClient accept) {
  const ExecutionFrame* function = ctx.function();
  if (function == nullptr || function->kind != FrameKind::function) return std::nullopt;
  Node target = call.field("function");
  if (!target.is("identifier") && !target.is("attribute")) return std::nullopt;
  std::string callee = ctx.callee_name(call);
  if (callee.empty()) return std::nullopt;
  PerCallClient client;
  client.canonical = canonical_type(callee);
  client.kind = client_kind(client.canonical);
  if (!accept(client.kind)) return std::nullopt;
  // Start-up code makes the client once (and usually keeps it: then it does not stay either).
  if (!ctx.one_time_path().empty()) return std::nullopt;
  if (shares_a_pool(ctx, call)) return std::nullopt;
  MadeFate fate = ctx.fate_of(call);
  if (fate == MadeFate::returned) {
    // A factory: whoever calls it per request gets a new client each time. (Its arguments may
    // come from its parameters: the callers' arguments decide, at their call sites.)
    FunctionEffectFact& summary = function_effect_fact(ctx, *function);
    if (summary.fresh_client.empty()) {
      summary.fresh_client = client.canonical;
      summary.fresh_client_line = call.line();
    }
    return std::nullopt;
  }
  if (fate != MadeFate::stays) return std::nullopt;
  if (arguments_mention(ctx, call, parameter_names(ctx, function->node))) return std::nullopt;
  client.written = short_text(ctx, target, 60);
  return client;
}

void record_factory_call(const Rule& rule, Context& ctx, Node call, AcceptClient accept, bool in_loops,
                         Severity severity) {
  const ExecutionFrame* function = ctx.function();
  if (function == nullptr || function->kind != FrameKind::function) return;
  Node target = call.field("function");
  if (!target.is("identifier") && !target.is("attribute")) return;
  // Only a result that is bound or used in place can stay in the call: a cheap test first.
  Node parent = call.parent();
  while (parent && (parent.is("parenthesized_expression") || parent.is("await"))) parent = parent.parent();
  if (!parent || !(parent.is("assignment") || parent.is("as_pattern") || parent.is("with_item") ||
                   parent.is("attribute"))) {
    return;
  }
  std::string callee = ctx.deferred_callee(call);
  if (callee.empty() || callee.starts_with("builtins.") || client_kind(canonical_type(callee)) != ClientKind::none) {
    return;
  }
  Value made = ctx.infer(call);
  bool typed = made.kind == ValueKind::instance && accept(client_kind(canonical_type(made.qualified_name)));
  PerIteration per;
  if (!ctx.loops().empty()) {
    if (!in_loops || !typed) return;
    per = per_iteration(ctx, call);
    if (!per.applies() || made_per_loop_target(ctx, call, *per.innermost)) return;
  } else if (!typed && ctx.entry_point() == EntryPoint::none) {
    return;
  }
  if (!ctx.one_time_path().empty() || ctx.fate_of(call) != MadeFate::stays) return;
  if (arguments_mention(ctx, call, parameter_names(ctx, function->node))) return;
  PendingFinding& pending = report_pending(rule, call, ctx, per.applies() ? per.severity() : severity);
  pending.subject = function->qualified_name;
  pending.factory = std::move(callee);
  pending.detail = short_text(ctx, target, 60);
  if (per.applies()) {
    pending.loop_line = per.innermost->node.line();
    pending.finding.message = loop_description(ctx, *per.innermost) + per.severity_reason();
  }
}

bool made_per_loop_target(const Context& ctx, Node call, const LoopFrame& loop) {
  if (!loop.target) return false;
  return arguments_mention(ctx, call, identifiers_in(ctx, loop.target));
}

std::string client_description(const PerCallClient& client) {
  std::string_view what;
  std::string_view canonical = client.canonical;
  if (canonical.ends_with("create_engine") || canonical.ends_with("create_async_engine")) {
    what = "makes a new engine with a connection pool of its own";
  } else if (canonical.ends_with("create_pool")) {
    what = "makes a new connection pool";
  } else if (canonical.ends_with("MongoClient") || canonical.ends_with("MotorClient")) {
    what = "makes a new MongoDB client with a connection pool of its own";
  } else if (client.kind == ClientKind::cache) {
    what = "makes a new Redis client with a connection pool of its own";
  } else if (client.kind == ClientKind::async_http_client) {
    what = "makes a new HTTP session with a connection pool of its own";
  } else {
    what = "opens a new database connection";
  }
  return fmt::format("`{}()` {}", client.written, what);
}

void report_per_call_client(const Rule& rule, Context& ctx, Node call, const PerCallClient& client,
                            Severity severity, const ClientCost& cost) {
  const ExecutionFrame* function = ctx.function();
  if (function == nullptr) return;
  EntryPoint entry = ctx.entry_point();
  if (entry == EntryPoint::none) {
    PendingFinding& pending = report_pending(rule, call, ctx, severity);
    pending.subject = function->qualified_name;
    pending.detail = client_description(client);
    return;
  }
  bool request = entry == EntryPoint::request_handler;
  ctx.report(rule, call,
             fmt::format("{} on every call of {} `{}` and drops it when the call returns: every {} repeats {} "
                         "instead of reusing an open connection",
                         client_description(client), request ? "request handler" : "event handler",
                         last_segment(function->qualified_name), request ? "request" : "event", cost.repeated),
             std::string(cost.suggestion), severity);
}

void link_per_call_clients(const Rule& rule, const ProjectIndex& index, std::vector<Finding>& findings,
                           Severity loop_severity, const ClientCost& cost, AcceptClient accept) {
  for_each_pending(index, rule.info().id, [&](const FileFacts& file, const PendingFinding& pending) {
    std::string description = pending.detail;
    if (!pending.factory.empty()) {
      // `conn = get_db()`: a new client only if get_db makes one on every call.
      std::optional<FunctionSummary> factory =
          index.summary_of(index.resolve_type_expression(pending.factory));
      if (!factory || factory->cached || factory->fresh_client.empty()) return;
      PerCallClient client{client_kind(factory->fresh_client), factory->fresh_client, pending.detail};
      if (!accept(client.kind)) return;
      description = fmt::format("{} (made at {}:{})", client_description(client), factory->path,
                                factory->fresh_client_line);
    }
    Finding finding = confirmed(rule, file, pending);
    std::string_view function = last_segment(pending.subject);
    if (pending.loop_line != 0) {
      // A factory called in a loop of this function: one client per item.
      finding.message = fmt::format(
          "{} for every item of {} and drops it after: every item repeats {} instead of reusing an open connection",
          description, pending.finding.message, cost.repeated);
      finding.suggestion = std::string(cost.suggestion);
      findings.push_back(std::move(finding));
      return;
    }
    std::optional<RepeatOrigin> origin = index.repeated_by(pending.subject);
    if (!origin) return;
    finding.in_test_code = finding.in_test_code || origin->in_test_code;
    if (!origin->from_loop && origin->next.empty() && origin->seed == pending.subject) {
      // The call sits in the handler itself.
      finding.message = fmt::format(
          "{} on every call of {} `{}` and drops it when the call returns: every {} repeats {} instead of reusing "
          "an open connection",
          description, origin->event ? "event handler" : "request handler", function,
          origin->event ? "event" : "request", cost.repeated);
      finding.suggestion = std::string(cost.suggestion);
      findings.push_back(std::move(finding));
      return;
    }
    std::string why;
    std::string chain = caller_chain(index, pending.subject, *origin);
    if (origin->from_loop) {
      finding.severity = loop_severity;
      finding.lowered_on.clear();
      if (!origin->lowered_on.empty()) {
        if (auto lowered = lowered_on_one_time_path(rule.traits(), finding.severity, origin->lowered_on,
                                                    LoopPlace::for_loops)) {
          finding.severity = *lowered;
          finding.lowered_on = origin->lowered_on;
        }
      }
      why = fmt::format("once per item: the loop at {}:{} (in `{}()`) calls {}", origin->path, origin->line,
                        last_segment(origin->seed), chain);
    } else {
      why = fmt::format("once per {}: {} `{}` calls {}", origin->event ? "event" : "request",
                        origin->event ? "event handler" : "request handler", last_segment(origin->seed), chain);
    }
    finding.message = fmt::format(
        "{} on every call of `{}()` and drops it when the call returns, and `{}()` runs {}: every call repeats {} "
        "instead of reusing an open connection",
        description, function, function, why, cost.repeated);
    finding.suggestion = std::string(cost.suggestion);
    findings.push_back(std::move(finding));
  });
}

}  // namespace perfscan
