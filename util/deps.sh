#!/usr/bin/env bash
# Installs the Debian 12 packages that building, running and testing need,
# only those that are missing.  Needs root (or sudo) when something is.

set -euo pipefail

pkgs=(
    build-essential nginx nginx-dev libpcre2-dev zlib1g-dev libssl-dev
    libhiredis-dev libyajl-dev redis-server redis-tools perl curl skopeo
    podman
    ceph-mon ceph-osd radosgw ceph-common
)

# Huawei's OBS SDK for Node: the reference that t/086-obs-signature.t checks
# the module's OBS signatures against (t/lib/obs-sdk-sign.js); Huawei's SWR
# SDK for Node and its core: the client t/123-manage-auth.t drives the
# management API with (t/lib/swr-sdk-call.js), with uuid, which the core
# loads without declaring it.  All pinned, installed with npm into
# build/node (git-ignored); Debian's node and npm only when there is no
# node or npm at all
top=$(cd "$(dirname "$0")/.." && pwd)
node_pkgs=(
    esdk-obs-nodejs@3.26.8
    @huaweicloud/huaweicloud-sdk-swr@3.1.128
    @huaweicloud/huaweicloud-sdk-core@3.1.211
    uuid@9.0.1
)

node_deps() {
    local dir=$top/build/node p missing=()

    for p in "${node_pkgs[@]}"; do
        if ! grep -qs "\"version\": \"${p##*@}\"" \
                "$dir/node_modules/${p%@*}/package.json"; then
            missing+=("$p")
        fi
    done

    if [ ${#missing[@]} -eq 0 ]; then
        return 0
    fi

    echo "deps: installing ${missing[*]} (npm) into build/node"
    mkdir -p "$dir"
    npm install --prefix "$dir" --no-audit --no-fund --no-update-notifier \
        --loglevel=error --save-exact "${missing[@]}" >/dev/null
}

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

command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
# containerd and ctr (t/127-containerd-auth.t starts a daemon of its own);
# by command, as Docker's containerd.io provides them too and conflicts
# with Debian's package
command -v containerd >/dev/null && command -v ctr >/dev/null \
    || missing+=(containerd)
# dockerd (t/128-docker-auth.t starts a daemon of its own, on a containerd
# of its own); by command, as Docker's docker-ce provides it too and
# conflicts with Debian's docker.io
command -v dockerd >/dev/null || missing+=(docker.io)

if [ ${#missing[@]} -eq 0 ] && [ $need_src -eq 0 ]; then
    node_deps
    exit 0
fi

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

if [ ${#missing[@]} -eq 0 ]; then
    node_deps
    exit 0
fi

echo "deps: installing ${missing[*]}"
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" \
    >/dev/null

# Debian starts the services it installs; this project starts its own.
for svc in nginx redis-server containerd docker; do
    if command -v service >/dev/null \
            && [[ " ${missing[*]} " == *" $svc"* ]]; then
        "${sudo[@]}" service "$svc" stop >/dev/null 2>&1 || true
    fi
done

node_deps
