// PS204 remote-call-in-loop: one HTTP request or Redis round trip per iteration of a loop.
// Documentation: PS204.md beside this file.
#include <fmt/format.h>

#include "knowledge.hpp"
#include "loop_context.hpp"
#include "perfscan/context.hpp"
#include "perfscan/rule.hpp"

namespace perfscan {
namespace {

class RemoteCallInLoop final : public Rule {
 public:
  RemoteCallInLoop()
      : Rule({"PS204", "remote-call-in-loop", Category::n_plus_one, Severity::high,
              "HTTP request or Redis command sent on every iteration of a loop"}) {}

  [[nodiscard]] std::vector<std::string_view> node_kinds() const override { return {"call"}; }

  void check(Node call, Context& ctx) const override {
    if (ctx.loops().empty()) return;
    CallEffect effect = classify_call(ctx, call);
    if (effect.kind != EffectKind::http && effect.kind != EffectKind::redis) return;
    PerIteration per = per_iteration(ctx, call);
    if (!per.applies()) return;
    std::string_view what = effect.kind == EffectKind::http ? "an HTTP request" : "a Redis round trip";
    ctx.report(*this, call,
               fmt::format("`{}` makes {} on every iteration of {}{}", effect.api, what,
                           loop_description(ctx, *per.innermost), per.severity_reason()),
               batched_form(effect), per.severity());
  }
};

}  // namespace

std::unique_ptr<Rule> make_ps204_remote_call_in_loop() { return std::make_unique<RemoteCallInLoop>(); }

}  // namespace perfscan
