#!/usr/bin/env bash
# Builds the module against an nginx source tree.
#
#   util/build.sh release   build/ngx_http_swr_module.so, for the nginx whose
#                           tree NGINX_SRC is (Debian's nginx-dev by default,
#                           configured with Debian's own flags so that the
#                           stock /usr/sbin/nginx loads it)
#   util/build.sh asan      build/asan/nginx and build/asan/*.so with
#                           AddressSanitizer and UndefinedBehaviorSanitizer
#
# configure runs again only when the flags or the addon file change; make
# then rebuilds what changed.

set -euo pipefail

mode=${1:-release}
top=$(cd "$(dirname "$0")/.." && pwd)
src=${NGINX_SRC:-/usr/share/nginx/src}
build=${BUILD:-build}
case "$build" in /*) ;; *) build="$top/$build" ;; esac

if [ ! -x "$src/configure" ] && [ ! -x "$src/auto/configure" ]; then
    echo "build: no nginx source tree at $src" >&2
    echo "build: install nginx-dev or pass NGINX_SRC=<nginx source>" >&2
    exit 1
fi

warn="-Wall -Wextra -Wno-unused-parameter -Werror"

# The sanitizer build compiles nginx itself, which needs its .c files:
# nginx-dev has only the headers, so the same release's source comes from
# Debian's source package (apt-get source; util/deps.sh enables deb-src).
full_source() {
    local src=$1 dir ver tarball

    if [ -f "$src/src/core/nginx.c" ]; then
        echo "$src"
        return
    fi

    ver=$(sed -n 's/^#define NGINX_VERSION *"\(.*\)"/\1/p' \
          "$src/src/core/nginx.h")
    dir="$build/asan/nginx-$ver"

    if [ ! -f "$dir/src/core/nginx.c" ]; then
        mkdir -p "$build/asan/dl"
        tarball="$build/asan/dl/nginx_$ver.orig.tar.gz"
        if [ ! -f "$tarball" ]; then
            (cd "$build/asan/dl" \
                && apt-get source -qq --download-only "nginx" >/dev/null 2>&1)
        fi
        if [ ! -f "$tarball" ]; then
            echo "build: cannot get nginx $ver source (apt-get source nginx)" \
                 "for the sanitizer build" >&2
            exit 1
        fi
        tar -xzf "$tarball" -C "$build/asan"
    fi

    echo "$dir"
}

# Debian's tree carries the flags its nginx binary was configured with.
flags=()
if [ -f "$src/conf_flags" ]; then
    # shellcheck disable=SC1091
    . "$src/conf_flags"
    flags=("${NGX_CONF_FLAGS[@]}")
else
    flags=(--with-compat --with-threads --with-http_ssl_module)
fi

case "$mode" in
release)
    out="$build"
    tree="$build/nginx"
    ccopt="-g -O2 -fstack-protector-strong -Wformat -Werror=format-security"
    ccopt="$ccopt -fPIC -D_FORTIFY_SOURCE=2 $warn"
    ldopt="-Wl,-z,relro -Wl,-z,now -fPIC"
    target=modules
    ;;
asan)
    out="$build/asan"
    tree="$build/asan/nginx-src"
    src=$(full_source "$src")
    san="-fsanitize=address,undefined -fno-omit-frame-pointer"
    # every pool allocation its own malloc, so that ASan sees pool misuse
    # nginx core passes NULL with length 0 to memcpy and reads unaligned
    # words on purpose; those two checks are off, every other one fatal
    ccopt="-g -O1 -fPIC $san -fno-sanitize=nonnull-attribute,alignment"
    ccopt="$ccopt -fno-sanitize-recover=undefined"
    ccopt="$ccopt -DNGX_DEBUG_PALLOC=1 $warn"
    ldopt="-fPIC $san"
    # a whole nginx of its own, same layout, without Debian's dynamic
    # modules that need more libraries (geoip, xslt, perl, image filter)
    flags=(--with-compat --with-debug --with-threads --with-pcre-jit
           --with-http_ssl_module --with-http_realip_module
           --with-http_auth_request_module --with-http_v2_module
           --with-http_stub_status_module --with-http_slice_module
           --with-http_dav_module --with-poll_module)
    target="binary modules"
    ;;
*)
    echo "build: unknown mode $mode" >&2
    exit 1
    ;;
esac

mkdir -p "$out"

stamp="$tree/.swr-configure"
want="$src|${flags[*]}|$ccopt|$ldopt|$(cksum < "$top/config")"

if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    rm -rf "$tree"
    mkdir -p "$tree"
    cp -a "$src/." "$tree/"
    [ -x "$tree/configure" ] || ln -s auto/configure "$tree/configure"
    echo "build: configuring nginx ($mode) in $tree"
    (cd "$tree" && ./configure "${flags[@]}" \
        --with-cc-opt="$ccopt" --with-ld-opt="$ldopt" \
        --add-dynamic-module="$top" > "$tree/.swr-configure.log" 2>&1) || {
        tail -30 "$tree/.swr-configure.log" >&2
        exit 1
    }
    echo "$want" > "$stamp"
fi

jobs=$(nproc 2>/dev/null || echo 2)
if ! make -s -C "$tree" -f objs/Makefile -j"$jobs" $target > "$tree/.swr-make.log" 2>&1; then
    grep -v '^make' "$tree/.swr-make.log" >&2
    exit 1
fi

# a new inode: an nginx running the old module keeps its mapping intact
install_file() {
    cp "$1" "$2.tmp.$$" && mv -f "$2.tmp.$$" "$2"
}

install_file "$tree/objs/ngx_http_swr_module.so" "$out/ngx_http_swr_module.so"
if [ "$mode" = asan ]; then
    install_file "$tree/objs/nginx" "$out/nginx"
fi

echo "build: $out/ngx_http_swr_module.so"
