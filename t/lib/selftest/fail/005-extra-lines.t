# vim:set ft= ts=4 sw=4 et fdm=marker:
#
# Deliberately FAILING: a one-line section followed by more lines is a
# fatal parse error.
#
# EXPECT: died="Extra lines not allowed in 'error_code' section"

# Runs only from t/lib/selftest/run.sh; a plain "prove -r t" skips it.
BEGIN {
    if (!$ENV{TEST_NGINX_SELFTEST}) {
        print "1..0 # SKIP runner self-test, see t/lib/selftest/run.sh\n";
        exit 0;
    }
}

use Test::Nginx::Socket;

plan tests => blocks() * 2;

no_shuffle();
run_tests();

__DATA__

=== TEST 1: one-line section with extra lines
--- config
    location = /t { return 200 "ok\n"; }
--- request
GET /t
--- error_code: 200
404
--- response_body
ok
