// Context::entry_point: which functions a framework calls once per request or per event. The
// request-handler half is what the PS2xx rules and PS901 have always read (they ask for
// request handlers only, so the event half changes none of their findings).
#include <initializer_list>
#include <string_view>
#include <vector>

#include "perfscan/context.hpp"

namespace perfscan {
namespace {

bool ends_with_any(std::string_view text, std::initializer_list<std::string_view> suffixes) {
  for (std::string_view suffix : suffixes) {
    if (text.ends_with(suffix)) return true;
  }
  return false;
}

bool is_one_of(std::string_view value, std::initializer_list<std::string_view> options) {
  for (std::string_view option : options) {
    if (value == option) return true;
  }
  return false;
}

bool has_parameter(const Context& ctx, Node function, std::string_view name) {
  Node parameters = function.field("parameters");
  for (uint32_t i = 0, n = parameters ? parameters.named_child_count() : 0; i < n && i < 3; ++i) {
    Node parameter = parameters.named_child(i);
    if (parameter.is("typed_parameter")) parameter = parameter.named_child(0);
    if (parameter.is("identifier") && ctx.text(parameter) == name) return true;
  }
  return false;
}

std::vector<Node> decorators_of(Node function) {
  std::vector<Node> decorators;
  Node decorated = function.parent();
  if (!decorated || !decorated.is("decorated_definition")) return decorators;
  for (uint32_t i = 0, n = decorated.named_child_count(); i < n; ++i) {
    Node decorator = decorated.named_child(i);
    if (decorator.is("decorator")) decorators.push_back(decorator);
  }
  return decorators;
}

bool is_route_decorator(std::string_view text) {
  for (std::string_view marker :
       {".route(", ".get(", ".post(", ".put(", ".patch(", ".delete(", "api_view", "@action("}) {
    if (text.find(marker) != std::string_view::npos) return true;
  }
  return false;
}

// Event handlers named for a one-time event: a connection made there is made once per start
// (or reconnect), not once per event.
bool is_start_up_event(std::string_view name) {
  while (name.starts_with('_')) name.remove_prefix(1);
  if (name.starts_with("on_")) name.remove_prefix(3);
  return is_one_of(name, {"ready", "connect", "connected", "start", "startup", "shutdown", "login", "disconnect",
                          "disconnected", "close", "resumed", "init", "setup", "setup_hook", "load", "unload"});
}

// `@bot.command()`, `@client.event`, `@commands.Cog.listener()`, `@receiver(post_save)`,
// `@sio.on("chat")`, `@dp.message_handler(...)`, `@app.message("hello")`. A command of a Click
// group or a Typer app is a CLI's: it runs once per process.
bool is_event_decorator(const Context& ctx, Node decorator) {
  Node expression = decorator.named_child(0);
  if (expression && expression.is("call")) expression = expression.field("function");
  if (!expression || (!expression.is("attribute") && !expression.is("identifier"))) return false;
  std::string_view name = expression.is("attribute") ? ctx.text(expression.field("attribute")) : ctx.text(expression);
  bool listener = is_one_of(name, {"listen", "listener", "event", "receiver", "on", "message_handler",
                                   "callback_query_handler", "edited_message_handler", "channel_post_handler",
                                   "inline_handler", "chosen_inline_handler", "callback_query", "message"});
  bool command = is_one_of(name, {"command", "hybrid_command", "slash_command", "message_command", "user_command"});
  if (!listener && !command) return false;
  std::string qualified = ctx.qualified_name(expression);
  for (std::string_view cli : {"click.", "typer.", "asyncclick.", "cloup."}) {
    if (qualified.starts_with(cli)) return false;
  }
  if (name == "receiver") return qualified.empty() || qualified.starts_with("django.");
  if (!command || !expression.is("attribute")) return true;
  // `@cli.command()`: the group is a function Click decorated; `@app.command()` with
  // `app = typer.Typer()`.
  Node owner = expression.field("object");
  while (owner && owner.is("attribute")) owner = owner.field("object");
  if (owner && owner.is("identifier")) {
    if (const Binding* binding = ctx.lookup(ctx.text(owner))) {
      if (binding->kind == BindingKind::function) return false;
      std::string_view type = binding->value.qualified_name;
      for (std::string_view cli : {"click.", "typer.", "asyncclick.", "cloup."}) {
        if (type.starts_with(cli)) return false;
      }
    }
  }
  return true;
}

// The class a method is defined in, as the walk sees it: its frame's class_definition node.
Node owner_class_node(const ExecutionFrame& function) {
  Node parent = function.node.parent();
  if (parent && parent.is("decorated_definition")) parent = parent.parent();
  // function_definition -> block -> class_definition
  Node cls = parent ? parent.parent() : Node{};
  return cls && cls.is("class_definition") ? cls : Node{};
}

// The class's own name and its bases as written: `MyClient(discord.Client)` -> both ends.
bool class_named_like(const Context& ctx, Node cls, std::initializer_list<std::string_view> suffixes) {
  if (!cls) return false;
  if (ends_with_any(ctx.text(cls.field("name")), suffixes)) return true;
  Node bases = cls.field("superclasses");
  for (uint32_t i = 0, n = bases ? bases.named_child_count() : 0; i < n; ++i) {
    Node base = bases.named_child(i);
    if ((base.is("identifier") || base.is("attribute")) && ends_with_any(last_segment(ctx.text(base)), suffixes)) {
      return true;
    }
  }
  return false;
}

bool serves_requests(const Context& ctx, const ExecutionFrame& function) {
  if (has_parameter(ctx, function.node, "request")) return true;
  for (Node decorator : decorators_of(function.node)) {
    if (is_route_decorator(ctx.text(decorator))) return true;
  }
  // Class-based views: `class BookList(View): def get(self, ...)`.
  std::string_view qualified = function.qualified_name;
  auto last_dot = qualified.rfind('.');
  if (last_dot == std::string_view::npos) return false;
  std::string_view method = qualified.substr(last_dot + 1);
  std::string_view owner = last_segment(qualified.substr(0, last_dot));
  bool handler_class = ends_with_any(owner, {"View", "ViewSet", "Handler", "Resource", "Endpoint"});
  bool handler_method = method == "get" || method == "post" || method == "put" || method == "patch" ||
                        method == "delete" || method == "list" || method == "retrieve";
  return handler_class && handler_method;
}

bool handles_events(const Context& ctx, const ExecutionFrame& function) {
  std::string_view name = last_segment(function.qualified_name);
  if (is_start_up_event(name)) return false;
  for (Node decorator : decorators_of(function.node)) {
    std::string_view text = ctx.text(decorator);
    // `@app.on_event("startup")` (FastAPI, Starlette) runs at start-up and shutdown.
    if (text.find("on_event(") != std::string_view::npos) return false;
    if (is_event_decorator(ctx, decorator)) return true;
  }
  Node cls = owner_class_node(function);
  if (!cls) return false;
  // `class MyClient(discord.Client): async def on_message(self, message)`.
  if (name.starts_with("on_") && class_named_like(ctx, cls, {"Client", "Bot", "Cog"})) return true;
  // Django Channels: `class ChatConsumer(AsyncWebsocketConsumer): async def receive(...)`.
  return is_one_of(name, {"receive", "receive_json", "websocket_receive"}) && class_named_like(ctx, cls, {"Consumer"});
}

}  // namespace

EntryPoint Context::entry_point() const {
  const ExecutionFrame* current = function();
  if (current == nullptr || !current->node.is("function_definition")) return EntryPoint::none;
  if (serves_requests(*this, *current)) return EntryPoint::request_handler;
  if (handles_events(*this, *current)) return EntryPoint::event_handler;
  return EntryPoint::none;
}

}  // namespace perfscan
