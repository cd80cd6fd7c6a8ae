#!/usr/bin/env bash
# perfscan benchmark: builds Release, assembles a corpus from the Python trees on this machine,
# and prints the median of several runs of each measurement, then the ratios the performance
# targets are stated in (ratios survive a noisy machine better than seconds do).
#
#   bash bench/run.sh                 # 5 runs of each measurement
#   BENCH_REPS=3 bash bench/run.sh    # fewer runs on a loaded machine
#
# Environment: BENCH_REPS (runs per measurement, default 5), BENCH_DIR (work folder for the
# corpus, default a fresh temporary folder, removed at the end), PERFSCAN_BUILD (build folder,
# default build/release), BENCH_TREES (space-separated source trees instead of the default
# corpus: the standard library, Debian's python3-django and python3-sqlalchemy when present),
# BENCH_CALLGRIND (0: skip the instruction counts, which need valgrind and about two minutes).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REPS="${BENCH_REPS:-5}"
export PERFSCAN_BUILD="${PERFSCAN_BUILD:-$ROOT/build/release}"

# --- build ------------------------------------------------------------------------------------
bash "$ROOT/scripts/setup.sh" >/dev/null
cmake --build "$PERFSCAN_BUILD" --target perfscan parse_only >/dev/null
PERFSCAN="$PERFSCAN_BUILD/perfscan"
PARSE_ONLY="$PERFSCAN_BUILD/parse_only"
TIME=/usr/bin/time
[[ -x $TIME ]] || { echo "bench: /usr/bin/time is needed (apt-get install time)" >&2; exit 2; }

# --- corpus -----------------------------------------------------------------------------------
if [[ -n ${BENCH_DIR:-} ]]; then
  WORK="$BENCH_DIR"
  mkdir -p "$WORK"
else
  WORK="$(mktemp -d "${TMPDIR:-/tmp}/perfscan-bench.XXXXXX")"
  trap 'rm -rf "$WORK"' EXIT
fi

if [[ -n ${BENCH_TREES:-} ]]; then
  read -r -a trees <<<"$BENCH_TREES"
else
  trees=("$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')")
  for tree in /usr/lib/python3/dist-packages/django /usr/lib/python3/dist-packages/sqlalchemy; do
    [[ -d $tree ]] && trees+=("$tree")
  done
fi

# Only the *.py files are copied (no bytecode, no site-packages inside the standard library):
# perfscan and the parse-only pass then discover exactly the same files.
corpus="$WORK/corpus-1x"
rm -rf "$corpus" "$WORK"/corpus-[0-9]*x
mkdir -p "$corpus"
for tree in "${trees[@]}"; do
  dest="$corpus/$(basename "$tree")"
  mkdir -p "$dest"
  (cd "$tree" && find . -name '*.py' -not -path '*/site-packages/*' -not -path '*/__pycache__/*' -print0 |
     tar --null -cf - -T -) | tar -xf - -C "$dest"
done
# Larger corpora are hard-linked copies of the 1x one, one folder per copy.
for factor in 2 4; do
  for ((copy = 1; copy <= factor; ++copy)); do
    mkdir -p "$WORK/corpus-${factor}x"
    cp -al "$corpus" "$WORK/corpus-${factor}x/copy$copy"
  done
done
# What perfscan's discovery keeps of it, as the parse-only pass counts it.
volume=$("$PARSE_ONLY" --jobs 2 "$corpus" | sed -E 's/^parse-only: ([^,]+), ([^,]+), ([^,]+),.*/\1, \2, \3/')

# --- measuring ----------------------------------------------------------------------------------
# measure "label" command...: runs the command REPS times after one unmeasured warm-up run
# (so every run reads from the page cache), and sets MEDIAN_S and MEDIAN_KB (peak RSS).
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
measure() {
  local label="$1"
  shift
  "$@" >/dev/null 2>&1 || true
  local times=() rss=() out="$WORK/time.out"
  for ((run = 0; run < REPS; ++run)); do
    "$TIME" -f '%e %M' -o "$out" "$@" >/dev/null 2>&1 || true
    read -r seconds kilobytes <"$out"
    times+=("$seconds")
    rss+=("$kilobytes")
  done
  MEDIAN_S=$(printf '%s\n' "${times[@]}" | median)
  MEDIAN_KB=$(printf '%s\n' "${rss[@]}" | median)
  printf '%-34s %8.2f s %8.1f MB   (runs: %s)\n' "$label" "$MEDIAN_S" \
         "$(awk -v kb="$MEDIAN_KB" 'BEGIN { print kb / 1024 }')" "${times[*]}"
}
# pair LABEL_A ARRAY_A LABEL_B ARRAY_B: runs the two commands alternately, REPS times each after
# one unmeasured run of each, so that a slow spell of a noisy machine hits both alike. Sets
# MEDIAN_A, MEDIAN_B, MEDIAN_B_KB and PAIR_RATIO, the median of the per-pair ratios B / A.
pair() {
  local label_a="$1" label_b="$3"
  local -n cmd_a="$2" cmd_b="$4"
  "${cmd_a[@]}" >/dev/null 2>&1 || true
  "${cmd_b[@]}" >/dev/null 2>&1 || true
  local ta=() tb=() kb=() ratios=() out="$WORK/time.out" a b b_kb
  for ((run = 0; run < REPS; ++run)); do
    "$TIME" -f '%e %M' -o "$out" "${cmd_a[@]}" >/dev/null 2>&1 || true
    read -r a _ <"$out"
    "$TIME" -f '%e %M' -o "$out" "${cmd_b[@]}" >/dev/null 2>&1 || true
    read -r b b_kb <"$out"
    ta+=("$a"); tb+=("$b"); kb+=("$b_kb"); ratios+=("$(ratio "$b" "$a")")
  done
  MEDIAN_A=$(printf '%s\n' "${ta[@]}" | median)
  MEDIAN_B=$(printf '%s\n' "${tb[@]}" | median)
  MEDIAN_B_KB=$(printf '%s\n' "${kb[@]}" | median)
  PAIR_RATIO=$(printf '%s\n' "${ratios[@]}" | median)
  printf '%-34s %8.2f s              (runs: %s)\n' "$label_a" "$MEDIAN_A" "${ta[*]}"
  printf '%-34s %8.2f s %8.1f MB   (runs: %s; paired ratios: %s)\n' "$label_b" "$MEDIAN_B" \
         "$(awk -v kb="$MEDIAN_B_KB" 'BEGIN { print kb / 1024 }')" "${tb[*]}" "${ratios[*]}"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

SCAN=("$PERFSCAN" --isolated --exit-zero --format json -o /dev/null --no-cache)
# Warm: the result cache in the work folder, filled by measure's unmeasured first run.
WARM_CACHE="$WORK/result-cache"
WARM=("$PERFSCAN" --isolated --exit-zero --format json -o /dev/null --cache-dir "$WARM_CACHE")

echo "perfscan benchmark: $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "perfscan $("$PERFSCAN" --version | cut -d' ' -f2), median of $REPS runs"
echo "corpus: ${trees[*]}"
echo "        $volume"
echo

PARSE1=("$PARSE_ONLY" --jobs 1 "$corpus"); COLD1=("${SCAN[@]}" -j 1 "$corpus")
PARSE2=("$PARSE_ONLY" --jobs 2 "$corpus"); COLD2=("${SCAN[@]}" -j 2 "$corpus")
pair "parse-only, 1 job" PARSE1 "perfscan cold, 1 job" COLD1
parse1=$MEDIAN_A; cold1=$MEDIAN_B; paired1=$PAIR_RATIO
pair "parse-only, 2 jobs" PARSE2 "perfscan cold, 2 jobs (1x corpus)" COLD2
parse2=$MEDIAN_A; cold2=$MEDIAN_B; rss1=$MEDIAN_B_KB; paired2=$PAIR_RATIO
measure "perfscan cold, 2 jobs, 2x corpus" "${SCAN[@]}" -j 2 "$WORK/corpus-2x"; cold2x=$MEDIAN_S; rss2x=$MEDIAN_KB
measure "perfscan cold, 2 jobs, 4x corpus" "${SCAN[@]}" -j 2 "$WORK/corpus-4x"; cold4x=$MEDIAN_S; rss4x=$MEDIAN_KB
# The same without the link step: what memory does apart from the facts kept for linking.
measure "perfscan --no-link, 2 jobs, 1x" "${SCAN[@]}" -j 2 --no-link "$corpus"; nolink1=$MEDIAN_KB
measure "perfscan --no-link, 2 jobs, 4x" "${SCAN[@]}" -j 2 --no-link "$WORK/corpus-4x"; nolink4x=$MEDIAN_KB
rm -rf "$WARM_CACHE"
measure "perfscan warm, 2 jobs (all hits)" "${WARM[@]}" -j 2 "$corpus"; warm2=$MEDIAN_S

# Instruction counts (valgrind's callgrind, 1 job): deterministic where the wall clock is not,
# over a slice of the corpus (Django's ORM when present) to keep valgrind's run short.
# BENCH_CALLGRIND=0 skips them.
instr_ratio="n/a"
if [[ ${BENCH_CALLGRIND:-1} != 0 ]] && command -v valgrind >/dev/null; then
  slice="$corpus/django/db"
  [[ -d $slice ]] || slice="$corpus"
  instructions() {
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
      sed -nE 's/^==[0-9]+== Collected : ([0-9]+)$/\1/p'
  }
  parse_instr=$(instructions "$PARSE_ONLY" --jobs 1 "$slice")
  # No per-file budget: valgrind runs perfscan some 50 times slower, and a file stopped at the
  # 10 s budget would drop its instructions from the count without a word.
  scan_instr=$(instructions "${SCAN[@]}" --file-timeout 0 -j 1 "$slice")
  printf '%-34s %8s M instructions (callgrind, %s)\n' "parse-only, 1 job" \
         "$(awk -v n="$parse_instr" 'BEGIN { printf "%.1f", n / 1e6 }')" "${slice#"$corpus"/}"
  printf '%-34s %8s M instructions\n' "perfscan cold, 1 job" \
         "$(awk -v n="$scan_instr" 'BEGIN { printf "%.1f", n / 1e6 }')"
  instr_ratio=$(ratio "$scan_instr" "$parse_instr")
fi

echo
echo "ratios                                     measured   target"
printf '  instructions perfscan / parse-only     %6s     (callgrind, 1 job)\n' "$instr_ratio"
printf '  perfscan / parse-only, 1 job           %6s     (median of paired runs)\n' "$paired1"
printf '  perfscan / parse-only, 2 jobs          %6s     <= 1.15 (median of paired runs)\n' "$paired2"
printf '  perfscan 2 jobs / 1 job                %6s     <= 0.60\n' "$(ratio "$cold2" "$cold1")"
printf '  parse-only 2 jobs / 1 job              %6s\n' "$(ratio "$parse2" "$parse1")"
printf '  time 2x / 1x corpus                    %6s\n' "$(ratio "$cold2x" "$cold2")"
printf '  time 4x / 1x corpus                    %6s     <= 4.40\n' "$(ratio "$cold4x" "$cold2")"
printf '  peak RSS 2x / 1x corpus                %6s\n' "$(ratio "$rss2x" "$rss1")"
printf '  peak RSS 4x / 1x corpus                %6s     <= 1.20 (and 4x under 150 MB)\n' "$(ratio "$rss4x" "$rss1")"
printf '  peak RSS 4x / 1x, --no-link            %6s\n' "$(ratio "$nolink4x" "$nolink1")"
printf '  warm / cold, 2 jobs                    %6s     <= 0.10 (and warm < 0.4 s: %s s)\n' \
       "$(ratio "$warm2" "$cold2")" "$warm2"

echo
echo "where the time goes (perfscan --stats, 2 jobs, 1x corpus, one run):"
"${SCAN[@]}" -j 2 --stats "$corpus" 2>&1 >/dev/null | grep -v '^perfscan: ' | sed '/findings by rule/,$d' | sed 's/^/  /'
echo "and warm (all hits):"
"${WARM[@]}" -j 2 --stats "$corpus" 2>&1 >/dev/null | grep -v '^perfscan: ' | sed '/findings by rule/,$d' | sed 's/^/  /'
