#!/usr/bin/env bash
# Checks the C sources against the nginx style rules that a script can
# check: 80 columns, no tabs, no trailing blanks, no // comments, a left
# over DDEBUG or --- ONLY in the tests; the generated Lua header is current.

set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

bad=0

report() {
    echo "style: $*" >&2
    bad=1
}

for f in ngx_http_swr_module/*.[ch]; do
    awk -v f="$f" '
        length($0) > 80 { printf "%s:%d: longer than 80 columns\n", f, NR }
        /\t/            { printf "%s:%d: tab\n", f, NR }
        /[ \t]+$/       { printf "%s:%d: trailing blank\n", f, NR }
        /^[^"]*[^:"]\/\//  { printf "%s:%d: // comment\n", f, NR }
    ' "$f" | while read -r line; do echo "style: $line" >&2; echo x; done \
        | grep -q x && bad=1

    grep -n 'define DDEBUG 1' "$f" && report "$f: DDEBUG left on"
done

# the management scripts' header is what util/lua2c makes of lua/*.lua
if ! util/lua2c --check; then
    report "ngx_http_swr_module/ngx_http_swr_mop_lua.h is not up to date"
fi

if grep -ln '^--- ONLY' t/*.t 2>/dev/null; then
    report "a test file has --- ONLY"
fi

if grep -ln '^[[:space:]]*use lib' t/*.t 2>/dev/null; then
    report "a test file has use lib (it would shadow the real Test::Nginx)"
fi

if [ "$bad" -ne 0 ]; then
    exit 1
fi

echo "style: ok"
