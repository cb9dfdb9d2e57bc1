#!/usr/bin/env bash
# Installs the Debian 12 packages that building, running and testing need,
# only those that are missing.  Needs root (or sudo) when something is.

set -euo pipefail

pkgs=(
    build-essential nginx nginx-dev libpcre2-dev zlib1g-dev libssl-dev
    libhiredis-dev libyajl-dev redis-server redis-tools perl curl skopeo
    ceph-mon ceph-osd radosgw ceph-common
)

# the sanitizer build needs nginx's own source package
srcs=/etc/apt/sources.list.d/swr-deb-src.sources
need_src=0
if [ "${1:-}" = "--source" ] && [ ! -f "$srcs" ] \
        && ! grep -rqs '^Types:.*deb-src\|^deb-src' /etc/apt/sources.list \
             /etc/apt/sources.list.d/; then
    need_src=1
fi

missing=()
for p in "${pkgs[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null \
            | grep -q 'install ok installed'; then
        missing+=("$p")
    fi
done

[ ${#missing[@]} -eq 0 ] && [ $need_src -eq 0 ] && exit 0

sudo=()
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null; then
        sudo=(sudo)
    else
        echo "deps: missing packages (${missing[*]}) and not root" >&2
        exit 1
    fi
fi

if [ $need_src -eq 1 ]; then
    # the same archives as the binary packages, as source
    echo "deps: enabling Debian source packages ($srcs)"
    {
        for f in /etc/apt/sources.list.d/debian.sources; do
            [ -f "$f" ] || continue
            [ "$f" = "$srcs" ] && continue
            sed -e 's/^Types:.*/Types: deb-src/' "$f"
            echo
        done
    } | "${sudo[@]}" tee "$srcs" >/dev/null
    if [ -f /etc/apt/sources.list ]; then
        sed -n 's/^deb \(.*\)/deb-src \1/p' /etc/apt/sources.list \
            | "${sudo[@]}" tee "${srcs%.sources}.list" >/dev/null
    fi
fi

export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq || echo "deps: apt-get update reported errors" >&2

[ ${#missing[@]} -eq 0 ] && exit 0

echo "deps: installing ${missing[*]}"
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" \
    >/dev/null

# Debian starts the services it installs; this project starts its own.
for svc in nginx redis-server; do
    if command -v service >/dev/null \
            && [[ " ${missing[*]} " == *" $svc"* ]]; then
        "${sudo[@]}" service "$svc" stop >/dev/null 2>&1 || true
    fi
done
