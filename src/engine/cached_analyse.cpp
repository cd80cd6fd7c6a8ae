#include "engine/cached_analyse.hpp"

#include "core/stage_clock.hpp"
#include "engine/analyse.hpp"
#include "syntax/source.hpp"

namespace perfscan {

FileResult analyse_cached(const DiscoveredFile& file, Parser& parser, const RuleDispatch& dispatch,
                          ResultCache& cache, bool linking, const AnalysisLimits& limits) {
  auto uncached = [&] {
    FileResult result = analyse_file(file, parser, dispatch, nullptr, limits);
    keep_linked_facts(result, linking);
    return result;
  };
  if (!cache.enabled()) return uncached();
  StageClock clock;
  Deadline deadline = deadline_for(limits);
  std::string bytes;
  std::string error;
  // A file that cannot be read is never cached: analyse_file reports it as usual.
  if (!read_file_bytes(file.fs_path, bytes, error)) return uncached();
  CacheKey key = cache.key_for(file, bytes);
  if (std::optional<FileResult> hit = cache.lookup(key)) {
    hit->digest = source_digest(bytes);
    hit->read_time += clock.lap();
    return std::move(*hit);
  }
  StageTime reading = clock.lap();
  FileResult result = analyse_text(file.display_path, file.module, file.is_package,
                                   std::move(bytes), parser, dispatch, limits, deadline);
  result.read_time += reading;
  keep_linked_facts(result, linking);
  // Only complete analyses are stored: a file the decoder, the parser or a limit stopped is
  // retried.
  if (result.scanned) cache.store(key, result);
  return result;
}

}  // namespace perfscan
