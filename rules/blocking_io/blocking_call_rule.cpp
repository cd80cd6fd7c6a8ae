#include "blocking_io/blocking_call_rule.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "async/async_helpers.hpp"
#include "perfscan/node_kinds.hpp"
#include "rule_helpers.hpp"

namespace perfscan {
namespace {

// Attribute chains longer than this are not followed (hostile input nests without bound).
constexpr int kMaxChainSteps = 16;

bool is_awaited(Node call) {
  Node parent = call.parent();
  while (parent && kinds::parenthesized_expression.matches(parent)) parent = parent.parent();
  return parent && parent.is("await");
}

// Builtins that consume a whole iterable (and so evaluate a lazy queryset).
bool is_evaluating_builtin(std::string_view callee) {
  return callee == "builtins.list" || callee == "builtins.tuple" || callee == "builtins.set" ||
         callee == "builtins.sorted" || callee == "builtins.len";
}

bool is_capitalised(std::string_view name) {
  return !name.empty() && std::isupper(static_cast<unsigned char>(name.front()));
}

bool made_in_current_function(const Context& ctx, const Binding& binding) {
  const ExecutionFrame* function = ctx.function();
  return function != nullptr && binding.node && function->node.contains(binding.node);
}

bool is_blocking_name(const Context& ctx, std::string_view qualified_name) {
  return !qualified_name.empty() &&
         find_blocking_call(canonical_callee(qualified_name), ctx.settings().knowledge.blocking_calls)
             .has_value();
}

// The call that made a binding: `conn = sqlite3.connect(p)`, `with open(p) as f`.
Node making_call(const Binding& binding) {
  Node value;
  if (binding.kind == BindingKind::assignment && binding.node.is("assignment")) {
    value = binding.node;
    while (value && kinds::assignment.matches(value)) value = value.field("right");
  } else if (binding.kind == BindingKind::with_target && binding.node.is("with_item")) {
    Node pattern = binding.node.field("value");
    value = pattern && pattern.is("as_pattern") ? pattern.named_child(0) : Node{};
  }
  while (value && kinds::parenthesized_expression.matches(value)) value = value.named_child(0);
  return value && kinds::call.matches(value) ? value : Node{};
}

// A method called on a resource whose creation in this same function is reported already
// (`f = open(p); f.read()`, `with sqlite3.connect(db) as conn: conn.commit()`,
// `open(p).read()`): one finding per resource is enough.
bool resource_already_reported(const Context& ctx, Node function) {
  if (!kinds::attribute.matches(function)) return false;
  Node receiver = function.field("object");
  while (receiver && kinds::parenthesized_expression.matches(receiver)) receiver = receiver.named_child(0);
  if (kinds::call.matches(receiver)) return is_blocking_name(ctx, ctx.callee_name(receiver));
  if (!kinds::identifier.matches(receiver)) return false;
  const Binding* binding = ctx.lookup(ctx.text(receiver));
  if (binding == nullptr || !made_in_current_function(ctx, *binding)) return false;
  Node call = making_call(*binding);
  return call && is_blocking_name(ctx, ctx.callee_name(call));
}

// `json.load(f)` / `json.dump(obj, f)` touch a file only when `f` is a sync file object. One
// opened in this same function is reported at its `open` already.
bool uses_file_opened_elsewhere(const Context& ctx, Node call) {
  Node arguments = call.field("arguments");
  if (!arguments) return false;
  for (uint32_t i = 0, n = arguments.named_child_count(); i < n; ++i) {
    Node argument = arguments.named_child(i);
    if (!kinds::identifier.matches(argument)) continue;
    const Binding* binding = ctx.lookup(ctx.text(argument));
    if (binding == nullptr || binding->value.kind != ValueKind::instance) continue;
    if (canonical_type(binding->value.qualified_name) == "builtins.open" &&
        !made_in_current_function(ctx, *binding)) {
      return true;
    }
  }
  return false;
}

// The file arguments of a call that makes or copies file objects: the positional ones and the
// keywords that name a file.
bool is_file_keyword(std::string_view name) {
  return name == "fileobj" || name == "file" || name == "filename" || name == "fsrc" ||
         name == "fdst";
}

// BlockingCondition::touches_file: false for `zipfile.ZipFile(io.BytesIO(data))`,
// `tarfile.open(fileobj=buffer)`, `shutil.copyfileobj(io.BytesIO(b), buffer)` (in-memory streams
// and no file object among the file arguments) and for `trio.wrap_file(open(p))` /
// `anyio.wrap_file(open(p))`, the sanctioned async form.
bool touches_file(const Context& ctx, Node call) {
  Node list = call.parent();
  if (list && kinds::argument_list.matches(list) && list.parent() && list.parent().is("call")) {
    std::string wrapper = ctx.callee_name(list.parent());
    if (wrapper == "trio.wrap_file" || wrapper == "anyio.wrap_file") return false;
  }
  Node arguments = call.field("arguments");
  bool in_memory = false;
  for (uint32_t i = 0, n = arguments ? arguments.named_child_count() : 0; i < n; ++i) {
    Node argument = arguments.named_child(i);
    if (kinds::keyword_argument.matches(argument)) {
      if (!is_file_keyword(ctx.text(argument.field("name")))) continue;
      argument = argument.field("value");
    } else if (kinds::comment.matches(argument) || kinds::list_splat.matches(argument) ||
               kinds::dictionary_splat.matches(argument)) {
      continue;
    }
    Value value = ctx.infer(argument);
    if (is_file_object(value)) return true;
    in_memory = in_memory || is_in_memory_stream(value);
  }
  return !in_memory;
}

bool condition_holds(const Context& ctx, Node call, BlockingCondition condition) {
  switch (condition) {
    case BlockingCondition::always:
      return true;
    case BlockingCondition::no_arguments: {
      Node arguments = call.field("arguments");
      return !arguments || arguments.named_child_count() == 0;
    }
    case BlockingCondition::file_argument:
      return uses_file_opened_elsewhere(ctx, call);
    case BlockingCondition::nonzero_argument: {
      std::string_view seconds = ctx.text(first_argument(call));
      return seconds != "0" && seconds != "0.0";
    }
    case BlockingCondition::touches_file:
      return touches_file(ctx, call);
  }
  return true;
}

// Non-blocking I/O: a read or write on a non-blocking fd or socket, retried on
// BlockingIOError (`except BlockingIOError: await wait_readable(fd)`), returns at once.
bool handles_would_block(const Context& ctx) {
  const ExecutionFrame* function = ctx.function();
  for (Node try_statement : ctx.try_statements()) {
    if (function == nullptr || !function->node.contains(try_statement)) continue;
    for (uint32_t i = 0, n = try_statement.named_child_count(); i < n; ++i) {
      Node clause = try_statement.named_child(i);
      if (!clause.is("except_clause")) continue;
      Node caught = clause.named_child(0);
      if (caught && caught.is("as_pattern")) caught = caught.named_child(0);
      std::string_view text = ctx.text(caught);
      if (caught && !caught.is("block") &&
          (text.find("BlockingIOError") != std::string_view::npos ||
           text.find("SSLWantReadError") != std::string_view::npos ||
           text.find("SSLWantWriteError") != std::string_view::npos)) {
        return true;
      }
    }
  }
  return false;
}

// Calls that run a callable on a worker thread: `await run_in_threadpool(self.file.write, data)`,
// `asyncio.to_thread(f.read)`, `loop.run_in_executor(None, f.read)`, anyio's and trio's
// `to_thread.run_sync`, asgiref's `sync_to_async`, Home Assistant's `async_add_executor_job`,
// an executor's `submit`. Matched by the callee's last name: the
// receiver (`loop`, `anyio.to_thread`) is often untyped, and the names are specific.
bool is_offload_call(const Context& ctx, Node call) {
  Node function = call.field("function");
  std::string_view name = ctx.text(kinds::attribute.matches(function) ? function.field("attribute") : function);
  return name == "to_thread" || name == "run_in_executor" || name == "run_in_threadpool" ||
         name == "run_sync" || name == "sync_to_async" || name == "run_in_thread" ||
         name == "defer_to_thread" || name == "deferToThread" || name == "async_add_executor_job" ||
         name == "submit";
}

// What the async function around the current node hands to worker threads: the text of every
// argument of its offload calls (`self.file.write`, `f.write`, `f`) and, for an attribute, its
// receiver's text too (`self.file`, `f`).
struct OffloadedTexts {
  std::vector<std::string_view> callables;
  std::vector<std::string_view> receivers;
  // Where the arguments of the offload calls lie, to tell a use inside them from one outside.
  std::vector<Node> argument_lists;
};

OffloadedTexts offloaded_texts(const Context& ctx) {
  // A function body of this many nodes is already pathological; give up on the refinement.
  constexpr int kMaxNodes = 20000;
  OffloadedTexts offloaded;
  const ExecutionFrame* frame = ctx.function();
  if (frame == nullptr) return offloaded;
  std::vector<Node> pending{frame->node.field("body")};
  for (int visited = 0; !pending.empty() && visited < kMaxNodes; ++visited) {
    Node node = pending.back();
    pending.pop_back();
    if (!node) continue;
    // Nested functions and classes run in their own frames.
    if (visited > 0 && (kinds::function_definition.matches(node) || kinds::class_definition.matches(node))) continue;
    if (kinds::call.matches(node) && is_offload_call(ctx, node)) {
      Node arguments = node.field("arguments");
      offloaded.argument_lists.push_back(arguments);
      for (uint32_t i = 0, n = arguments ? arguments.named_child_count() : 0; i < n; ++i) {
        Node argument = arguments.named_child(i);
        offloaded.callables.push_back(ctx.text(argument));
        if (kinds::attribute.matches(argument)) offloaded.receivers.push_back(ctx.text(argument.field("object")));
      }
    }
    for (uint32_t i = node.named_child_count(); i-- > 0;) pending.push_back(node.named_child(i));
  }
  return offloaded;
}

bool contains_text(const std::vector<std::string_view>& texts, std::string_view text) {
  return std::find(texts.begin(), texts.end(), text) != texts.end();
}

// The name a creating call binds: `f` of `with open(p) as f` and of `f = open(p)`.
std::string_view bound_name(const Context& ctx, Node call) {
  Node parent = call.parent();
  if (parent && parent.is("as_pattern")) {
    Node target = parent.field("alias");
    if (target && target.is("as_pattern_target")) target = target.named_child(0);
    return target && kinds::identifier.matches(target) ? ctx.text(target) : std::string_view{};
  }
  if (parent && kinds::assignment.matches(parent) && parent.field("right") == call) {
    Node target = parent.field("left");
    return target && kinds::identifier.matches(target) ? ctx.text(target) : std::string_view{};
  }
  return {};
}

// True when `name` occurs in the current function only where it is bound and inside the
// arguments of offload calls: every read and write of the file happens on a thread.
bool only_used_offloaded(const Context& ctx, std::string_view name, Node binding_call,
                         const OffloadedTexts& offloaded) {
  constexpr int kMaxNodes = 20000;
  const ExecutionFrame* frame = ctx.function();
  std::vector<Node> pending{frame->node.field("body")};
  int uses = 0;
  for (int visited = 0; !pending.empty() && visited < kMaxNodes; ++visited) {
    Node node = pending.back();
    pending.pop_back();
    if (!node) continue;
    if (kinds::identifier.matches(node) && ctx.text(node) == name) {
      Node parent = node.parent();
      bool is_binding = parent && (parent.is("as_pattern_target") ||
                                   (kinds::assignment.matches(parent) && parent.field("left") == node &&
                                    parent.field("right") == binding_call));
      bool in_offload = std::any_of(offloaded.argument_lists.begin(), offloaded.argument_lists.end(),
                                    [&](Node list) { return list && list.contains(node); });
      if (!is_binding && !in_offload) return false;
      uses += in_offload ? 1 : 0;
      continue;
    }
    for (uint32_t i = node.named_child_count(); i-- > 0;) pending.push_back(node.named_child(i));
  }
  return uses > 0 && pending.empty();  // a walk cut short proves nothing
}

// A blocking call the function itself shows it knows about, and keeps on the loop on purpose:
// - the same callable is handed to a thread elsewhere in the function (`if will_roll: await
//   run_in_threadpool(self.file.write, data) else: self.file.write(data)`, the in-memory branch of
//   a spooled file);
// - a file opened here whose every use is handed to a thread (`with open(p, "ab") as f: await
//   run_sync(f.write, data)`): only the open itself stays on the loop, one system call.
bool deliberately_on_loop(const Context& ctx, Node call) {
  Node function = call.field("function");
  OffloadedTexts offloaded = offloaded_texts(ctx);
  if (offloaded.argument_lists.empty()) return false;
  if (contains_text(offloaded.callables, ctx.text(function))) return true;
  std::string_view name = bound_name(ctx, call);
  return !name.empty() && contains_text(offloaded.receivers, name) &&
         only_used_offloaded(ctx, name, call, offloaded);
}

// `getaddrinfo(host, port, flags=AI_NUMERICHOST)` parses an address; it never asks a resolver.
bool is_numeric_only_lookup(const Context& ctx, Node call, const BlockingCall& entry) {
  return entry.kind == BlockingKind::socket &&
         ctx.text(call.field("arguments")).find("NUMERIC") != std::string_view::npos;
}

// A Django model class, as far as names tell: defined in this file on a `...Model` base, or
// imported from a `models` module (`shop.models.Book`).
bool is_django_model(const Context& ctx, std::string_view qualified_name) {
  if (!is_capitalised(last_segment(qualified_name))) return false;
  if (qualified_name.find(".models.") != std::string_view::npos ||
      qualified_name.starts_with("models.")) {
    return true;
  }
  for (const ClassFact& fact : ctx.facts().classes) {
    if (fact.qualified_name != qualified_name) continue;
    for (const std::string& base : fact.bases) {
      if (base.ends_with("Model")) return true;
    }
  }
  return false;
}

// `Book.objects.get(...)`, `Book.objects.filter(...).count()`, `book.save()`: a Django ORM
// query run synchronously.
bool is_django_query(const Context& ctx, Node function) {
  std::string_view method = ctx.text(function.field("attribute"));
  Node node = function.field("object");
  for (int i = 0; node && i < kMaxChainSteps; ++i) {
    if (kinds::call.matches(node)) {
      node = node.field("function");
      continue;
    }
    if (!kinds::attribute.matches(node)) break;
    Node object = node.field("object");
    if (ctx.text(node.field("attribute")) == "objects" && kinds::identifier.matches(object) &&
        is_capitalised(ctx.text(object))) {
      return true;
    }
    node = object;
  }
  if (method != "save" && method != "delete" && method != "refresh_from_db") return false;
  Value receiver = ctx.infer(function.field("object"));
  if (receiver.kind != ValueKind::instance) return false;
  // `book = Book.objects.get(...)` holds a Book.
  std::string_view model = receiver.qualified_name;
  if (auto manager = model.find(".objects."); manager != std::string_view::npos) {
    model = model.substr(0, manager);
  }
  return is_django_model(ctx, model);
}

// A lazy Django queryset, as inferred: `Book.objects.filter(...)`, `qs = Book.objects.all()`.
// Iterating it, or passing it to list()/len(), runs the query.
bool is_django_queryset(const Context& ctx, Node expr) {
  Value value = ctx.infer(expr);
  if (value.kind != ValueKind::instance) return false;
  std::string_view name = value.qualified_name;
  auto manager = name.find(".objects");
  if (manager == std::string_view::npos || !is_capitalised(last_segment(name.substr(0, manager)))) {
    return false;
  }
  // `.get()`, `.count()`, `.first()` ... return rows or numbers, not querysets.
  return !django_async_alternative(last_segment(name)).has_value();
}

BlockingMatch django_evaluation_match(const Context& ctx, Node queryset, std::string_view how) {
  BlockingMatch match;
  match.entry.kind = BlockingKind::db_driver;
  match.entry.what = "runs a Django ORM query synchronously";
  match.callee = fmt::format("{} {}", how, short_text(ctx, queryset, 50));
  match.alternative =
      "`async for obj in queryset` (Django 4.1+), or `await sync_to_async(list)(queryset)`";
  return match;
}

std::optional<BlockingMatch> match_django_query(const Context& ctx, Node function) {
  if (!kinds::attribute.matches(function)) return std::nullopt;
  std::string_view method = ctx.text(function.field("attribute"));
  std::optional<std::string_view> async_method = django_async_alternative(method);
  if (!async_method || !is_django_query(ctx, function)) return std::nullopt;
  BlockingMatch match;
  match.entry.kind = BlockingKind::db_driver;
  match.entry.what = "runs a Django ORM query synchronously";
  match.callee = short_text(ctx, function, 60);
  match.alternative = fmt::format(
      "the async ORM API, `await ....{}(...)` (Django 4.1+), or wrap the query in "
      "`sync_to_async`",
      *async_method);
  return match;
}

// A receiver that may be one of several types (`Union[requests.Session, httpx.Client]`): the
// call blocks only if it blocks, the same way, for every alternative.
std::optional<BlockingMatch> match_every_alternative(const Context& ctx, Node call) {
  std::optional<BlockingMatch> first;
  for (const std::string& callee : ctx.callee_alternatives(call)) {
    std::optional<BlockingCall> entry =
        find_blocking_call(canonical_callee(callee), ctx.settings().knowledge.blocking_calls);
    if (!entry || !condition_holds(ctx, call, entry->condition)) return std::nullopt;
    if (first && first->entry.kind != entry->kind) return std::nullopt;
    if (!first) first = BlockingMatch{std::move(*entry), canonical_callee(callee), {}};
  }
  return first;
}

}  // namespace

std::optional<BlockingMatch> match_blocking_call(const Context& ctx, Node call) {
  Node function = call.field("function");
  if (!function) return std::nullopt;
  std::string callee = ctx.callee_name(call);
  if (callee.empty()) {
    if (auto every = match_every_alternative(ctx, call)) return every;
  } else {
    std::optional<BlockingCall> entry =
        find_blocking_call(canonical_callee(callee), ctx.settings().knowledge.blocking_calls);
    if (entry) {
      if (!condition_holds(ctx, call, entry->condition) ||
          resource_already_reported(ctx, function) || is_numeric_only_lookup(ctx, call, *entry) ||
          ((entry->kind == BlockingKind::file_io || entry->kind == BlockingKind::socket) &&
           handles_would_block(ctx)) ||
          deliberately_on_loop(ctx, call)) {
        return std::nullopt;
      }
      // The canonical name reads better than the inferred chain:
      // `concurrent.futures.Future.result`, not `...ThreadPoolExecutor.submit.result`.
      return BlockingMatch{std::move(*entry), canonical_callee(callee), {}};
    }
  }
  if (is_evaluating_builtin(callee)) {
    Node argument = first_argument(call);
    if (argument && is_django_queryset(ctx, argument)) {
      return django_evaluation_match(ctx, argument, fmt::format("{}() of", last_segment(callee)));
    }
  }
  return match_django_query(ctx, function);
}

std::vector<std::string_view> BlockingCallRule::node_kinds() const {
  // A sync `for` (or comprehension) over a Django queryset runs its query: a database wait
  // like any other.
  if (kind_ == BlockingKind::db_driver) return {"call", "for_statement", "for_in_clause"};
  return {"call"};
}

void BlockingCallRule::check(Node node, Context& ctx) const {
  if (!ctx.in_async_function()) return;
  if (node.is("for_statement") || node.is("for_in_clause")) {
    Node iterable = node.field("right");
    if (!is_async_loop(node) && iterable && is_django_queryset(ctx, iterable)) {
      report(ctx, iterable, django_evaluation_match(ctx, iterable, "iterating"));
    }
    return;
  }
  if (is_awaited(node)) return;
  std::optional<BlockingMatch> match = match_blocking_call(ctx, node);
  if (match && match->entry.kind == kind_) report(ctx, node, *match);
}

Severity raised_in_loop(Severity severity, bool in_loop) {
  if (!in_loop) return severity;
  return severity == Severity::medium ? Severity::high : Severity::critical;
}

std::string BlockingCallRule::message(std::string_view callee, const BlockingCall& entry, std::string_view function,
                                      bool in_loop) const {
  return fmt::format("`{}` {} inside async function `{}`: the event loop stalls, and every other task waits, "
                     "until it returns{}",
                     callee, entry.what, function, in_loop ? " — once per loop iteration" : "");
}

void BlockingCallRule::report(Context& ctx, Node node, const BlockingMatch& match) const {
  bool in_loop = !ctx.loops().empty();
  std::string_view alternative =
      match.alternative.empty() ? match.entry.alternative : match.alternative;
  ctx.report(*this, node, message(match.callee, match.entry, enclosing_function_name(ctx), in_loop),
             fmt::format("use {}", alternative), raised_in_loop(match.entry.severity, in_loop));
}

// A call whose receiver's type comes from another module: the same table, once the project's
// types name the receiver. The conditions that need the call itself read what the collector
// kept of its arguments.
void BlockingCallRule::link(const ProjectIndex& index, std::vector<Finding>& findings) const {
  for_each_pending(index, kAsyncCallSite, [&](const FileFacts& file, const PendingFinding& pending) {
    std::string resolved = index.resolve_type_expression(pending.subject);
    if (resolved == pending.subject) return;
    std::string callee = canonical_callee(resolved);
    std::optional<BlockingCall> entry = find_blocking_call(callee, index.settings().knowledge.blocking_calls);
    if (!entry || entry->kind != kind_) return;
    if (entry->condition == BlockingCondition::no_arguments && !pending.no_arguments) return;
    if (entry->condition == BlockingCondition::nonzero_argument &&
        (pending.first_argument == "0" || pending.first_argument == "0.0")) {
      return;
    }
    if (entry->condition == BlockingCondition::file_argument) return;  // needs the argument's type
    bool in_loop = pending.loop_line != 0;
    Finding finding = pending.finding;
    finding.path = file.path;
    finding.rule_id = std::string(info().id);
    finding.rule_name = std::string(info().name);
    finding.category = info().category;
    finding.severity = raised_in_loop(entry->severity, in_loop);
    std::string_view function = pending.finding.scope;
    function = function.substr(function.rfind('.') + 1);
    std::string_view receiver = std::string_view(pending.detail).substr(0, pending.detail.rfind('.'));
    finding.message = message(fmt::format("{}()", pending.detail), *entry, function, in_loop) +
                      fmt::format(" (`{}` is a `{}`, typed in another module)", receiver,
                                  std::string_view(callee).substr(0, callee.rfind('.')));
    finding.suggestion = fmt::format("use {}", entry->alternative);
    findings.push_back(std::move(finding));
  });
}

}  // namespace perfscan
