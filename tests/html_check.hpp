// A small well-formedness check for the HTML review, shared by the report tests and the source
// fuzzer: every tag closed in order, attributes quoted, entities known, <style> raw text, and no
// <script> at all. Bounds-checked throughout, so a truncated or broken document is reported, not
// read past its end.
#pragma once

#include <fmt/format.h>

#include <cctype>
#include <string>
#include <string_view>
#include <vector>

namespace perfscan::testing {

inline bool known_entity(std::string_view html, std::size_t amp) {
  for (std::string_view entity : {"&amp;", "&lt;", "&gt;", "&quot;", "&#39;"}) {
    if (html.substr(amp, entity.size()) == entity) return true;
  }
  if (html.substr(amp, 2) != "&#") return false;
  std::size_t semi = html.find(';', amp);
  return semi != std::string_view::npos && semi - amp <= 9;
}

// Reads the attributes of a start tag from `i` (just after its name) to its closing `>` or
// `/>`. Returns "" and sets `next` past the tag and `self_closing`, or the problem.
inline std::string read_attributes(std::string_view html, std::string_view name, std::size_t i,
                                   std::size_t& next, bool& self_closing) {
  self_closing = false;
  while (true) {
    while (i < html.size() && html[i] == ' ') ++i;
    if (i >= html.size()) return fmt::format("unterminated <{}>", name);
    if (html.substr(i, 2) == "/>") {
      self_closing = true;
      next = i + 2;
      return "";
    }
    if (html[i] == '>') {
      next = i + 1;
      return "";
    }
    std::size_t eq = html.find('=', i);
    if (eq == std::string_view::npos || eq + 1 >= html.size() || html[eq + 1] != '"') {
      return fmt::format("unquoted attribute in <{}> at {}", name, i);
    }
    std::size_t close = html.find('"', eq + 2);
    if (close == std::string_view::npos) return fmt::format("unterminated attribute in <{}>", name);
    std::string_view value = html.substr(eq + 2, close - eq - 2);
    if (value.find('<') != std::string_view::npos) {
      return fmt::format("'<' in an attribute of <{}>", name);
    }
    for (std::size_t a = value.find('&'); a != std::string_view::npos; a = value.find('&', a + 1)) {
      if (!known_entity(value, a)) return fmt::format("bad entity in an attribute of <{}>", name);
    }
    i = close + 1;
  }
}

// Returns "" when `html` is well-formed, else the first problem found.
inline std::string check_well_formed(std::string_view html) {
  std::vector<std::string> open;
  if (!html.starts_with("<!DOCTYPE html>")) return "no doctype";
  std::size_t pos = html.find('>') + 1;
  while (pos < html.size()) {
    const char c = html[pos];
    if (c == '&') {
      if (!known_entity(html, pos)) return fmt::format("bad entity at {}", pos);
      ++pos;
      continue;
    }
    if (c == '>') {
      return fmt::format("stray '>' at {}: {}", pos, html.substr(pos > 40 ? pos - 40 : 0, 60));
    }
    if (c != '<') {
      ++pos;
      continue;
    }
    if (html.substr(pos, 2) == "</") {
      std::size_t end = html.find('>', pos);
      if (end == std::string_view::npos) return fmt::format("unterminated end tag at {}", pos);
      std::string name(html.substr(pos + 2, end - pos - 2));
      if (open.empty() || open.back() != name) {
        return fmt::format("</{}> closes <{}> at {}", name, open.empty() ? "" : open.back(), pos);
      }
      open.pop_back();
      pos = end + 1;
      continue;
    }
    std::size_t name_end = html.find_first_of(" />", pos + 1);
    if (name_end == std::string_view::npos) return fmt::format("unterminated tag at {}", pos);
    std::string name(html.substr(pos + 1, name_end - pos - 1));
    if (name.empty() || std::isalpha(static_cast<unsigned char>(name[0])) == 0) {
      return fmt::format("bad tag name at {}", pos);
    }
    if (name == "script") return "a <script> element";
    bool self_closing = false;
    if (std::string problem = read_attributes(html, name, name_end, pos, self_closing);
        !problem.empty()) {
      return problem;
    }
    if (self_closing) continue;
    if (name == "style") {
      std::size_t end = html.find("</style>", pos);
      if (end == std::string_view::npos) return "unclosed <style>";
      pos = end + 8;
      continue;
    }
    open.push_back(name);
  }
  if (!open.empty()) return "unclosed <" + open.back() + ">";
  return "";
}

}  // namespace perfscan::testing
