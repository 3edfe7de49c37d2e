#!/usr/bin/env bash
# Runs the runtime benchmark (JMH): Cairn Model.predict vs raw XGBoost4J on the credit-g model.
# Usage: bench/runtime/run.sh [JMH options, e.g. -f 1 -wi 3 -i 5 or a benchmark regex]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
target="${CAIRN_TARGET:-target}"
if [[ -z "${JAVA_HOME:-}" ]]; then
  JAVA_HOME="$(ls -d /usr/lib/jvm/temurin-2[5-9]-jdk-* /usr/lib/jvm/temurin-21-jdk-* 2>/dev/null | head -1)"
  export JAVA_HOME
fi
cd "$root"
./mvnw -B -q -Dcairn.target="$target" -pl bench/runtime -am -DskipTests package \
  dependency:build-classpath -Dmdep.outputFile="$here/$target/classpath.txt" -Dmdep.includeScope=runtime
cp="$here/$target/classes:$(cat "$here/$target/classpath.txt")"
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$cp" org.openjdk.jmh.Main \
  -rf text -rff "$here/$target/jmh-result.txt" "$@" PredictBenchmark
