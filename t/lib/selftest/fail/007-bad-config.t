# vim:set ft= ts=4 sw=4 et fdm=marker:
#
# Deliberately FAILING: a config nginx rejects (without --- must_die)
# aborts the run.  (CPAN's Test::Nginx retries for about 30 s first.)
#
# EXPECT: bail="Cannot start nginx"

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

=== TEST 1: unknown directive
--- config
    location = /t { no_such_directive_at_all; }
--- request
GET /t
--- response_body
ok
