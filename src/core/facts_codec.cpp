#include "core/facts_codec.hpp"

#include <algorithm>
#include <map>
#include <tuple>

#include "core/codec.hpp"

namespace perfscan {
namespace {

using codec::Reader;
using codec::strings_field;
using codec::Writer;

// Members are written one by one below: a fact that gains a member must be added here (and the
// result cache's format version bumped), or the cache and the link step would silently drop it.
// These sizes are the tripwire (x86-64, libstdc++): update them together with the sections.
static_assert(sizeof(FileFacts) == 480, "FileFacts changed: update the facts codec");
static_assert(sizeof(TypeFact) == 64, "TypeFact changed: update the facts codec");
static_assert(sizeof(ClassFact) == 64, "ClassFact changed: update the facts codec");
static_assert(sizeof(ModelFact) == 240, "ModelFact changed: update the facts codec");
static_assert(sizeof(FieldFact) == 152, "FieldFact changed: update the facts codec");
static_assert(sizeof(OrmRootFact) == 40, "OrmRootFact changed: update the facts codec");
static_assert(sizeof(QuerySiteFact) == 136, "QuerySiteFact changed: update the facts codec");
static_assert(sizeof(FunctionEffectFact) == 232,
              "FunctionEffectFact changed: update the facts codec");
static_assert(sizeof(PendingFinding) == 608, "PendingFinding changed: update the facts codec");
static_assert(sizeof(Suppressions) == 56, "Suppressions changed: update the facts codec");
static_assert(sizeof(SignalFact) == 72, "SignalFact changed: update the facts codec");
static_assert(sizeof(QuerysetArgumentFact) == 176,
              "QuerysetArgumentFact changed: update the facts codec");
static_assert(sizeof(DatabaseFacts) == 264, "DatabaseFacts changed: update the facts codec");

// ---- the sections' layouts (the minimum sizes given to list() are those of an element whose
// strings and lists are empty) ------------------------------------------------------------------

template <typename Io, typename F>
void head_fields(Io& io, F& facts) {
  io.field(facts.path);
  io.field(facts.module);
}

template <typename Io, typename F>
void names_fields(Io& io, F& facts) {
  io.list(facts.classes, 12, [&](auto& klass) {
    io.field(klass.qualified_name);
    io.field(klass.line);
    strings_field(io, klass.bases);
  });
  io.list(facts.types, 8, [&](auto& type) {
    io.field(type.name);
    io.field(type.type);
  });
}

template <typename Io, typename M>
void model_fields(Io& io, M& m) {
  io.field(m.qualified_name);
  io.field(m.name);
  io.field(m.line);
  io.field(m.column);
  io.enumerated(m.orm_hint, Orm::sqlalchemy);
  io.field(m.table);
  io.field(m.abstract);
  io.list(m.fields, 29, [&](auto& field) {
    io.field(field.name);
    io.enumerated(field.kind, FieldKind::relationship);
    io.field(field.target);
    io.field(field.related_name);
    io.field(field.lazy);
    io.field(field.line);
    io.field(field.column);
    io.field(field.indexed);
    io.field(field.boolean);
    io.field(field.choices);
  });
  io.list(m.indexes, 4, [&](auto& index) { strings_field(io, index); });
  strings_field(io, m.managers);
  strings_field(io, m.overrides);
  strings_field(io, m.manager_classes);
}

template <typename Io, typename D>
void database_fields(Io& io, D& db) {
  io.list(db.models, 42, [&](auto& model) { model_fields(io, model); });
  io.list(db.roots, 5, [&](auto& root) {
    io.field(root.qualified_name);
    io.enumerated(root.orm, Orm::sqlalchemy);
  });
  io.list(db.query_sites, 26, [&](auto& site) {
    io.field(site.model);
    io.list(site.columns, 5, [&](auto& column) {
      io.field(column.first);
      io.enumerated(column.second, LookupKind::join);
    });
    io.field(site.line);
    io.field(site.column);
    io.enumerated(site.model_kind, SiteModel::manager);
    io.enumerated(site.context, SiteContext::excluded);
    io.field(site.relation);
    io.field(site.function);
  });
  io.list(db.signals, 12, [&](auto& signal) {
    io.field(signal.signal);
    io.field(signal.sender);
    io.field(signal.line);
  });
  io.list(db.queryset_arguments, 27, [&](auto& argument) {
    io.field(argument.callee);
    io.field(argument.keyword);
    io.field(argument.position);
    io.field(argument.model);
    strings_field(io, argument.eager);
    io.field(argument.everything_eager);
    io.field(argument.caller);
    io.field(argument.line);
  });
  io.field(db.request_handlers.joined());
  io.field(db.event_handlers.joined());
  io.field(db.model_evidence.joined());
}

template <typename Io, typename S>
void suppressions_fields(Io& io, S& suppressions) {
  io.field(suppressions.skip_file);
  io.by_line(suppressions.by_line);
}

template <typename Io, typename L>
void functions_fields(Io& io, L& functions) {
  io.list(functions, 45, [&](auto& function) {
    io.field(function.function);
    io.field(function.effect);
    io.field(function.effect_line);
    io.field(function.effect_is_remote);
    io.field(function.cached);
    io.field(function.is_async);
    io.field(function.blocking_kind);
    io.field(function.blocking_call);
    io.field(function.blocking_line);
    io.field(function.constant_work);
    io.field(function.constant_work_line);
    io.field(function.fresh_client);
    io.field(function.fresh_client_line);
    io.field(function.callees.joined());
  });
}

// One pending finding of a rule's section: the rule id is the section's, not repeated in each.
template <typename Io, typename P>
void pending_fields(Io& io, P& pending) {
  codec::finding_fields(io, pending.finding, /*with_rule_id=*/false);
  io.field(pending.subject);
  io.field(pending.detail);
  strings_field(io, pending.eager);
  io.field(pending.subject_is_collection);
  io.field(pending.loop_line);
  io.field(pending.via_relation);
  io.field(pending.first_argument);
  io.field(pending.no_arguments);
  io.field(pending.parameter);
  io.field(pending.parameter_position);
  io.field(pending.strong_evidence);
  io.field(pending.factory);
}
constexpr std::size_t kPendingBytes = codec::kFindingBytes - 4 + 37;

bool has_database_facts(const DatabaseFacts& db) {
  return !db.models.empty() || !db.roots.empty() || !db.query_sites.empty() ||
         !db.signals.empty() || !db.queryset_arguments.empty() || !db.request_handlers.empty() ||
         !db.event_handlers.empty() || !db.model_evidence.empty();
}

template <typename Fields>
void add_section(EncodedFacts& out, FactSection kind, std::string rule_id, Fields&& fields) {
  EncodedFacts::Section& section = out.sections.emplace_back();
  section.kind = kind;
  section.rule_id = std::move(rule_id);
  Writer writer(section.bytes);
  fields(writer);
}

}  // namespace

EncodedFacts encode_linked_facts(const FileFacts& facts) {
  EncodedFacts out;
  if (!facts.path.empty() || !facts.module.empty()) {
    add_section(out, FactSection::head, {}, [&](Writer& w) { head_fields(w, facts); });
  }
  if (!facts.classes.empty() || !facts.types.empty()) {
    add_section(out, FactSection::names, {}, [&](Writer& w) { names_fields(w, facts); });
  }
  if (has_database_facts(facts.database)) {
    add_section(out, FactSection::database, {},
                [&](Writer& w) { database_fields(w, facts.database); });
  }
  if (facts.suppressions.skip_file || !facts.suppressions.by_line.empty()) {
    add_section(out, FactSection::suppressions, {},
                [&](Writer& w) { suppressions_fields(w, facts.suppressions); });
  }
  if (!facts.database.functions.empty()) {
    add_section(out, FactSection::functions, {},
                [&](Writer& w) { functions_fields(w, facts.database.functions); });
  }
  // Grouped by rule, each rule's in the order recorded: a link rule reads only its own.
  std::map<std::string_view, std::vector<const PendingFinding*>> by_rule;
  for (const PendingFinding& pending : facts.database.pending)
    by_rule[pending.finding.rule_id].push_back(&pending);
  for (const auto& entry : by_rule) {
    // Not a structured binding: clang 14 cannot capture one in the lambda.
    const std::vector<const PendingFinding*>& list = entry.second;
    add_section(out, FactSection::pending, std::string(entry.first), [&](Writer& w) {
      w.u32(static_cast<std::uint32_t>(list.size()));
      for (const PendingFinding* pending : list) pending_fields(w, *pending);
    });
  }
  return out;
}

bool decode_fact_section(FactSection kind, std::string_view rule_id, std::string_view bytes,
                         FileFacts& facts) {
  Reader r(bytes);
  switch (kind) {
    case FactSection::head:
      head_fields(r, facts);
      break;
    case FactSection::names:
      names_fields(r, facts);
      break;
    case FactSection::database: {
      // Functions and pending findings have sections of their own: kept as they are.
      std::vector<FunctionEffectFact> functions = std::move(facts.database.functions);
      std::vector<PendingFinding> pending = std::move(facts.database.pending);
      facts.database = {};
      database_fields(r, facts.database);
      facts.database.functions = std::move(functions);
      facts.database.pending = std::move(pending);
      break;
    }
    case FactSection::suppressions:
      facts.suppressions = {};
      suppressions_fields(r, facts.suppressions);
      break;
    case FactSection::functions:
      functions_fields(r, facts.database.functions);
      break;
    case FactSection::pending: {
      // Appended in place: the list's count bounds what is added, as Reader::list does.
      std::vector<PendingFinding>& list = facts.database.pending;
      std::uint32_t count = 0;
      r.field(count);
      if (count > bytes.size() / kPendingBytes) return false;
      list.reserve(list.size() + count);
      for (std::uint32_t i = 0; i < count; ++i) {
        PendingFinding& pending = list.emplace_back();
        pending_fields(r, pending);
        pending.finding.rule_id = rule_id;
      }
      return r.at_end();
    }
    default:
      return false;
  }
  return r.at_end();
}

bool valid_linked_facts(const EncodedFacts& encoded) {
  return decode_linked_facts(encoded).has_value();
}

std::optional<FileFacts> decode_linked_facts(const EncodedFacts& encoded) {
  FileFacts facts;
  const EncodedFacts::Section* previous = nullptr;
  for (const EncodedFacts::Section& section : encoded.sections) {
    if (static_cast<std::size_t>(section.kind) >= kFactSectionKinds) return std::nullopt;
    if (section.kind != FactSection::pending && !section.rule_id.empty()) return std::nullopt;
    if (previous != nullptr &&
        std::tie(previous->kind, previous->rule_id) >= std::tie(section.kind, section.rule_id)) {
      return std::nullopt;
    }
    if (!decode_fact_section(section.kind, section.rule_id, section.bytes, facts))
      return std::nullopt;
    previous = &section;
  }
  return facts;
}

}  // namespace perfscan
