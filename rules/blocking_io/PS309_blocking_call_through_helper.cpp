// PS309 blocking-call-through-helper: an async function calls a sync project function that
// blocks the event loop, directly or through the sync functions it calls, in any module.
// Documentation: PS309.md beside this file.
//
// During the walk every sync function records the first blocking call it makes (its summary,
// FunctionEffectFact::blocking_*); the hidden async call-site collector records every unawaited
// call made directly by an async function. The link step closes the summaries over the
// project's call graph (ProjectIndex::blocking_of) and keeps the call sites whose callee blocks.
#include <fmt/format.h>

#include "async/async_helpers.hpp"
#include "blocking_io/blocking_call_rule.hpp"
#include "function_effects.hpp"
#include "n_plus_one/query_shapes.hpp"
#include "perfscan/project.hpp"
#include "rule_helpers.hpp"

namespace perfscan {
namespace {

// Chains longer than this are shortened in the message (they do not occur in real code).
constexpr int kMaxChainShown = 8;

// The blocking call as a reader knows it: `open`, `time.sleep`, `requests.Session.get`.
std::string_view call_name(std::string_view canonical) {
  constexpr std::string_view kBuiltins = "builtins.";
  return canonical.starts_with(kBuiltins) ? canonical.substr(kBuiltins.size()) : canonical;
}

// What a blocking kind does, completing "`open()` ...".
struct KindText {
  std::string_view what;
  std::string_view alternative;
};

KindText kind_text(BlockingKind kind) {
  switch (kind) {
    case BlockingKind::http: return {"makes a blocking HTTP request", "an async client (httpx.AsyncClient, aiohttp)"};
    case BlockingKind::sleep: return {"sleeps the thread", "`await asyncio.sleep(...)`"};
    case BlockingKind::subprocess: return {"runs a subprocess and waits for it", "`asyncio.create_subprocess_exec`"};
    case BlockingKind::file_io: return {"does blocking file I/O", "`aiofiles` / `anyio.open_file`"};
    case BlockingKind::fs_metadata: return {"makes a blocking filesystem call", "`anyio.Path` / `aiofiles.os`"};
    case BlockingKind::db_driver: return {"runs a query with a sync database driver", "an async driver"};
    case BlockingKind::socket: return {"uses a blocking socket or resolver call", "asyncio streams"};
    case BlockingKind::wait: return {"waits on a thread primitive", "an asyncio primitive"};
  }
  return {"blocks", "an async equivalent"};
}

Severity severity_of(BlockingKind kind, bool in_loop) {
  Severity base = kind == BlockingKind::fs_metadata ? Severity::medium : Severity::high;
  if (!in_loop) return base;
  return base == Severity::medium ? Severity::high : Severity::critical;
}

class BlockingCallThroughHelper final : public Rule, public ProjectRule {
 public:
  BlockingCallThroughHelper()
      : Rule({"PS309", "blocking-call-through-helper", Category::blocking_io, Severity::high,
              "Async function calls a sync project function that blocks the event loop"}) {}

  [[nodiscard]] std::vector<std::string_view> node_kinds() const override { return {"call"}; }

  void check(Node call, Context& ctx) const override {
    const ExecutionFrame* function = ctx.function();
    if (function == nullptr || function->kind != FrameKind::function || function->is_async) return;
    summarise_blocking(call, ctx, *function);
  }

  void link(const ProjectIndex& index, std::vector<Finding>& findings) const override {
    // The calls async functions make, recorded once for PS309 and PS301–PS308
    // (async_call_sites.cpp).
    for_each_pending(index, kAsyncCallSite, [&](const FileFacts& file, const PendingFinding& pending) {
      std::string callee = index.defining_function(index.resolve_type_expression(pending.subject));
      std::optional<CallOrigin> origin = index.blocking_of(callee);
      if (!origin) return;
      auto kind = static_cast<BlockingKind>(origin->kind - 1);
      Finding finding = confirmed(*this, file, pending);
      finding.rule_id = std::string(info().id);
      finding.category = info().category;
      finding.severity = severity_of(kind, pending.loop_line != 0);
      KindText text = kind_text(kind);
      std::string_view async_function = last_segment(pending.finding.scope);
      finding.message = fmt::format(
          "`{}()` blocks the event loop inside async function `{}`{}: {} → `{}()` at {}:{} {}",
          pending.detail, async_function, pending.loop_line != 0 ? ", once per loop iteration" : "",
          chain(index, callee), call_name(origin->call), origin->path, origin->line, text.what);
      finding.suggestion = fmt::format(
          "run it on a thread, `await asyncio.to_thread({}, ...)` (or `loop.run_in_executor`), or make the helper "
          "async and use {} inside it",
          pending.detail, text.alternative);
      findings.push_back(std::move(finding));
    });
  }

 private:
  // A sync function's summary: the first blocking call it makes.
  static void summarise_blocking(Node call, Context& ctx, const ExecutionFrame& function) {
    FunctionEffectFact& fact = function_effect_fact(ctx, function);
    if (fact.blocking_kind != 0) return;
    std::optional<BlockingMatch> match = match_blocking_call(ctx, call);
    if (!match) return;
    fact.blocking_kind = static_cast<std::uint16_t>(static_cast<int>(match->entry.kind) + 1);
    fact.blocking_call = match->callee;
    fact.blocking_line = call.line();
  }

  // "`refresh()` → `_load()`": the project functions from the called one to the one that makes
  // the blocking call.
  static std::string chain(const ProjectIndex& index, const std::string& start) {
    std::string text = fmt::format("`{}()`", last_segment(start));
    std::string current = start;
    for (int step = 0; step < kMaxChainShown; ++step) {
      std::optional<CallOrigin> origin = index.blocking_of(current);
      if (!origin || origin->next.empty()) return text;
      current = origin->next;
      text += fmt::format(" → `{}()`", last_segment(current));
    }
    return text + " → …";
  }
};

}  // namespace

std::unique_ptr<Rule> make_ps309_blocking_call_through_helper() {
  return std::make_unique<BlockingCallThroughHelper>();
}

}  // namespace perfscan
