#!/usr/bin/env bash
# Builds and runs the pipeline benchmark and prints Markdown tables: the engine's overhead per step (a chain of
# no-op notify steps, beside the same runner called directly) and a re-run of the example retrain pipeline with
# nothing changed (beside its cold run), on an embedded SQLite store.
#   bench/pipeline/run.sh                                  # the documented run
#   bench/pipeline/run.sh --steps 50 --warmup 3 --reps 9 --reruns 2
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

if [ "${CAIRN_BENCH_SKIP_BUILD:-0}" != 1 ]; then
  (cd "$root" && ./mvnw -B -q -Dcairn.target="$target" -pl bench/pipeline -am package -DskipTests) >&2
fi

classes="$here/$target/classes"
cp="$classes:$(cat "$here/$target/classpath.txt")"
commit="$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [ -n "$(git -C "$root" status --porcelain 2>/dev/null | head -1)" ]; then commit="$commit+uncommitted"; fi
echo "[bench] machine: $(nproc) cores; $(free -g | awk '/^Mem:/ {print $2 " GB memory"}'); load average $(cut -d' ' -f1-3 /proc/loadavg); JDK $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)" >&2

exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx2g -XX:+UseParallelGC \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dcairn.bench.commit="$commit" \
  -cp "$cp" dev.cairn.bench.pipeline.PipelineBenchmark "$@"
