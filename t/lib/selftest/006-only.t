# vim:set ft= ts=4 sw=4 et fdm=marker:
#
# Self-test of the project's Test::Nginx::Socket runner: --- ONLY runs that
# block alone (the other blocks would fail), and blocks() counts 1.

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

=== TEST 1: not selected (would fail)
--- config
    location = /t { return 500; }
--- request
GET /t
--- response_body
never



=== TEST 2: the only block that runs
--- ONLY
--- config
    location = /t { return 200 "only\n"; }
--- request
GET /t
--- response_body
only



=== TEST 3: not selected either (would fail)
--- config
    location = /t { return 500; }
--- request
GET /t
--- response_body
never
