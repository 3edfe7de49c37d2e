#!/usr/bin/env bash
# Builds and runs the tracking benchmark (logBatch throughput and metric-filtered search latency,
# SQLite and embedded PostgreSQL, each beside a raw-JDBC baseline) and prints a Markdown table.
#   bench/tracking/run.sh                         # the documented run
#   bench/tracking/run.sh --backends sqlite --runs 20000 --queries 20
# CAIRN_TARGET selects the Maven output folder name (default: target).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
target="${CAIRN_TARGET:-target}"

if [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
else
  # shellcheck source=../../scripts/find-jdk.sh
  . "$root/scripts/find-jdk.sh"
  JAVA_HOME="$(cairn_find_java_home)"
  export JAVA_HOME
fi

(cd "$root" && ./mvnw -B -q -Dcairn.target="$target" -pl bench/tracking -am package -DskipTests)

classes="$here/$target/classes"
cp="$classes:$(cat "$here/$target/classpath.txt")"
commit="$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [ -n "$(git -C "$root" status --porcelain 2>/dev/null | head -1)" ]; then commit="$commit+uncommitted"; fi

exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx1g -XX:+UseParallelGC \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dcairn.bench.commit="$commit" \
  -cp "$cp" dev.cairn.bench.tracking.TrackingBenchmark "$@"
