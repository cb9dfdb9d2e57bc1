# vim:set ft= ts=4 sw=4 et fdm=marker:
# A real client through swr_auth: skopeo (Debian's) gets the registry's
# 401 with the Bearer challenge, asks the token endpoint (/_swr/token)
# with SWR's long-term login credentials ("cn-north-4@<AK>" and the login
# key, hex HMAC-SHA256(SK, AK)) and pushes and pulls with the token:
#
#   - --dest-creds / --src-creds: a push, a pull, and a copy to another
#     repository of the namespace that mounts the layers (a token with
#     pull on the source);
#   - skopeo login into an authfile of the block's own, then copies that
#     read their credentials from it; a login with a wrong password fails;
#   - a user with pull (1) only: the pull works, the push fails with an
#     error that says so (denied / unauthorized / insufficient scope);
#   - anonymous: a pull of a public repository works, of a private one
#     does not, and a push to the public one does not either;
#   - the temporary login of the management API (CreateSecret, POST
#     /v2/manage/utils/secret with X-Auth-Token): its answer is an
#     authfile skopeo copies with, its "docker login" header logs skopeo
#     in, and once the temporary AK has expired skopeo is refused.
#
# Each block runs skopeo from --- init (t/lib/SwrSkopeo.pm) and writes a
# report to html/, which the first request compares; the others ask the
# registry directly.  Keys come from t/lib/SwrAuth.pm
# ($TEST_NGINX_SWR_KEYS); identities are written straight into Redis.

use Test::Nginx::Socket;
use SwrImage;
use SwrSkopeo;
use SwrTest;
use SwrAuth;
use MIME::Base64 ();
use Time::Local ();

$ENV{TEST_NGINX_REDIS_PORT} ||= 6379;

SwrAuth::key_dir();

repeat_each(1);

# per request: status, body; no_error_log on every request
plan tests => repeat_each() * ((3 * 3) + (2 * 3) + (2 * 3) + (3 * 3)
                              + (2 * 3));

no_long_string();
no_shuffle();


# Namespace t122 belongs to acct1: t122/priv private, t122/pub public.
# u-pusher has the namespace grant 3, u-reader the repository grant 1 on
# t122/priv, u-admin administers acct1.
sub setup {
    SwrTest::command('FLUSHALL');
    SwrAuth::namespace('t122', 'acct1', 'u-admin');
    SwrAuth::public('t122/pub');
    SwrAuth::identity(user => 'u-admin', account => 'acct1', admin => 1,
                      ak => 'AKADMIN', sk => 'SKADMIN');
    SwrAuth::identity(user => 'u-pusher', account => 'acct1',
                      ak => 'AKPUSHER', sk => 'SKPUSHER');
    SwrAuth::identity(user => 'u-reader', account => 'acct1',
                      ak => 'AKREADER', sk => 'SKREADER');
    SwrAuth::ns_grant('t122', 'u-pusher', 3);
    SwrAuth::repo_grant('t122/priv', 'u-reader', 1);
}

# "cn-north-4@<AK>:<login key>", as skopeo's --creds want it
sub creds {
    my ($ak, $sk) = @_;
    return "cn-north-4\@$ak:" . SwrAuth::login_key($ak, $sk);
}

sub admin_header { return SwrAuth::basic('AKADMIN', 'SKADMIN') }

# CreateSecret for u-pusher (an X-Auth-Token of his): the temporary user
# and password of its X-Swr-Dockerlogin, and the authfile of its body
sub temporary_login {
    my ($dir) = @_;
    my $token = 'a1' x 32;

    SwrTest::command('HSET', "swr:token:{$token}", user => 'u-pusher',
                     expires => time + 3600);

    my $r = SwrTest::http('POST', '/v2/manage/utils/secret'
                                  . '?projectname=cn-north-4',
                          headers => ['Host: ' . SwrSkopeo::registry(),
                                      "X-Auth-Token: $token"]);
    die "CreateSecret: $r->{status} $r->{body}\n" unless $r->{status} == 200;

    my ($user, $password) = ($r->{headers}{'x-swr-dockerlogin'} // '')
        =~ /^docker login -u (\S+) -p ([0-9a-f]{64})$/
        or die "CreateSecret: X-Swr-Dockerlogin: "
               . ($r->{headers}{'x-swr-dockerlogin'} // '(none)') . "\n";

    SwrAuth::write_file("$dir/temporary.json", $r->{body});

    return ($user, $password, "$dir/temporary.json",
            $r->{headers}{'x-swr-expireat'});
}

# a copy that must fail, and say why: "<step> refused: denied or
# unauthorized" when skopeo's error says one of them (or insufficient
# scope), else the error itself
sub refused {
    my ($step, @args) = @_;

    if (eval { SwrSkopeo::copy($step, @args); 1 }) {
        return "$step was not refused";
    }

    my $err = $@;
    $err =~ s/\s+\z//;

    return "$step refused: denied or unauthorized"
        if $err =~ /denied|unauthorized|insufficient.scope/i;

    return "$step refused, but the error does not say why: $err";
}

# requests to the token endpoint in the access log, by status
sub token_requests {
    my $log = "$ENV{TEST_NGINX_SERVER_ROOT}/logs/access.log";
    open my $fh, '<', $log or return "no access log\n";
    my %n;
    while (<$fh>) {
        $n{$1}++ if m{"GET /_swr/token\?\S* HTTP/[\d.]+" (\d{3}) };
    }
    close $fh;
    return 'token requests: '
           . (join(', ', map { "$_ x$n{$_}" } sort keys %n) || 'none') . "\n";
}

run_tests();

__DATA__

=== TEST 1: skopeo pushes and pulls with the long-term login credentials through the Bearer flow, and mounts across repositories
--- init
SwrSkopeo::report('creds', sub {
    main::setup();
    my $img = SwrImage::fixture('simple', 't122-creds');
    my $creds = main::creds('AKPUSHER', 'SKPUSHER');
    my $ref = SwrSkopeo::docker('t122/priv:v1');
    SwrSkopeo::copy('push', "oci:$img->{dir}:v1", $ref,
                    '--dest-creds', $creds);
    my $out = SwrSkopeo::scratch('pull');
    SwrSkopeo::copy('pull', $ref, "oci:$out:v1", '--src-creds', $creds);
    SwrSkopeo::add(main::refused('anonymous pull', $ref,
                                 'oci:' . SwrSkopeo::scratch('anon') . ':v1'));
    SwrSkopeo::copy('copy', $ref, SwrSkopeo::docker('t122/copy:v1'),
                    '--src-creds', $creds, '--dest-creds', $creds);
    return main::token_requests()
           . SwrSkopeo::blob_writes($img, 't122/copy')
           . SwrImage::describe(SwrImage::read_layout($out, 'v1'));
});
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_secret_key_file $TEST_NGINX_SWR_KEYS/secret.hex;
    swr_token_key $TEST_NGINX_SWR_KEYS/token.pem;
    swr_region cn-north-4;
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
        swr_auth on;
    }
    location = /_swr/token {
        swr_token;
    }
--- request eval
my $img = SwrImage::fixture('simple', 't122-creds');
["GET /creds.txt",
 "GET /v2/t122/priv/manifests/v1",
 "GET /v2/t122/copy/manifests/$img->{manifest}{digest}"]
--- more_headers eval
["",
 "Accept: application/vnd.oci.image.manifest.v1+json",
 main::admin_header() . "\nAccept: application/vnd.oci.image.manifest.v1+json"]
--- error_code eval
[200, 401, 200]
--- response_body_like eval
my $img = SwrImage::fixture('simple', 't122-creds');
my ($c) = map { quotemeta $_->{digest} } $img->{config};
["^(?=(?:.*\n)*layer \\S+ mounted from t122/priv\n)"
 . "push ok\npull ok\nanonymous pull refused: denied or unauthorized\ncopy ok\n"
 . "token requests: 200 x\\d+\n"
 . "config $c uploaded\n"
 . "layer \\S+ (?:mounted from t122/priv|uploaded)\n"
 . "layer \\S+ (?:mounted from t122/priv|uploaded)\n"
 . quotemeta(SwrImage::describe($img)) . "\\z",
 '"code":"UNAUTHORIZED"',
 '^' . quotemeta(SwrImage::blob($img->{dir}, $img->{manifest}{digest})) . '$']
--- no_error_log
[error]



=== TEST 2: skopeo login writes an authfile of its own, and copies take their credentials from it
--- init
SwrSkopeo::report('login', sub {
    main::setup();
    my $img = SwrImage::fixture('simple', 't122-login');
    my $dir = SwrSkopeo::scratch('auth');
    my $authfile = "$dir/auth.json";
    my $user = 'cn-north-4@AKPUSHER';
    my $key = SwrAuth::login_key('AKPUSHER', 'SKPUSHER');

    my ($st, $text) = SwrSkopeo::run('skopeo', 'login', '--tls-verify=false',
        '--authfile', "$dir/wrong.json", '-u', $user, '-p', 'f' x 64,
        SwrSkopeo::registry());
    SwrSkopeo::add('login with a wrong key: '
        . ($st == 0 ? 'succeeded'
           : $text =~ m{invalid username/password|unauthorized}i
             ? 'failed, invalid username/password'
           : "failed: $text"));
    SwrSkopeo::add('no authfile written: ' . (-s "$dir/wrong.json" ? 'no' : 'yes'));

    ($st, $text) = SwrSkopeo::run('skopeo', 'login', '--tls-verify=false',
        '--authfile', $authfile, '-u', $user, '-p', $key,
        SwrSkopeo::registry());
    SwrSkopeo::add($st == 0 && $text =~ /Login Succeeded/
                   ? 'login ok' : "login failed: $text");

    my $auth = eval { SwrImage::decode_json(SwrAuth::read_file($authfile)) };
    my $entry = $auth && $auth->{auths}{SwrSkopeo::registry()};
    SwrSkopeo::add('authfile holds the login: '
        . ($entry && MIME::Base64::decode_base64($entry->{auth} // '')
                     eq "$user:$key" ? 'yes' : 'no'));

    my $ref = SwrSkopeo::docker('t122/priv:v2');
    SwrSkopeo::copy('push', "oci:$img->{dir}:v1", $ref,
                    '--dest-authfile', $authfile);
    my $out = SwrSkopeo::scratch('pull');
    SwrSkopeo::copy('pull', $ref, "oci:$out:v1", '--src-authfile', $authfile);
    return SwrImage::describe(SwrImage::read_layout($out, 'v1'));
});
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_secret_key_file $TEST_NGINX_SWR_KEYS/secret.hex;
    swr_token_key $TEST_NGINX_SWR_KEYS/token.pem;
    swr_region cn-north-4;
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
        swr_auth on;
    }
    location = /_swr/token {
        swr_token;
    }
--- request eval
my $img = SwrImage::fixture('simple', 't122-login');
["GET /login.txt",
 "HEAD /v2/t122/priv/blobs/$img->{layers}[0]{digest}"]
--- more_headers eval
["", main::admin_header()]
--- error_code eval
[200, 200]
--- response_body eval
my $img = SwrImage::fixture('simple', 't122-login');
["login with a wrong key: failed, invalid username/password\n"
 . "no authfile written: yes\n"
 . "login ok\nauthfile holds the login: yes\n"
 . "push ok\npull ok\n" . SwrImage::describe($img),
 ""]
--- no_error_log
[error]



=== TEST 3: a user with pull only: skopeo pulls, and its push is refused
--- init
SwrSkopeo::report('reader', sub {
    main::setup();
    my $img = SwrImage::fixture('simple', 't122-reader');
    my $ref = SwrSkopeo::docker('t122/priv:v3');
    SwrSkopeo::copy('push by the pusher', "oci:$img->{dir}:v1", $ref,
                    '--dest-creds', main::creds('AKPUSHER', 'SKPUSHER'));
    my $reader = main::creds('AKREADER', 'SKREADER');
    my $out = SwrSkopeo::scratch('pull');
    SwrSkopeo::copy('pull by the reader', $ref, "oci:$out:v1",
                    '--src-creds', $reader);
    # an image of its own, so that skopeo has blobs to upload (it skips
    # those the repository has) and the refusal comes at the first POST
    my $own = SwrImage::fixture('simple', 't122-reader-own');
    SwrSkopeo::add(main::refused('push by the reader', "oci:$own->{dir}:v1",
                                 SwrSkopeo::docker('t122/priv:reader'),
                                 '--dest-creds', $reader));
    SwrSkopeo::add(main::refused('pull from t122/other by the reader',
                                 SwrSkopeo::docker('t122/other:v1'),
                                 'oci:' . SwrSkopeo::scratch('other') . ':v1',
                                 '--src-creds', $reader));
    return SwrImage::describe(SwrImage::read_layout($out, 'v1'));
});
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_secret_key_file $TEST_NGINX_SWR_KEYS/secret.hex;
    swr_token_key $TEST_NGINX_SWR_KEYS/token.pem;
    swr_region cn-north-4;
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
        swr_auth on;
    }
    location = /_swr/token {
        swr_token;
    }
--- request eval
["GET /reader.txt",
 "GET /v2/t122/priv/tags/list"]
--- more_headers eval
["", main::admin_header()]
--- response_body_like eval
my $img = SwrImage::fixture('simple', 't122-reader');
["^push by the pusher ok\npull by the reader ok\n"
 . "push by the reader refused: denied or unauthorized\n"
 . "pull from t122/other by the reader refused: denied or unauthorized\n"
 . quotemeta(SwrImage::describe($img)) . '\z',
 '^\{"name":"t122/priv","tags":\["v3"\]\}$']
--- no_error_log
[error]



=== TEST 4: anonymous skopeo pulls a public repository, not a private one, and pushes nowhere
--- init
SwrSkopeo::report('anonymous', sub {
    main::setup();
    my $img = SwrImage::fixture('simple', 't122-anon');
    my $admin = main::creds('AKADMIN', 'SKADMIN');
    SwrSkopeo::copy('push to t122/pub by the admin', "oci:$img->{dir}:v1",
                    SwrSkopeo::docker('t122/pub:v1'), '--dest-creds', $admin);
    SwrSkopeo::copy('push to t122/priv by the admin', "oci:$img->{dir}:v1",
                    SwrSkopeo::docker('t122/priv:v1'), '--dest-creds', $admin);
    my $out = SwrSkopeo::scratch('pull');
    SwrSkopeo::copy('anonymous pull of t122/pub',
                    SwrSkopeo::docker('t122/pub:v1'), "oci:$out:v1");
    SwrSkopeo::add(main::refused('anonymous pull of t122/priv',
                                 SwrSkopeo::docker('t122/priv:v1'),
                                 'oci:' . SwrSkopeo::scratch('priv') . ':v1'));
    my $own = SwrImage::fixture('simple', 't122-anon-own');
    SwrSkopeo::add(main::refused('anonymous push to t122/pub',
                                 "oci:$own->{dir}:v1",
                                 SwrSkopeo::docker('t122/pub:anon')));
    return SwrImage::describe(SwrImage::read_layout($out, 'v1'));
});
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_secret_key_file $TEST_NGINX_SWR_KEYS/secret.hex;
    swr_token_key $TEST_NGINX_SWR_KEYS/token.pem;
    swr_region cn-north-4;
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
        swr_auth on;
    }
    location = /_swr/token {
        swr_token;
    }
--- request eval
my $img = SwrImage::fixture('simple', 't122-anon');
["GET /anonymous.txt",
 "GET /v2/t122/pub/manifests/v1",
 "GET /v2/t122/pub/tags/list"]
--- more_headers eval
["", "Accept: application/vnd.oci.image.manifest.v1+json", ""]
--- error_code eval
[200, 200, 200]
--- response_body eval
my $img = SwrImage::fixture('simple', 't122-anon');
["push to t122/pub by the admin ok\npush to t122/priv by the admin ok\n"
 . "anonymous pull of t122/pub ok\n"
 . "anonymous pull of t122/priv refused: denied or unauthorized\n"
 . "anonymous push to t122/pub refused: denied or unauthorized\n"
 . SwrImage::describe($img),
 SwrImage::blob($img->{dir}, $img->{manifest}{digest}),
 '{"name":"t122/pub","tags":["v1"]}']
--- no_error_log
[error]



=== TEST 5: the temporary login of CreateSecret: skopeo copies with the authfile it answers, logs in with its docker login, and is refused once it has expired
--- init
SwrSkopeo::report('temporary', sub {
    main::setup();
    my $img = SwrImage::fixture('simple', 't122-temporary');
    my $dir = SwrSkopeo::scratch('auth');
    my ($user, $password, $authfile, $expireat) = main::temporary_login($dir);
    my ($ak) = $user =~ /^cn-north-4\@([A-Z0-9]{20})$/
        or die "temporary user $user\n";
    SwrSkopeo::add('temporary user: cn-north-4@<20 letters and digits>');
    SwrSkopeo::add('expires in a day: '
        . ($expireat =~ /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)\.000000Z$/
           && abs(Time::Local::timegm($6, $5, $4, $3, $2 - 1, $1)
                  - time - 86400) <= 5 ? 'yes' : "no ($expireat)"));

    my $ref = SwrSkopeo::docker('t122/priv:temporary');
    SwrSkopeo::copy('push with the authfile', "oci:$img->{dir}:v1", $ref,
                    '--dest-authfile', $authfile);
    my $out = SwrSkopeo::scratch('pull');
    SwrSkopeo::copy('pull with the authfile', $ref, "oci:$out:v1",
                    '--src-authfile', $authfile);

    my ($st, $text) = SwrSkopeo::run('skopeo', 'login', '--tls-verify=false',
        '--authfile', "$dir/login.json", '-u', $user, '-p', $password,
        SwrSkopeo::registry());
    SwrSkopeo::add($st == 0 && $text =~ /Login Succeeded/
                   ? 'skopeo login with its docker login ok'
                   : "skopeo login failed: $text");
    SwrSkopeo::copy('pull after skopeo login', $ref,
                    'oci:' . SwrSkopeo::scratch('pull2') . ':v1',
                    '--src-authfile', "$dir/login.json");

    # the temporary AK expires (Redis would drop it; its expiry is enough)
    SwrTest::command('HSET', "swr:ak:{$ak}", 'expires', time - 1);
    SwrSkopeo::add(main::refused('pull once it has expired', $ref,
                                 'oci:' . SwrSkopeo::scratch('late') . ':v1',
                                 '--src-authfile', $authfile));
    return SwrImage::describe(SwrImage::read_layout($out, 'v1'));
});
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_secret_key_file $TEST_NGINX_SWR_KEYS/secret.hex;
    swr_token_key $TEST_NGINX_SWR_KEYS/token.pem;
    swr_region cn-north-4;
    swr_auth_cache 0;
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    swr_auth on;
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
    }
    location /v2/manage/ {
        swr_manage_api;
    }
    location = /_swr/token {
        swr_token;
    }
--- request eval
["GET /temporary.txt",
 "POST /v2/manage/utils/secret"]
--- error_code eval
[200, 401]
--- response_body_like eval
my $img = SwrImage::fixture('simple', 't122-temporary');
['^' . quotemeta("temporary user: cn-north-4@<20 letters and digits>\n"
 . "expires in a day: yes\n"
 . "push with the authfile ok\npull with the authfile ok\n"
 . "skopeo login with its docker login ok\npull after skopeo login ok\n"
 . "pull once it has expired refused: denied or unauthorized\n"
 . SwrImage::describe($img)) . '\z',
 '']
--- no_error_log
[error]
