// Stage 3 for one discovered file through the result cache: the file's bytes are read once and
// hashed; a matching entry is the result (no decoding, no parsing), otherwise the bytes are
// analysed and the result stored. Runs on a worker thread; never throws for a cache problem.
#pragma once

#include "cache/result_cache.hpp"
#include "engine/analyse.hpp"

namespace perfscan {

// Without an enabled cache this is analyse_file(). Either way the result's facts are cut to
// what linking needs (keep_linked_facts) before they are stored or returned.
FileResult analyse_cached(const DiscoveredFile& file, Parser& parser, const RuleDispatch& dispatch,
                          ResultCache& cache, bool linking, const AnalysisLimits& limits = {});

}  // namespace perfscan
