# vim:set ft= ts=4 sw=4 et fdm=marker:
#
# Deliberately FAILING: "raw" is not a filter; the file must die before any
# test runs.
#
# EXPECT: died="Can't find a function or method for 'raw' filter"

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

=== TEST 1: bad filter name
--- config
    location = /t { return 200 "ok\n"; }
--- request
GET /t
--- response_body raw
ok
