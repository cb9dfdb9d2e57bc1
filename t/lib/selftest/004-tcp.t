# vim:set ft= ts=4 sw=4 et fdm=marker:
#
# Self-test of the project's Test::Nginx::Socket runner: the one-shot TCP
# peer (tcp_listen, tcp_reply, tcp_query, tcp_query_len, tcp_reply_delay)
# behind proxy_pass, and $TEST_NGINX_RAND_PORT_n shared between sections.
# Stock nginx only.

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
      4     # TEST 1: status, body, tcp_query, tcp_query_len
    + 4     # TEST 2: status, raw headers, body, tcp_query_len
    + 3     # TEST 3: status, 2 error_log patterns
    + 3     # TEST 4: status, header, body
);

no_shuffle();
no_long_string();
run_tests();

__DATA__

=== TEST 1: proxy to a fake backend; the backend checks what nginx sent
--- config
    location = /t {
        proxy_set_header Host backend;
        proxy_pass http://127.0.0.1:$TEST_NGINX_RAND_PORT_1/back;
    }
--- tcp_listen: $TEST_NGINX_RAND_PORT_1
--- tcp_query eval
"GET /back HTTP/1.0\r\nHost: backend\r\nConnection: close\r\n\r\n"
--- tcp_query_len: 56
--- tcp_reply eval
"HTTP/1.0 200 OK\r\nContent-Length: 5\r\n\r\nfake\n"
--- request
GET /t
--- response_body
fake



=== TEST 2: chunked backend reply in pieces, re-chunked by nginx
--- config
    location = /t {
        proxy_set_header Host x;
        proxy_pass http://127.0.0.1:$TEST_NGINX_RAND_PORT_7;
    }
--- tcp_listen: $TEST_NGINX_RAND_PORT_7
--- tcp_query_len: 47
--- tcp_reply eval
["HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
 "4\r\nabc\n\r\n", "3\r\ndef\r\n", "0\r\n\r\n"]
--- request
GET /t
--- raw_response_headers_like: Transfer-Encoding: chunked
--- response_body chomp
abc
def



=== TEST 3: backend too slow: 504 and an [error] line
--- config
    location = /t {
        proxy_read_timeout 100ms;
        proxy_pass http://127.0.0.1:$TEST_NGINX_RAND_PORT_1;
    }
--- tcp_listen: $TEST_NGINX_RAND_PORT_1
--- tcp_reply_delay: 400ms
--- tcp_reply eval
"HTTP/1.0 200 OK\r\n\r\nlate"
--- request
GET /t
--- error_code: 504
--- error_log
[error]
upstream timed out



=== TEST 4: upstream in http_config, header passed through
--- http_config
    upstream fake_backend {
        server 127.0.0.1:$TEST_NGINX_RAND_PORT_2;
    }
--- config
    location = /t {
        proxy_pass http://fake_backend;
    }
--- tcp_listen: $TEST_NGINX_RAND_PORT_2
--- tcp_reply eval
"HTTP/1.0 201 Created\r\nX-Backend: fake\r\nContent-Length: 3\r\n\r\nnew"
--- request
GET /t
--- error_code: 201
--- response_headers
X-Backend: fake
--- response_body chomp
new
