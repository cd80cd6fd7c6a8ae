// PS901 missing-index: a model column that queries across the project filter or order by,
// with no index that starts with it. Documentation: PS901.md beside this file.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include "perfscan/context.hpp"
#include "perfscan/project.hpp"
#include "perfscan/rule.hpp"

namespace perfscan {
namespace {

// Choices of at most this many values make a column too unselective to lead an index alone.
constexpr std::uint16_t kSmallChoices = 10;

// One query (all the calls of one method chain) against one model.
struct MergedSite {
  const ModelInfo* model = nullptr;
  std::string location;  // "shop/views.py:12"
  std::vector<std::string> columns;  // equality first, then range, then order
  bool request_path = false;         // in a request handler, or in a function one calls
  std::size_t equality_columns = 0;  // how many of `columns` are compared for equality
};

// Booleans and small `choices`: an index on the column alone rarely beats a scan.
bool is_low_cardinality(const ModelInfo& model, const std::string& column) {
  const FieldFact* field = model.field(column);
  return field != nullptr && (field->boolean || (field->choices > 0 && field->choices <= kSmallChoices));
}

// The columns a site needs an index on, in index order, keeping only plain model columns:
// equality columns first (selective ones before low-cardinality ones), then range, then order.
std::vector<std::string> index_columns(const ModelInfo& model, const std::vector<std::pair<std::string, LookupKind>>& used) {
  std::vector<std::string> ordered;
  auto add = [&](LookupKind kind, bool low_cardinality) {
    for (const auto& [name, lookup] : used) {
      // A join through a forward relation compares its column for equality.
      bool join = lookup == LookupKind::join && kind == LookupKind::equality;
      if ((lookup != kind && !join) || name == "pk" ||
          std::find(ordered.begin(), ordered.end(), name) != ordered.end()) {
        continue;
      }
      const FieldFact* field = model.field(name);
      if (join && (field == nullptr || (field->kind != FieldKind::foreign_key && field->kind != FieldKind::one_to_one))) {
        continue;
      }
      if (field == nullptr || field->kind == FieldKind::many_to_many || field->kind == FieldKind::relationship ||
          field->kind == FieldKind::generic_fk) {
        continue;
      }
      if (kind == LookupKind::equality && is_low_cardinality(model, name) != low_cardinality) continue;
      ordered.push_back(name);
    }
  };
  add(LookupKind::equality, false);
  add(LookupKind::equality, true);
  add(LookupKind::range, false);
  add(LookupKind::order, false);
  return ordered;
}

// An index already serves a query when one leads with the query's first column: a primary or
// foreign key, `unique=True`, `db_index` / `index=True`, or a declared index or constraint.
bool has_index_on(const ModelInfo& model, const std::string& column) {
  if (column == "id") return true;
  const FieldFact* field = model.field(column);
  if (field != nullptr && field->indexed) return true;
  return std::any_of(model.indexes.begin(), model.indexes.end(),
                     [&](const std::vector<std::string>& index) { return !index.empty() && index.front() == column; });
}

// A low-cardinality column leading a site's columns, and every other column already indexed on
// its own (`filter(display=True).order_by("name")` with `name` unique): the database walks
// that index and checks the flag, a composite adds little. Alone, it is not worth an index.
bool rest_already_indexed(const ModelInfo& model, const std::vector<std::string>& columns) {
  return std::all_of(columns.begin() + 1, columns.end(),
                     [&](const std::string& column) { return has_index_on(model, column); });
}

// An index already serves the site: one leads with its first column, or one leads with any of
// its selective equality columns (`filter(job=job, name=n)` walks the foreign key's index and
// checks the name on the few rows it finds).
bool is_served(const ModelInfo& model, const std::vector<std::string>& columns, std::size_t equality_columns) {
  if (has_index_on(model, columns.front())) return true;
  for (std::size_t i = 1; i < equality_columns && i < columns.size(); ++i) {
    if (!is_low_cardinality(model, columns[i]) && has_index_on(model, columns[i])) return true;
  }
  return false;
}

// Functions on the request path: the request handlers, and every project function they call,
// directly or through other project functions.
std::unordered_set<std::string> request_path_functions(const ProjectIndex& index) {
  std::vector<std::string> pending;
  std::unordered_set<std::string> reached;
  for (const std::string& handler : index.request_handlers()) {
    if (reached.insert(handler).second) pending.push_back(handler);
  }
  std::vector<std::string> callees;
  while (!pending.empty()) {
    std::string function = std::move(pending.back());
    pending.pop_back();
    if (!index.callees_of(function, callees)) continue;
    for (std::string& callee : callees) {
      if (index.is_project_function(callee) && reached.insert(callee).second)
        pending.push_back(std::move(callee));
    }
  }
  return reached;
}

// The models a query site's rows belong to: the model, the one a relation leads to, or every
// model whose manager is the site's manager or queryset class (or derives from it).
std::vector<const ModelInfo*> site_models(const ProjectIndex& index, const QuerySiteFact& site,
                                          const std::map<std::string, std::vector<const ModelInfo*>>& by_manager) {
  switch (site.model_kind) {
    case SiteModel::model:
      if (const ModelInfo* model = index.model(site.model)) return {model};
      return {};
    case SiteModel::relation:
      if (const ModelInfo* model = index.model(index.related_model(site.model, site.relation))) return {model};
      return {};
    case SiteModel::manager: {
      auto it = by_manager.find(site.model);
      return it == by_manager.end() ? std::vector<const ModelInfo*>{} : it->second;
    }
  }
  return {};
}

// Manager and queryset classes (and their project base classes) -> the models that use them.
std::map<std::string, std::vector<const ModelInfo*>> models_by_manager(const ProjectIndex& index) {
  std::map<std::string, std::vector<const ModelInfo*>> by_manager;
  std::vector<std::string> bases;
  for (const auto& [name, model] : index.models()) {
    if (model.fact->manager_classes.empty()) continue;
    std::vector<std::string> pending(model.fact->manager_classes.begin(), model.fact->manager_classes.end());
    std::set<std::string> seen;
    for (int steps = 0; !pending.empty() && steps < 64; ++steps) {
      std::string manager = std::move(pending.back());
      pending.pop_back();
      if (!seen.insert(manager).second) continue;
      by_manager[manager].push_back(&model);
      if (!index.class_bases(manager, bases)) continue;
      for (std::string& base : bases) pending.push_back(std::move(base));
    }
  }
  return by_manager;
}

std::string join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

class MissingIndex final : public Rule, public ProjectRule {
 public:
  MissingIndex()
      : Rule({"PS901", "missing-index", Category::database, Severity::medium,
              "Model column filtered or ordered by in queries but not indexed"}) {}

  // Everything happens at link time, from the facts the collector records.
  [[nodiscard]] std::vector<std::string_view> node_kinds() const override { return {}; }
  void check(Node, Context&) const override {}

  void link(const ProjectIndex& index, std::vector<Finding>& findings) const override {
    // (model, leading column) -> sites, and how often each full column list occurs.
    struct Group {
      std::vector<std::string> locations;
      std::map<std::vector<std::string>, int> shapes;
      bool request_path = false;
    };
    std::map<std::pair<std::string, std::string>, Group> groups;
    for (const MergedSite& site : merged_sites(index)) {
      if (site.columns.empty() || is_served(*site.model, site.columns, site.equality_columns)) continue;
      // A boolean or a column of a few choices, alone: an index on it rarely beats a scan. With
      // other columns it may lead a composite index.
      if (is_low_cardinality(*site.model, site.columns.front()) && rest_already_indexed(*site.model, site.columns)) {
        continue;
      }
      Group& group = groups[{site.model->fact->qualified_name, site.columns.front()}];
      if (std::find(group.locations.begin(), group.locations.end(), site.location) == group.locations.end()) {
        group.locations.push_back(site.location);
      }
      ++group.shapes[site.columns];
      group.request_path = group.request_path || site.request_path;
    }
    for (const auto& [key, group] : groups) {
      // One query off the request path (a management command, a helper nothing serving
      // requests calls) is not worth an index that slows every write.
      if (!group.request_path && group.locations.size() < 2) continue;
      const ModelInfo& model = *index.model(key.first);
      const FieldFact* field = model.field(key.second);
      if (field == nullptr) continue;
      findings.push_back(finding_for(model, *field, group.locations, preferred_shape(group.shapes)));
    }
  }

 private:
  static std::vector<MergedSite> merged_sites(const ProjectIndex& index) {
    std::unordered_set<std::string> request_path = request_path_functions(index);
    std::map<std::string, std::vector<const ModelInfo*>> by_manager = models_by_manager(index);
    std::vector<MergedSite> sites;
    index.facts().for_each_file(fact_part(FactSection::database), [&](const FileFacts& loaded) {
      const FileFacts* file = &loaded;
      struct Chain {
        std::vector<std::pair<std::string, LookupKind>> columns;
        const QuerySiteFact* first = nullptr;
      };
      std::map<std::tuple<std::uint32_t, std::uint32_t, std::string>, Chain> chains;
      for (const QuerySiteFact& site : file->database.query_sites) {
        if (site.context == SiteContext::excluded) continue;
        Chain& chain = chains[{site.line, site.column, site.model + "." + site.relation}];
        if (chain.first == nullptr) chain.first = &site;
        chain.columns.insert(chain.columns.end(), site.columns.begin(), site.columns.end());
      }
      for (const auto& [key, chain] : chains) {
        const QuerySiteFact& site = *chain.first;
        bool on_request_path = site.context == SiteContext::request ||
                               (site.context == SiteContext::ordinary && request_path.count(site.function) != 0);
        for (const ModelInfo* model : site_models(index, site, by_manager)) {
          if (model->fact->abstract) continue;
          std::vector<std::string> columns = index_columns(*model, chain.columns);
          std::size_t equality = 0;
          for (const std::string& column : columns) {
            bool compared = std::any_of(chain.columns.begin(), chain.columns.end(), [&](const auto& used) {
              return used.first == column && (used.second == LookupKind::equality || used.second == LookupKind::join);
            });
            if (!compared) break;
            ++equality;
          }
          sites.push_back(MergedSite{model, fmt::format("{}:{}", file->path, std::get<0>(key)), std::move(columns),
                                     on_request_path, equality});
        }
      }
    });
    return sites;
  }

  // The most frequent column list; on a tie the longer (it serves the shorter too).
  static std::vector<std::string> preferred_shape(const std::map<std::vector<std::string>, int>& shapes) {
    const std::vector<std::string>* best = nullptr;
    int best_count = 0;
    for (const auto& [shape, count] : shapes) {
      if (best == nullptr || count > best_count || (count == best_count && shape.size() > best->size())) {
        best = &shape;
        best_count = count;
      }
    }
    return best == nullptr ? std::vector<std::string>{} : *best;
  }

  Finding finding_for(const ModelInfo& model, const FieldFact& field, const std::vector<std::string>& locations,
                      const std::vector<std::string>& columns) const {
    constexpr std::size_t kNamedSites = 3;
    std::vector<std::string> named(locations.begin(),
                                   locations.begin() + static_cast<std::ptrdiff_t>(std::min(kNamedSites, locations.size())));
    std::string sites = join(named, ", ");
    if (locations.size() > kNamedSites) sites += fmt::format(" and {} more", locations.size() - kNamedSites);
    std::string ddl = fmt::format("CREATE INDEX idx_{}_{} ON {}({});", model.table, join(columns, "_"), model.table,
                                  join(columns, ", "));
    std::string quoted;
    for (const std::string& column : columns) quoted += fmt::format("{}\"{}\"", quoted.empty() ? "" : ", ", column);
    std::string declare =
        model.orm == Orm::django
            ? (columns.size() == 1
                   ? fmt::format("`db_index=True` on `{}.{}` (or `indexes = [models.Index(fields=[{}])]` in its Meta)",
                                 model.fact->name, field.name, quoted)
                   : fmt::format("`indexes = [models.Index(fields=[{}])]` in `{}.Meta`", quoted, model.fact->name))
            : (columns.size() == 1 ? fmt::format("`index=True` on `{}.{}`", model.fact->name, field.name)
                                   : fmt::format("`Index(\"idx_{}_{}\", {})` in `{}.__table_args__`", model.table,
                                                 join(columns, "_"), quoted, model.fact->name));
    Finding finding;
    finding.rule_id = info().id;
    finding.rule_name = info().name;
    finding.category = info().category;
    finding.severity = info().severity;
    finding.path = model.file->path;
    finding.span = Span{field.line, field.column, field.line, field.column + static_cast<std::uint32_t>(field.name.size())};
    finding.statement_line = field.line;
    finding.scope = model.fact->qualified_name;
    finding.message = fmt::format("`{}.{}` is filtered or ordered by in {} {} ({}) but has no index: each of them "
                                  "scans table `{}`",
                                  model.fact->name, field.name, locations.size(),
                                  locations.size() == 1 ? "query" : "queries", sites, model.table);
    finding.suggestion = fmt::format("declare {}; in SQL: `{}`", declare, ddl);
    return finding;
  }
};

}  // namespace

std::unique_ptr<Rule> make_ps901_missing_index() { return std::make_unique<MissingIndex>(); }

}  // namespace perfscan
