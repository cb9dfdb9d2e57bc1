# vim:set ft= ts=4 sw=4 et fdm=marker:
#
# Self-test of the project's Test::Nginx::Socket runner: 'no_plan' on the
# use line, shuffled block order, preamble functions (server_name,
# config_preamble, no_root_location, master_on, workers, env_to_nginx,
# check_accum_error_log) and the main_config / http_config /
# post_main_config placement.

# Runs only from t/lib/selftest/run.sh; a plain "prove -r t" skips it.
BEGIN {
    if (!$ENV{TEST_NGINX_SELFTEST}) {
        print "1..0 # SKIP runner self-test, see t/lib/selftest/run.sh\n";
        exit 0;
    }
}

use Test::Nginx::Socket 'no_plan';

$ENV{TEST_NGINX_SELFTEST_GREETING} ||= 'hi';

repeat_each(2);

server_name('selftest.local');
config_preamble(<<'_EOC_');
        add_header X-Preamble on;
_EOC_
no_root_location();
master_on();
workers(2);
env_to_nginx('SWR_SELFTEST_ENV=1');
check_accum_error_log();

run_tests();

__DATA__

=== TEST 1: server_name sets the Host header and the server_name directive
--- config
    location / {
        return 200 "$host $server_name\n";
    }
--- request
GET /anything
--- response_headers
X-Preamble: on
--- response_body
selftest.local selftest.local



=== TEST 2: top-level sections are placed where nginx accepts them
--- main_config
    worker_rlimit_nofile 1024;
--- http_config
    map $uri $selftest_mapped {
        default "$TEST_NGINX_SELFTEST_GREETING";
    }
--- post_main_config
    worker_shutdown_timeout 10s;
--- config
    location = /t {
        return 200 "$selftest_mapped\n";
    }
--- request
GET /t
--- response_body
hi



=== TEST 3: master_on with 2 workers; accumulated error log sees everything
--- config
    location = /t {
        return 200 "$pid\n";
    }
--- request
GET /t
--- response_body_like: ^\d+$
--- error_log
start worker process
http request line: "GET /t HTTP/1.1"
