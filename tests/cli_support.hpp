// Helpers for the end-to-end tests that run the perfscan binary and read its JSON report.
#pragma once

#include <catch2/catch.hpp>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "test_support.hpp"

namespace perfscan::testing {

using Json = nlohmann::json;

// Quotes a word for the shell that run_perfscan goes through.
inline std::string q(std::string_view word) {
  std::string quoted = "'";
  for (char c : word) {
    if (c == '\'') {
      quoted += "'\\''";
    } else {
      quoted += c;
    }
  }
  return quoted + "'";
}

inline CommandResult run_in(const TempDir& dir, const std::string& args,
                            const std::string& stdin_text = {}, Tiers tiers = Tiers::all) {
  return run_perfscan(args, dir.path(), stdin_text, tiers);
}

// Runs `git <args>` in `dir` with a throw-away identity (tests build real repositories).
inline void git_in(const TempDir& dir, const std::string& args) {
  std::string command = "cd " + q(dir.path().string()) +
                        " && git -c user.name=perfscan -c user.email=perfscan@example.invalid "
                        "-c commit.gpgsign=false " +
                        args + " >/dev/null 2>&1";
  INFO(command);
  REQUIRE(std::system(command.c_str()) == 0);
}

inline Json parse_json(const CommandResult& result) {
  INFO("stdout: " << result.out.substr(0, 4000));
  INFO("stderr: " << result.err);
  Json json;
  REQUIRE_NOTHROW(json = Json::parse(result.out));
  return json;
}

// "PS401 a.py:3:5" for every finding, in report order.
inline std::vector<std::string> hits(const Json& report) {
  std::vector<std::string> out;
  for (const Json& finding : report.at("findings")) {
    out.push_back(finding.at("rule").get<std::string>() + " " +
                  finding.at("path").get<std::string>() + ":" +
                  std::to_string(finding.at("line").get<int>()) + ":" +
                  std::to_string(finding.at("column").get<int>()));
  }
  return out;
}

// The lines of `text`, without their line breaks.
inline std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t begin = 0;
  while (begin < text.size()) {
    std::size_t end = text.find('\n', begin);
    if (end == std::string::npos) end = text.size();
    lines.push_back(text.substr(begin, end - begin));
    begin = end + 1;
  }
  return lines;
}

inline bool contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

}  // namespace perfscan::testing
