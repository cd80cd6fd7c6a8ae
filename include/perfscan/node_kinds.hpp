// Node kinds compared by grammar symbol instead of by name.
//
// `node.is("call")` looks up the kind's name and compares two strings; the semantic layer and
// the rules ask such questions tens of millions of times per scan, and profiles showed the
// compares costing as much as whole rules. A KindName resolves a name once to the grammar
// symbols that carry it (several can: tree-sitter aliases), after which `matches` is an array
// look-up. The answer is node.is's own: the same table of names decides both.
#pragma once

#include <string_view>
#include <vector>

#include "perfscan/node.hpp"

namespace perfscan {

class KindName {
 public:
  explicit KindName(std::string_view name) : name_(name) {
    const std::vector<std::string_view>& names = symbol_names();
    symbols_.reserve(names.size());
    for (std::string_view symbol : names) symbols_.push_back(symbol == name);
  }

  // node.is(name), for the name this was made with.
  [[nodiscard]] bool matches(Node node) const {
    if (node.is_null()) return false;
    TSSymbol symbol = node.symbol();
    // Symbols past the grammar's table (ERROR) are named by tree-sitter itself: ask by name.
    return symbol < symbols_.size() ? symbols_[symbol] != 0 : node.is(name_);
  }

 private:
  std::string_view name_;
  std::vector<unsigned char> symbols_;  // indexed by symbol: 1 when it carries the name
};

// The kinds the semantic layer and the hottest rules ask about most.
namespace kinds {
inline const KindName argument_list{"argument_list"};
inline const KindName assignment{"assignment"};
inline const KindName attribute{"attribute"};
inline const KindName call{"call"};
inline const KindName class_definition{"class_definition"};
inline const KindName comment{"comment"};
inline const KindName default_parameter{"default_parameter"};
inline const KindName dictionary_splat{"dictionary_splat"};
inline const KindName function_definition{"function_definition"};
inline const KindName identifier{"identifier"};
inline const KindName keyword_argument{"keyword_argument"};
inline const KindName keyword_separator{"keyword_separator"};
inline const KindName list_splat{"list_splat"};
inline const KindName parenthesized_expression{"parenthesized_expression"};
inline const KindName positional_separator{"positional_separator"};
inline const KindName subscript{"subscript"};
inline const KindName typed_default_parameter{"typed_default_parameter"};
inline const KindName typed_parameter{"typed_parameter"};
}  // namespace kinds

}  // namespace perfscan
