// A file's link facts in their compact binary form (core/facts_codec): what the result cache
// stores, and what the engine keeps of each file until the link step (perfscan/fact_store.hpp),
// so that neither holds every file's facts as objects.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace perfscan {

// The parts of a file's link facts, each encoded on its own so that a pass of the link step
// reads only the part it needs (the FileFacts members each holds in brackets).
enum class FactSection : std::uint8_t {
  head,          // [path, module]
  names,         // [classes, types]
  database,      // [database: models, roots, query sites, signals, queryset arguments, request
                 //  and event handlers, model evidence]
  suppressions,  // [suppressions]
  functions,     // [database.functions]
  pending,       // [database.pending] of one rule (Section::rule_id), in the order recorded
};
inline constexpr std::size_t kFactSectionKinds = 6;

struct EncodedFacts {
  struct Section {
    FactSection kind = FactSection::head;
    std::string rule_id;  // the pending findings' rule; "" for every other kind
    std::string bytes;

    bool operator==(const Section&) const = default;
  };
  // Strictly ordered by (kind, rule_id); a part with nothing in it has no section.
  std::vector<Section> sections;

  [[nodiscard]] bool empty() const { return sections.empty(); }
  [[nodiscard]] std::size_t size_in_bytes() const {
    std::size_t total = 0;
    for (const Section& section : sections) total += section.bytes.size();
    return total;
  }
  bool operator==(const EncodedFacts&) const = default;
};

}  // namespace perfscan
