#!/usr/bin/env bash
# Serving benchmark, all in one run on this machine, with Cairn used exactly as a user uses it:
#   1. ./cairn builds its jar; ./cairn train trains the credit-g model (100 trees of depth 3, no
#      early stopping) into a store of the run's own; ./cairn serve serves the run's model.
#   2. The Flask + gunicorn baseline (2 workers) is trained on the same CSV with the same trees.
#   3. A constant Javalin endpoint (ConstantEndpoint.java, on the jars the launcher built) is the
#      ceiling of the HTTP stack.
#   4. The same single-row request (post.lua) must get 200 from Cairn and Flask, then wrk measures
#      the three with the same settings; any non-2xx answer fails the run.
#   5. Batch: ./cairn score over N rows (credit-g repeated) into Parquet, timed as a command,
#      beside the Flask baseline's pipeline scoring the same CSV in Python (flask_batch.py).
# Needs: apt-get install -y wrk python3-sklearn python3-pandas python3-flask gunicorn
# Usage: bench/serving/run.sh [duration-s] [connections] [warm-up-s] [batch-rows]   (default 15 8 20 200000)
# PYTHON overrides the interpreter (default /usr/bin/python3).
# FLASK_DIR overrides where the baseline is (default: ../shared/bench/baseline-flask beside the repository).
# CAIRN_BENCH_PARTS=auth runs only the token authentication part; AUTH_ROUNDS (default 12) sets its measured rounds,
# alternated, after AUTH_WARMUP_ROUNDS (default 4) warm-up rounds of each server.
# Everything the run writes goes to a new directory under $TMPDIR (or /tmp), printed at the end;
# CAIRN_HOME points there too, so the run never touches ~/.cairn.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
PARTS="${CAIRN_BENCH_PARTS:-all}"
AUTH_ROUNDS="${AUTH_ROUNDS:-12}"
AUTH_WARMUP_ROUNDS="${AUTH_WARMUP_ROUNDS:-4}"
DURATION="${1:-15}"
CONNECTIONS="${2:-8}"
WARMUP="${3:-20}"
BATCH_ROWS="${4:-200000}"
CSV="$ROOT/examples/credit-risk/credit-g.csv"
FLASK_DIR="${FLASK_DIR:-$ROOT/../shared/bench/baseline-flask}"
CAIRN="$ROOT/cairn"
# Debian's python3-sklearn/-pandas/-flask live with the system interpreter, not a pyenv/venv one on PATH.
PYTHON="${PYTHON:-/usr/bin/python3}"

fail() { echo "bench/serving: $*" >&2; exit 1; }

source "$ROOT/scripts/find-jdk.sh"
JAVA_HOME="$(cairn_find_java_home)" || exit 2
export JAVA_HOME
[ -f "$FLASK_DIR/serve.py" ] || fail "no Flask baseline at $FLASK_DIR (set FLASK_DIR)"
for tool in wrk curl gunicorn "$PYTHON"; do
  command -v "$tool" >/dev/null || fail "$tool is missing: apt-get install -y wrk python3-sklearn python3-pandas python3-flask gunicorn"
done
"$PYTHON" -c 'import sklearn, pandas, flask' 2>/dev/null || fail "python3-sklearn, python3-pandas or python3-flask is missing"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/cairn-bench-serving.XXXXXX")"
export CAIRN_HOME="$WORK"
STORE=(--store "sqlite:$WORK/cairn.db" --artifacts "$WORK/artifacts")
BODY="$(sed -n "s/^wrk.body = '\(.*\)'$/\1/p" "$HERE/post.lua")"
[ -n "$BODY" ] || fail "no wrk.body line in $HERE/post.lua"

PIDS=()
stop_servers() {
  local p
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  PIDS=()
}
trap stop_servers EXIT

free_port() { "$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

echo "== building with the launcher (./cairn builds cairn-cli/target/cairn.jar when missing or stale)"
"$CAIRN" --version

echo "== ./cairn train on $CSV (xgboost, 100 trees, depth 3)"
"$CAIRN" train --data "$CSV" --label class --drop customer_id \
  -p num_boost_round=100 -p max_depth=3 -p early_stopping_rounds=0 "${STORE[@]}" --json > "$WORK/train.json"
MODEL_URI="$("$PYTHON" -c 'import json, sys; print(json.load(open(sys.argv[1]))["model_uri"])' "$WORK/train.json")"
ROUNDS="$("$PYTHON" -c 'import json, sys; print(int(json.load(open(sys.argv[1]))["metrics"]["num_rounds"]))' "$WORK/train.json")"
echo "model $MODEL_URI, $ROUNDS trees"
[ "$ROUNDS" = 100 ] || fail "cairn train made $ROUNDS trees, not 100"

up() { [ "$(curl -s -o /dev/null -w '%{http_code}' "$@" 2>/dev/null)" = 200 ]; }
if [ "$PARTS" = all ]; then
echo "== Flask baseline: serve.py train on the same CSV (100 trees, depth 3)"
"$PYTHON" "$FLASK_DIR/serve.py" train "$CSV" class "$WORK/model.pkl" 100 3

echo "== starting the servers (127.0.0.1 only)"
FLASK_PORT="$(free_port)"
MODEL="$WORK/model.pkl" gunicorn --chdir "$FLASK_DIR" -w 2 -b "127.0.0.1:$FLASK_PORT" --log-level warning 'serve:app' \
  > "$WORK/flask.log" 2>&1 &
PIDS+=($!)
CAIRN_PORT="$(free_port)"
"$CAIRN" serve --model "$MODEL_URI" --name credit-risk --host 127.0.0.1 --port "$CAIRN_PORT" "${STORE[@]}" \
  > "$WORK/cairn-serve.log" 2>&1 &
PIDS+=($!)
CONST_PORT="$(free_port)"
"$JAVA_HOME/bin/java" -cp "$ROOT/cairn-cli/target/lib/*" "$HERE/ConstantEndpoint.java" "$CONST_PORT" \
  > "$WORK/constant.log" 2>&1 &
PIDS+=($!)

FLASK_URL="http://127.0.0.1:$FLASK_PORT/invocations"
CAIRN_URL="http://127.0.0.1:$CAIRN_PORT/invocations"
CONST_URL="http://127.0.0.1:$CONST_PORT/invocations"
for _ in $(seq 1 180); do
  if up "http://127.0.0.1:$FLASK_PORT/ping" && up "http://127.0.0.1:$CAIRN_PORT/health/ready" \
     && up -X POST --data '{}' "$CONST_URL"; then
    ready=1
    break
  fi
  for p in "${PIDS[@]}"; do kill -0 "$p" 2>/dev/null || { tail -20 "$WORK"/*.log >&2; fail "a server exited while starting"; }; done
  sleep 1
done
[ "${ready:-0}" = 1 ] || { tail -20 "$WORK"/*.log >&2; fail "the servers were not ready within 180 s"; }
head -2 "$WORK/cairn-serve.log"

fi
echo "== the request body (post.lua) against both models"
check() {  # name url
  local code
  code="$(curl -s -o "$WORK/check-$1.json" -w '%{http_code}' -X POST -H 'Content-Type: application/json' --data "$BODY" "$2")"
  echo "$1: HTTP $code $(cat "$WORK/check-$1.json")"
  [ "$code" = 200 ] || fail "$1 answered HTTP $code to the benchmark's request; fix post.lua or the server before measuring"
}
if [ "$PARTS" = all ]; then
check flask "$FLASK_URL"
check cairn "$CAIRN_URL"
fi

warm_wrk() {  # name url [wrk options]: traffic for the JIT (~10 s on a busy 2-core machine; gunicorn's workers), not measured
  local name="$1" url="$2"; shift 2
  wrk -t2 -c"$CONNECTIONS" -d"${WARMUP}s" -s "$HERE/post.lua" "$@" "$url" > "$WORK/wrk-$name-warmup.txt"
  if grep -q 'Non-2xx' "$WORK/wrk-$name-warmup.txt"; then
    cat "$WORK/wrk-$name-warmup.txt" >&2; fail "$name answered non-2xx under wrk ($(grep Non-2xx "$WORK/wrk-$name-warmup.txt"))"
  fi
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }  # a process's user + system CPU, in clock ticks
measure_wrk() {  # name url server-pid|- [wrk options]: one measured run; with a pid, that server's CPU per request too
  local name="$1" url="$2" pid="$3"; shift 3
  local before=0 after=0
  [ "$pid" = - ] || before="$(cpu_ticks "$pid")"
  wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$HERE/post.lua" "$@" "$url" > "$WORK/wrk-$name.txt"
  [ "$pid" = - ] || after="$(cpu_ticks "$pid")"
  if grep -q 'Non-2xx' "$WORK/wrk-$name.txt"; then cat "$WORK/wrk-$name.txt" >&2; fail "$name answered non-2xx under wrk ($(grep Non-2xx "$WORK/wrk-$name.txt"))"; fi
  local rps p50 p99 errors requests cpu=""
  rps=$(awk '/Requests\/sec/ {print $2}' "$WORK/wrk-$name.txt")
  p50=$(awk '$1=="50%" {print $2}' "$WORK/wrk-$name.txt")
  p99=$(awk '$1=="99%" {print $2}' "$WORK/wrk-$name.txt")
  requests=$(awk '/requests in/ {print $1}' "$WORK/wrk-$name.txt")
  errors=$(grep 'Socket errors' "$WORK/wrk-$name.txt" || true)
  if [ "$pid" != - ]; then
    cpu=$(awk -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" -v n="$requests" 'BEGIN {printf "server_cpu_us_per_request=%.1f", 1e6 * t / hz / n}')
    echo "$name $(awk -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" -v n="$requests" 'BEGIN {print 1e6 * t / hz / n}')" >> "$WORK/cpu.txt"
  fi
  echo "RESULT $name rps=$rps p50=$p50 p99=$p99 $cpu ${errors}"
  echo "$name $rps" >> "$WORK/rps.txt"
}
run_wrk() {  # name url [wrk options, e.g. -H 'Authorization: Bearer …']: warm-up, then one measured run
  local name="$1" url="$2"; shift 2
  warm_wrk "$name" "$url" "$@"
  measure_wrk "$name" "$url" - "$@"
}
if [ "$PARTS" = all ]; then
echo "== wrk -t2 -c$CONNECTIONS -d${DURATION}s --latency after a ${WARMUP}s warm-up, single-row requests"
run_wrk flask "$FLASK_URL"
run_wrk cairn "$CAIRN_URL"
run_wrk constant "$CONST_URL"
awk '{r[$1]=$2} END {printf "RATIO cairn/flask=%.1fx cairn/constant=%.2fx\n", r["cairn"]/r["flask"], r["cairn"]/r["constant"]}' "$WORK/rps.txt"
stop_servers
fi

echo "== token authentication off vs on (load average: $(cut -d' ' -f1-3 /proc/loadavg)): ./cairn server, the model deployed"
# The same store served by two ./cairn server processes at once, the model deployed as credit-risk and called on
# /invocations: one without login, one with --auth and a service account's API token (the server caches a verified
# token, so each request costs a hash of its header, a map lookup and the grant's, cached too). Both are up for the
# whole part and measured in alternated rounds (off, on, on, off, off, on): a difference that drifts with the
# machine's load or the JIT's age falls on both sides instead of on whichever ran second.
# MLflow's scoring protocol, as the other parts: /invocations answers with the server's one deployment.
ADMIN_PASSWORD="bench-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
serve_deployed() {  # name port [cairn server options]
  local name="$1" port="$2"; shift 2
  local url="http://127.0.0.1:$port"
  CAIRN_ADMIN_PASSWORD="$ADMIN_PASSWORD" "$CAIRN" server --host 127.0.0.1 --port "$port" "${STORE[@]}" "$@" \
    > "$WORK/server-$name.log" 2>&1 &
  PIDS+=($!)
  local i
  for i in $(seq 1 180); do up "$url/health/ready" && break; sleep 1; done
  up "$url/health/ready" || { tail -20 "$WORK/server-$name.log" >&2; fail "./cairn server ($name) was not ready within 180 s"; }
  local code
  code="$(curl -s -o "$WORK/deploy-$name.json" -w '%{http_code}' -u "admin:$ADMIN_PASSWORD" -X PUT \
    -H 'Content-Type: application/json' --data "{\"targets\": [{\"model\": \"$MODEL_URI\", \"weight\": 100}]}" \
    "$url/api/v1/deployments/credit-risk")"
  [ "$code" = 200 ] || [ "$code" = 201 ] || { cat "$WORK/deploy-$name.json" >&2; fail "deploying on ./cairn server ($name) answered HTTP $code"; }
}
OFF_PORT="$(free_port)"
serve_deployed auth-off "$OFF_PORT"
OFF_PID="${PIDS[-1]}"
ON_PORT="$(free_port)"
serve_deployed auth-on "$ON_PORT" --auth
ON_PID="${PIDS[-1]}"
OFF_URL="http://127.0.0.1:$OFF_PORT/invocations"
ON_SERVER="http://127.0.0.1:$ON_PORT"
ON_URL="$ON_SERVER/invocations"
check auth-off "$OFF_URL"
# As a scoring client is set up: a service account, granted INVOKE on the deployment, with a token of scope INVOKE
# (so each request also looks its grant up, as any non-admin caller's does).
admin_call() {  # method path body
  curl -s -u "admin:$ADMIN_PASSWORD" -X "$1" -H 'Content-Type: application/json' --data "$3" "$ON_SERVER$2"
}
admin_call POST /api/v1/auth/service-accounts '{"name": "bench-scorer"}' > "$WORK/service-account.json"
admin_call PUT /api/v1/auth/deployments/credit-risk/grants/users/bench-scorer '{"permission": "INVOKE"}' > "$WORK/grant.json"
admin_call POST /api/v1/auth/tokens '{"account": "bench-scorer", "scope": "INVOKE", "description": "bench/serving"}' > "$WORK/token.json"
TOKEN="$("$PYTHON" -c 'import json, sys; print(json.load(open(sys.argv[1]))["token"])' "$WORK/token.json")" \
  || fail "no API token from ./cairn server --auth: $(cat "$WORK/token.json")"
code="$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' --data "$BODY" "$ON_URL")"
[ "$code" = 401 ] || fail "./cairn server --auth answered HTTP $code without a token (expected 401)"
code="$(curl -s -o "$WORK/check-auth-on.json" -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
  -H "Authorization: Bearer $TOKEN" --data "$BODY" "$ON_URL")"
[ "$code" = 200 ] || fail "./cairn server --auth answered HTTP $code with the token: $(cat "$WORK/check-auth-on.json")"
# Warm-up first, both servers in turn, until the JIT has compiled the request path of each (on this machine the
# first minute of traffic runs at about half speed); then the measured rounds, with no warm-up between them,
# off, on, on, off, off, on, on, off, …: each side measured first as often as second. Besides requests/s, each
# server's own CPU time per request (from /proc): it moves less with the machine's load than throughput does.
for round in $(seq 1 "$AUTH_WARMUP_ROUNDS"); do
  warm_wrk "auth-off-warm-$round" "$OFF_URL"
  warm_wrk "auth-on-warm-$round" "$ON_URL" -H "Authorization: Bearer $TOKEN"
done
for round in $(seq 1 "$AUTH_ROUNDS"); do
  case $((round % 4)) in 1|0) side=off ;; *) side=on ;; esac
  if [ "$side" = off ]; then measure_wrk "auth-off-$round" "$OFF_URL" "$OFF_PID"
  else measure_wrk "auth-on-$round" "$ON_URL" "$ON_PID" -H "Authorization: Bearer $TOKEN"; fi
done
awk '{split($1, n, "-"); s[n[2]] += $2; c[n[2]]++} END {
    printf "RATIO auth-on/auth-off=%.3f (loss %.1f%%; mean of %d rounds each, alternated)\n", (s["on"] / c["on"]) / (s["off"] / c["off"]),
      100 * (1 - (s["on"] / c["on"]) / (s["off"] / c["off"])), c["on"]}' <(grep '^auth-' "$WORK/rps.txt")
awk '{split($1, n, "-"); s[n[2]] += $2; c[n[2]]++} END {
    printf "CPU per request (server process, mean of rounds): auth-off %.1f us, auth-on %.1f us (%+.1f%%)\n", s["off"] / c["off"],
      s["on"] / c["on"], 100 * ((s["on"] / c["on"]) / (s["off"] / c["off"]) - 1)}' <(grep '^auth-' "$WORK/cpu.txt")
stop_servers

if [ "$PARTS" = all ]; then
echo "== batch: ./cairn score over $BATCH_ROWS rows (credit-g repeated) vs the Flask pipeline in Python, same CSV"
# The label column is left out: these are rows to score. CRLF line ends stripped.
awk -v n="$BATCH_ROWS" 'BEGIN {FS = OFS = ","} {sub(/\r$/, ""); sub(/,[^,]*$/, "")}
  NR == 1 {print; next} {rows[++k] = $0} END {for (i = 0; i < n; i++) print rows[i % k + 1]}' "$CSV" > "$WORK/batch.csv"
# Both timed as whole commands (wall and CPU seconds, bash's `time`): the CPU time says more than the
# wall time when other work shares the cores. Python's own breakdown comes from flask_batch.py.
TIMEFORMAT='wall=%3R user=%3U sys=%3S'
{ time "$CAIRN" score --model "$MODEL_URI" --input "$WORK/batch.csv" --output "$WORK/out.parquet" "${STORE[@]}" \
    > "$WORK/score.txt" 2> "$WORK/score.err"; } 2> "$WORK/score.time" \
  || { cat "$WORK/score.err" >&2; fail "cairn score failed"; }
cat "$WORK/score.txt"
grep -q "^Scored $BATCH_ROWS rows" "$WORK/score.txt" || { cat "$WORK/score.err" >&2; fail "cairn score did not score $BATCH_ROWS rows"; }
{ time "$PYTHON" "$HERE/flask_batch.py" "$WORK/model.pkl" "$WORK/batch.csv" > "$WORK/pybatch.txt"; } 2> "$WORK/pybatch.time" \
  || { cat "$WORK/pybatch.time" >&2; fail "the Python batch baseline failed"; }
cat "$WORK/pybatch.txt"
summary() {  # name time-file rows what
  awk -v name="$1" -v rows="$3" -v what="$4" '{for (i = 1; i <= NF; i++) {split($i, kv, "="); t[kv[1]] = kv[2]}}
    END {printf "BATCH %s rows=%d wall_s=%.2f cpu_s=%.2f rows_per_wall_s=%.0f rows_per_cpu_s=%.0f (%s)\n",
         name, rows, t["wall"], t["user"] + t["sys"], rows / t["wall"], rows / (t["user"] + t["sys"]), what}' "$2"
}
summary cairn "$WORK/score.time" "$BATCH_ROWS" "whole ./cairn score: JVM start, model from the store, CSV read, validation, Parquet written"
summary python "$WORK/pybatch.time" "$BATCH_ROWS" "whole python3 flask_batch.py: start, imports, unpickle, read_csv, predict_proba; nothing written"
awk '{for (i = 1; i <= NF; i++) {split($i, kv, "="); t[FILENAME, kv[1]] = kv[2]}} END {
    c = ARGV[1]; p = ARGV[2]
    printf "RATIO batch cairn/python by wall time=%.2fx by CPU time=%.2fx\n", t[p, "wall"] / t[c, "wall"],
      (t[p, "user"] + t[p, "sys"]) / (t[c, "user"] + t[c, "sys"])}' "$WORK/score.time" "$WORK/pybatch.time"
fi
echo "raw outputs in $WORK"
