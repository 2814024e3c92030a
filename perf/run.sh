#!/usr/bin/env bash
# One command for perf-regression runs: benchmark a named set, export BenchmarkDotNet's full JSON, write a short
# Markdown summary, and (with --baseline) compare against a baseline and fail on a regression.
#
#   perf/run.sh quick|full [--out DIR] [--iterations N] [--baseline DIR] [--threshold 5%] [-- BenchmarkDotNet args]
#
#   quick        the cases marked [BenchmarkCategory("quick")] (narrowed by IQuickSet); a few minutes
#   full         every benchmark
#   --out DIR    where the results go (default perf/results/<UTC time>-<set>); DIR/results/*-report-full.json,
#                DIR/summary.md, DIR/run.log (and DIR/comparison.md with --baseline)
#   --iterations measured iterations per case (default 15 for quick, 10 for full): the comparison's test needs them
#   --baseline   compare with this export folder afterwards (e.g. perf/baselines/amd-epyc-zen3-2c-avx2);
#                the exit code is then the comparison's: 0 fine, 1 regression, 2 error or incomparable runs
#   --threshold  relative change that counts (default 5%)
#   --force      with --baseline: compare even across machines or instruction sets (said loudly in the report)
#
# Environment: STARNET_MAX_ISA=Scalar|Vector256|Vector512 caps the engine's instruction set for the whole run.
# Timings are only as good as the machine is quiet: the summary records the load average at start and end.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

usage() { sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }

[ $# -ge 1 ] || usage
set_name="$1"; shift
case "$set_name" in quick|full) ;; -h|--help) usage ;; *) echo "error: unknown set '$set_name'" >&2; usage ;; esac

out=""; iterations=""; baseline=""; threshold="5%"; force=""; extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    --iterations) iterations="$2"; shift 2 ;;
    --baseline) baseline="$2"; shift 2 ;;
    --threshold) threshold="$2"; shift 2 ;;
    --force) force="--force"; shift ;;
    --) shift; extra=("$@"); break ;;
    *) echo "error: unknown option '$1'" >&2; usage ;;
  esac
done
[ -n "$iterations" ] || { [ "$set_name" = quick ] && iterations=15 || iterations=10; }
if [ -n "$baseline" ]; then
  [ -d "$baseline" ] || [ -f "$baseline" ] || { echo "error: no baseline at $baseline" >&2; exit 2; }
  baseline="$(cd "$(dirname "$baseline")" && pwd)/$(basename "$baseline")"
fi
[ -n "$out" ] || out="$root/perf/results/$(date -u +%Y%m%dT%H%M%SZ)-$set_name"
mkdir -p "$out"
out="$(cd "$out" && pwd)"

commit="$(git -C "$root" describe --always --dirty 2>/dev/null || echo unknown)"
branch="$(git -C "$root" rev-parse --abbrev-ref HEAD 2>/dev/null || echo unknown)"
export STARNET_BENCH_LABEL="$branch@$commit"

echo "== perf run: set=$set_name iterations=$iterations out=$out label=$STARNET_BENCH_LABEL ${STARNET_MAX_ISA:+STARNET_MAX_ISA=$STARNET_MAX_ISA}"
echo "== load before build: $(uptime)"
dotnet build "$root/perf/StarNet.Benchmarks" -c Release --nologo -v quiet -clp:ErrorsOnly
dotnet build "$root/perf/StarNet.PerfCompare" -c Release --nologo -v quiet -clp:ErrorsOnly
echo "== load before run: $(uptime)"

# BenchmarkDotNet finds the project to build its per-run host from the working directory.
status=0
(cd "$root/perf/StarNet.Benchmarks" && dotnet bin/Release/net10.0/StarNet.Benchmarks.dll \
    --set "$set_name" --iterations "$iterations" --artifacts "$out" "${extra[@]}") 2>&1 | tee "$out/run.log" || status=$?
echo "== load after run: $(uptime)"

compare="$root/perf/StarNet.PerfCompare/bin/Release/net10.0/StarNet.PerfCompare.dll"
dotnet "$compare" summary "$out" --out "$out/summary.md" || status=$((status == 0 ? 1 : status))
echo "== results: $out (summary.md, results/*-report-full.json, run.log)"
if [ "$status" -ne 0 ]; then
  echo "error: the benchmark run failed (exit $status); see $out/run.log" >&2
  exit "$status"
fi

if [ -n "$baseline" ]; then
  echo
  set +e
  dotnet "$compare" compare "$baseline" "$out" --threshold "$threshold" $force --out "$out/comparison.md"
  code=$?
  set -e
  echo "== comparison: $out/comparison.md (exit $code)"
  exit "$code"
fi
