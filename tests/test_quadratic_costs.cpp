// The cost models of the quadratic-cost rules decide their severities: the fixtures pin which
// lines are reported, these tests pin how severe each form is and what the message says about
// its cost (rules/nested_loops/PS101.md, rules/string_concat/PS401.md,
// bench/string_accumulation.py).
#include <catch2/catch.hpp>

#include <map>
#include <string>
#include <utility>

#include "perfscan/engine.hpp"
#include "test_support.hpp"

namespace perfscan {
namespace {

// Every finding of `rule` in a scan of `source`, by line: (severity, message).
std::map<std::uint32_t, std::pair<Severity, std::string>> findings_of(const std::string& source,
                                                                       std::string_view rule) {
  testing::TempDir dir;
  auto path = dir.write("snippet.py", source);
  ScanOptions options;
  options.paths = {path.string()};
  options.jobs = 1;
  options.select = {std::string(rule)};
  Report report = scan(options);
  std::map<std::uint32_t, std::pair<Severity, std::string>> found;
  for (const Finding& finding : report.findings) {
    if (finding.rule_id == rule) found[finding.span.line] = {finding.severity, finding.message};
  }
  return found;
}

}  // namespace

TEST_CASE("PS401: a plain local grown in place on CPython is low; the quadratic forms are not",
          "[rules][string_concat]") {
  auto found = findings_of(R"py(def build(rows, words):
    out = ""
    for row in rows:
        out += row
    for word in words:
        out = word + out
    return out

class Page:
    def __init__(self):
        self.html = ""

    def render(self, rows):
        for row in rows:
            self.html += row

def from_file(path):
    text = ""
    with open(path) as handle:
        for line in handle:
            text = text + line + "\n"
    return text
)py",
                           "PS401");
  REQUIRE(found.size() == 4);
  CHECK(found[4].first == Severity::low);
  CHECK(found[4].second.find("CPython grows an unshared local string in place") != std::string::npos);
  CHECK(found[4].second.find("PyPy") != std::string::npos);
  CHECK(found[6].first == Severity::medium);
  CHECK(found[6].second.find("prepending") != std::string::npos);
  CHECK(found[15].first == Severity::medium);
  CHECK(found[15].second.find("`self.html` is an attribute") != std::string::npos);
  // The lines of a file are data: the quadratic form over them is high.
  CHECK(found[21].first == Severity::high);
  CHECK(found[21].second.find("sized by the data") != std::string::npos);
}

TEST_CASE("PS402: bytes are copied at every step, high over data", "[rules][string_concat]") {
  auto found = findings_of(R"py(def read(chunks, path):
    data = b""
    for chunk in chunks:
        data += chunk
    blob = b""
    with open(path, "rb") as handle:
        for line in handle:
            blob += line
    return data, blob
)py",
                           "PS402");
  REQUIRE(found.size() == 2);
  CHECK(found[4].first == Severity::medium);
  CHECK(found[8].first == Severity::high);
}

TEST_CASE("PS101: medium over collections of unknown size, high when all are data", "[rules][nested_loops]") {
  auto found = findings_of(R"py(from shop.models import Author, Book

def cross(xs, ys):
    for x in xs:
        for y in ys:
            print(x, y)

def titles():
    authors = list(Author.objects.all())
    for book in Book.objects.all():
        for author in authors:
            print(book, author)
)py",
                           "PS101");
  REQUIRE(found.size() == 2);
  CHECK(found[5].first == Severity::medium);
  CHECK(found[5].second.find("sized by the data") == std::string::npos);
  CHECK(found[11].first == Severity::high);
  CHECK(found[11].second.find("all sized by the data") != std::string::npos);
}

}  // namespace perfscan
