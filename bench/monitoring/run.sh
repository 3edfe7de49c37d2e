#!/usr/bin/env bash
# Builds and runs the monitoring benchmark, all parts in one run: a synthetic 10M-request prediction log
# (Parquet segments, one day), Cairn's LogWindows.update of the day window against hand-written DuckDB SQL,
# the incremental update of 1% more rows against a recomputation, and serving throughput with the
# prediction log and monitoring off and on.
#   bench/monitoring/run.sh [ROWS] [WORK_DIR] [CLIENTS] [SECONDS] [WARMUP] [ROUNDS]
# The log is generated once per ROWS and kept in WORK_DIR (about 330 bytes per row). CAIRN_BENCH_PARTS=log runs
# parts 1-4 only, CAIRN_BENCH_PARTS=serving part 5 only. LOG_ROUNDS (default 2) is the number of rounds of
# Cairn's day window and of the limit, alternating (limit, Cairn, Cairn, limit, ...); their means are compared.
# CAIRN_BENCH_SKIP_BUILD=1 runs what is already built (bench/monitoring/$CAIRN_BENCH_TARGET) without building.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "$root/scripts/find-jdk.sh"
JAVA_HOME="$(cairn_find_java_home)" || exit 2
export JAVA_HOME
MAVEN_OPTS="$(cairn_maven_opts "$JAVA_HOME")"
export MAVEN_OPTS
rows="${1:-10000000}"
work="${2:-${TMPDIR:-/tmp}/cairn-bench-monitoring}"
target="${CAIRN_BENCH_TARGET:-target}"
if [ "${CAIRN_BENCH_SKIP_BUILD:-0}" != 1 ]; then
  # Offline, from this checkout: -am builds the modules it needs here, and package writes nothing to ~/.m2.
  (cd "$root" && ./mvnw -B -q -o -DskipTests -Dcairn.target="$target" package -pl bench/monitoring -am) >&2
fi
mkdir -p "$work/tmp"
echo "[bench] machine: $(nproc) cores; $(free -g | awk '/^Mem:/ {print $2 " GB memory, " $7 " GB available"}'); load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
# Temporary DuckDB files (the window's flattened rows) go under the work directory, not /tmp.
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx2g -Djava.io.tmpdir="$work/tmp" \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "$root/bench/monitoring/$target/classes:$root/bench/monitoring/$target/lib/*" \
  dev.cairn.bench.monitoring.MonitoringBenchmark "$rows" "$work" "${@:3}"
