# vim:set ft= ts=4 sw=4 et fdm=marker:
#
# Deliberately FAILING under the project's runner only: HTTP/2 via curl is
# one of the features it refuses loudly.  (Not part of the parity run.)
#
# EXPECT: died="--- http2 (HTTP/2 via curl) in block" ours-only

# Runs only from t/lib/selftest/run.sh; a plain "prove -r t" skips it.
BEGIN {
    if (!$ENV{TEST_NGINX_SELFTEST}) {
        print "1..0 # SKIP runner self-test, see t/lib/selftest/run.sh\n";
        exit 0;
    }
}

use Test::Nginx::Socket;

plan tests => 2;

no_shuffle();
run_tests();

__DATA__

=== TEST 1: an HTTP/2 block
--- http2
--- config
    location = /t { return 200 "ok\n"; }
--- request
GET /t
--- response_body
ok
