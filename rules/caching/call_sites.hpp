// Call sites of one function body with the path that leads to each, so that rules can ask
// whether two calls run in the same invocation (PS703 recursion, PS704 repeated I/O).
#pragma once

#include <functional>
#include <vector>

#include "perfscan/node.hpp"

namespace perfscan::call_sites {

struct CallSite {
  Node call;
  std::vector<Node> ancestors;  // from the body down to the call's parent
};

enum class Visit { ignore, record, abort };

// Walks `body` (not into nested defs, lambdas or classes), asking `visit` about every node.
// Records the calls it answers `record` for, up to `max_sites` (each keeps its path, which can be
// thousands of nodes deep in generated code), then stops. False when `visit` aborted or the body
// is too large to look at.
bool collect(Node body, const std::function<Visit(Node)>& visit, std::vector<CallSite>& sites,
             std::size_t max_sites = 32);

// True when nothing conditional (an `if`, a conditional expression, `and`/`or`, `try`, a loop, a
// comprehension, `match`) separates the two calls from the node they share: whenever one runs,
// so does the other.
bool run_together(const CallSite& a, const CallSite& b);

}  // namespace perfscan::call_sites
