// PS402 bytes-concat-in-loop: a bytes object grown with `+=` / `b = b + ...` across loop
// iterations. Documentation: PS402.md beside this file.
#include <fmt/format.h>

#include "concat_shapes.hpp"
#include "perfscan/context.hpp"
#include "perfscan/rule.hpp"

namespace perfscan {
namespace {

class BytesConcatInLoop final : public Rule {
 public:
  BytesConcatInLoop()
      : Rule({"PS402", "bytes-concat-in-loop", Category::string_concat, Severity::medium,
              "Bytes built by repeated concatenation inside a loop"}) {}

  [[nodiscard]] std::vector<std::string_view> node_kinds() const override {
    return {"augmented_assignment", "assignment"};
  }

  void check(Node statement, Context& ctx) const override {
    string_concat::Accumulation grown = string_concat::text_accumulation(ctx, statement);
    if (grown.kind != ValueKind::bytes) return;
    std::string_view name = ctx.text(grown.target);
    ctx.report(*this, statement,
               fmt::format("Bytes `{}` are built by concatenation inside a loop: bytes are "
                           "immutable and never grown in place, so each step copies everything "
                           "built so far (O(n²) in the total length){}",
                           name, grown.data_sized ? ", over a loop sized by the data" : ""),
               fmt::format("accumulate into a `bytearray` (`buf = bytearray()`, `buf += chunk`, "
                           "amortised O(1) per byte) or collect the chunks in a list and "
                           "`{} = b''.join(chunks)` once after the loop",
                           name),
               grown.data_sized ? Severity::high : Severity::medium);
  }
};

}  // namespace

std::unique_ptr<Rule> make_ps402_bytes_concat_in_loop() {
  return std::make_unique<BytesConcatInLoop>();
}

}  // namespace perfscan
