// A file's link facts to and from their compact binary form (perfscan/linked_facts.hpp): one
// section per part, so that the link step decodes only the part a pass reads, and a result
// cache entry carries the same bytes the link step reads.
#pragma once

#include <optional>
#include <string_view>

#include "perfscan/facts.hpp"
#include "perfscan/linked_facts.hpp"

namespace perfscan {

// The members the link step reads (the generic `functions` and `calls` are the walk's own and
// are left out), one section per part that holds anything.
EncodedFacts encode_linked_facts(const FileFacts& facts);

// Decodes one section into `facts`: its part's members are replaced, except pending findings,
// which are appended (each section holds one rule's). False when `bytes` is not exactly a
// section of that kind as this build writes it; `facts` is then partly filled.
[[nodiscard]] bool decode_fact_section(FactSection kind, std::string_view rule_id,
                                       std::string_view bytes, FileFacts& facts);

// Whether the sections are in order, each kind (pending: each rule) once, and each decodes.
[[nodiscard]] bool valid_linked_facts(const EncodedFacts& encoded);

// Every section decoded (the generic `functions` and `calls` stay empty); nullopt when
// valid_linked_facts would say no.
std::optional<FileFacts> decode_linked_facts(const EncodedFacts& encoded);

}  // namespace perfscan
