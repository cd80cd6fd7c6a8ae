#include "caching/call_sites.hpp"

#include "memory/call_shapes.hpp"

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

bool collect(Node body, const std::function<Visit(Node)>& visit, std::vector<CallSite>& sites,
             std::size_t max_sites) {
  constexpr int kMaxNodes = 20000;
  struct Item {
    Node node;
    std::size_t depth;
  };
  std::vector<Item> pending{{body, 0}};
  std::vector<Node> path;
  std::vector<Node> children;
  for (int visited = 0; !pending.empty(); ++visited) {
    if (visited > kMaxNodes) return false;
    auto [node, depth] = pending.back();
    pending.pop_back();
    path.resize(depth);
    std::string_view kind = node.kind();
    if (kind == "function_definition" || kind == "lambda" || kind == "class_definition") continue;
    Visit verdict = visit(node);
    if (verdict == Visit::abort) return false;
    if (verdict == Visit::record) {
      sites.push_back(CallSite{node, path});
      if (sites.size() >= max_sites) return true;
    }
    path.push_back(node);
    children.clear();
    shapes::push_named_children(node, children);
    for (Node child : children) pending.push_back(Item{child, depth + 1});
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
