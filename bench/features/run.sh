#!/usr/bin/env bash
# Builds and runs the feature store benchmark, all parts in one run (docs/benchmarks.md, "Features"):
#   1. a point-in-time training set of ENTITY_ROWS entity rows against FEATURE_ROWS feature rows (Parquet files),
#      Cairn's FeatureStore.trainingSet against a hand-written DuckDB ASOF JOIN over the same files, alternated;
#   2. materialization of the view into the embedded store (SQLite) and into Redis (a redis-server this run starts);
#   3. online reads of one entity's feature service, timed in process, from each store, beside the stores' own floor
#      (one SQLite primary-key SELECT, one Redis GET);
#   4. predictions over HTTP (a full server in process, closed-loop clients): with features (an id and a request-time
#      value) against without (the whole row sent), on each online store.
#   bench/features/run.sh [ENTITY_ROWS] [FEATURE_ROWS] [WORK_DIR] [HTTP_SECONDS] [CLIENTS]
# Defaults: 1000000 10000000 $TMPDIR/cairn-bench-features 20 4. The data is generated once per size and kept in
# WORK_DIR. Needs redis-server (/usr/bin/redis-server, Debian's package). CAIRN_BENCH_SKIP_BUILD=1 runs what is built;
# CAIRN_BENCH_PARTS=1 runs the training set alone (default 1234: all parts).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "$root/scripts/find-jdk.sh"
JAVA_HOME="$(cairn_find_java_home)" || exit 2
export JAVA_HOME
MAVEN_OPTS="$(cairn_maven_opts "$JAVA_HOME")"
export MAVEN_OPTS
entities="${1:-1000000}"
features="${2:-10000000}"
work="${3:-${TMPDIR:-/tmp}/cairn-bench-features}"
target="${CAIRN_BENCH_TARGET:-target}"
[ -x /usr/bin/redis-server ] || { echo "bench/features: redis-server is missing (apt-get install redis-server)" >&2; exit 2; }
if [ "${CAIRN_BENCH_SKIP_BUILD:-0}" != 1 ]; then
  (cd "$root" && ./mvnw -B -q -o -DskipTests -Dcairn.target="$target" package -pl bench/features -am) >&2
fi
mkdir -p "$work/tmp"
echo "[bench] machine: $(nproc) cores; $(free -g | awk '/^Mem:/ {print $2 " GB memory, " $7 " GB available"}'); load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx3g -Djava.io.tmpdir="$work/tmp" \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "$root/bench/features/$target/classes:$root/bench/features/$target/lib/*" \
  dev.cairn.bench.features.FeaturesBenchmark "$entities" "$features" "$work" "${@:4}"
