#include "fix/edits.hpp"

#include <algorithm>

namespace perfscan {
namespace {

// Half-open ranges overlap when they share a byte; an insertion (empty range) collides with an
// edit that starts, ends or lies around the same point, since their order would be ambiguous.
bool collide(const Edit& a, const Edit& b) {
  if (a.start == a.end || b.start == b.end) return a.start <= b.end && b.start <= a.end;
  return a.start < b.end && b.start < a.end;
}

}  // namespace

bool fix_applies(const Finding& finding, bool unsafe) {
  return finding.fix && !finding.fix->edits.empty() &&
         (finding.fix->safety == FixSafety::safe || unsafe);
}

std::vector<const Finding*> non_overlapping_fixes(const std::vector<const Finding*>& findings,
                                                  bool unsafe) {
  std::vector<const Finding*> candidates;
  for (const Finding* finding : findings) {
    if (fix_applies(*finding, unsafe)) candidates.push_back(finding);
  }
  // Earliest first, so the choice does not depend on the findings' rule order.
  std::stable_sort(candidates.begin(), candidates.end(), [](const Finding* a, const Finding* b) {
    return a->fix->edits.front().start < b->fix->edits.front().start;
  });
  std::vector<const Finding*> chosen;
  std::vector<const Edit*> taken;
  for (const Finding* finding : candidates) {
    bool clash = false;
    for (const Edit& edit : finding->fix->edits) {
      for (const Edit* other : taken) clash = clash || collide(edit, *other);
    }
    if (clash) continue;
    chosen.push_back(finding);
    for (const Edit& edit : finding->fix->edits) taken.push_back(&edit);
  }
  return chosen;
}

static std::string with_line_breaks(std::string_view content, std::string_view line_break) {
  if (line_break == "\n") return std::string(content);
  std::string out;
  for (std::size_t i = 0; i < content.size(); ++i) {
    if (content[i] == '\n' && (i == 0 || content[i - 1] != '\r')) {
      out.append(line_break);
    } else {
      out.push_back(content[i]);
    }
  }
  return out;
}

std::string apply_fixes(std::string_view text, const std::vector<const Finding*>& fixes,
                        std::string_view line_break) {
  std::vector<const Edit*> edits;
  for (const Finding* finding : fixes) {
    for (const Edit& edit : finding->fix->edits) edits.push_back(&edit);
  }
  std::sort(edits.begin(), edits.end(),
            [](const Edit* a, const Edit* b) { return a->start > b->start; });
  std::string out(text);
  for (const Edit* edit : edits) {
    if (edit->start > edit->end || edit->end > out.size()) continue;
    out.replace(edit->start, edit->end - edit->start, with_line_breaks(edit->content, line_break));
  }
  return out;
}

}  // namespace perfscan
