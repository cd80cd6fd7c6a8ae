// Comparing and merging values: the one place that decides what two assignments, two branches
// or two returns that disagree leave a name holding.
#include "perfscan/semantic.hpp"

namespace perfscan {
namespace {

// Unions wider than this say too little to act on.
constexpr std::size_t kMaxUnionMembers = 4;

CollectionSize merged_size(CollectionSize a, CollectionSize b) {
  if (a == CollectionSize::data || b == CollectionSize::data) return CollectionSize::data;
  if (a == CollectionSize::bounded && b == CollectionSize::bounded) return CollectionSize::bounded;
  return CollectionSize::unknown;
}

void add_member(std::vector<Value>& members, const Value& value) {
  for (Value& member : members) {
    if (member.same_type(value)) {
      member.growing = member.growing || value.growing;
      member.size = merged_size(member.size, value.size);
      return;
    }
  }
  Value copy = value;
  copy.maybe_none = false;
  members.push_back(std::move(copy));
}

}  // namespace

bool Value::same_type(const Value& other) const {
  if (kind != other.kind || qualified_name != other.qualified_name || members.size() != other.members.size()) {
    return false;
  }
  for (std::size_t i = 0; i < members.size(); ++i) {
    if (!members[i].same_type(other.members[i])) return false;
  }
  if (static_cast<bool>(element) != static_cast<bool>(other.element)) return false;
  return !element || element == other.element || element->same_type(*other.element);
}

Value merge_values(const Value& a, const Value& b) {
  if (!a.is_known() || !b.is_known()) {
    // Two coroutines of unknown result are still coroutines.
    Value coroutine;
    coroutine.awaitable = a.awaitable && b.awaitable;
    return coroutine;
  }
  if (a.kind == ValueKind::none || b.kind == ValueKind::none) {
    Value value = a.kind == ValueKind::none ? b : a;
    if (value.kind != ValueKind::none) value.maybe_none = true;
    return value;
  }
  if (a.same_type(b)) {
    Value value = a;
    value.maybe_none = a.maybe_none || b.maybe_none;
    value.growing = a.growing || b.growing;
    value.awaitable = a.awaitable && b.awaitable;
    value.size = merged_size(a.size, b.size);
    return value;
  }
  Value value{ValueKind::union_of, {}};
  value.maybe_none = a.maybe_none || b.maybe_none;
  a.for_each_alternative([&](const Value& member) { add_member(value.members, member); });
  b.for_each_alternative([&](const Value& member) { add_member(value.members, member); });
  if (value.members.size() > kMaxUnionMembers) return {};
  if (value.members.size() == 1) {
    Value single = value.members.front();
    single.maybe_none = value.maybe_none;
    return single;
  }
  return value;
}

}  // namespace perfscan
