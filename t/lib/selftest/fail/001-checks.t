# vim:set ft= ts=4 sw=4 et fdm=marker:
#
# Deliberately FAILING blocks: every kind of check must be able to fail.
# t/lib/selftest/run.sh runs this file and requires exactly the expected
# number of "not ok" lines (see EXPECT below) and a failing prove.
#
# EXPECT: tests=31 fail=16

# Runs only from t/lib/selftest/run.sh; a plain "prove -r t" skips it.
BEGIN {
    if (!$ENV{TEST_NGINX_SELFTEST}) {
        print "1..0 # SKIP runner self-test, see t/lib/selftest/run.sh\n";
        exit 0;
    }
}

use Test::Nginx::Socket;

repeat_each(1);

plan tests => 31;

no_shuffle();
no_long_string();
run_tests();

__DATA__

=== TEST 1: wrong status code (1 of 2 fail)
--- config
    location = /t { return 200 "ok\n"; }
--- request
GET /t
--- error_code: 201
--- response_body
ok



=== TEST 2: wrong body (1 of 2 fail)
--- config
    location = /t { return 200 "actual\n"; }
--- request
GET /t
--- response_body
expected



=== TEST 3: header value wrong, forbidden header present (2 of 3 fail)
--- config
    location = /t {
        add_header X-Foo real;
        add_header X-Forbidden yes;
        return 200 "ok\n";
    }
--- request
GET /t
--- response_headers
X-Foo: wanted
!X-Forbidden



=== TEST 4: response_headers_like is anchored (1 of 2 fail)
--- config
    location = /t {
        add_header X-Num abc123;
        return 200 "ok\n";
    }
--- request
GET /t
--- response_headers_like
X-Num: \d+



=== TEST 5: error_log pattern that never appears (1 of 2 fail)
--- config
    location = /t { return 200 "ok\n"; }
--- request
GET /t
--- error_log
this text is never logged



=== TEST 6: no_error_log pattern that appears once (1 of 2 fail)
--- config
    location = /t { return 200 "ok\n"; }
--- request
GET /t
--- no_error_log
http uri: "/t"



=== TEST 7: response_body_like mismatch (1 of 2 fail)
--- config
    location = /t { return 200 "hello\n"; }
--- request
GET /t
--- response_body_like: ^bye



=== TEST 8: tcp_query mismatch (1 of 3 fail)
--- config
    location = /t {
        proxy_pass http://127.0.0.1:$TEST_NGINX_RAND_PORT_1;
    }
--- tcp_listen: $TEST_NGINX_RAND_PORT_1
--- tcp_query eval
"POST /other HTTP/1.0\r\n"
--- tcp_reply eval
"HTTP/1.0 200 OK\r\nContent-Length: 3\r\n\r\nok\n"
--- request
GET /t
--- response_body
ok



=== TEST 9: client timeout without abort: timeout and status fail (2 of 2)
--- config
    location = /t {
        proxy_pass http://127.0.0.1:$TEST_NGINX_RAND_PORT_1;
    }
--- tcp_listen: $TEST_NGINX_RAND_PORT_1
--- tcp_reply_delay: 1s
--- tcp_reply eval
"HTTP/1.0 200 OK\r\n\r\nlate"
--- request
GET /t
--- timeout: 0.2



=== TEST 10: must_die but nginx starts (1 of 1 fail)
--- config
    location = /t { return 200 "ok\n"; }
--- must_die



=== TEST 11: second request of an array has the wrong body (1 of 4 fail)
--- config
    location = /a { return 200 "a\n"; }
    location = /b { return 200 "b\n"; }
--- request eval
["GET /a", "GET /b"]
--- response_body eval
["a\n", "not b\n"]



=== TEST 12: raw_response_headers_like mismatch (1 of 2 fail)
--- config
    location = /t { return 200 "ok\n"; }
--- request
GET /t
--- raw_response_headers_like: X-Not-There



=== TEST 13: grep_error_log_out mismatch (1 of 2 fail)
--- config
    location = /t { return 200 "ok\n"; }
--- request
GET /t?q=1
--- grep_error_log eval: qr/http args: "[^"]*"/
--- grep_error_log_out
http args: "q=2"



=== TEST 14: shutdown_error_log pattern missing (1 of 2 fail)
--- config
    location = /t { return 200 "ok\n"; }
--- request
GET /t
--- shutdown_error_log
not logged at shutdown
