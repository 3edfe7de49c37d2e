#!/usr/bin/env bash
# Serving benchmark, all in one run on this machine: the same credit-g model (100 trees, depth 3)
# served by Cairn (lean `cairn serve` process) and by the Flask + gunicorn baseline (2 workers), plus a
# trivial Javalin endpoint returning a constant as the ceiling; single-row requests, the same wrk
# settings for all three. Then batch scoring throughput against a plain XGBoost4J predict loop.
#   Needs: apt-get install wrk python3-sklearn python3-pandas python3-flask gunicorn
#   Usage: bench/serving/run.sh [duration-seconds] [connections] [warm-up-seconds]
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
DURATION="${1:-15}"
CONNECTIONS="${2:-8}"
WARMUP="${3:-20}"
WORK="$(mktemp -d /tmp/cairn-bench-serving.XXXXXX)"
CSV="$ROOT/examples/credit-risk/credit-g.csv"
FLASK_DIR="${FLASK_DIR:-$ROOT/../shared/bench/baseline-flask}"
[ -d "$FLASK_DIR" ] || FLASK_DIR=/work/shared/bench/baseline-flask
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
JAVA="$JAVA_HOME/bin/java"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

echo "== building the classpath (target-bench)"
(cd "$ROOT" && ./mvnw -B -q -Dcairn.target=target-bench -pl cairn-server -am -DskipTests test-compile \
    dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile="$WORK/cp-\${project.artifactId}.txt" >/dev/null)
CP="$ROOT/cairn-server/target-bench/classes:$(cat "$WORK/cp-cairn-server.txt")"
JOPTS=(--enable-native-access=ALL-UNNAMED -Xmx1g -XX:+UseParallelGC -cp "$CP")

echo "== training both models on $CSV (100 trees, depth 3)"
"$JAVA" "${JOPTS[@]}" "$HERE/BenchServing.java" train "$CSV" "$WORK/credit-risk"
(cd "$FLASK_DIR" && /usr/bin/python3 serve.py train "$CSV" class "$WORK/model.pkl" 100 3)

echo "== starting servers"
(cd "$FLASK_DIR" && MODEL="$WORK/model.pkl" exec gunicorn -w 2 -b 127.0.0.1:5101 --log-level warning 'serve:app') &
PIDS+=($!)
"$JAVA" "${JOPTS[@]}" "$HERE/BenchServing.java" serve "$WORK/credit-risk" 5102 5103 > "$WORK/java.log" 2>&1 &
PIDS+=($!)
for i in $(seq 1 120); do
  if grep -q READY "$WORK/java.log" 2>/dev/null && curl -s -o /dev/null http://127.0.0.1:5101/ping; then break; fi
  sleep 1
done
grep READY "$WORK/java.log"
for url in http://127.0.0.1:5101/invocations http://127.0.0.1:5102/invocations; do
  echo "check $url: $(curl -s -X POST -H 'Content-Type: application/json' --data "$(sed -n "s/^wrk.body = '\(.*\)'$/\1/p" "$HERE/post.lua")" "$url")"
done

run_wrk() {  # name url
  # Warm-up (the JIT needs ~10 s of traffic on a busy 2-core machine; gunicorn workers), then the measured run.
  wrk -t2 -c"$CONNECTIONS" -d"${WARMUP}s" -s "$HERE/post.lua" "$2" > /dev/null
  wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$HERE/post.lua" "$2" > "$WORK/wrk-$1.txt"
  local rps p50 p99 errors
  rps=$(awk '/Requests\/sec/ {print $2}' "$WORK/wrk-$1.txt")
  p50=$(awk '$1=="50%" {print $2}' "$WORK/wrk-$1.txt")
  p99=$(awk '$1=="99%" {print $2}' "$WORK/wrk-$1.txt")
  errors=$(awk '/Non-2xx|Socket errors/ {print}' "$WORK/wrk-$1.txt" | tr '\n' ' ')
  echo "RESULT $1 rps=$rps p50=$p50 p99=$p99 ${errors}"
}
echo "== wrk -t2 -c$CONNECTIONS -d${DURATION}s, single-row requests"
run_wrk flask http://127.0.0.1:5101/invocations
run_wrk cairn http://127.0.0.1:5102/invocations
run_wrk trivial http://127.0.0.1:5103/invocations

echo "== batch: Cairn columnar predict vs plain XGBoost4J predict loop, same rows, same JVM"
"$JAVA" "${JOPTS[@]}" "$HERE/BenchServing.java" batch "$WORK/credit-risk" "$CSV" 200000
echo "raw wrk output in $WORK"
