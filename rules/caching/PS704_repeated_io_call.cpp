// PS704 repeated-io-call: the same known I/O call (`os.stat(p)`, `requests.get(url)`,
// `os.listdir(d)`, ...) with the same arguments made twice or more in one function run, with
// nothing in between that could change the answer.
// Documentation: PS704.md beside this file.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <unordered_map>
#include <vector>

#include "caching/call_sites.hpp"
#include "memory/call_shapes.hpp"
#include "perfscan/context.hpp"
#include "perfscan/rule.hpp"
#include "rule_helpers.hpp"

namespace perfscan {
namespace {

// Calls that read the file system or the network and return the same answer while nothing
// changes it. Existence checks are absent on purpose: code re-checks them around the writes
// that change them. Without the project index (issue 4) a project function that does I/O is
// not known here.
constexpr std::array<std::string_view, 20> kReadingIoCalls = {
    "os.stat",          "os.lstat",            "os.listdir",          "os.path.getsize",
    "os.path.getmtime", "os.path.getatime",    "os.path.getctime",    "os.path.realpath",
    "os.path.samefile", "requests.get",        "requests.head",       "httpx.get",
    "urllib.request.urlopen", "socket.gethostbyname", "socket.getaddrinfo", "socket.getfqdn",
    "subprocess.check_output", "pathlib.Path.stat",  "pathlib.Path.read_text",
    "pathlib.Path.read_bytes",
};

bool is_reading_io_call(std::string_view callee) {
  for (std::string_view known : kReadingIoCalls) {
    if (callee == known) return true;
  }
  return false;
}

// Cheap pre-check before resolving a name: the last segment of the callee (`stat` in
// `os.stat(p)`, `get` in `s.get(url)`) is the last segment of a known read.
bool may_be_reading_io_call(const Context& ctx, Node call) {
  Node function = call.field("function");
  Node last = function.is("attribute") ? function.field("attribute") : function;
  if (!last || !last.is("identifier")) return false;
  std::string_view name = ctx.text(last);
  for (std::string_view known : kReadingIoCalls) {
    if (known.ends_with(name) && known.size() > name.size() &&
        known[known.size() - name.size() - 1] == '.') {
      return true;
    }
  }
  return false;
}

bool is_identifier_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}

// is_identifier_char for every byte, so the body scan below costs a load per character.
const std::array<bool, 256>& identifier_chars() {
  static const std::array<bool, 256> table = [] {
    std::array<bool, 256> chars{};
    for (std::size_t c = 0; c < chars.size(); ++c) chars[c] = is_identifier_char(static_cast<char>(c));
    return chars;
  }();
  return table;
}

// The distinct last names of the known reads (`stat` in `os.stat`, `get` in `requests.get`),
// grouped by length: a body token is compared only with the names as long as it.
class LastNames {
 public:
  static constexpr std::size_t kMaxLength = 15;

  LastNames() {
    for (std::string_view known : kReadingIoCalls) {
      std::string_view last = known.substr(known.rfind('.') + 1);
      if (std::find(names_.begin(), names_.end(), last) != names_.end()) continue;
      names_.push_back(last);
      by_length_.at(last.size()).push_back(names_.size() - 1);
    }
  }

  [[nodiscard]] std::size_t count() const { return names_.size(); }

  // The index of `token` among the names, or count() when it is none of them.
  [[nodiscard]] std::size_t find(std::string_view token) const {
    if (token.size() > kMaxLength) return count();
    for (std::size_t index : by_length_[token.size()]) {
      if (names_[index].front() == token.front() && names_[index] == token) return index;
    }
    return count();
  }

 private:
  std::vector<std::string_view> names_;
  std::array<std::vector<std::size_t>, kMaxLength + 1> by_length_{};
};

const LastNames& reading_io_last_names() {
  static const LastNames names;
  return names;
}

// Only white space, line continuations and comments stand between `pos` (just past a callee's
// last name) and an argument list's `(`.
bool argument_list_follows(std::string_view body, std::size_t pos) {
  while (pos < body.size()) {
    char c = body[pos];
    if (c == '(') return true;
    if (c == '#') {
      pos = body.find('\n', pos);
      if (pos == std::string_view::npos) return false;
    } else if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\\' && c != '\f') {
      return false;
    }
    ++pos;
  }
  return false;
}

// The body's text calls the last name of some known read at least twice. A repeat needs two
// calls of one callee, and may_be_reading_io_call only accepts a call whose own last name is
// that segment, so a body that calls each such name at most once cannot hold a repeat. Most
// bodies fail here, before the walk. The text is read once, token by token (a token: a maximal
// run of identifier characters), whatever it holds: strings and comments included, as the
// rule's walk later tells calls from text.
bool calls_a_reading_io_name_twice(std::string_view body) {
  const std::array<bool, 256>& identifier = identifier_chars();
  const LastNames& names = reading_io_last_names();
  std::array<int, kReadingIoCalls.size()> calls{};
  auto is_identifier = [&](std::size_t at) { return identifier[static_cast<unsigned char>(body[at])]; };
  for (std::size_t at = 0; at < body.size();) {
    if (!is_identifier(at)) {
      ++at;
      continue;
    }
    std::size_t end = at + 1;
    while (end < body.size() && is_identifier(end)) ++end;
    std::size_t name = names.find(body.substr(at, end - at));
    if (name < names.count() && argument_list_follows(body, end) && ++calls.at(name) == 2) return true;
    at = end;
  }
  return false;
}

class RepeatedIoCall final : public Rule {
 public:
  RepeatedIoCall()
      : Rule({"PS704", "repeated-io-call", Category::caching, Severity::low,
              "Same I/O call with the same arguments repeated in one function"}) {}

  [[nodiscard]] std::vector<std::string_view> node_kinds() const override {
    return {"function_definition"};
  }

  void check(Node definition, Context& ctx) const override {
    using call_sites::Visit;
    if (!calls_a_reading_io_name_twice(ctx.text(definition.field("body")))) return;  // cheap filter
    std::vector<call_sites::CallSite> sites;
    std::vector<std::string> callees;
    bool complete = call_sites::collect(
        definition.field("body"),
        [&](Node node) {
          if (!node.is("call") || !may_be_reading_io_call(ctx, node)) return Visit::ignore;
          std::string callee = ctx.callee_name(node);
          if (!is_reading_io_call(callee)) return Visit::ignore;
          callees.push_back(std::move(callee));
          return Visit::record;
        },
        sites);
    if (!complete || sites.size() < 2) return;
    // Key: callee and the arguments' text, white space folded. collect() keeps at most 32
    // sites, which bounds the comparisons (each may walk the body) on generated code.
    std::unordered_map<std::string, std::size_t> first_site;
    for (std::size_t i = 0; i < sites.size(); ++i) {
      std::string key = fmt::format("{}({})", callees[i],
                                    short_text(ctx, sites[i].call.field("arguments"), 400));
      auto [it, inserted] = first_site.emplace(key, i);
      if (inserted) continue;
      const call_sites::CallSite& first = sites[it->second];
      if (!call_sites::run_together(first, sites[i])) continue;
      if (arguments_rebound_between(ctx, definition, first.call, sites[i].call)) continue;
      if (may_change_between(ctx, definition, first.call, sites[i].call)) continue;
      ctx.report(*this, sites[i].call,
                 fmt::format("`{}` repeats the same I/O call made on line {}: the file system or "
                             "network is asked the same question twice",
                             short_text(ctx, sites[i].call, 60), first.call.line()),
                 "keep the first result in a variable and reuse it (call again only when the "
                 "answer may have changed in between)");
      it->second = i;  // a third repetition is reported against the second
    }
  }

 private:
  // Between the two calls runs something that may change the answer: a call that is not a
  // builtin or another reading I/O call (`shutil.copy`, `os.chmod`, and also the
  // `self.assertEqual(os.stat(p), ...)` that holds the first call: it completes before the
  // second starts), a write to an attribute or item (`db[key] = value`), `del`, `await` or
  // `yield`.
  static bool may_change_between(const Context& ctx, Node definition, Node first, Node second) {
    std::vector<Node> pending{definition.field("body")};
    while (!pending.empty()) {
      Node node = pending.back();
      pending.pop_back();
      if (node.end_byte() <= first.end_byte() || node.start_byte() >= second.start_byte()) {
        continue;
      }
      if (node.end_byte() <= second.start_byte() && runs_other_code(ctx, node)) return true;
      shapes::push_named_children(node, pending);
    }
    return false;
  }

  static bool runs_other_code(const Context& ctx, Node node) {
    std::string_view kind = node.kind();
    if (kind == "await" || kind == "yield" || kind == "delete_statement") return true;
    if (kind == "assignment" || kind == "augmented_assignment") {
      return !node.field("left").is("identifier") && !node.field("left").is("pattern_list");
    }
    if (kind != "call") return false;
    std::string callee = ctx.callee_name(node);
    return !callee.starts_with("builtins.") && !is_reading_io_call(callee);
  }

  // A name used in the arguments assigned between the two calls (or anywhere in a loop that
  // holds both) means the second call asks a different question.
  static bool arguments_rebound_between(const Context& ctx, Node definition, Node first,
                                        Node second) {
    std::vector<std::string_view> names = identifiers_in(ctx, first.field("arguments"));
    if (names.empty()) return false;
    std::vector<Node> pending{definition.field("body")};
    while (!pending.empty()) {
      Node node = pending.back();
      pending.pop_back();
      if (node.end_byte() <= first.start_byte() || node.start_byte() >= second.end_byte()) continue;
      if (node.is("assignment") || node.is("augmented_assignment") || node.is("for_statement") ||
          node.is("with_statement") || node.is("named_expression")) {
        Node target = node.is("named_expression") ? node.field("name") : node.field("left");
        for (std::string_view name : identifiers_in(ctx, target)) {
          for (std::string_view used : names) {
            if (name == used) return true;
          }
        }
      }
      shapes::push_named_children(node, pending);
    }
    return false;
  }
};

}  // namespace

std::unique_ptr<Rule> make_ps704_repeated_io_call() {
  return std::make_unique<RepeatedIoCall>();
}

}  // namespace perfscan
