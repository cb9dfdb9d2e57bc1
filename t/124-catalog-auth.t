# vim:set ft= ts=4 sw=4 et fdm=marker:
# With swr_auth on, GET /v2/_catalog lists the repositories the caller may
# read, and those only: his account's organizations (as administrator),
# his grants, public repositories, those shared with his account until a
# deadline ahead; pages (n, last, Link) count what he sees.  The same with
# a registry token (its "sub" names the user).

use Test::Nginx::Socket;
use SwrTest;
use SwrAuth;

$ENV{TEST_NGINX_REDIS_PORT} ||= 6379;

SwrAuth::key_dir();

repeat_each(1);

plan tests => repeat_each() * 3;

no_long_string();
no_shuffle();
run_tests();

sub setup {
    SwrTest::command('FLUSHALL');

    # the catalog, as pushes make it
    SwrTest::command('ZADD', 'swr:repos', map { (0, $_) }
                     qw(a1/app a1/base a2/priv a2/pub a2/shared a2/old
                        a2/granted b/x));

    SwrAuth::namespace('a1', 'acct1', 'u-admin1');
    SwrAuth::namespace('a2', 'acct2', 'u-admin2');
    SwrAuth::namespace('b', 'acct2', 'u-admin2');
    SwrAuth::public('a2/pub');
    SwrAuth::share('a2/shared', 'acct1', 0);
    SwrAuth::share('a2/old', 'acct1', time - 60);
    SwrAuth::repo_grant('a2/granted', 'u-user1', 1);

    SwrAuth::identity(user => 'u-admin1', account => 'acct1', admin => 1,
                      ak => 'AKADMIN1', sk => 'SK-admin1');
    SwrAuth::identity(user => 'u-user1', account => 'acct1', admin => 0,
                      ak => 'AKUSER1', sk => 'SK-user1');
    SwrAuth::identity(user => 'u-admin2', account => 'acct2', admin => 1,
                      ak => 'AKADMIN2', sk => 'SK-admin2');
}

sub catalog {
    my ($who, $auth, $query) = @_;
    my $r = SwrTest::http('GET', '/v2/_catalog' . ($query // ''),
                          headers => [ $auth ]);
    my $link = $r->{headers}{link} // '';
    $link =~ s/^<([^>]*)>.*/$1/;
    return "$who$query: $r->{status} $r->{body}"
           . ($link ? " next $link" : '') . "\n";
}

__DATA__

=== TEST 1: each caller's catalog, with Basic and with a token
--- init
main::setup();
my $out = '';
$out .= main::catalog('admin1', SwrAuth::basic('AKADMIN1', 'SK-admin1'), '');
$out .= main::catalog('user1', SwrAuth::basic('AKUSER1', 'SK-user1'), '');
$out .= main::catalog('admin2', SwrAuth::basic('AKADMIN2', 'SK-admin2'), '');
$out .= main::catalog('user1', SwrAuth::basic('AKUSER1', 'SK-user1'),
                      '?n=2');
$out .= main::catalog('user1', SwrAuth::basic('AKUSER1', 'SK-user1'),
                      '?n=2&last=a2/granted');
my $t = SwrAuth::token(SwrAuth::basic('AKUSER1', 'SK-user1'),
                       'repository:a2/pub:pull');
$out .= main::catalog('user1 token',
                      SwrAuth::bearer($t->{json}{token}), '');
SwrAuth::report('catalog', $out);
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_secret_key_file $TEST_NGINX_SWR_KEYS/secret.hex;
    swr_token_key $TEST_NGINX_SWR_KEYS/token.pem;
    swr_region cn-north-4;
    swr_auth_cache 0;
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    location /v2/ {
        swr_registry;
        swr_auth on;
    }
    location = /_swr/token {
        swr_token;
    }
    location = /catalog.txt {
    }
--- request
GET /catalog.txt
--- response_body
admin1: 200 {"repositories":["a1/app","a1/base","a2/pub","a2/shared"]}
user1: 200 {"repositories":["a2/granted","a2/pub","a2/shared"]}
admin2: 200 {"repositories":["a2/granted","a2/old","a2/priv","a2/pub","a2/shared","b/x"]}
user1?n=2: 200 {"repositories":["a2/granted","a2/pub"]} next /v2/_catalog?n=2&last=a2/pub
user1?n=2&last=a2/granted: 200 {"repositories":["a2/pub","a2/shared"]}
user1 token: 200 {"repositories":["a2/granted","a2/pub","a2/shared"]}
--- no_error_log
[error]
