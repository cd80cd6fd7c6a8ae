#!/usr/bin/env bash
# Runs one fuzz target for a while under nice, building the fuzz preset first when needed (and
# installing clang and its fuzzer runtime when missing). Stops at the first crash, timeout, leak
# or sanitizer report and exits non-zero (what CI wants); with PERFSCAN_FUZZ_KEEP_GOING=1 it runs
# in fork mode instead, saving each crash and going on (what a long run wants).
#
#   tests/fuzz/run.sh NAME [SECONDS] [extra libFuzzer flags...]     NAME: source config baseline cache
#
# The growing corpus lives in build/fuzz/corpus/NAME (a later run resumes from it), crashing
# inputs in build/fuzz/artifacts/NAME/, the log in build/fuzz/NAME.log. Minimise a crash with
#   build/fuzz/tests/fuzz/fuzz_NAME -minimize_crash=1 -runs=20000 CRASH
# and keep it in tests/fuzz/regressions/NAME/ (ctest replays that folder).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
name="${1:?usage: run.sh NAME [SECONDS] [libFuzzer flags...]}"
seconds="${2:-3600}"
shift $(($# >= 2 ? 2 : 1))
build="$root/build/fuzz"

missing=()
for package in clang libclang-rt-14-dev; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  echo "fuzz: installing ${missing[*]}"
  sudo=""
  [[ $(id -u) -eq 0 ]] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
[[ -f "$build/CMakeCache.txt" ]] || (cd "$root" && cmake --preset fuzz >/dev/null)
nice -n 15 cmake --build "$build" --target "fuzz_$name" fuzz_seeds

seeds=()
dict=()
case "$name" in
  source)
    seeds=("$root/tests/fixtures" "$root/examples")
    dict=(-dict="$root/tests/fuzz/dict/python.dict") ;;
  config)
    seeds=("$root/tests/fuzz/seeds/config")
    dict=(-dict="$root/tests/fuzz/dict/toml.dict") ;;
  baseline | cache)
    "$build/tests/fuzz/fuzz_seeds" "$root" "$build/seeds" >/dev/null
    seeds=("$build/seeds/$name")
    [[ $name == baseline ]] && dict=(-dict="$root/tests/fuzz/dict/json.dict") ;;
  *) echo "unknown fuzz target: $name" >&2; exit 2 ;;
esac
[[ -d "$root/tests/fuzz/regressions/$name" ]] && seeds+=("$root/tests/fuzz/regressions/$name")

mode=()
if [[ -n "${PERFSCAN_FUZZ_KEEP_GOING:-}" ]]; then
  mode=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
fi
mkdir -p "$build/corpus/$name" "$build/artifacts/$name"
cd "$build"
# -timeout: an input that takes longer is a hang to fix (perfscan's own budget is 10 s per file,
# far above what a fuzzer-sized input may take). -rss_limit_mb: an input that needs more is a
# memory blow-up to fix.
nice -n 15 "$build/tests/fuzz/fuzz_$name" "${mode[@]}" \
  -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=4096 \
  -print_final_stats=1 -artifact_prefix="$build/artifacts/$name/" \
  "${dict[@]}" "$@" "$build/corpus/$name" "${seeds[@]}" 2>&1 | tee "$build/$name.log"
