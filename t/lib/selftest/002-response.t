# vim:set ft= ts=4 sw=4 et fdm=marker:
#
# Self-test of the project's Test::Nginx::Socket runner: status, header and
# body checks, chunked replies, user_files.  Stock nginx only.

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
      3     # TEST 1: status, 2 headers
    + 6     # TEST 2: status, 4 header names, body
    + 4     # TEST 3: status, 2 header_like lines, body
    + 4     # TEST 4: status, raw like, raw unlike, body
    + 3     # TEST 5: status, raw like, body
    + 2     # TEST 6
    + 3     # TEST 7: status, Last-Modified, body
    + 2     # TEST 8
    + 2     # TEST 9
    + 2     # TEST 10
);

no_shuffle();
no_long_string();
run_tests();

__DATA__

=== TEST 1: error_code_like, absent and empty headers
--- config
    location = /t {
        return 404;
    }
--- request
GET /t
--- error_code_like: ^4\d\d$
--- response_headers
!X-Absent
X-Empty:



=== TEST 2: response_headers exact values, duplicates joined with ", "
--- config
    location = /t {
        add_header X-Dup one;
        add_header X-Dup two;
        add_header X-Single "a b";
        return 200 "ok\n";
    }
--- request
GET /t
--- response_headers
X-Dup: one, two
X-Single: a b
Content-Type: text/plain
content-length: 3
--- response_body
ok



=== TEST 3: response_headers_like is anchored at both ends
--- config
    location = /t {
        add_header X-Num 12345;
        return 200 "ok\n";
    }
--- request
GET /t
--- response_headers_like
X-Num: \d+
Server: nginx(/[\d.]+)?
--- response_body
ok



=== TEST 4: raw_response_headers_like / _unlike
--- config
    location = /t {
        add_header X-Raw yes;
        return 200 "ok\n";
    }
--- request
GET /t
--- raw_response_headers_like: ^HTTP/1\.1 200 OK\r\n.*X-Raw: yes\r\n
--- raw_response_headers_unlike: X-Secret
--- response_body
ok



=== TEST 5: chunked reply is decoded (sub_filter drops Content-Length)
--- config
    location = /c.txt {
        sub_filter_types text/plain;
        sub_filter 'before' 'after';
        sub_filter_once off;
    }
--- user_files
>>> c.txt
before and before
--- request
GET /c.txt
--- raw_response_headers_like: Transfer-Encoding: chunked\r\n
--- response_body
after and after



=== TEST 6: user_files in a sub-directory, default location
--- config
--- user_files
>>> sub/dir/hello.txt
hello from a user file
--- request
GET /sub/dir/hello.txt
--- response_body
hello from a user file



=== TEST 7: user_files time stamp (touch -t format, GMT)
--- config
--- user_files
>>> stamped.txt 201001021304.05
x
--- request
GET /stamped.txt
--- response_headers
Last-Modified: Sat, 02 Jan 2010 13:04:05 GMT
--- response_body
x



=== TEST 8: 304 reply to If-Modified-Since has an empty body
--- config
--- user_files
>>> stamped.txt 201001021304.05
x
--- request
GET /stamped.txt
--- more_headers
If-Modified-Since: Sat, 02 Jan 2010 13:04:05 GMT
--- error_code: 304
--- response_body



=== TEST 9: response_body_unlike
--- config
    location = /t {
        return 200 "all good\n";
    }
--- request
GET /t
--- response_body_unlike: error|fail



=== TEST 10: response_body_like with a multi-line pattern keeps its newline
--- config
    location = /t {
        return 200 "first\nsecond\n";
    }
--- request
GET /t
--- response_body_like
^first
second
