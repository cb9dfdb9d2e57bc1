# vim:set ft= ts=4 sw=4 et fdm=marker:
#
# Self-test of the project's Test::Nginx::Socket runner: error_log,
# no_error_log, grep_error_log, access_log, log_level, shutdown_error_log,
# must_die, init, post_setup_server_root.  Stock nginx only.

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
      4     # TEST 1: status, body, 2 error_log patterns
    + 5     # TEST 2: status, body, 3 patterns (eval array)
    + 4     # TEST 3: status, 2 error_log, 1 no_error_log
    + 3     # TEST 4: status, body, grep_error_log
    + 4     # TEST 5: status, body, access_log, no_access_log
    + 3     # TEST 6: status, body, no_error_log
    + 3     # TEST 7: must_die + 2 error_log patterns
    + 2     # TEST 8: must_die with exit code, error_log
    + 2     # TEST 9: init
    + 3     # TEST 10: post_setup_server_root: status, header, body
    + 2     # TEST 11: status, body
  )
  + 1       # TEST 11: shutdown_error_log (once per block)
  + 1;      # TEST 11: no_shutdown_error_log

no_shuffle();
no_long_string();
run_tests();

__DATA__

=== TEST 1: error_log literal patterns from the debug log
--- config
    location = /t {
        return 200 "ok\n";
    }
--- request
GET /t?a=1
--- response_body
ok
--- error_log
http request line: "GET /t?a=1 HTTP/1.1"
http args: "a=1"



=== TEST 2: error_log and no_error_log with eval arrays and qr//
--- config
    location = /t {
        return 200 "ok\n";
    }
--- request
GET /t
--- response_body
ok
--- error_log eval
[qr/http uri: "\/t"/, 'http finalize request']
--- no_error_log eval
qr/\[(?:alert|crit)\]/



=== TEST 3: an [error] line: missing file
--- config
--- request
GET /no-such-file.txt
--- error_code: 404
--- error_log
[error]
No such file or directory
--- no_error_log
[crit]



=== TEST 4: grep_error_log takes the first match of each new line
--- config
    location = /t {
        return 200 "ok\n";
    }
--- request
GET /t?x=42
--- response_body
ok
--- grep_error_log eval: qr/http args: "[^"]*"/
--- grep_error_log_out
http args: "x=42"



=== TEST 5: access_log and no_access_log
--- config
    location = /t {
        return 200 "ok\n";
    }
--- request
GET /t?from=access
--- response_body
ok
--- access_log
"GET /t?from=access HTTP/1.1" 200
--- no_access_log
" 500 



=== TEST 6: log_level section: no debug lines at warn level
--- config
    location = /t {
        return 200 "ok\n";
    }
--- log_level: warn
--- request
GET /t
--- response_body
ok
--- no_error_log
[debug]



=== TEST 7: must_die with an unknown directive
--- config
    location = /t {
        no_such_directive_here on;
    }
--- must_die
--- suppress_stderr
--- error_log
[emerg]
unknown directive "no_such_directive_here"



=== TEST 8: must_die with the expected exit status
--- config
    location = /t {
        return 200 "not here";
        bogus_directive;
    }
--- must_die: 1
--- suppress_stderr
--- error_log
[emerg]



=== TEST 9: init runs after nginx started, before the requests
--- config
    location = /init.txt {
        root html;
    }
--- init
open my $fh, '>', "$ENV{TEST_NGINX_SERVER_ROOT}/html/init.txt" or die $!;
print $fh "written by init\n";
close $fh;
--- request
GET /init.txt
--- response_body
written by init



=== TEST 10: post_setup_server_root prepares conf/ before nginx starts
--- config
    location = /t {
        include extra_headers.conf;
        return 200 "ok\n";
    }
--- post_setup_server_root
open my $fh, '>', "$ENV{TEST_NGINX_SERVER_ROOT}/conf/extra_headers.conf" or die $!;
print $fh "add_header X-Extra from-post-setup;\n";
close $fh;
--- request
GET /t
--- response_headers
X-Extra: from-post-setup
--- response_body
ok



=== TEST 11: shutdown_error_log is checked after nginx is stopped
--- config
    location = /t {
        return 200 "bye\n";
    }
--- request
GET /t
--- response_body
bye
--- shutdown_error_log
signal 3 (SIGQUIT) received
--- no_shutdown_error_log
[alert]
