#include "gate/baseline.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/paths.hpp"
#include "perfscan/errors.hpp"
#include "syntax/source.hpp"

namespace perfscan {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

constexpr int kBaselineVersion = 1;

fs::path folder_of(const fs::path& file) { return normal_absolute(file).parent_path(); }

[[noreturn]] void not_a_baseline(const fs::path& file, const std::string& why) {
  throw UsageError(file.string() + ": not a perfscan baseline: " + why);
}

std::string entry_text(const Json& entry, const char* key, const fs::path& file) {
  auto found = entry.find(key);
  if (found == entry.end() || !found->is_string()) {
    not_a_baseline(file, std::string("an entry has no string '") + key + "'");
  }
  return found->get<std::string>();
}

// True when `path` (relative to the baseline folder, or absolute) lies under one of the
// scanned paths: only those entries can tell whether their finding still occurs.
bool under_scanned(const std::string& path, const fs::path& dir,
                   const std::vector<fs::path>& roots) {
  fs::path absolute = normal_absolute(fs::path(path).is_absolute() ? fs::path(path) : dir / path);
  for (const fs::path& root : roots) {
    fs::path relative = absolute.lexically_relative(root);
    if (!relative.empty() && *relative.begin() != "..") return true;
  }
  return false;
}

void write_all(int fd, const std::string& text) {
  std::size_t done = 0;
  while (done < text.size()) {
    ssize_t wrote = ::write(fd, text.data() + done, text.size() - done);
    if (wrote < 0) {
      if (errno == EINTR) continue;
      throw UsageError(std::string("cannot write the baseline: ") + std::strerror(errno));
    }
    done += static_cast<std::size_t>(wrote);
  }
}

}  // namespace

Baseline read_baseline(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw UsageError(file.string() + ": cannot read the baseline: " + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  return parse_baseline(text.str(), file);
}

Baseline parse_baseline(std::string_view text, const fs::path& file) {
  Json document = Json::parse(text, nullptr, false);
  if (document.is_discarded() || !document.is_object()) not_a_baseline(file, "not a JSON object");
  auto version = document.find("perfscan_baseline");
  if (version == document.end() || *version != kBaselineVersion) {
    not_a_baseline(file, "no \"perfscan_baseline\": 1");
  }
  auto findings = document.find("findings");
  if (findings == document.end() || !findings->is_array())
    not_a_baseline(file, "no \"findings\" list");
  Baseline baseline;
  baseline.dir = folder_of(file);
  for (const Json& entry : *findings) {
    if (!entry.is_object()) not_a_baseline(file, "an entry is not an object");
    baseline.entries.emplace(entry_text(entry, "path", file), entry_text(entry, "rule", file),
                             entry_text(entry, "fingerprint", file));
  }
  return baseline;
}

void write_baseline(const fs::path& file, const std::vector<Finding>& findings) {
  fs::path dir = folder_of(file);
  // Sorted and de-duplicated through the map; the code and scope are there for reviewers.
  std::map<std::tuple<std::string, std::string, std::string>, Json> sorted;
  for (const Finding& finding : findings) {
    std::string path = path_relative_to(finding.path, dir);
    Json entry = Json{{"path", path},
                      {"rule", finding.rule_id},
                      {"fingerprint", finding.fingerprint},
                      {"scope", finding.scope},
                      {"code", fold_whitespace(finding.source_line)}};
    sorted.emplace(std::make_tuple(path, finding.rule_id, finding.fingerprint), std::move(entry));
  }
  Json list = Json::array();
  for (auto& [key, entry] : sorted) list.push_back(std::move(entry));
  Json document = Json{{"perfscan_baseline", kBaselineVersion}, {"findings", std::move(list)}};
  std::string text = document.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";

  // fmt rather than operator+: GCC 12 warns (-Wrestrict) about that chain of concatenations.
  fs::path temporary = dir / fmt::format(".{}.tmp-{}", file.filename().string(), ::getpid());
  int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    throw UsageError(file.string() + ": cannot write the baseline: " + std::strerror(errno));
  }
  try {
    write_all(fd, text);
    if (::fsync(fd) != 0)
      throw UsageError(std::string("cannot write the baseline: ") + std::strerror(errno));
  } catch (...) {
    ::close(fd);
    ::unlink(temporary.c_str());
    throw;
  }
  ::close(fd);
  if (::rename(temporary.c_str(), fs::absolute(file).c_str()) != 0) {
    int saved = errno;
    ::unlink(temporary.c_str());
    throw UsageError(file.string() + ": cannot write the baseline: " + std::strerror(saved));
  }
}

BaselineOutcome apply_baseline(Report& report, const Baseline& baseline,
                               const std::vector<std::string>& scanned) {
  BaselineOutcome outcome;
  std::set<std::tuple<std::string, std::string, std::string>> seen;
  std::erase_if(report.findings, [&](const Finding& finding) {
    auto key = std::make_tuple(path_relative_to(finding.path, baseline.dir), finding.rule_id,
                               finding.fingerprint);
    if (!baseline.entries.contains(key)) return false;
    seen.insert(std::move(key));
    ++outcome.hidden;
    return true;
  });
  std::vector<fs::path> roots;
  for (const std::string& path : scanned.empty() ? std::vector<std::string>{"."} : scanned) {
    if (path != "-") roots.push_back(normal_absolute(path));
  }
  for (const auto& entry : baseline.entries) {
    if (!seen.contains(entry) && under_scanned(std::get<0>(entry), baseline.dir, roots))
      ++outcome.fixed;
  }
  return outcome;
}

}  // namespace perfscan
