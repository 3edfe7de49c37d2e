#!/usr/bin/env bash
# Builds and runs the web UI benchmark: a real cairn server (in process, SQLite) on an experiment of 100,000 runs
# with 50 metrics; server time of the runs, run and compare pages beside the same data through the JSON API, and
# DOMContentLoaded / chart drawn in headless Chromium beside minimal static pages, all in one run; prints Markdown.
#   bench/ui/run.sh [WORK_DIR] [--runs 100000] [--http-warmup 10] [--http-reps 30] [--browser-warmup 3]
#                   [--browser-reps 10] [--browser on|off] [--rows REGEX]
# --rows measures only the rows whose name matches REGEX (e.g. 'compare|11927'), to re-measure what a change touched.
# The data is generated once per --runs into WORK_DIR/runs-N (default WORK_DIR: ${TMPDIR:-/tmp}/cairn-bench-ui) and
# reused. Chromium: apt-get install -y chromium chromium-driver. CAIRN_TARGET selects the Maven output folder name
# (default: target); CAIRN_BENCH_SKIP_BUILD=1 runs what is already built.
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
  (cd "$root" && ./mvnw -B -q -Dcairn.target="$target" -pl bench/ui -am package -DskipTests)
fi

work="${TMPDIR:-/tmp}/cairn-bench-ui"
if [ $# -gt 0 ] && [ "${1#--}" = "$1" ]; then work="$1"; shift; fi
mkdir -p "$work"

classes="$here/$target/classes"
cp="$classes:$(cat "$here/$target/classpath.txt")"
commit="$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [ -n "$(git -C "$root" status --porcelain 2>/dev/null | head -1)" ]; then commit="$commit+uncommitted"; fi
echo "[bench] machine: $(nproc) cores; $(free -g | awk '/^Mem:/ {print $2 " GB memory, " $7 " GB available"}'); $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"

# The server and the measuring clients share this JVM, as the server's own tests run it.
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx2g -XX:+UseParallelGC \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dcairn.bench.commit="$commit" \
  -cp "$cp" dev.cairn.bench.ui.UiBenchmark "$work" "$@"
