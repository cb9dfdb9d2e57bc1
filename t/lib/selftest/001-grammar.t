# vim:set ft= ts=4 sw=4 et fdm=marker:
#
# Self-test of the project's Test::Nginx::Socket runner: block/section
# grammar, filters, $TEST_NGINX_* substitution and request building.
# Uses only stock nginx directives; must pass under both our runner and
# CPAN's Test::Nginx (see t/lib/selftest/run.sh).

# Runs only from t/lib/selftest/run.sh; a plain "prove -r t" skips it.
BEGIN {
    if (!$ENV{TEST_NGINX_SELFTEST}) {
        print "1..0 # SKIP runner self-test, see t/lib/selftest/run.sh\n";
        exit 0;
    }
}

use Test::Nginx::Socket;

$ENV{TEST_NGINX_SELFTEST_WORD} ||= 'swr-selftest';

repeat_each(2);

# 12 blocks run (TEST 8 is skipped, TEST 14 follows LAST); every block has
# a status and a body check.
plan tests => repeat_each() * (blocks() * 2);

no_shuffle();
no_long_string();
run_tests();

__DATA__

=== TEST 1: one-line sections and the default trim
--- config
    location = /t {
        return 200 "a b";
    }
--- request: GET /t
--- error_code: 200
--- response_body chomp
a b



=== TEST 2: eval filter with escapes, concatenation and repetition
--- config
    location = /t {
        return 200 "line1\r\nline2\t!xxxxx";
    }
--- request
GET /t
--- response_body eval
"line1\r\n" . "line2\t!" . "x" x 5



=== TEST 3: escape filter, then chomp
--- config
    location = /t {
        return 200 "tab\there\r\nend";
    }
--- request
GET /t
--- response_body escape chomp
tab\there\r\nend



=== TEST 4: -trim keeps a leading blank line
--- config
    location = /t {
        return 200 "\nabc\n";
    }
--- request
GET /t
--- response_body -trim

abc
--- error_code: 200



=== TEST 5: indented request with a comment line, HTTP/1.0 request line
--- config
    location = /t {
        return 200 "$server_protocol $request_method $http_connection $http_host\n";
    }
--- request
    # the runner drops leading comment lines and blanks
    GET /t HTTP/1.0
--- response_body
HTTP/1.0 GET close localhost



=== TEST 6: more_headers, with a Host override and a comment line
--- config
    location = /t {
        return 200 "$host $http_x_foo $http_connection\n";
    }
--- request
GET /t
--- more_headers
Host: example.com
# not a header
X-Foo: bar baz
--- response_body
example.com bar baz close



=== TEST 7: request body is trimmed and gets a computed Content-Length
--- config
    location = /t {
        return 200 "$content_length $request_method\n";
    }
--- request
POST /t
  hello world  
--- response_body
11 POST



=== TEST 8: SKIP drops this block (it would fail)
--- SKIP
--- config
    location = /t {
        return 500;
    }
--- request
GET /t
--- response_body
never



=== TEST 9: explicit Content-Length leaves the body untouched
--- config
    location = /t {
        return 200 "$content_length $http_content_length\n";
    }
--- request
POST /t
hello
--- more_headers
Content-Length: 6
--- response_body
6 6



=== TEST 10: $TEST_NGINX_* substitution in config and response_body
--- config
    location = /t {
        return 200 "$TEST_NGINX_SELFTEST_WORD $server_port\n";
    }
--- request
GET /t
--- response_body
$TEST_NGINX_SELFTEST_WORD $TEST_NGINX_SERVER_PORT



=== TEST 11: $ServerPort in response_body
--- config
    location = /t {
        return 200 "port=$server_port\n";
    }
--- request
GET /t
--- response_body
port=$ServerPort



=== TEST 12: request line without a URI defaults to /, root location serves html/
--- config
--- request
GET
--- response_body_like: ^<html><head><title>It works!</title>



=== TEST 13: LAST stops the list here; HEAD reply has no body
--- LAST
--- config
    location = /t {
        return 200 "hello\n";
    }
--- request
HEAD /t
--- response_body
--- error_code: 200



=== TEST 14: never runs (after LAST)
--- config
    location = /t {
        return 500;
    }
--- request
GET /t
--- response_body
never
