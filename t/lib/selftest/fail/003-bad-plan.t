# vim:set ft= ts=4 sw=4 et fdm=marker:
#
# Deliberately FAILING: every assertion passes, but the plan is wrong, so
# the file must fail ("planned 3 tests but ran 2").
#
# EXPECT: tests=2 fail=0 plan=3

# Runs only from t/lib/selftest/run.sh; a plain "prove -r t" skips it.
BEGIN {
    if (!$ENV{TEST_NGINX_SELFTEST}) {
        print "1..0 # SKIP runner self-test, see t/lib/selftest/run.sh\n";
        exit 0;
    }
}

use Test::Nginx::Socket;

plan tests => 3;

no_shuffle();
run_tests();

__DATA__

=== TEST 1: two passing assertions
--- config
    location = /t { return 200 "ok\n"; }
--- request
GET /t
--- response_body
ok
