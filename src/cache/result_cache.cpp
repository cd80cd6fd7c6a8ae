#include "cache/result_cache.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <functional>
#include <iterator>
#include <map>
#include <set>
#include <thread>

#include "perfscan/version.hpp"

namespace perfscan {
namespace {

// Fields are written one by one below: a fact or finding that gains a member must be added to
// the codec (and kCacheFormatVersion bumped), or the cache would silently drop it. These sizes
// are the tripwire (x86-64, libstdc++): update them together with encode/decode.
static_assert(sizeof(Finding) == 368, "Finding changed: update the result cache codec");
static_assert(sizeof(FileError) == 72, "FileError changed: update the result cache codec");
static_assert(sizeof(FileFacts) == 480, "FileFacts changed: update the result cache codec");
static_assert(sizeof(FunctionFact) == 40, "FunctionFact changed: update the result cache codec");
static_assert(sizeof(TypeFact) == 64, "TypeFact changed: update the result cache codec");
static_assert(sizeof(ClassFact) == 64, "ClassFact changed: update the result cache codec");
static_assert(sizeof(CallFact) == 80, "CallFact changed: update the result cache codec");
static_assert(sizeof(ModelFact) == 240, "ModelFact changed: update the result cache codec");
static_assert(sizeof(FieldFact) == 152, "FieldFact changed: update the result cache codec");
static_assert(sizeof(OrmRootFact) == 40, "OrmRootFact changed: update the result cache codec");
static_assert(sizeof(QuerySiteFact) == 136, "QuerySiteFact changed: update the result cache codec");
static_assert(sizeof(FunctionEffectFact) == 232,
              "FunctionEffectFact changed: update the result cache codec");
static_assert(sizeof(PendingFinding) == 608,
              "PendingFinding changed: update the result cache codec");
static_assert(sizeof(Suppressions) == 56, "Suppressions changed: update the result cache codec");
static_assert(sizeof(SignalFact) == 72, "SignalFact changed: update the result cache codec");
static_assert(sizeof(QuerysetArgumentFact) == 176,
              "QuerysetArgumentFact changed: update the result cache codec");
static_assert(sizeof(DatabaseFacts) == 264, "DatabaseFacts changed: update the result cache codec");
static_assert(sizeof(KnowledgeExtensions) == 72,
              "KnowledgeExtensions changed: update cache_config_hash");
static_assert(sizeof(RuleSettings) == 88, "RuleSettings changed: update cache_config_hash");

// Larger than any entry this build writes for a source it accepts: not read at all.
constexpr off_t kMaxEntryBytes = off_t{1} << 30;
constexpr std::string_view kMagic = "PSCACHE\n";
constexpr std::string_view kGitignore = "# Created by perfscan: the result cache.\n*\n";
constexpr std::string_view kCachedirTag =
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by perfscan.\n"
    "# For information about cache directory tags, see https://bford.info/cachedir/\n";

// ---- the payload ------------------------------------------------------------------------------
//
// One description of the layout serves both directions: the *_fields templates below name every
// stored member once, in order, and run with a Writer (over const values) to encode or with a
// Reader (over values to fill) to decode. Integers are little-endian, strings and lists are
// prefixed with a u32 count, flags are one byte of 0 or 1, enums one byte.

class Writer {
 public:
  explicit Writer(std::string& out) : out_(out) {}
  void u8(std::uint8_t value) { out_.push_back(static_cast<char>(value)); }
  void flag(bool value) { u8(value ? 1 : 0); }
  void u32(std::uint32_t value) { little(value, 4); }
  void u64(std::uint64_t value) { little(value, 8); }
  void str(std::string_view text) {
    u32(static_cast<std::uint32_t>(text.size()));
    out_.append(text);
  }
  void strings(const std::vector<std::string>& items) {
    u32(static_cast<std::uint32_t>(items.size()));
    for (const std::string& text : items) str(text);
  }

  void field(bool value) { flag(value); }
  void field(std::uint16_t value) { little(value, 2); }
  void field(std::uint32_t value) { u32(value); }
  void field(std::uint64_t value) { u64(value); }
  void field(const std::string& text) { str(text); }
  template <typename E>
  void enumerated(E value, E /*last*/) {
    u8(static_cast<std::uint8_t>(value));
  }
  template <typename T, typename Each>
  void list(const std::vector<T>& items, std::size_t /*min_bytes*/, Each each) {
    u32(static_cast<std::uint32_t>(items.size()));
    for (const T& item : items) each(item);
  }
  void by_line(const std::map<std::uint32_t, std::set<std::string>>& lines) {
    u32(static_cast<std::uint32_t>(lines.size()));
    for (const auto& [line, rules] : lines) {
      u32(line);
      u32(static_cast<std::uint32_t>(rules.size()));
      for (const std::string& rule : rules) str(rule);
    }
  }

 private:
  void little(std::uint64_t value, int bytes) {
    for (int i = 0; i < bytes; ++i) out_.push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
  }
  std::string& out_;
};

// Reads what Writer wrote, checking every length against the bytes left: on the first
// inconsistency it stops, and everything read afterwards is zero or empty. No allocation is
// larger than the input.
class Reader {
 public:
  explicit Reader(std::string_view in)
      : p_(reinterpret_cast<const unsigned char*>(in.data())), end_(p_ + in.size()) {}

  [[nodiscard]] bool at_end() const { return ok_ && p_ == end_; }
  std::uint64_t u64() { return little(8); }

  void field(bool& value) {
    std::uint64_t byte = little(1);
    if (byte > 1) ok_ = false;
    value = byte == 1;
  }
  void field(std::uint16_t& value) { value = static_cast<std::uint16_t>(little(2)); }
  void field(std::uint32_t& value) { value = static_cast<std::uint32_t>(little(4)); }
  void field(std::uint64_t& value) { value = little(8); }
  void field(std::string& text) {
    std::uint32_t size = 0;
    field(size);
    if (!ok_ || size > remaining()) {
      ok_ = false;
      return;
    }
    text.assign(reinterpret_cast<const char*>(p_), size);
    p_ += size;
  }
  // An enum stored as one byte, at most `last`.
  template <typename E>
  void enumerated(E& value, E last) {
    std::uint64_t byte = little(1);
    if (byte > static_cast<std::uint64_t>(last)) ok_ = false;
    value = ok_ ? static_cast<E>(byte) : E{};
  }
  // Each element takes at least `min_bytes`: a count that could not fit is corrupt.
  template <typename T, typename Each>
  void list(std::vector<T>& items, std::size_t min_bytes, Each each) {
    std::uint32_t count = 0;
    field(count);
    if (!ok_ || count > remaining() / min_bytes) {
      ok_ = false;
      return;
    }
    items.resize(count);
    for (T& item : items) {
      each(item);
      if (!ok_) return;
    }
  }
  // The map is rebuilt in key order: keys out of order or repeated, or a rule named twice on
  // one line, mean a corrupt entry.
  void by_line(std::map<std::uint32_t, std::set<std::string>>& lines) {
    std::vector<std::pair<std::uint32_t, std::vector<std::string>>> read;
    list(read, 8, [&](auto& entry) {
      field(entry.first);
      list(entry.second, 4, [&](std::string& rule) { field(rule); });
    });
    for (auto& [line, rules] : read) {
      std::set<std::string> set(std::make_move_iterator(rules.begin()),
                                std::make_move_iterator(rules.end()));
      if (set.size() != rules.size() || (!lines.empty() && lines.rbegin()->first >= line)) {
        ok_ = false;
        return;
      }
      lines.emplace_hint(lines.end(), line, std::move(set));
    }
  }

 private:
  [[nodiscard]] std::size_t remaining() const { return static_cast<std::size_t>(end_ - p_); }
  std::uint64_t little(std::size_t bytes) {
    if (!ok_ || remaining() < bytes) {
      ok_ = false;
      return 0;
    }
    std::uint64_t value = 0;
    for (std::size_t i = 0; i < bytes; ++i) value |= std::uint64_t{p_[i]} << (8 * i);
    p_ += bytes;
    return value;
  }

  const unsigned char* p_;
  const unsigned char* end_;
  bool ok_ = true;
};

// The minimum sizes given to list() are those of an element whose strings and lists are empty.
template <typename Io, typename Strings>
void strings_field(Io& io, Strings& items) {
  io.list(items, 4, [&](auto& text) { io.field(text); });
}

template <typename Io, typename S>
void span_fields(Io& io, S& span) {
  io.field(span.line);
  io.field(span.column);
  io.field(span.end_line);
  io.field(span.end_column);
}

// A flag, then (when set) the safety and the edits. Writing reads the optional; reading fills it.
inline void fix_fields(Writer& io, const std::optional<Fix>& fix) {
  io.flag(fix.has_value());
  if (!fix) return;
  io.enumerated(fix->safety, FixSafety::unsafe);
  io.list(fix->edits, 28, [&](const Edit& edit) {
    io.field(edit.start);
    io.field(edit.end);
    io.field(edit.content);
    span_fields(io, edit.span);
  });
}
inline void fix_fields(Reader& io, std::optional<Fix>& fix) {
  bool present = false;
  io.field(present);
  if (!present) {
    fix.reset();
    return;
  }
  fix.emplace();
  io.enumerated(fix->safety, FixSafety::unsafe);
  io.list(fix->edits, 28, [&](Edit& edit) {
    io.field(edit.start);
    io.field(edit.end);
    io.field(edit.content);
    span_fields(io, edit.span);
  });
}

template <typename Io, typename F>
void finding_fields(Io& io, F& f) {
  io.field(f.rule_id);
  io.field(f.rule_name);
  io.enumerated(f.category, Category::syntax);
  io.enumerated(f.severity, Severity::low);
  io.field(f.path);
  io.field(f.span.line);
  io.field(f.span.column);
  io.field(f.span.end_line);
  io.field(f.span.end_column);
  io.field(f.message);
  io.field(f.suggestion);
  io.field(f.fingerprint);
  io.field(f.scope);
  io.field(f.source_line);
  io.field(f.statement_line);
  io.field(f.cell);
  io.field(f.cell_line);
  io.field(f.in_test_code);
  io.field(f.lowered_on);
  fix_fields(io, f.fix);
}
// strings, enums, span and line, cell and cell line, the test-code flag, the has-fix flag
constexpr std::size_t kFindingBytes = 9 * 4 + 2 + 5 * 4 + 2 * 4 + 1 + 1;

template <typename Io, typename M>
void model_fields(Io& io, M& m) {
  io.field(m.qualified_name);
  io.field(m.name);
  io.field(m.line);
  io.field(m.column);
  io.enumerated(m.orm_hint, Orm::sqlalchemy);
  io.field(m.table);
  io.field(m.abstract);
  io.list(m.fields, 29, [&](auto& field) {
    io.field(field.name);
    io.enumerated(field.kind, FieldKind::relationship);
    io.field(field.target);
    io.field(field.related_name);
    io.field(field.lazy);
    io.field(field.line);
    io.field(field.column);
    io.field(field.indexed);
    io.field(field.boolean);
    io.field(field.choices);
  });
  io.list(m.indexes, 4, [&](auto& index) { strings_field(io, index); });
  strings_field(io, m.managers);
  strings_field(io, m.overrides);
  strings_field(io, m.manager_classes);
}

template <typename Io, typename D>
void database_fields(Io& io, D& db) {
  io.list(db.models, 42, [&](auto& model) { model_fields(io, model); });
  io.list(db.roots, 5, [&](auto& root) {
    io.field(root.qualified_name);
    io.enumerated(root.orm, Orm::sqlalchemy);
  });
  io.list(db.query_sites, 26, [&](auto& site) {
    io.field(site.model);
    io.list(site.columns, 5, [&](auto& column) {
      io.field(column.first);
      io.enumerated(column.second, LookupKind::join);
    });
    io.field(site.line);
    io.field(site.column);
    io.enumerated(site.model_kind, SiteModel::manager);
    io.enumerated(site.context, SiteContext::excluded);
    io.field(site.relation);
    io.field(site.function);
  });
  io.list(db.functions, 45, [&](auto& function) {
    io.field(function.function);
    io.field(function.effect);
    io.field(function.effect_line);
    io.field(function.effect_is_remote);
    io.field(function.cached);
    io.field(function.is_async);
    io.field(function.blocking_kind);
    io.field(function.blocking_call);
    io.field(function.blocking_line);
    io.field(function.constant_work);
    io.field(function.constant_work_line);
    io.field(function.fresh_client);
    io.field(function.fresh_client_line);
    io.field(function.callees.joined());
  });
  io.list(db.pending, kFindingBytes + 37, [&](auto& pending) {
    finding_fields(io, pending.finding);
    io.field(pending.subject);
    io.field(pending.detail);
    strings_field(io, pending.eager);
    io.field(pending.subject_is_collection);
    io.field(pending.loop_line);
    io.field(pending.via_relation);
    io.field(pending.first_argument);
    io.field(pending.no_arguments);
    io.field(pending.parameter);
    io.field(pending.parameter_position);
    io.field(pending.strong_evidence);
    io.field(pending.factory);
  });
  io.list(db.signals, 12, [&](auto& signal) {
    io.field(signal.signal);
    io.field(signal.sender);
    io.field(signal.line);
  });
  io.list(db.queryset_arguments, 27, [&](auto& argument) {
    io.field(argument.callee);
    io.field(argument.keyword);
    io.field(argument.position);
    io.field(argument.model);
    strings_field(io, argument.eager);
    io.field(argument.everything_eager);
    io.field(argument.caller);
    io.field(argument.line);
  });
  io.field(db.request_handlers.joined());
  io.field(db.event_handlers.joined());
  io.field(db.model_evidence.joined());
}

template <typename Io, typename F>
void facts_fields(Io& io, F& facts) {
  io.field(facts.path);
  io.field(facts.module);
  io.list(facts.functions, 9, [&](auto& function) {
    io.field(function.qualified_name);
    io.field(function.line);
    io.field(function.is_async);
  });
  io.list(facts.classes, 12, [&](auto& klass) {
    io.field(klass.qualified_name);
    io.field(klass.line);
    strings_field(io, klass.bases);
  });
  io.list(facts.types, 8, [&](auto& type) {
    io.field(type.name);
    io.field(type.type);
  });
  io.list(facts.calls, 19, [&](auto& call) {
    io.field(call.callee);
    io.field(call.caller);
    io.field(call.line);
    io.field(call.column);
    io.field(call.loop_depth);
    io.field(call.in_async_function);
  });
  io.field(facts.suppressions.skip_file);
  io.by_line(facts.suppressions.by_line);
  database_fields(io, facts.database);
}

template <typename Io, typename R>
void result_fields(Io& io, R& result) {
  io.field(result.scanned);
  io.field(result.lines);
  io.field(result.bytes);
  io.list(result.findings, kFindingBytes, [&](auto& finding) { finding_fields(io, finding); });
  io.list(result.errors, 9, [&](auto& error) {
    io.field(error.path);
    io.field(error.message);
    io.field(error.analysed);
  });
  facts_fields(io, result.facts);
}

// ---- files -------------------------------------------------------------------------------------

void append_hash(std::string& out, XXH128_hash_t hash) {
  Writer w(out);
  w.u64(hash.low64);
  w.u64(hash.high64);
}

std::string hex128(XXH128_hash_t hash) {
  return fmt::format("{:016x}{:016x}", hash.high64, hash.low64);
}

// The whole file in one read, or false.
bool read_whole(const std::string& path, std::string& out) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return false;
  struct stat info {};
  bool ok = ::fstat(fd, &info) == 0 && S_ISREG(info.st_mode) && info.st_size <= kMaxEntryBytes;
  if (ok) {
    out.resize(static_cast<std::size_t>(info.st_size));
    std::size_t done = 0;
    while (done < out.size()) {
      ssize_t got = ::read(fd, out.data() + done, out.size() - done);
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) break;
      done += static_cast<std::size_t>(got);
    }
    ok = done == out.size();
  }
  ::close(fd);
  return ok;
}

// Writes `data` to a new file `path` (which must not exist). Returns 0 or an errno value.
int write_new(const std::string& path, std::string_view data) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return errno;
  std::size_t done = 0;
  int failure = 0;
  while (done < data.size()) {
    ssize_t put = ::write(fd, data.data() + done, data.size() - done);
    if (put < 0 && errno == EINTR) continue;
    if (put <= 0) {
      failure = put < 0 ? errno : EIO;
      break;
    }
    done += static_cast<std::size_t>(put);
  }
  if (::close(fd) != 0 && failure == 0) failure = errno;
  return failure;
}

// `path`'s exact content, written by rename so readers never see half of it.
void write_if_missing(const std::string& path, std::string_view content) {
  if (::access(path.c_str(), F_OK) == 0) return;
  std::string temp = fmt::format("{}.tmp.{}", path, ::getpid());
  if (write_new(temp, content) == 0 && ::rename(temp.c_str(), path.c_str()) == 0) return;
  ::unlink(temp.c_str());
}

// Identifies the running build beyond its version number: a rebuilt binary (rules changed
// during development, same version) must not reuse entries of the old one.
std::string build_identity() {
  struct stat info {};
  if (::stat("/proc/self/exe", &info) != 0) return {};
  return fmt::format("{}:{}.{}", info.st_size, info.st_mtim.tv_sec, info.st_mtim.tv_nsec);
}

}  // namespace

CacheConfig cache_config_hash(std::vector<std::string_view> dispatched_rule_ids,
                              const RuleSettings& settings, bool keep_facts) {
  std::string text;
  Writer w(text);
  w.u32(kCacheFormatVersion);
  w.str(version());
  std::vector<std::string> ids(dispatched_rule_ids.begin(), dispatched_rule_ids.end());
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  w.strings(ids);
  w.flag(keep_facts);
  w.flag(settings.target_version.has_value());
  if (settings.target_version) {
    w.u32(static_cast<std::uint32_t>(settings.target_version->major));
    w.u32(static_cast<std::uint32_t>(settings.target_version->minor));
  }
  w.strings(settings.knowledge.blocking_calls);
  w.strings(settings.knowledge.query_methods);
  w.strings(settings.knowledge.http_clients);
  CacheConfig config;
  config.name = XXH3_128bits(text.data(), text.size());
  static const std::string kBuild = build_identity();
  w.str(kBuild);
  config.key = XXH3_128bits(text.data(), text.size());
  return config;
}

std::string encode_result(const FileResult& result) {
  std::string out;
  out.reserve(1024);
  Writer w(out);
  result_fields(w, result);
  return out;
}

std::optional<FileResult> decode_result(std::string_view payload) {
  Reader r(payload);
  FileResult result;
  result_fields(r, result);
  if (!r.at_end()) return std::nullopt;
  return result;
}

ResultCache::ResultCache(std::filesystem::path dir, CacheConfig config) : config_(config) {
  if (dir.empty()) return;
  dir_ = dir.lexically_normal().string();
  while (dir_.size() > 1 && dir_.back() == '/') dir_.pop_back();
}

CacheKey ResultCache::key_for(const DiscoveredFile& file, std::string_view bytes) const {
  CacheKey key;
  if (!enabled()) return key;
  // The entry's name leaves the content out, so an edited file overwrites its own entry.
  std::string named;
  append_hash(named, config_.name);
  named += file.display_path;
  std::string hex = hex128(XXH3_128bits(named.data(), named.size()));
  key.entry_path = fmt::format("{}/{}/{}.entry", dir_, std::string_view(hex).substr(0, 2), hex);
  key.header.reserve(64 + file.display_path.size() + file.module.size());
  key.header = kMagic;
  Writer w(key.header);
  w.u32(kCacheFormatVersion);
  append_hash(key.header, config_.key);
  append_hash(key.header, XXH3_128bits(bytes.data(), bytes.size()));
  w.str(file.display_path);
  w.str(file.module);
  w.flag(file.is_package);
  return key;
}

std::optional<FileResult> ResultCache::lookup(const CacheKey& key) {
  if (!enabled()) return std::nullopt;
  std::optional<FileResult> found;
  try {
    std::string entry;
    const std::string& header = key.header;
    if (read_whole(key.entry_path, entry) && entry.size() >= header.size() + 16 &&
        entry.compare(0, header.size(), header) == 0) {
      Reader r(std::string_view(entry).substr(header.size(), 16));
      std::uint64_t length = r.u64();
      std::uint64_t checksum = r.u64();
      std::string_view payload = std::string_view(entry).substr(header.size() + 16);
      if (length == payload.size() && XXH3_64bits(payload.data(), payload.size()) == checksum) {
        found = decode_result(payload);
      }
    }
  } catch (const std::exception&) {
    found.reset();  // out of memory on a legitimate entry: analyse the file instead
  }
  ++(found ? hits_ : misses_);
  return found;
}

void ResultCache::note_failure(std::string reason) {
  ++write_failures_;
  note_problem(std::move(reason));
}

void ResultCache::note_problem(std::string reason) {
  std::lock_guard lock(problem_mutex_);
  if (problem_.empty()) problem_ = std::move(reason);
}

std::string ResultCache::problem() const {
  std::lock_guard lock(problem_mutex_);
  return problem_;
}

void ResultCache::prepare_folder() {
  std::error_code error;
  std::filesystem::create_directories(dir_, error);
  if (error || !std::filesystem::is_directory(dir_, error)) {
    writable_ = false;
    note_problem(
        fmt::format("cannot create {}: {}", dir_, error ? error.message() : "not a folder"));
    return;
  }
  write_if_missing(dir_ + "/.gitignore", kGitignore);
  write_if_missing(dir_ + "/CACHEDIR.TAG", kCachedirTag);
}

void ResultCache::store(const CacheKey& key, const FileResult& result) {
  if (!enabled()) return;
  try {
    std::call_once(prepared_, [this] { prepare_folder(); });
    if (!writable_) {
      ++write_failures_;
      return;
    }
    std::string data = key.header;
    std::string payload = encode_result(result);
    Writer w(data);
    w.u64(payload.size());
    w.u64(XXH3_64bits(payload.data(), payload.size()));
    data += payload;
    const std::string& path = key.entry_path;
    std::string temp =
        fmt::format("{}.tmp.{}.{:x}.{}", path, ::getpid(),
                    std::hash<std::thread::id>{}(std::this_thread::get_id()), temp_counter_++);
    int failure = write_new(temp, data);
    if (failure == ENOENT) {
      // The first entry of its fan-out folder.
      std::string folder = path.substr(0, path.rfind('/'));
      if (::mkdir(folder.c_str(), 0755) != 0 && errno != EEXIST) {
        note_failure(fmt::format("cannot create {}: {}", folder, std::strerror(errno)));
        return;
      }
      failure = write_new(temp, data);
    }
    if (failure == 0 && ::rename(temp.c_str(), path.c_str()) != 0) failure = errno;
    if (failure != 0) {
      ::unlink(temp.c_str());
      note_failure(fmt::format("cannot write {}: {}", path, std::strerror(failure)));
    }
  } catch (const std::exception& failure) {
    note_failure(fmt::format("cannot store an entry in {}: {}", dir_, failure.what()));
  }
}

void ResultCache::report_to(ScanStats& stats) const {
  stats.cache_enabled = enabled();
  stats.cache_hits = hits_;
  stats.cache_misses = misses_;
  stats.cache_write_failures = write_failures_;
  stats.cache_problem = problem();
}

}  // namespace perfscan
