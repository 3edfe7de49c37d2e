#!/usr/bin/env bash
# Builds and runs the data benchmark: a synthetic 10M-row x 20-column Parquet file, Cairn's profile and
# 20-check validation, DuckDB's SUMMARIZE and pandas (Debian's python3-pandas), all in one run.
#   bench/data/run.sh [ROWS] [WORK_DIR]
# Needs: apt-get install -y python3-pandas (the pandas baseline is skipped, and said so, without it).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "$root/scripts/find-jdk.sh"
JAVA_HOME="$(cairn_find_java_home)" || exit 2
export JAVA_HOME
MAVEN_OPTS="$(cairn_maven_opts "$JAVA_HOME")"
export MAVEN_OPTS
rows="${1:-10000000}"
work="${2:-${TMPDIR:-/tmp}/cairn-bench-data}"
target="${CAIRN_BENCH_TARGET:-target}"
(cd "$root" && ./mvnw -B -q -DskipTests -Dcairn.target="$target" package -pl bench/data -am) >&2
# A heap far smaller than the data (10M x 20 values = 1.6 GB as doubles): the profile streams.
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx512m \
  -cp "$root/bench/data/$target/classes:$root/bench/data/$target/lib/*" \
  dev.cairn.bench.data.DataBenchmark "$rows" "$work" "$root/bench/data/checks.yaml" "$root/bench/data/pandas_profile.py"
