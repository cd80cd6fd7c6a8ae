// PS901 missing-index: a model column that queries across the project filter or order by,
// with no index that starts with it. Documentation: PS901.md beside this file.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <tuple>

#include "perfscan/context.hpp"
#include "perfscan/project.hpp"
#include "perfscan/rule.hpp"

namespace perfscan {
namespace {

// One query (all the calls of one method chain) against one model.
struct MergedSite {
  const ModelInfo* model = nullptr;
  std::string location;  // "shop/views.py:12"
  std::vector<std::string> columns;  // equality first, then range, then order
};

// The columns a site needs an index on, in index order, keeping only plain model columns.
std::vector<std::string> index_columns(const ModelInfo& model, const std::vector<std::pair<std::string, LookupKind>>& used) {
  std::vector<std::string> ordered;
  for (LookupKind kind : {LookupKind::equality, LookupKind::range, LookupKind::order}) {
    for (const auto& [name, lookup] : used) {
      if (lookup != kind || name == "pk" || std::find(ordered.begin(), ordered.end(), name) != ordered.end()) continue;
      const FieldFact* field = model.field(name);
      if (field == nullptr || field->kind == FieldKind::many_to_many || field->kind == FieldKind::relationship ||
          field->kind == FieldKind::generic_fk) {
        continue;
      }
      ordered.push_back(name);
    }
  }
  return ordered;
}

bool has_index_on(const ModelInfo& model, const std::string& column) {
  if (column == "id") return true;
  const FieldFact* field = model.field(column);
  if (field != nullptr && field->indexed) return true;
  return std::any_of(model.indexes.begin(), model.indexes.end(),
                     [&](const std::vector<std::string>& index) { return !index.empty() && index.front() == column; });
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
    };
    std::map<std::pair<std::string, std::string>, Group> groups;
    for (const MergedSite& site : merged_sites(index)) {
      if (site.columns.empty() || has_index_on(*site.model, site.columns.front())) continue;
      // A two-valued leading column: an index on it alone rarely beats a scan.
      if (const FieldFact* leading = site.model->field(site.columns.front()); leading && leading->boolean) continue;
      Group& group = groups[{site.model->fact->qualified_name, site.columns.front()}];
      if (std::find(group.locations.begin(), group.locations.end(), site.location) == group.locations.end()) {
        group.locations.push_back(site.location);
      }
      ++group.shapes[site.columns];
    }
    for (const auto& [key, group] : groups) {
      const ModelInfo& model = *index.model(key.first);
      const FieldFact* field = model.field(key.second);
      if (field == nullptr) continue;
      findings.push_back(finding_for(model, *field, group.locations, preferred_shape(group.shapes)));
    }
  }

 private:
  static std::vector<MergedSite> merged_sites(const ProjectIndex& index) {
    std::vector<MergedSite> sites;
    for (const FileFacts* file : index.files()) {
      std::map<std::tuple<std::uint32_t, std::uint32_t, std::string>, std::vector<std::pair<std::string, LookupKind>>>
          chains;
      for (const QuerySiteFact& site : file->database.query_sites) {
        auto& columns = chains[{site.line, site.column, site.model}];
        columns.insert(columns.end(), site.columns.begin(), site.columns.end());
      }
      for (const auto& [key, columns] : chains) {
        const ModelInfo* model = index.model(std::get<2>(key));
        if (model == nullptr || model->fact->abstract) continue;
        sites.push_back(MergedSite{model, fmt::format("{}:{}", file->path, std::get<0>(key)),
                                   index_columns(*model, columns)});
      }
    }
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
