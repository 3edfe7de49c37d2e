#!/usr/bin/env bash
# Builds and runs the Spark benchmark: validation (bench/data's 20 checks) and profile of a synthetic
# 20-column Parquet file on Spark local[2] against the same on embedded DuckDB, and batch scoring of
# credit rows with Cairn's SparkScorer against a plain mapPartitions calling XGBoost4J directly.
#   bench/spark/run.sh [ROWS] [SCORE_ROWS] [WORK_DIR]
# CAIRN_BENCH_PARTS=score times only the batch scoring (no validation or profile);
# CAIRN_BENCH_REPEATS=N repeats each timing N times (default 2); CAIRN_BENCH_JAVA_OPTS adds JVM options
# (e.g. -XX:StartFlightRecording=filename=/tmp/x.jfr,settings=profile to profile with JFR).
# The machine's load average is printed with the figures: on a shared machine they are not quiet numbers.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "$root/scripts/find-jdk.sh"
JAVA_HOME="$(cairn_find_java_home)" || exit 2
export JAVA_HOME
MAVEN_OPTS="$(cairn_maven_opts "$JAVA_HOME")"
export MAVEN_OPTS
rows="${1:-10000000}"
score_rows="${2:-$rows}"
work="${3:-${TMPDIR:-/tmp}/cairn-bench-spark}"
target="${CAIRN_BENCH_TARGET:-target}"
(cd "$root" && ./mvnw -B -o -q -DskipTests -Dcairn.target="$target" package -pl bench/spark -am) >&2
extra=()
if [ "$("$JAVA_HOME/bin/java" -XshowSettings:properties -version 2>&1 | awk -F= '/java.specification.version/ {gsub(/ /,"",$2); print $2}')" -ge 23 ] 2>/dev/null; then
  extra+=(--sun-misc-unsafe-memory-access=allow)
fi
# shellcheck disable=SC2206
extra+=(${CAIRN_BENCH_JAVA_OPTS:-})
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED "${extra[@]}" -Xmx3g \
  -Duser.home="$work/home" \
  -cp "$root/bench/spark/$target/classes:$root/bench/spark/$target/lib/*" \
  dev.cairn.bench.spark.SparkBenchmark "$rows" "$score_rows" "$work" "$root/bench/data/checks.yaml" \
  "$root/cairn-runtime/src/test/resources/golden/v1/xgboost/package"
