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

# The JDK the way ./cairn and ./run-tests find it (JAVA_HOME, java on PATH, /usr/lib/jvm/*).
source "$root/scripts/find-jdk.sh"
JAVA_HOME="$(cairn_find_java_home)" || exit 2
export JAVA_HOME
MAVEN_OPTS="$(cairn_maven_opts "$JAVA_HOME")"
export MAVEN_OPTS

(cd "$root" && ./mvnw -B -q -Dcairn.target="$target" -pl bench/tracking -am package -DskipTests)

classes="$here/$target/classes"
cp="$classes:$(cat "$here/$target/classpath.txt")"
commit="$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [ -n "$(git -C "$root" status --porcelain 2>/dev/null | head -1)" ]; then commit="$commit+uncommitted"; fi

exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx1g -XX:+UseParallelGC \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dcairn.bench.commit="$commit" \
  -cp "$cp" dev.cairn.bench.tracking.TrackingBenchmark "$@"
