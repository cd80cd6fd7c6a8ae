#include "caching/call_sites.hpp"

namespace perfscan::call_sites {
namespace {

bool is_branching(Node node) {
  std::string_view kind = node.kind();
  return kind == "if_statement" || kind == "conditional_expression" ||
         kind == "match_statement" || kind == "try_statement" || kind == "boolean_operator" ||
         kind == "while_statement" || kind == "for_statement" || kind == "list_comprehension" ||
         kind == "generator_expression" || kind == "set_comprehension" ||
         kind == "dictionary_comprehension";
}

}  // namespace

bool collect(Node body, const std::function<Visit(Node)>& visit, std::vector<CallSite>& sites) {
  constexpr int kMaxNodes = 20000;
  struct Item {
    Node node;
    std::size_t depth;
  };
  std::vector<Item> pending{{body, 0}};
  std::vector<Node> path;
  for (int visited = 0; !pending.empty(); ++visited) {
    if (visited > kMaxNodes) return false;
    auto [node, depth] = pending.back();
    pending.pop_back();
    path.resize(depth);
    std::string_view kind = node.kind();
    if (kind == "function_definition" || kind == "lambda" || kind == "class_definition") continue;
    Visit verdict = visit(node);
    if (verdict == Visit::abort) return false;
    if (verdict == Visit::record) sites.push_back(CallSite{node, path});
    path.push_back(node);
    for (uint32_t i = node.named_child_count(); i-- > 0;) {
      pending.push_back(Item{node.named_child(i), depth + 1});
    }
  }
  return true;
}

bool run_together(const CallSite& a, const CallSite& b) {
  std::size_t common = 0;
  while (common < a.ancestors.size() && common < b.ancestors.size() &&
         a.ancestors[common] == b.ancestors[common]) {
    ++common;
  }
  // Sharing a branching node means sitting in different arms of it.
  if (common > 0 && is_branching(a.ancestors[common - 1])) return false;
  auto conditional_below = [common](const CallSite& site) {
    for (std::size_t i = common; i < site.ancestors.size(); ++i) {
      if (is_branching(site.ancestors[i])) return true;
    }
    return false;
  };
  return !conditional_below(a) && !conditional_below(b);
}

}  // namespace perfscan::call_sites
