#!/usr/bin/env bash
# `make ui`: the Dagster webserver and daemon of the data home, listening on 127.0.0.1 only.
#
# Two processes instead of `dagster dev`, which did not stop on SIGTERM on these machines.
# Ctrl-C (SIGINT) or SIGTERM stops both, with whatever they started (code servers, run workers).
#
# Settings (environment):
#   CXBENCH_HOME      data home (default: data/ in the repository); the instance is its dagster/
#   CXBENCH_UI_PORT   webserver port (default 3000)
#   CXBENCH_UI_HOST   bind address (default 127.0.0.1). The UI has no login: anything else
#                     exposes run controls to the network, so only behind an authenticating proxy.
set -euo pipefail
set -m # every background job in its own process group: stop() can end each whole tree

cd "$(dirname "${BASH_SOURCE[0]}")/.."
BIN=${CXBENCH_BIN:-$PWD/.venv/bin}
HOST=${CXBENCH_UI_HOST:-127.0.0.1}
PORT=${CXBENCH_UI_PORT:-3000}
export DO_NOT_TRACK=1 DAGSTER_DISABLE_TELEMETRY=1
export DBT_SEND_ANONYMOUS_USAGE_STATS=false GX_ANALYTICS_ENABLED=false

# dagster.yaml of the data home (telemetry off, warehouse pool, run queue) and the dbt manifest
# the code location loads from. The data home is made absolute for the run workers.
# shellcheck disable=SC2016
DAGSTER_HOME=$("$BIN/python" -c '
from orchestration.dbt import ensure_manifest
from orchestration.instance import prepare_instance
from cxbench.settings import DataHome
ensure_manifest()
print(prepare_instance(DataHome.from_env()))
')
CXBENCH_HOME=$(dirname "$DAGSTER_HOME")
export DAGSTER_HOME CXBENCH_HOME

pids=()
waiter=""
stop() {
    trap - INT TERM EXIT
    local pid
    [ -n "$waiter" ] && { kill -TERM -- "-$waiter" 2>/dev/null || true; }
    for pid in "${pids[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done
    # Give them 20 s to finish what they write, then end what is left.
    for _ in $(seq 40); do
        local alive=0
        for pid in "${pids[@]}"; do kill -0 -- "-$pid" 2>/dev/null && alive=1; done
        [ "$alive" = 0 ] && return 0
        sleep 0.5
    done
    for pid in "${pids[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || true; done
}
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM
trap stop EXIT

"$BIN/dagster-daemon" run -w workspace.yaml &
pids+=("$!")
echo "cxbench ui: daemon pid $!"
"$BIN/dagster-webserver" -h "$HOST" -p "$PORT" -w workspace.yaml &
pids+=("$!")
echo "cxbench ui: webserver pid $!"

# Wait for the webserver, then dismiss the one-time "join the community" dialog. In the
# background, so that a signal is handled at once rather than after the wait.
"$BIN/python" - "$PORT" <<'PY' &
import json, sys, time, urllib.request

base = f"http://127.0.0.1:{sys.argv[1]}"
deadline = time.time() + 180
while time.time() < deadline:
    try:
        urllib.request.urlopen(f"{base}/server_info", timeout=2).read()
        break
    except OSError:
        time.sleep(1)
else:
    sys.exit("cxbench ui: the webserver did not answer within 180 s")
request = urllib.request.Request(
    f"{base}/graphql",
    data=json.dumps({"query": "mutation { setNuxSeen }"}).encode(),
    headers={"Content-Type": "application/json"},
)
urllib.request.urlopen(request, timeout=10).read()
PY
waiter=$!
wait "$waiter" && echo "cxbench ui: http://$HOST:$PORT (Ctrl-C stops the webserver and daemon)"

# Until one of them exits or a signal arrives (wait returns at once on a trapped signal).
wait -n "${pids[@]}"
