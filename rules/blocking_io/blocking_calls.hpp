// The knowledge table behind the PS3xx rules: which qualified names block the calling thread,
// what kind of blocking they do, and what to use instead in async code. Data only: the table
// lives in blocking_calls.cpp, and `find_blocking_call` is the one way to ask it, so the names
// configuration adds (`extra-blocking-calls`, via Context::settings()) go through it too.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "perfscan/finding.hpp"
#include "perfscan/types.hpp"

namespace perfscan {

// One kind per PS3xx rule, so a user can select each separately.
enum class BlockingKind : std::uint8_t {
  http,         // PS301
  sleep,        // PS302
  subprocess,   // PS303
  file_io,      // PS304
  fs_metadata,  // PS305
  db_driver,    // PS306
  socket,       // PS307
  wait,         // PS308
};

// When an entry applies beyond the name matching.
enum class BlockingCondition : std::uint8_t {
  always,
  // Only without arguments: `lock.acquire()` / `q.get()` wait forever, `acquire(False)`,
  // `get(timeout=1)` do not.
  no_arguments,
  // Only when an argument is a sync file object opened outside the calling function
  // (`json.load(f)`, `json.dump(obj, f)`); one opened inside is reported at its `open`.
  file_argument,
  // Not when the only argument is the literal 0 (`time.sleep(0)` just yields).
  nonzero_argument,
  // Only when the call touches a file: not when its file arguments (the positional ones and
  // `fileobj=`, `file=`, `filename=`, `fsrc=`, `fdst=`) include an in-memory stream
  // (`io.BytesIO`, `io.StringIO`) and no file object (`zipfile.ZipFile(io.BytesIO(data))`,
  // `tarfile.open(fileobj=buffer)`, `shutil.copyfileobj(io.BytesIO(b), buffer)`), and not when
  // the file object it makes goes straight into `trio.wrap_file` / `anyio.wrap_file` (the
  // sanctioned async form).
  touches_file,
};

struct BlockingCall {
  std::string name;  // canonical qualified name; a last segment `*` matches any method
  BlockingKind kind = BlockingKind::file_io;
  std::string_view what;               // "makes an HTTP request", completes "`x` ... "
  std::string_view alternative;        // what to call instead, for the suggestion
  Severity severity = Severity::high;  // raised to critical (metadata: high) inside a loop
  BlockingCondition condition = BlockingCondition::always;
};

// The entry for a call's canonical qualified name (see `canonical_callee`), or nullopt when
// the call is not known to block. Names listed as non-blocking exceptions (`redis.Redis.pipeline`)
// also give nullopt.
//
// `extra_names` are configuration's `extra-blocking-calls`, consulted after the built-in
// table: each a canonical qualified name (a last segment `*` matches any method), optionally
// followed by `:kind`, one of http, sleep, subprocess, file-io, fs-metadata, db, socket, wait
// (the rule that reports it; default wait, PS308).
std::optional<BlockingCall> find_blocking_call(std::string_view canonical_name,
                                               std::span<const std::string> extra_names = {});

// Methods that run a Django ORM query when called on a manager or queryset
// (`Book.objects.get`, `...filter(...).count()`), with the async method to use instead.
std::optional<std::string_view> django_async_alternative(std::string_view method);

}  // namespace perfscan
