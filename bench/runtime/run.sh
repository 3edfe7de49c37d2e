#!/usr/bin/env bash
# Runs the runtime benchmark (JMH): Cairn Model.predict vs raw XGBoost4J on the credit-g model.
# Usage: bench/runtime/run.sh [JMH options, e.g. -f 1 -wi 3 -i 5 or a benchmark regex]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
target="${CAIRN_TARGET:-target}"
# The JDK the way ./cairn and ./run-tests find it (JAVA_HOME, java on PATH, /usr/lib/jvm/*).
source "$root/scripts/find-jdk.sh"
JAVA_HOME="$(cairn_find_java_home)" || exit 2
export JAVA_HOME
MAVEN_OPTS="$(cairn_maven_opts "$JAVA_HOME")"
export MAVEN_OPTS
cd "$root"
./mvnw -B -q -Dcairn.target="$target" -pl bench/runtime -am -DskipTests package \
  dependency:build-classpath -Dmdep.outputFile="$here/$target/classpath.txt" -Dmdep.includeScope=runtime
cp="$here/$target/classes:$(cat "$here/$target/classpath.txt")"
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$cp" org.openjdk.jmh.Main \
  -rf text -rff "$here/$target/jmh-result.txt" "$@" PredictBenchmark
