#!/usr/bin/env bash
# The robustness sweep (issue 17): every Python file under the given roots (default: the Python
# trees Debian installs, and the extracted package trees under /opt/trees/root when present),
# scanned with every rule. Fails on a crash, a hang (10 minutes for a batch of 1,000 files) or a
# sanitizer report, and prints files, lines, time, errors, the ten slowest files and every file
# that costs more than 20 times the median per line.
#
#   bench/sweep.sh [ROOT...]                          the release build (build/release)
#   PERFSCAN_BUILD=build/asan bench/sweep.sh [ROOT...]   the same under ASan + UBSan (no timings)
#
# Files are named explicitly, in batches, so perfscan's default excludes (build/, dist/, env/ ...)
# do not hide any: the point is every file. Results stay in $SWEEP_OUT (default build/sweep).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$(cd "${PERFSCAN_BUILD:-$root/build/release}" && pwd)"
out="${SWEEP_OUT:-$root/build/sweep/$(basename "$build")}"
roots=("$@")
if ((${#roots[@]} == 0)); then
  for candidate in /usr/lib/python3* /usr/local/lib/python3* /opt/trees/root/usr/lib/python3*; do
    [[ -d $candidate ]] && roots+=("$candidate")
  done
fi
rm -rf "$out"
mkdir -p "$out/batches"
find "${roots[@]}" -name '*.py' -type f -print0 | sort -z >"$out/files"
echo "sweep: $(tr -cd '\0' <"$out/files" | wc -c) files under ${roots[*]} with $build/perfscan"

# 1. The whole pipeline (every rule, link step on), in batches.
split -t '\0' -l 1000 -d -a 3 "$out/files" "$out/batches/b"
started=$(date +%s.%N)
failed=0
for batch in "$out/batches"/b[0-9][0-9][0-9]; do
  set +e
  # One perfscan per batch: xargs' default 128 KB command line would split a batch of long
  # paths into several runs, each overwriting the last one's report (-x fails instead).
  xargs -0 -x -n 1000 -s 1000000 -a "$batch" timeout 600 "$build/perfscan" --select ALL \
    --no-cache --exit-zero --format json -o "$batch.json" 2>"$batch.err"
  status=$?
  set -e
  if ((status != 0)) || grep -qE "AddressSanitizer|LeakSanitizer|runtime error:|internal error" "$batch.err"; then
    echo "sweep: batch $(basename "$batch") failed (exit $status): see $batch.err" >&2
    failed=1
  fi
done
finished=$(date +%s.%N)

# 2. Each file alone, timed (the release build only: ASan's times say nothing).
if [[ -x $build/file_times && $build != *asan* ]]; then
  xargs -0 -a "$out/files" "$build/file_times" >"$out/times.tsv"
fi

python3 - "$out" "$started" "$finished" <<'PY'
import glob, json, os, statistics, sys
out, started, finished = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
files = lines = 0
seconds = 0.0
errors = []
for path in sorted(glob.glob(os.path.join(out, "batches", "b*.json"))):
    report = json.load(open(path))
    files += report["summary"]["files_scanned"]
    lines += report["summary"]["lines_scanned"]
    seconds += report["stats"]["seconds"]
    errors += report["errors"]
print(f"sweep: {files} files scanned, {lines} lines, {seconds:.1f} s in perfscan "
      f"({finished - started:.1f} s wall), {len(errors)} errors")
kinds = {}
for error in errors:
    kind = error["message"].split(" at line")[0].split(":")[0]
    kinds[kind] = kinds.get(kind, 0) + 1
for kind, count in sorted(kinds.items(), key=lambda item: -item[1]):
    print(f"  {count:6d}  {kind}")
times_path = os.path.join(out, "times.tsv")
if os.path.exists(times_path):
    rows = []
    for line in open(times_path):
        cpu, wall, n, b, e, p = line.rstrip("\n").split("\t", 5)
        rows.append((float(cpu), float(wall), int(n), int(b), p))
    rows.sort(reverse=True)
    print(f"each file alone: {sum(r[0] for r in rows):.1f} s of CPU")
    print("ten slowest files (CPU seconds, lines, bytes):")
    for cpu, wall, n, b, p in rows[:10]:
        print(f"  {cpu:8.3f} s  {n:7d} lines  {b:9d} bytes  {p}")
    # Per line only where a file has enough lines for the ratio to mean something; per byte
    # too, since a few files hold lines of thousands of characters.
    sized = [r for r in rows if r[2] >= 100]
    per_line = statistics.median(r[0] / r[2] for r in sized)
    per_byte = statistics.median(r[0] / r[3] for r in sized)
    print(f"median cost (files of 100 lines or more): {per_line * 1e6:.2f} µs per line, "
          f"{per_byte * 1e9:.0f} ns per byte")
    outliers = sorted(((r[0] / r[2] / per_line, r) for r in sized if r[0] / r[2] > 20 * per_line),
                      reverse=True)
    print(f"files above 20 x the median per line: {len(outliers)}")
    for ratio, (cpu, wall, n, b, p) in outliers[:20]:
        print(f"  {ratio:6.1f} x per line, {cpu / b / per_byte:5.1f} x per byte  {cpu:8.3f} s  "
              f"{n:7d} lines  {p}")
PY
exit "$failed"
