# vim:set ft= ts=4 sw=4 et fdm=marker:
#
# Self-test of the project's Test::Nginx::Socket runner: several requests
# per block (request arrays, pipelined_requests), raw_request, requests
# sent in pieces, more_headers arrays, timeout/abort, wait, and the
# skip_nginx / skip_eval / todo sections.  Stock nginx only.

# Runs only from t/lib/selftest/run.sh; a plain "prove -r t" skips it.
BEGIN {
    if (!$ENV{TEST_NGINX_SELFTEST}) {
        print "1..0 # SKIP runner self-test, see t/lib/selftest/run.sh\n";
        exit 0;
    }
}

use Test::Nginx::Socket;

repeat_each(2);

plan tests => repeat_each() * (
      2 * 3 # TEST 1: 2 requests x (status, body, no_error_log)
    + 3 * 2 # TEST 2: 3 pipelined requests x (status, body)
    + 2     # TEST 3: raw_request
    + 2     # TEST 4: raw_request pieces
    + 2     # TEST 5: request pieces with delay_before
    + 2 * 2 # TEST 6: more_headers array
    + 2     # TEST 7: chunked request body
    + 1     # TEST 8: abort + ignore_response: error_log only
    + 2     # TEST 9: skip_nginx that does not skip
    + 3     # TEST 10: skip_nginx that skips 3
    + 2     # TEST 11: skip_eval
    + 2     # TEST 12: todo
    + 3     # TEST 13: status, body, error_log after wait
    + 2     # TEST 14: no --- config: reuses TEST 13's server
);

no_shuffle();
no_long_string();
run_tests();

__DATA__

=== TEST 1: request array: one connection per request, arrays of expectations
--- config
    location = /a { return 200 "a\n"; }
    location = /b { return 404; }
--- request eval
["GET /a", "GET /b"]
--- error_code eval
[200, 404]
--- response_body_like eval
["^a\$", "404 Not Found"]
--- no_error_log
[alert]



=== TEST 2: pipelined requests on one connection
--- config
    location = /p {
        return 200 "$request_uri $http_connection\n";
    }
--- pipelined_requests eval
["GET /p?1", "GET /p?2", "GET /p?3"]
--- error_code eval
[200, 200, 200]
--- response_body eval
["/p?1 keep-alive\n", "/p?2 keep-alive\n", "/p?3 close\n"]



=== TEST 3: raw_request is sent byte for byte
--- config
    location = /r {
        return 200 "$http_host $http_x_raw\n";
    }
--- raw_request eval
"GET /r HTTP/1.0\r\nHost: raw.example\r\nX-Raw: 1\r\n\r\n"
--- response_body
raw.example 1



=== TEST 4: raw_request in pieces with raw_request_middle_delay
--- config
    location = /r {
        return 200 "$http_host\n";
    }
--- raw_request eval
["GET /r HTTP/1.0\r\n", "Host: pieces\r\n", "\r\n"]
--- raw_request_middle_delay: 0.05
--- response_body
pieces



=== TEST 5: one request written in pieces, the second after a delay
--- config
    location = /t {
        return 200 "$content_length $request_uri\n";
    }
--- request eval
[["POST /t?pieces\nhel", {value => "lo", delay_before => 0.05}]]
--- response_body
5 /t?pieces



=== TEST 6: more_headers array: one header set per request
--- config
    location = /h {
        return 200 "$http_x_which\n";
    }
--- request eval
["GET /h", "GET /h"]
--- more_headers eval
["X-Which: first", "X-Which: second"]
--- response_body eval
["first\n", "second\n"]



=== TEST 7: chunked request body is sent untouched
--- config
    location = /c {
        return 200 "$http_transfer_encoding $request_method\n";
    }
--- request eval
"POST /c\n5\r\nhello\r\n0\r\n\r\n"
--- more_headers
Transfer-Encoding: chunked
--- response_body
chunked POST



=== TEST 8: client timeout with abort is not a failure
--- config
    location = /slow {
        proxy_pass http://127.0.0.1:$TEST_NGINX_RAND_PORT_1;
    }
--- tcp_listen: $TEST_NGINX_RAND_PORT_1
--- tcp_reply_delay: 1s
--- tcp_reply eval
"HTTP/1.0 200 OK\r\n\r\ntoo late"
--- request
GET /slow
--- timeout: 200ms
--- abort
--- ignore_response
--- wait: 0.1
--- error_log
client prematurely closed connection



=== TEST 9: skip_nginx that does not apply runs the checks
--- skip_nginx: 2: < 0.1.0
--- config
    location = /t { return 200 "ran\n"; }
--- request
GET /t
--- response_body
ran



=== TEST 10: skip_nginx that applies skips 3 assertions (would fail)
--- skip_nginx: 3: >= 0.1.0
--- config
    location = /t { return 500; }
--- request
GET /t
--- response_body
never
--- error_log
never logged



=== TEST 11: skip_eval
--- skip_eval: 2: 1 + 1 == 2
--- config
    location = /t { return 500; }
--- request
GET /t
--- response_body
never



=== TEST 12: todo reports its assertions as TODO
--- todo: 2: not implemented on purpose
--- config
    location = /t { return 500; }
--- request
GET /t
--- response_body
never



=== TEST 13: wait before the log checks
--- config
    location = /t {
        return 200 "ok\n";
    }
--- request
GET /t
--- wait: 0.05
--- response_body
ok
--- error_log
http finalize request



=== TEST 14: a block without --- config reuses the running server
--- request
GET /t
--- response_body
ok
