#!/usr/bin/env bash
# Runs the registry locally: Redis (unless SWR_REDIS names one) and nginx
# with the module and the embedded local storage.
#
#   util/run.sh foreground   start, print the address, stop on Ctrl-C
#   util/run.sh start        start in the background
#   util/run.sh stop         stop what "start" started (by its pid files)
#
# SWR_PORT (5000), SWR_DATA (./var), SWR_REDIS (host:port of an existing
# Redis; else one is started on SWR_REDIS_PORT, 16379), SWR_NGINX (nginx
# binary, /usr/sbin/nginx), SWR_MODULE (the .so, build/...).

set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)

port=${SWR_PORT:-5000}
data=${SWR_DATA:-$top/var}
mkdir -p "$data"
data=$(cd "$data" && pwd)
nginx=${SWR_NGINX:-/usr/sbin/nginx}
module=${SWR_MODULE:-$top/${BUILD:-build}/ngx_http_swr_module.so}
redis_port=${SWR_REDIS_PORT:-16379}
prefix=$data/nginx
redis_dir=$data/redis

log() { printf 'swr: %s\n' "$*"; }

pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

wait_gone() {
    local pid=$1 i
    for i in $(seq 1 100); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.1
    done
    return 1
}

start_redis() {
    if [ -n "${SWR_REDIS:-}" ]; then
        redis_addr=$SWR_REDIS
        return
    fi

    redis_addr=127.0.0.1:$redis_port
    mkdir -p "$redis_dir"

    if pid_alive "$redis_dir/redis.pid"; then
        log "redis already running (pid $(cat "$redis_dir/redis.pid"))"
        return
    fi

    redis-server --bind 127.0.0.1 --port "$redis_port" \
        --dir "$redis_dir" --pidfile "$redis_dir/redis.pid" \
        --logfile "$redis_dir/redis.log" --daemonize yes \
        --appendonly yes --save 60 1000
    touch "$redis_dir/started-by-swr"

    for _ in $(seq 1 50); do
        redis-cli -h 127.0.0.1 -p "$redis_port" ping >/dev/null 2>&1 \
            && return
        sleep 0.1
    done
    log "redis did not start, see $redis_dir/redis.log" >&2
    exit 1
}

write_conf() {
    mkdir -p "$prefix/conf" "$prefix/logs" "$prefix/tmp" "$data/storage"
    sed -e "s|@MODULE@|$module|g" \
        -e "s|@USER@|$(id -un)|g" \
        -e "s|@PREFIX@|$prefix|g" \
        -e "s|@DATA@|$data|g" \
        -e "s|@REDIS@|$redis_addr|g" \
        -e "s|@LISTEN@|127.0.0.1:$port|g" \
        "$top/conf/swr.conf.in" > "$prefix/conf/nginx.conf"
}

start() {
    if [ ! -f "$module" ]; then
        log "no module at $module: run make first" >&2
        exit 1
    fi

    if pid_alive "$prefix/logs/nginx.pid"; then
        log "already running (pid $(cat "$prefix/logs/nginx.pid"))"
        report
        return
    fi

    start_redis
    write_conf

    "$nginx" -p "$prefix/" -c "$prefix/conf/nginx.conf" \
        -e "$prefix/logs/error.log"

    for _ in $(seq 1 50); do
        if curl -fsS "http://127.0.0.1:$port/_swr/health" >/dev/null 2>&1
        then
            report
            return
        fi
        sleep 0.1
    done

    log "nginx answers no health check; see $prefix/logs/error.log" >&2
    tail -5 "$prefix/logs/error.log" >&2 || true
    exit 1
}

report() {
    cat <<MSG
swr: registry  http://127.0.0.1:$port/v2/
swr: manage    http://127.0.0.1:$port/v2/manage/
swr: health    http://127.0.0.1:$port/_swr/health
swr: redis     ${redis_addr:-${SWR_REDIS:-127.0.0.1:$redis_port}}
swr: data      $data
swr: login     none needed yet: the registry accepts anonymous clients
swr:           (e.g. skopeo copy --dest-tls-verify=false ... docker://127.0.0.1:$port/ns/image:tag)
MSG
}

stop() {
    local pid

    if pid_alive "$prefix/logs/nginx.pid"; then
        pid=$(cat "$prefix/logs/nginx.pid")
        kill -QUIT "$pid"
        wait_gone "$pid" || kill -TERM "$pid"
        log "nginx stopped"
    fi

    if [ -f "$redis_dir/started-by-swr" ] && pid_alive "$redis_dir/redis.pid"
    then
        pid=$(cat "$redis_dir/redis.pid")
        kill -TERM "$pid"
        wait_gone "$pid" || true
        rm -f "$redis_dir/started-by-swr"
        log "redis stopped"
    fi
}

case "${1:-foreground}" in
start)
    start
    ;;
stop)
    stop
    ;;
foreground)
    start
    trap 'echo; stop; exit 0' INT TERM
    log "running; Ctrl-C stops nginx and redis"
    while pid_alive "$prefix/logs/nginx.pid"; do
        sleep 1
    done
    log "nginx exited" >&2
    stop
    exit 1
    ;;
*)
    echo "usage: $0 start|stop|foreground" >&2
    exit 2
    ;;
esac
