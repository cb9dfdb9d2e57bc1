# ngx_http_swr_module: build, run and test.
#
#   make             build build/ngx_http_swr_module.so for Debian's nginx
#   make run         build, start Redis and nginx in the foreground (Ctrl-C)
#   make start/stop  the same in the background, for scripts
#   make test        install what is missing, build, run the whole suite
#   make asan        AddressSanitizer + UBSan build (nginx and module)
#   make test-asan   the whole suite on the sanitizer build
#   make test-runner the Test::Nginx runner's own checks
#   make test-run    make start / make stop end to end
#   make bench       this module and CNCF distribution side by side
#   make bench-audit-floor  the least the audit trail can cost here
#
# Variables: NGINX_SRC (nginx source tree, default Debian's nginx-dev),
# SWR_PORT, SWR_DATA, SWR_REDIS, SWR_ADMIN_AK, SWR_ADMIN_SK (make run),
# TEST_NGINX_LIB (a real Test::Nginx lib/ to run the suite with), T (tests).

SHELL       := /bin/bash
NGINX_SRC   ?= /usr/share/nginx/src
BUILD       ?= build
T           ?= t
export NGINX_SRC BUILD

SOURCES := config $(wildcard ngx_http_swr_module/*.c ngx_http_swr_module/*.h)

.PHONY: all build deps deps-src asan run start stop test test-asan test-runner test-run bench bench-audit-floor style clean

all: build

build: $(BUILD)/ngx_http_swr_module.so

$(BUILD)/ngx_http_swr_module.so: $(SOURCES) util/build.sh
	@util/build.sh release

asan: $(BUILD)/asan/ngx_http_swr_module.so

$(BUILD)/asan/ngx_http_swr_module.so: $(SOURCES) util/build.sh
	@util/deps.sh --source
	@util/build.sh asan

deps:
	@util/deps.sh

deps-src:
	@util/deps.sh --source

run: deps build
	@util/run.sh foreground

start: deps build
	@util/run.sh start

stop:
	@util/run.sh stop

test: deps build
	@util/test.sh release $(T)

FREEPORT = perl -MIO::Socket::INET -e 'print IO::Socket::INET->new(Listen => 1, LocalAddr => "127.0.0.1", LocalPort => 0)->sockport'

test-runner: deps
	@TEST_NGINX_BINARY=/usr/sbin/nginx TEST_NGINX_PORT=$$($(FREEPORT)) \
	    t/lib/selftest/run.sh

test-asan: deps-src asan
	@util/test.sh asan $(T)

test-run: deps build
	@util/run-smoke.sh

bench: deps build
	@bench/run.sh

bench-audit-floor: deps build
	@bench/audit-floor.sh

style:
	@util/style.sh

clean:
	rm -rf $(BUILD) t/servroot* t/.redis*
