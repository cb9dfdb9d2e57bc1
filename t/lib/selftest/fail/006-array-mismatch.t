# vim:set ft= ts=4 sw=4 et fdm=marker:
#
# Deliberately FAILING: several requests need array expectations; a plain
# response_body aborts the run.
#
# EXPECT: bail="the expected results should be arrays as well"

# Runs only from t/lib/selftest/run.sh; a plain "prove -r t" skips it.
BEGIN {
    if (!$ENV{TEST_NGINX_SELFTEST}) {
        print "1..0 # SKIP runner self-test, see t/lib/selftest/run.sh\n";
        exit 0;
    }
}

use Test::Nginx::Socket;

plan tests => 4;

no_shuffle();
run_tests();

__DATA__

=== TEST 1: two requests, one plain expected body
--- config
    location = /t { return 200 "ok\n"; }
--- request eval
["GET /t", "GET /t"]
--- response_body
ok
