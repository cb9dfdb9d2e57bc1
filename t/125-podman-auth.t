# vim:set ft= ts=4 sw=4 et fdm=marker:
# podman (Debian's, as root, vfs storage in a throw-away directory) logs in
# to the registry with SWR's long-term docker login and with the temporary
# login of CreateSecret, pushes and pulls through the Bearer token flow; a
# pull without credentials of a private repository is refused, of a
# public one allowed.

use Test::Nginx::Socket;
use SwrImage;
use SwrSkopeo;
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
    SwrAuth::namespace('t125', 'acct1', 'u-admin');
    SwrAuth::public('t125/pub');
    SwrAuth::identity(user => 'u-pusher', account => 'acct1',
                      ak => 'AKPUSHER', sk => 'SKPUSHER');
    SwrAuth::ns_grant('t125', 'u-pusher', 3);
}

# podman with its own storage and authfile in the block's scratch space
sub podman {
    my ($dir, @args) = @_;
    my ($status, $out) = SwrSkopeo::run('podman', '--root', "$dir/graph",
                                        '--runroot', "$dir/run",
                                        '--storage-driver', 'vfs', @args);
    return ($status >> 8, $out);
}

sub step {
    my ($what, $dir, @args) = @_;
    my ($code, $out) = podman($dir, @args);

    if ($code == 0) {
        SwrSkopeo::add("$what ok");
        return 1;
    }

    my $why = $out =~ /(unauthorized|denied|authentication required)/i
              ? 'denied or unauthorized' : "failed: $out";
    SwrSkopeo::add("$what $why");
    return 0;
}

# CreateSecret for u-pusher: the user and password of X-Swr-Dockerlogin
sub temporary_login {
    my $token = 'b2' x 32;

    SwrTest::command('HSET', "swr:token:{$token}", user => 'u-pusher',
                     expires => time + 3600);

    my $r = SwrTest::http('POST', '/v2/manage/utils/secret'
                                  . '?projectname=cn-north-4',
                          headers => ['Host: ' . SwrSkopeo::registry(),
                                      "X-Auth-Token: $token"]);

    return (($r->{headers}{'x-swr-dockerlogin'} // '')
            =~ /^docker login -u (\S+) -p ([0-9a-f]{64})$/);
}

__DATA__

=== TEST 1: podman login, push and pull, long-term and temporary logins, anonymous pulls
--- init
SwrSkopeo::report('podman', sub {
    main::setup();
    my $img = SwrImage::fixture('simple', 't125');
    my $reg = SwrSkopeo::registry();
    my $dir = SwrSkopeo::scratch('podman');
    my $auth = "$dir/auth.json";

    # podman names what it pulls from a layout after its path, which
    # must then be lowercase: a link with such a name
    my $link = "/tmp/t125-$$-layout";
    unlink $link;
    symlink $img->{dir}, $link or die "symlink: $!\n";
    my ($code, $out) = main::podman($dir, 'pull', "oci:$link:v1");
    unlink $link;
    my ($id) = $out =~ /^([0-9a-f]{64})\s*\z/m;
    SwrSkopeo::add('pull from the layout ' . ($id ? 'ok' : "failed: $out"));
    main::step('tag', $dir, 'tag', $id // '-', "$reg/t125/priv:v1");
    main::step('tag', $dir, 'tag', $id // '-', "$reg/t125/pub:v1");

    main::step('login', $dir, 'login', '--tls-verify=false', '--authfile',
               $auth, '-u', 'cn-north-4@AKPUSHER', '-p',
               SwrAuth::login_key('AKPUSHER', 'SKPUSHER'), $reg);
    main::step('push private', $dir, 'push', '--tls-verify=false',
               '--authfile', $auth, "$reg/t125/priv:v1");
    main::step('push public', $dir, 'push', '--tls-verify=false',
               '--authfile', $auth, "$reg/t125/pub:v1");

    main::step('remove', $dir, 'rmi', '-f', "$reg/t125/priv:v1");
    main::step('pull private', $dir, 'pull', '--tls-verify=false',
               '--authfile', $auth, "$reg/t125/priv:v1");

    my $anon = SwrSkopeo::scratch('anonymous');
    SwrAuth::write_file("$anon/none.json", "{}\n");
    main::step('anonymous pull private', $anon, 'pull',
               '--tls-verify=false', '--authfile', "$anon/none.json",
               "$reg/t125/priv:v1");
    main::step('anonymous pull public', $anon, 'pull',
               '--tls-verify=false', '--authfile', "$anon/none.json",
               "$reg/t125/pub:v1");

    my ($user, $password) = main::temporary_login();
    my $tmp = SwrSkopeo::scratch('temporary');
    main::step('temporary login', $tmp, 'login', '--tls-verify=false',
               '--authfile', "$tmp/auth.json", '-u', $user // '-',
               '-p', $password // '-', $reg);
    main::step('temporary pull', $tmp, 'pull', '--tls-verify=false',
               '--authfile', "$tmp/auth.json", "$reg/t125/priv:v1");

    ($code, $out) = main::podman($dir, 'image', 'inspect', '--format',
                                 '{{.Digest}}', "$reg/t125/priv:v1");
    SwrSkopeo::add('digest ' . ($out =~ /\Q$img->{manifest}{digest}\E/
                                ? 'as pushed' : "differs: $out"));
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
    location /v2/manage/ {
        swr_manage_api;
        swr_auth on;
    }
    location = /_swr/token {
        swr_token;
    }
--- request
GET /podman.txt
--- response_body
pull from the layout ok
tag ok
tag ok
login ok
push private ok
push public ok
remove ok
pull private ok
anonymous pull private denied or unauthorized
anonymous pull public ok
temporary login ok
temporary pull ok
digest as pushed
--- no_error_log
[alert]
