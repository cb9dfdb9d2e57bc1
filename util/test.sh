#!/usr/bin/env bash
# Runs the Test::Nginx suite: starts the services the tests need on free
# loopback ports, runs prove, stops them again.
#
#   util/test.sh release|asan [test files or directory]
#
# TEST_NGINX_LIB=<dir> puts a real Test::Nginx lib/ ahead of t/lib.

set -uo pipefail

mode=${1:-release}
shift || true
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-build}
case "$build" in /*) ;; *) build="$top/$build" ;; esac
cd "$top"

tests=("$@")
all=0
if [ ${#tests[@]} -eq 0 ] || [ "${tests[0]}" = t ]; then
    tests=(t/*.t)
    all=1
fi

freeport() {
    perl -MIO::Socket::INET -e '
        my $s = IO::Socket::INET->new(Listen => 1, LocalAddr => "127.0.0.1",
                                      LocalPort => 0, ReuseAddr => 1)
            or die "no free port: $!\n";
        print $s->sockport, "\n";'
}

case "$mode" in
release)
    export TEST_NGINX_BINARY=${TEST_NGINX_BINARY:-/usr/sbin/nginx}
    export TEST_NGINX_LOAD_MODULES=$build/ngx_http_swr_module.so
    ;;
asan)
    export TEST_NGINX_BINARY=$build/asan/nginx
    export TEST_NGINX_LOAD_MODULES=$build/asan/ngx_http_swr_module.so
    asan_dir=$top/t/.asan
    rm -rf "$asan_dir"
    mkdir -p "$asan_dir"
    # commas: the real Test::Nginx appends the test name to log_path
    export ASAN_OPTIONS="detect_leaks=1,detect_odr_violation=0,fast_unwind_on_malloc=0,malloc_context_size=100,log_path=$asan_dir/asan"
    export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:log_path=$asan_dir/ubsan"
    export LSAN_OPTIONS="suppressions=$top/util/lsan.supp"
    ;;
*)
    echo "test: unknown mode $mode" >&2
    exit 2
    ;;
esac

# the test Redis: own port, own directory, nothing persisted
redis_port=$(freeport)
redis_dir=$top/t/.redis-$redis_port
rgw_dir=$top/t/.rgw-$redis_port
mkdir -p "$redis_dir"

export TEST_NGINX_REDIS_PORT=$redis_port
export TEST_NGINX_REDIS_DIR=$redis_dir
export TEST_NGINX_PORT=${TEST_NGINX_PORT:-$(freeport)}

cleanup() {
    local pid
    if [ -f "$redis_dir/redis.pid" ]; then
        pid=$(cat "$redis_dir/redis.pid")
        kill -TERM "$pid" 2>/dev/null
        for _ in $(seq 1 50); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
    fi
    rm -rf "$redis_dir"
    util/rgw.sh stop "$rgw_dir" >/dev/null 2>&1 || true
}
trap cleanup EXIT

perl -It/lib -MSwrTest -e 'SwrTest::redis_start()' || exit 1

# the object store: Ceph's RADOS Gateway, a real S3 implementation
# (SWR_TEST_NO_RGW=1 leaves it out, for a quick run of tests that do not
# need it; the whole suite always has it)
if [ -n "${SWR_TEST_NO_RGW:-}" ] && [ $all -eq 0 ]; then
    env_lines='RGW_PORT=1 RGW_BUCKET=none RGW_ACCESS_KEY=none RGW_SECRET_KEY=none RGW_REGION=none'
elif ! env_lines=$(util/rgw.sh start "$rgw_dir"); then
    echo "test: cannot start the RGW object store" >&2
    exit 1
fi
eval "$env_lines"
export TEST_NGINX_RGW_PORT=$RGW_PORT TEST_NGINX_RGW_BUCKET=$RGW_BUCKET \
       TEST_NGINX_RGW_ACCESS_KEY=$RGW_ACCESS_KEY \
       TEST_NGINX_RGW_SECRET_KEY=$RGW_SECRET_KEY \
       TEST_NGINX_RGW_REGION=$RGW_REGION

# the shipped configuration pieces (conf/swr_obs_proxy.conf), for include
export TEST_NGINX_SWR_CONF=$top/conf

inc=(-I t/lib)
if [ -n "${TEST_NGINX_LIB:-}" ]; then
    inc=(-I "$TEST_NGINX_LIB" -I t/lib)
fi

echo "test: nginx $TEST_NGINX_BINARY, module $TEST_NGINX_LOAD_MODULES"
echo "test: nginx port $TEST_NGINX_PORT, redis port $redis_port"

prove "${inc[@]}" "${tests[@]}"
rc=$?

# the Redis link once more under poll(2): hiredis's read/write interest
# must map onto a level-triggered method other than epoll as well (only
# the sanitizer build has the poll module; Debian's nginx has not)
if [ $rc -eq 0 ] && [ $all -eq 1 ] && [ "$mode" = asan ]; then
    echo "test: t/090-redis.t again with the poll event method"
    TEST_NGINX_EVENT_TYPE=poll prove "${inc[@]}" t/090-redis.t
    rc=$?
fi

if [ "$mode" = asan ]; then
    if compgen -G "$asan_dir/*" >/dev/null \
            && ! perl util/sanitizer-reports.pl "$asan_dir"/* >&2; then
        echo "test: the sanitizers found the problems above" >&2
        rc=1
    else
        echo "test: sanitizers found nothing"
    fi
fi

exit $rc
