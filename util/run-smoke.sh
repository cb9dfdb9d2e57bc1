#!/usr/bin/env bash
# Checks the "make start" / "make stop" path end to end, as a newcomer
# would use it: start on free ports with a throw-away data directory, talk
# to the registry, stop, and make sure nothing is left running.

set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

freeport() {
    perl -MIO::Socket::INET -e 'print IO::Socket::INET->new(Listen => 1,
        LocalAddr => "127.0.0.1", LocalPort => 0)->sockport'
}

data=$(mktemp -d)
export SWR_PORT=$(freeport)
export SWR_REDIS_PORT=$(freeport)
export SWR_DATA=$data

fail() {
    echo "run-smoke: FAIL: $*" >&2
    util/run.sh stop >/dev/null 2>&1 || true
    rm -rf "$data"
    exit 1
}

util/run.sh start > "$data/start.log" || fail "make start: $(cat "$data/start.log")"
grep -q "registry  http://127.0.0.1:$SWR_PORT/v2/" "$data/start.log" \
    || fail "make start did not print the registry address"

base=http://127.0.0.1:$SWR_PORT

# the administrator's login that make start printed
user=$(sed -n 's/^swr: login *docker login -u \([^ ]*\) -p .*/\1/p' \
       "$data/start.log")
pass=$(sed -n 's/^swr: login *docker login -u [^ ]* -p \([^ ]*\) .*/\1/p' \
       "$data/start.log")
[ -n "$user" ] && [ -n "$pass" ] \
    || fail "make start did not print a docker login: $(cat "$data/start.log")"

code=$(curl -s -o /dev/null -w '%{http_code}' "$base/v2/")
[ "$code" = 401 ] || fail "GET /v2/ without credentials answered $code"
[ "$(curl -s -u "$user:$pass" "$base/v2/")" = "{}" ] || fail "GET /v2/"
curl -s "$base/_swr/health" | grep -q '"status":"ok"' || fail "health"

util/swr-admin --redis "127.0.0.1:$SWR_REDIS_PORT" ns-create smoke swr \
    >/dev/null || fail "ns-create"

blob="run smoke $$"
digest=sha256:$(printf '%s' "$blob" | sha256sum | cut -d' ' -f1)
code=$(curl -s -o /dev/null -w '%{http_code}' -u "$user:$pass" -X POST \
       --data-binary "$blob" "$base/v2/smoke/app/blobs/uploads/?digest=$digest")
[ "$code" = 201 ] || fail "monolithic push answered $code"
[ "$(curl -s -u "$user:$pass" "$base/v2/smoke/app/blobs/$digest")" = "$blob" ] \
    || fail "the blob did not come back"

nginx_pid=$(cat "$data/nginx/logs/nginx.pid")
redis_pid=$(cat "$data/redis/redis.pid")

util/run.sh stop > "$data/stop.log" || fail "make stop"

for pid in "$nginx_pid" "$redis_pid"; do
    if kill -0 "$pid" 2>/dev/null \
       && ! grep -q '^State:.*Z' "/proc/$pid/status" 2>/dev/null; then
        fail "process $pid still running after make stop"
    fi
done

rm -rf "$data"
echo "run-smoke: make start / make stop: ok"
