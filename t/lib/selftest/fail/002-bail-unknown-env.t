# vim:set ft= ts=4 sw=4 et fdm=marker:
#
# Deliberately FAILING: an unset $TEST_NGINX_* variable in --- config must
# abort the whole run ("Bail out!").
#
# EXPECT: bail="No environment TEST_NGINX_SELFTEST_NEVER_SET defined"

# Runs only from t/lib/selftest/run.sh; a plain "prove -r t" skips it.
BEGIN {
    if (!$ENV{TEST_NGINX_SELFTEST}) {
        print "1..0 # SKIP runner self-test, see t/lib/selftest/run.sh\n";
        exit 0;
    }
}

use Test::Nginx::Socket;

delete $ENV{TEST_NGINX_SELFTEST_NEVER_SET};

plan tests => 2;

no_shuffle();
run_tests();

__DATA__

=== TEST 1: unknown variable
--- config
    location = /t { return 200 "$TEST_NGINX_SELFTEST_NEVER_SET\n"; }
--- request
GET /t
--- response_body
x
