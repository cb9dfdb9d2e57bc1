#!/usr/bin/env bash
# Installs the Debian 12 packages that building, running and testing need,
# only those that are missing.  Needs root (or sudo) when something is.

set -euo pipefail

pkgs=(
    build-essential nginx nginx-dev libpcre2-dev zlib1g-dev libssl-dev
    libhiredis-dev libyajl-dev redis-server redis-tools perl curl
)

missing=()
for p in "${pkgs[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null \
            | grep -q 'install ok installed'; then
        missing+=("$p")
    fi
done

[ ${#missing[@]} -eq 0 ] && exit 0

echo "deps: installing ${missing[*]}"

sudo=()
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null; then
        sudo=(sudo)
    else
        echo "deps: missing packages (${missing[*]}) and not root" >&2
        exit 1
    fi
fi

export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" \
    >/dev/null

# Debian starts the services it installs; this project starts its own.
for svc in nginx redis-server; do
    if command -v service >/dev/null \
            && [[ " ${missing[*]} " == *" $svc"* ]]; then
        "${sudo[@]}" service "$svc" stop >/dev/null 2>&1 || true
    fi
done
