# vim:set ft= ts=4 sw=4 et fdm=marker:
# The docker CLI through swr_auth, against a Docker daemon (Debian's
# docker.io, 20.10) of the test's own: `docker login -u
# cn-north-4@<AK> -p <login key> 127.0.0.1:<port>` (SWR's long-term login
# credentials, the login key being hex HMAC-SHA256(SK, AK)) makes the
# daemon get the registry's 401 with the Bearer challenge and ask the
# token endpoint (/_swr/token, the GET of the Docker token specification
# with Basic credentials); it does the same for every push and pull with
# the credentials the CLI keeps in its configuration directory:
#
#   - an image loaded from a docker-archive (`docker load`; skopeo makes
#     the archive of an SwrImage fixture), tagged (`docker tag`), pushed
#     into a private repository (`docker push`), removed (`docker rmi`)
#     and pulled back (`docker pull`): the same image id (the config's
#     digest) and the digest the push printed; the registry holds a
#     Docker schema 2 manifest of that config and two layers;
#   - a user with pull (1) on the repository: a login with a wrong key is
#     refused, his pull works, his push to the repository and a pull from
#     a repository of the namespace he has no grant on are refused;
#   - anonymous (no login): a pull of a public repository works, of a
#     private one does not, and a push to the public one does not either.
#
# Each block starts a Docker daemon of its own (t/lib/SwrDocker.pm:
# private data root, exec root, pid file, socket and trust key in a
# temporary directory, on a containerd of its own, vfs storage, no
# bridge, iptables or IP forwarding; stopped by its PID), runs the CLI
# from --- init with a configuration directory per actor (DOCKER_CONFIG),
# and writes a report to html/, which the first request compares; the
# others ask the registry directly.  Keys come from t/lib/SwrAuth.pm
# ($TEST_NGINX_SWR_KEYS); identities are written straight into Redis.

use Test::Nginx::Socket;
use SwrImage;
use SwrSkopeo;
use SwrContainerd;
use SwrDocker;
use SwrTest;
use SwrAuth;

$ENV{TEST_NGINX_REDIS_PORT} ||= 6379;

SwrAuth::key_dir();

repeat_each(1);

# per request: status, body; no_error_log on every request
plan tests => repeat_each() * ((3 * 3) + (2 * 3) + (2 * 3));

no_long_string();
no_shuffle();


# Namespace t128 belongs to acct1: t128/priv and t128/other private,
# t128/pub public.  u-pusher has the namespace grant 3, u-reader the
# repository grant 1 on t128/priv, u-admin administers acct1.
sub setup {
    SwrTest::command('FLUSHALL');
    SwrAuth::namespace('t128', 'acct1', 'u-admin');
    SwrAuth::public('t128/pub');
    SwrAuth::identity(user => 'u-admin', account => 'acct1', admin => 1,
                      ak => 'AKADMIN', sk => 'SKADMIN');
    SwrAuth::identity(user => 'u-pusher', account => 'acct1',
                      ak => 'AKPUSHER', sk => 'SKPUSHER');
    SwrAuth::identity(user => 'u-reader', account => 'acct1',
                      ak => 'AKREADER', sk => 'SKREADER');
    SwrAuth::ns_grant('t128', 'u-pusher', 3);
    SwrAuth::repo_grant('t128/priv', 'u-reader', 1);
}

sub admin_header { return SwrAuth::basic('AKADMIN', 'SKADMIN') }

# docker login of $actor with the long-term login credentials of $ak
# (the login key of $sk)
sub login {
    my ($what, $actor, $ak, $sk) = @_;
    return SwrDocker::step($what, $actor, 'login',
                           '-u', "cn-north-4\@$ak",
                           '-p', SwrAuth::login_key($ak, $sk),
                           SwrSkopeo::registry());
}

# Loads fixture $img (a docker-archive named swr-local/$seed:v1) into the
# daemon and tags it as each of @refs (names of the registry); the
# report gets the loaded image's id
sub load {
    my ($actor, $img, $seed, @refs) = @_;
    my $local = "swr-local/$seed:v1";
    SwrDocker::step("load of $seed", $actor, 'load', '-i',
                    SwrDocker::archive($img, $local))
        or return;
    SwrSkopeo::add("loaded: " . SwrDocker::image($actor, $local));
    SwrDocker::step("tag as $_", $actor, 'tag', $local, SwrDocker::name($_))
        for @refs;
    return $local;
}

# Removes every image named, and reports what is left of each name
sub remove {
    my ($actor, @refs) = @_;
    SwrDocker::step('rmi', $actor, 'rmi', @refs);
    SwrSkopeo::add("after rmi, $_: " . SwrDocker::image($actor, $_))
        for @refs;
}

# The image the daemon has as $ref, the registry's address and the digest
# $pushed replaced (<registry>, <pushed>)
sub pulled {
    my ($actor, $ref, $pushed) = @_;
    my $text = SwrDocker::image($actor, $ref);
    my $reg = SwrSkopeo::registry();
    $text =~ s/\Q$reg\E/<registry>/g;
    $text =~ s/\Q$pushed\E/<pushed>/g if $pushed;
    return "pulled: $text";
}

# requests to the token endpoint in the access log, by method and status
sub token_requests {
    my $log = "$ENV{TEST_NGINX_SERVER_ROOT}/logs/access.log";
    open my $fh, '<', $log or return "no access log\n";
    my %n;
    while (<$fh>) {
        $n{"$1 $2"}++
            if m{"(\w+) /_swr/token(?:\?\S*)? HTTP/[\d.]+" (\d{3}) };
    }
    close $fh;
    return 'token requests: '
           . (join(', ', map { "$_ x$n{$_}" } sort keys %n) || 'none') . "\n";
}

# GETs of $repo's blobs answered 200 in the access log
sub blob_reads {
    my ($repo) = @_;
    my $log = "$ENV{TEST_NGINX_SERVER_ROOT}/logs/access.log";
    open my $fh, '<', $log or return "no access log\n";
    my $n = 0;
    while (<$fh>) {
        $n++ if m{"GET\x20/v2/\Q$repo\E/blobs/sha256:[0-9a-f]{64}
                  \x20HTTP/[\d.]+"\x20200\x20}x;
    }
    close $fh;
    return "blobs of $repo served: $n\n";
}

run_tests();

__DATA__

=== TEST 1: docker logs in with the long-term login credentials, pushes a loaded image and pulls it back, through the Bearer flow
--- init
SwrDocker::report('push', sub {
    main::setup();
    my $img = SwrImage::fixture('simple', 't128-push');
    main::login('login', 'pusher', 'AKPUSHER', 'SKPUSHER');
    my $local = main::load('pusher', $img, 't128-push', 't128/priv:v1');
    my $ref = SwrDocker::name('t128/priv:v1');
    my $out = SwrDocker::step('push', 'pusher', 'push', $ref);
    my $pushed = SwrDocker::pushed_digest($out, 'v1');
    SwrSkopeo::add('pushed: ' . ($pushed ? 'a digest' : 'no digest'));
    main::remove('pusher', $local, $ref);
    SwrDocker::step('pull', 'pusher', 'pull', $ref);
    return main::pulled('pusher', $ref, $pushed) . "\n"
           . main::token_requests()
           . main::blob_reads('t128/priv');
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
["GET /push.txt",
 "GET /v2/t128/priv/manifests/v1",
 "GET /v2/t128/priv/manifests/v1"]
--- more_headers eval
["",
 main::admin_header()
 . "\nAccept: application/vnd.docker.distribution.manifest.v2+json",
 "Accept: application/vnd.docker.distribution.manifest.v2+json"]
--- error_code eval
[200, 200, 401]
--- response_body_like eval
my $img = SwrImage::fixture('simple', 't128-push');
my $config = quotemeta $img->{config}{digest};
my $layer = '\{\s*"mediaType":\s*"application/vnd\.docker\.image\.rootfs\.'
            . 'diff\.tar\.gzip",\s*"size":\s*\d+,\s*'
            . '"digest":\s*"sha256:[0-9a-f]{64}"\s*\}';
["^login ok\nload of t128-push ok\nloaded: $config\n"
 . "tag as t128/priv:v1 ok\npush ok\npushed: a digest\nrmi ok\n"
 . "after rmi, swr-local/t128-push:v1: no image\n"
 . "after rmi, 127\\.0\\.0\\.1:\\d+/t128/priv:v1: no image\n"
 . "pull ok\n"
 . "pulled: $config <registry>/t128/priv\@<pushed>\n"
 . "token requests: GET 200 x\\d+\n"
 . "blobs of t128/priv served: 3\n\\z",
 '^\{\s*"schemaVersion":\s*2,\s*'
 . '"mediaType":\s*"application/vnd\.docker\.distribution\.manifest\.v2'
 . '\+json",\s*'
 . '"config":\s*\{\s*"mediaType":\s*"application/vnd\.docker\.container\.'
 . 'image\.v1\+json",\s*"size":\s*' . $img->{config}{size} . ',\s*'
 . '"digest":\s*"' . $config . '"\s*\},\s*'
 . '"layers":\s*\[\s*' . $layer . ',\s*' . $layer . '\s*\]\s*\}\s*\z',
 '"code":"UNAUTHORIZED"']
--- no_error_log
[error]



=== TEST 2: a user with pull only: a login with a wrong key is refused; docker pulls the image, his push and a pull from a repository he has no grant on are refused
--- init
SwrDocker::report('reader', sub {
    main::setup();
    my $img = SwrImage::fixture('simple', 't128-reader');
    my $ref = SwrDocker::name('t128/priv:v1');
    my $other = SwrDocker::name('t128/other:v1');
    main::login('login by the pusher', 'pusher', 'AKPUSHER', 'SKPUSHER');
    my $local = main::load('pusher', $img, 't128-reader', 't128/priv:v1',
                           't128/other:v1');
    my $out = SwrDocker::step('push by the pusher', 'pusher', 'push', $ref);
    my $pushed = SwrDocker::pushed_digest($out, 'v1');
    SwrDocker::step('push to t128/other by the pusher', 'pusher', 'push',
                    $other);
    main::remove('pusher', $local, $ref, $other);
    main::login('login by the reader with a wrong key', 'reader',
                'AKREADER', 'SKPUSHER');
    main::login('login by the reader', 'reader', 'AKREADER', 'SKREADER');
    SwrDocker::step('pull by the reader', 'reader', 'pull', $ref);
    SwrSkopeo::add(main::pulled('reader', $ref, $pushed));
    # an image of his own, so that there are blobs to upload and the
    # refusal comes at the first write
    my $own = SwrImage::fixture('simple', 't128-reader-own');
    main::load('reader', $own, 't128-reader-own', 't128/priv:reader');
    SwrDocker::step('push by the reader', 'reader', 'push',
                    SwrDocker::name('t128/priv:reader'));
    SwrDocker::step('pull from t128/other by the reader', 'reader', 'pull',
                    $other);
    SwrSkopeo::add("then $other: " . SwrDocker::image('reader', $other));
    return '';
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
 "GET /v2/t128/priv/tags/list"]
--- more_headers eval
["", main::admin_header()]
--- response_body_like eval
my $img = SwrImage::fixture('simple', 't128-reader');
my $own = SwrImage::fixture('simple', 't128-reader-own');
["^login by the pusher ok\nload of t128-reader ok\n"
 . "loaded: " . quotemeta($img->{config}{digest}) . "\n"
 . "tag as t128/priv:v1 ok\ntag as t128/other:v1 ok\n"
 . "push by the pusher ok\npush to t128/other by the pusher ok\nrmi ok\n"
 . "after rmi, swr-local/t128-reader:v1: no image\n"
 . "after rmi, 127\\.0\\.0\\.1:\\d+/t128/priv:v1: no image\n"
 . "after rmi, 127\\.0\\.0\\.1:\\d+/t128/other:v1: no image\n"
 . "login by the reader with a wrong key denied or unauthorized\n"
 . "login by the reader ok\npull by the reader ok\n"
 . "pulled: " . quotemeta($img->{config}{digest})
 . " <registry>/t128/priv\@<pushed>\n"
 . "load of t128-reader-own ok\n"
 . "loaded: " . quotemeta($own->{config}{digest}) . "\n"
 . "tag as t128/priv:reader ok\n"
 . "push by the reader denied or unauthorized\n"
 . "pull from t128/other by the reader denied or unauthorized\n"
 . "then 127\\.0\\.0\\.1:\\d+/t128/other:v1: no image\n\\z",
 '^\{"name":"t128/priv","tags":\["v1"\]\}$']
--- no_error_log
[error]



=== TEST 3: anonymous docker pulls a public repository, not a private one, and pushes nowhere
--- init
SwrDocker::report('anonymous', sub {
    main::setup();
    my $img = SwrImage::fixture('simple', 't128-anon');
    my $pub = SwrDocker::name('t128/pub:v1');
    my $priv = SwrDocker::name('t128/priv:v1');
    main::login('login by the admin', 'admin', 'AKADMIN', 'SKADMIN');
    my $local = main::load('admin', $img, 't128-anon', 't128/pub:v1',
                           't128/priv:v1');
    my $out = SwrDocker::step('push to t128/pub by the admin', 'admin',
                              'push', $pub);
    my $pushed = SwrDocker::pushed_digest($out, 'v1');
    SwrDocker::step('push to t128/priv by the admin', 'admin', 'push',
                    $priv);
    main::remove('admin', $local, $pub, $priv);
    SwrDocker::step('anonymous pull of t128/pub', 'anonymous', 'pull', $pub);
    SwrSkopeo::add(main::pulled('anonymous', $pub, $pushed));
    SwrDocker::step('anonymous pull of t128/priv', 'anonymous', 'pull',
                    $priv);
    SwrSkopeo::add("then $priv: " . SwrDocker::image('anonymous', $priv));
    my $own = SwrImage::fixture('simple', 't128-anon-own');
    main::load('anonymous', $own, 't128-anon-own', 't128/pub:anon');
    SwrDocker::step('anonymous push to t128/pub', 'anonymous', 'push',
                    SwrDocker::name('t128/pub:anon'));
    return '';
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
["GET /anonymous.txt",
 "GET /v2/t128/pub/tags/list"]
--- response_body_like eval
my $img = SwrImage::fixture('simple', 't128-anon');
my $own = SwrImage::fixture('simple', 't128-anon-own');
["^login by the admin ok\nload of t128-anon ok\n"
 . "loaded: " . quotemeta($img->{config}{digest}) . "\n"
 . "tag as t128/pub:v1 ok\ntag as t128/priv:v1 ok\n"
 . "push to t128/pub by the admin ok\npush to t128/priv by the admin ok\n"
 . "rmi ok\n"
 . "after rmi, swr-local/t128-anon:v1: no image\n"
 . "after rmi, 127\\.0\\.0\\.1:\\d+/t128/pub:v1: no image\n"
 . "after rmi, 127\\.0\\.0\\.1:\\d+/t128/priv:v1: no image\n"
 . "anonymous pull of t128/pub ok\n"
 . "pulled: " . quotemeta($img->{config}{digest})
 . " <registry>/t128/pub\@<pushed>\n"
 . "anonymous pull of t128/priv denied or unauthorized\n"
 . "then 127\\.0\\.0\\.1:\\d+/t128/priv:v1: no image\n"
 . "load of t128-anon-own ok\n"
 . "loaded: " . quotemeta($own->{config}{digest}) . "\n"
 . "tag as t128/pub:anon ok\n"
 . "anonymous push to t128/pub denied or unauthorized\n\\z",
 '^\{"name":"t128/pub","tags":\["v1"\]\}$']
--- no_error_log
[error]
