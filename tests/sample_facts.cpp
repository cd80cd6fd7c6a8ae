#include "sample_facts.hpp"

namespace perfscan::testing {

PendingFinding pending_for(const std::string& rule_id, std::uint32_t line,
                           const std::string& subject) {
  PendingFinding pending;
  pending.finding.rule_id = rule_id;
  pending.finding.category = Category::syntax;
  pending.finding.severity = Severity::low;
  pending.finding.span = Span{line, 2, line + 1, 4};
  pending.finding.message = "message ✓ " + subject;
  pending.finding.scope = "a.b.f";
  pending.finding.statement_line = line;
  pending.finding.in_test_code = true;
  pending.finding.lowered_on = "`__init__`";
  pending.finding.fix = Fix{FixSafety::unsafe, {Edit{3, 9, "new\ntext", Span{1, 4, 2, 3}}}};
  pending.subject = subject;
  pending.detail = "author";
  pending.eager = {"author", "tags"};
  pending.subject_is_collection = true;
  pending.loop_line = line - 1;
  pending.via_relation = "lines";
  pending.parameter = "books";
  pending.parameter_position = 2;
  pending.strong_evidence = true;
  pending.first_argument = "url";
  pending.no_arguments = true;
  pending.factory = "a.db.connect";
  return pending;
}

FileFacts every_linked_fact() {
  FileFacts facts;
  facts.path = "a/b.py";
  facts.module = "a.b";
  facts.classes = {ClassFact{"a.b.C", 9, {"django.db.models.Model", "Mixin"}},
                   ClassFact{"a.b.D", 12, {}}};
  facts.types = {TypeFact{"a.b.make", "requests.Session"}, TypeFact{"a.b.C#http", "a.b.make"}};
  facts.suppressions.skip_file = true;
  facts.suppressions.by_line = {{3, {}}, {8, {"PS101", "PS401"}}};
  ModelFact model;
  model.qualified_name = "a.b.Book";
  model.name = "Book";
  model.line = 10;
  model.column = 7;
  model.orm_hint = Orm::sqlalchemy;
  model.table = "books";
  model.abstract = true;
  model.fields = {FieldFact{"author", FieldKind::relationship, "a.b.Author", "books", "select", 11,
                            5, true, true, 3}};
  model.indexes = {{"isbn"}, {"author", "title"}, {}};
  model.managers = {"objects"};
  model.overrides = {"save"};
  model.manager_classes = {"a.b.BookQuerySet"};
  facts.database.models = {model};
  facts.database.roots = {OrmRootFact{"a.b.Base", Orm::sqlalchemy}};
  facts.database.query_sites = {QuerySiteFact{"a.b.Book",
                                              {{"isbn", LookupKind::join}},
                                              20,
                                              9,
                                              SiteModel::manager,
                                              SiteContext::excluded,
                                              "books",
                                              "a.b.f"}};
  facts.database.functions = {
      FunctionEffectFact{"a.b.f",
                         "`Book.objects.get`",
                         21,
                         true,
                         true,
                         true,
                         4,
                         "builtins.open",
                         22,
                         "re.compile",
                         23,
                         "psycopg2.Connection",
                         24,
                         {"a.b.g", "a.c.h"}},
      FunctionEffectFact{"a.b.g", "", 0, false, false, false, 0, "", 0, "", 0, "", 0, {}}};
  facts.database.pending = {
      pending_for("PS205", 30, "a.b.g"), pending_for("PS-loop-calls", 31, "a.c.h"),
      pending_for("PS205", 32, "a.b.f"), pending_for("PS202", 33, "a.b.Book")};
  facts.database.signals = {SignalFact{"post_save", "a.b.Book", 40}};
  facts.database.queryset_arguments = {
      QuerysetArgumentFact{"a.b.render", "books", 1, "a.b.Book", {"author"}, true, "a.b.view", 41}};
  facts.database.request_handlers = {"a.b.view", "a.b.other"};
  facts.database.event_handlers = {"a.b.on_message"};
  facts.database.model_evidence = {"a.models.Tag"};
  return facts;
}

}  // namespace perfscan::testing
