# vim:set ft= ts=4 sw=4 et fdm=marker:
# containerd (Debian's, 1.6) through swr_auth: `ctr` gets the registry's
# 401 with the Bearer challenge, asks the token endpoint (/_swr/token)
# with SWR's long-term login credentials (--user "cn-north-4@<AK>:<login
# key>", the login key being hex HMAC-SHA256(SK, AK)) and pushes and pulls
# with the token.  containerd first tries the OAuth2 form (POST with
# grant_type=password), which the endpoint answers 405, and then falls
# back to the GET of the Docker token specification:
#
#   - an image imported from an OCI archive (`ctr images import`), pushed
#     into a private repository (`ctr images push`), pulled back into
#     another containerd namespace (`ctr images pull`, unpacked by the
#     native snapshotter) and exported: the same manifest, config and
#     layers;
#   - a user with pull (1) only: `ctr content fetch` of the repository
#     works, his push to it and a fetch from a repository he has no grant
#     on are refused;
#   - anonymous: a pull of a public repository works, of a private one
#     does not, and a push to the public one does not either.
#
# Each block starts a containerd of its own (t/lib/SwrContainerd.pm:
# private root, state and socket in a temporary directory, no CRI, the
# native snapshotter, content isolated between namespaces), runs ctr
# from --- init, stops the daemon and writes a report to html/, which the
# first request compares; the others ask the registry directly.  Keys
# come from t/lib/SwrAuth.pm ($TEST_NGINX_SWR_KEYS); identities are
# written straight into Redis.

use Test::Nginx::Socket;
use SwrImage;
use SwrSkopeo;
use SwrContainerd;
use SwrTest;
use SwrAuth;

$ENV{TEST_NGINX_REDIS_PORT} ||= 6379;

SwrAuth::key_dir();

repeat_each(1);

# per request: status, body; no_error_log on every request
plan tests => repeat_each() * ((3 * 3) + (2 * 3) + (2 * 3));

no_long_string();
no_shuffle();


# Namespace t127 belongs to acct1: t127/priv private, t127/pub public.
# u-pusher has the namespace grant 3, u-reader the repository grant 1 on
# t127/priv, u-admin administers acct1.
sub setup {
    SwrTest::command('FLUSHALL');
    SwrAuth::namespace('t127', 'acct1', 'u-admin');
    SwrAuth::public('t127/pub');
    SwrAuth::identity(user => 'u-admin', account => 'acct1', admin => 1,
                      ak => 'AKADMIN', sk => 'SKADMIN');
    SwrAuth::identity(user => 'u-pusher', account => 'acct1',
                      ak => 'AKPUSHER', sk => 'SKPUSHER');
    SwrAuth::identity(user => 'u-reader', account => 'acct1',
                      ak => 'AKREADER', sk => 'SKREADER');
    SwrAuth::ns_grant('t127', 'u-pusher', 3);
    SwrAuth::repo_grant('t127/priv', 'u-reader', 1);
}

# "cn-north-4@<AK>:<login key>", as ctr's --user wants it
sub creds {
    my ($ak, $sk) = @_;
    return "cn-north-4\@$ak:" . SwrAuth::login_key($ak, $sk);
}

sub admin_header { return SwrAuth::basic('AKADMIN', 'SKADMIN') }

# An OCI archive of fixture $img, for `ctr images import`
sub archive {
    my ($img, $name) = @_;
    my $tar = SwrSkopeo::scratch("archive-$name") . '/image.tar';
    my ($status, $out) = SwrSkopeo::run('tar', '-C', $img->{dir}, '-cf',
                                        $tar, 'oci-layout', 'index.json',
                                        'blobs');
    die "tar: $out\n" if $status != 0;
    return $tar;
}

# Imports fixture $img into containerd namespace $ns as <registry>/$repo:v1
# (content only: nothing to unpack for a push)
sub import_image {
    my ($ns, $img, $repo) = @_;
    SwrContainerd::step("import into $ns", $ns, 'images', 'import',
                        '--no-unpack', '--base-name',
                        SwrContainerd::name($repo), archive($img, $ns))
        or die "cannot import\n";
}

# The image $ref of namespace $ns, exported and read back (digests and
# sizes of every blob checked), as SwrImage::describe() tells it
sub exported {
    my ($ns, $ref) = @_;
    my $dir = SwrSkopeo::scratch("export-$ns");
    SwrContainerd::step("export from $ns", $ns, 'images', 'export',
                        "$dir/image.tar", $ref)
        or return '';
    my ($status, $out) = SwrSkopeo::run('tar', '-C', $dir, '-xf',
                                        "$dir/image.tar");
    die "tar: $out\n" if $status != 0;
    my ($tag) = $ref =~ /:([^:\/]+)\z/;
    return SwrImage::describe(SwrImage::read_layout($dir, $tag));
}

# requests to the token endpoint in the access log, by method and status
sub token_requests {
    my $log = "$ENV{TEST_NGINX_SERVER_ROOT}/logs/access.log";
    open my $fh, '<', $log or return "no access log\n";
    my %n;
    while (<$fh>) {
        $n{"$1 $2"}++
            if m{"(GET|POST) /_swr/token(?:\?\S*)? HTTP/[\d.]+" (\d{3}) };
    }
    close $fh;
    return 'token requests: '
           . (join(', ', map { "$_ x$n{$_}" } sort keys %n) || 'none') . "\n";
}

# The blobs of $img that $repo served (GET, 200), one line a blob
sub blob_reads {
    my ($img, $repo) = @_;
    my $log = "$ENV{TEST_NGINX_SERVER_ROOT}/logs/access.log";
    open my $fh, '<', $log or return "no access log\n";
    my $re = qr{"GET\x20/v2/\Q$repo\E/blobs/(sha256:[0-9a-f]{64})
                 \x20HTTP/[\d.]+"\x20200\x20}x;
    my %n;
    while (<$fh>) {
        $n{$1}++ if $_ =~ $re;
    }
    close $fh;
    return join '', map { "$_->[0] $_->[1]{digest} served "
                          . ($n{ $_->[1]{digest} } // 0) . "x\n" }
                    [ config => $img->{config} ],
                    map { [ layer => $_ ] } @{ $img->{layers} };
}

run_tests();

__DATA__

=== TEST 1: ctr pushes an imported image and pulls it back with the long-term login credentials, through the Bearer flow
--- init
SwrContainerd::report('push', sub {
    main::setup();
    my $img = SwrImage::fixture('simple', 't127-push');
    my $ref = SwrContainerd::name('t127/priv:v1');
    my $creds = main::creds('AKPUSHER', 'SKPUSHER');
    main::import_image('pusher', $img, 't127/priv');
    SwrContainerd::step('push', 'pusher', 'images', 'push', '--plain-http',
                        '--user', $creds, $ref);
    SwrContainerd::step('pull', 'puller', 'images', 'pull', '--plain-http',
                        '--user', $creds, $ref);
    my $images = SwrContainerd::images('puller');
    my $port = SwrSkopeo::registry();
    $images =~ s/\Q$port\E/<registry>/g;
    return "pulled: $images"
           . main::token_requests()
           . main::blob_reads($img, 't127/priv')
           . main::exported('puller', $ref);
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
my $img = SwrImage::fixture('simple', 't127-push');
["GET /push.txt",
 "GET /v2/t127/priv/manifests/$img->{manifest}{digest}",
 "GET /v2/t127/priv/manifests/v1"]
--- more_headers eval
["",
 main::admin_header() . "\nAccept: application/vnd.oci.image.manifest.v1+json",
 "Accept: application/vnd.oci.image.manifest.v1+json"]
--- error_code eval
[200, 200, 401]
--- response_body_like eval
my $img = SwrImage::fixture('simple', 't127-push');
my $d = sub { quotemeta $_[0]{digest} };
["^import into pusher ok\npush ok\npull ok\nexport from puller ok\n"
 . "pulled: <registry>/t127/priv:v1 " . $d->($img->{manifest}) . "\n"
 . "token requests: GET 200 x\\d+, POST 405 x\\d+\n"
 . "config " . $d->($img->{config}) . " served 1x\n"
 . "layer " . $d->($img->{layers}[0]) . " served 1x\n"
 . "layer " . $d->($img->{layers}[1]) . " served 1x\n"
 . quotemeta(SwrImage::describe($img)) . '\z',
 '^' . quotemeta(SwrImage::blob($img->{dir}, $img->{manifest}{digest})) . '$',
 '"code":"UNAUTHORIZED"']
--- no_error_log
[error]



=== TEST 2: a user with pull only: ctr fetches the image, his push and a fetch from a repository he has no grant on are refused
--- init
SwrContainerd::report('reader', sub {
    main::setup();
    my $img = SwrImage::fixture('simple', 't127-reader');
    my $ref = SwrContainerd::name('t127/priv:v1');
    main::import_image('pusher', $img, 't127/priv');
    SwrContainerd::step('push by the pusher', 'pusher', 'images', 'push',
                        '--plain-http', '--user',
                        main::creds('AKPUSHER', 'SKPUSHER'), $ref);
    my $reader = main::creds('AKREADER', 'SKREADER');
    SwrContainerd::step('fetch by the reader', 'reader', 'content', 'fetch',
                        '--plain-http', '--user', $reader, $ref);
    # an image of his own, so that there are blobs to upload and the
    # refusal comes at the first write
    my $own = SwrImage::fixture('simple', 't127-reader-own');
    main::import_image('reader-own', $own, 't127/priv');
    SwrContainerd::step('push by the reader', 'reader-own', 'images', 'push',
                        '--plain-http', '--user', $reader,
                        SwrContainerd::name('t127/priv:reader'),
                        SwrContainerd::name('t127/priv:v1'));
    SwrContainerd::step('fetch from t127/other by the reader', 'reader',
                        'content', 'fetch', '--plain-http', '--user', $reader,
                        SwrContainerd::name('t127/other:v1'));
    return main::exported('reader', $ref);
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
 "GET /v2/t127/priv/tags/list"]
--- more_headers eval
["", main::admin_header()]
--- response_body_like eval
my $img = SwrImage::fixture('simple', 't127-reader');
["^import into pusher ok\npush by the pusher ok\nfetch by the reader ok\n"
 . "import into reader-own ok\n"
 . "push by the reader denied or unauthorized\n"
 . "fetch from t127/other by the reader denied or unauthorized\n"
 . "export from reader ok\n"
 . quotemeta(SwrImage::describe($img)) . '\z',
 '^\{"name":"t127/priv","tags":\["v1"\]\}$']
--- no_error_log
[error]



=== TEST 3: anonymous ctr pulls a public repository, not a private one, and pushes nowhere
--- init
SwrContainerd::report('anonymous', sub {
    main::setup();
    my $img = SwrImage::fixture('simple', 't127-anon');
    my $admin = main::creds('AKADMIN', 'SKADMIN');
    main::import_image('admin', $img, 't127/pub');
    SwrContainerd::step('push to t127/pub by the admin', 'admin', 'images',
                        'push', '--plain-http', '--user', $admin,
                        SwrContainerd::name('t127/pub:v1'));
    SwrContainerd::step('push to t127/priv by the admin', 'admin', 'images',
                        'push', '--plain-http', '--user', $admin,
                        SwrContainerd::name('t127/priv:v1'),
                        SwrContainerd::name('t127/pub:v1'));
    SwrContainerd::step('anonymous pull of t127/pub', 'anonymous', 'images',
                        'pull', '--plain-http',
                        SwrContainerd::name('t127/pub:v1'));
    SwrContainerd::step('anonymous pull of t127/priv', 'anonymous', 'images',
                        'pull', '--plain-http',
                        SwrContainerd::name('t127/priv:v1'));
    my $own = SwrImage::fixture('simple', 't127-anon-own');
    main::import_image('stranger', $own, 't127/pub');
    SwrContainerd::step('anonymous push to t127/pub', 'stranger', 'images',
                        'push', '--plain-http',
                        SwrContainerd::name('t127/pub:anon'),
                        SwrContainerd::name('t127/pub:v1'));
    return main::exported('anonymous', SwrContainerd::name('t127/pub:v1'));
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
 "GET /v2/t127/pub/tags/list"]
--- response_body_like eval
my $img = SwrImage::fixture('simple', 't127-anon');
["^import into admin ok\n"
 . "push to t127/pub by the admin ok\npush to t127/priv by the admin ok\n"
 . "anonymous pull of t127/pub ok\n"
 . "anonymous pull of t127/priv denied or unauthorized\n"
 . "import into stranger ok\n"
 . "anonymous push to t127/pub denied or unauthorized\n"
 . "export from anonymous ok\n"
 . quotemeta(SwrImage::describe($img)) . '\z',
 '^\{"name":"t127/pub","tags":\["v1"\]\}$']
--- no_error_log
[error]
