# vim:set ft= ts=4 sw=4 et fdm=marker:
# Pushing into an organization (namespace) that does not exist (swr-api.md
# 4.3, "a docker push to a missing repository also creates it"; issue:
# "pushing into an organization that does not exist is refused with a
# clear error unless the operator enables auto-creation by a directive"):
#
#   - without swr_auto_namespace: a push (upload, manifest) into a missing
#     organization is 404 NAME_UNKNOWN "organization does not exist",
#     with Basic credentials and through the Bearer flow (a token that
#     does not cover a request is checked against Redis before it is
#     refused); nothing is made; skopeo says so; reads of it are 404 too,
#     anonymous ones get the challenge;
#   - a push into an existing organization makes the repository: private,
#     category "other", listed by the management API, counted in usage;
#   - with swr_auto_namespace on: the account's administrator makes the
#     organization by pushing (his account's, he its creator with 7), via
#     Basic and via tokens; another user gets the 404; the organization
#     quota (swr_quota) still holds.
#
# Each block runs its requests from --- init and writes a report to
# html/, which the block then reads and compares whole.

use Test::Nginx::Socket;
use SwrTest;
use SwrAuth;
use SwrImage;
use SwrSkopeo;

$ENV{TEST_NGINX_REDIS_PORT} ||= 6379;

SwrAuth::key_dir();

repeat_each(1);

plan tests => repeat_each() * (3 * 3);

no_long_string();
no_shuffle();


# acct1: u-admin (administrator), u-dev (grant 3 on t126); acct2: u-other
# (administrator of acct2, which owns nothing yet)
sub setup {
    SwrTest::command('FLUSHALL');
    SwrAuth::namespace('t126', 'acct1', 'u-admin');
    SwrTest::command('SADD', 'swr:account:{acct1}:namespaces', 't126');
    SwrAuth::identity(user => 'u-admin', account => 'acct1', admin => 1,
                      ak => 'AKADMIN', sk => 'SKADMIN', name => 'admin');
    SwrAuth::identity(user => 'u-dev', account => 'acct1',
                      ak => 'AKDEV', sk => 'SKDEV', name => 'dev');
    SwrAuth::identity(user => 'u-other', account => 'acct2', admin => 1,
                      ak => 'AKOTHER', sk => 'SKOTHER', name => 'other');
    SwrAuth::ns_grant('t126', 'u-dev', 3);
    for (qw(admin dev other)) {
        SwrTest::command('HSET', "swr:token:{tok-$_}", user => "u-$_",
                         expires => 0);
    }
}

sub basic { return SwrAuth::basic('AK' . uc $_[0], 'SK' . uc $_[0]) }

sub creds {
    return "cn-north-4\@AK" . uc($_[0]) . ':'
           . SwrAuth::login_key('AK' . uc $_[0], 'SK' . uc $_[0]);
}

# a token of $who for push and pull on $repo
sub token {
    my ($who, $repo) = @_;
    my $t = SwrAuth::token(basic($who), "repository:$repo:pull,push");
    return ($t->{json} && $t->{json}{token}) || 'none';
}

# one push step as $who with $auth ("basic" or "bearer"): the upload's
# POST; status and, on an error, its code and message
sub post {
    my ($who, $auth, $repo) = @_;
    my $h = $auth eq 'basic' ? basic($who)
                             : SwrAuth::bearer(token($who, $repo));
    my $r = SwrTest::http('POST', "/v2/$repo/blobs/uploads/",
                          headers => [$h]);
    my $e = '';
    if ($r->{status} >= 400) {
        my $j = eval { SwrTest::decode_json($r->{body}) };
        $e = $j ? " $j->{errors}[0]{code}: $j->{errors}[0]{message}"
                  . " ($j->{errors}[0]{detail})" : ' (no JSON body)';
    }
    return "$who $auth POST $repo -> $r->{status}$e";
}

sub exists_ns {
    my ($ns) = @_;
    my %h = @{ SwrTest::command('HGETALL', "swr:ns:{$ns}") || [] };
    return "$ns: none" unless %h;
    my $g = SwrTest::command('HGET', "swr:ns:{$ns}:grants", $h{creator} // '');
    my $in = SwrTest::command('SISMEMBER', "swr:account:{$h{account}}:namespaces",
                              $ns);
    my $ix = defined SwrTest::command('ZSCORE', 'swr:namespaces', $ns)
             ? 'indexed' : 'not indexed';
    return "$ns: account $h{account}, creator $h{creator}, grant $g, "
           . ($h{id} =~ /^\d+$/ ? 'an id' : 'no id') . ", $ix, "
           . ($in ? 'in its account' : 'not in its account');
}

sub report {
    my ($name, $code) = @_;
    my @out;
    eval { $code->(\@out); 1 } or push @out, "died: $@";
    SwrAuth::report($name, join '', map { "$_\n" } @out);
}

# the image t126 pushes with Basic credentials: a config, a layer, a manifest
sub push_image {
    my ($who, $repo, $tag) = @_;
    my @h = (basic($who));
    my @s;
    for my $blob ("config of $repo", "layer of $repo") {
        my $r = SwrTest::http('POST', "/v2/$repo/blobs/uploads/?digest="
                                      . SwrTest::sha256($blob),
                              headers => [@h], body => $blob);
        push @s, $r->{status};
    }
    my $m = SwrTest::manifest("config of $repo", ["layer of $repo"]);
    my $r = SwrTest::http('PUT', "/v2/$repo/manifests/$tag",
                          headers => [@h, 'Content-Type: '
                                      . 'application/vnd.oci.image.manifest.v1+json'],
                          body => $m);
    return "push $repo:$tag as $who: @s $r->{status}";
}

run_tests();

__DATA__

=== TEST 1: without swr_auto_namespace: a push into a missing organization is 404 NAME_UNKNOWN, by Basic and by token; nothing made; a push into an existing one makes a private repository
--- init
main::report('off', sub {
    my ($out) = @_;
    main::setup();
    push @$out, main::post('admin', 'basic', 'nope/app'),
                main::post('admin', 'bearer', 'nope/app'),
                main::post('dev', 'basic', 'nope/app'),
                main::post('dev', 'bearer', 'nope/deep/app'),
                main::post('other', 'basic', 'nope/app'),
                main::exists_ns('nope');
    # reads of it are 404 too, and anonymous ones get the challenge
    my $r = SwrTest::http('GET', '/v2/nope/app/tags/list',
                          headers => [main::basic('admin')]);
    push @$out, "admin GET nope/app/tags/list -> $r->{status}";
    $r = SwrTest::http('HEAD', '/v2/nope/app/blobs/'
                               . SwrTest::sha256('x'),
                       headers => [SwrAuth::bearer(main::token('dev',
                                                               'nope/app'))]);
    push @$out, "dev bearer HEAD nope/app blob -> $r->{status}";
    $r = SwrTest::http('GET', '/v2/nope/app/tags/list');
    push @$out, "anonymous GET nope/app/tags/list -> $r->{status}";
    # the existing organization: the push makes the repository
    push @$out, main::post('dev', 'bearer', 't126/app'),
                main::push_image('dev', 't126/app', 'v1');
    my %m = @{ SwrTest::command('HGETALL', 'swr:{r:t126/app}:meta') };
    push @$out, "t126/app: category $m{category}, "
                . ($m{public} // 'no public flag') . ", created "
                . ($m{created} =~ /^\d+$/ ? 'set' : 'unset');
    my %u = @{ SwrTest::command('HGETALL', 'swr:ns:{t126}:usage') };
    push @$out, "t126 usage: repos $u{repos}, images $u{images}, size "
                . ($u{size} > 0 ? '> 0' : $u{size});
    $r = SwrTest::http('GET', '/v2/manage/namespaces/t126/repos/app',
                       headers => ['X-Auth-Token: tok-dev']);
    my $j = eval { SwrTest::decode_json($r->{body}) } || {};
    push @$out, "ShowRepository t126/app -> $r->{status} "
                . "$j->{name} $j->{category} public "
                . ($j->{is_public} ? 'yes' : 'no') . " images $j->{num_images}"
                . " creator '$j->{creator_name}'";
});
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_secret_key_file $TEST_NGINX_SWR_KEYS/secret.hex;
    swr_token_key $TEST_NGINX_SWR_KEYS/token.pem;
    swr_region cn-north-4;
    swr_auth_cache 0;
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
GET /off.txt
--- response_body
admin basic POST nope/app -> 404 NAME_UNKNOWN: organization does not exist: create it first (nope)
admin bearer POST nope/app -> 404 NAME_UNKNOWN: organization does not exist: create it first (nope)
dev basic POST nope/app -> 404 NAME_UNKNOWN: organization does not exist: create it first (nope)
dev bearer POST nope/deep/app -> 404 NAME_UNKNOWN: organization does not exist: create it first (nope)
other basic POST nope/app -> 404 NAME_UNKNOWN: organization does not exist: create it first (nope)
nope: none
admin GET nope/app/tags/list -> 404
dev bearer HEAD nope/app blob -> 404
anonymous GET nope/app/tags/list -> 401
dev bearer POST t126/app -> 202
push t126/app:v1 as dev: 201 201 201
t126/app: category other, no public flag, created set
t126 usage: repos 1, images 1, size > 0
ShowRepository t126/app -> 200 app other public no images 1 creator 'dev'
--- no_error_log
[error]



=== TEST 2: with swr_auto_namespace on: the account's administrator makes the organization by pushing (Basic and token); other users get the 404; the quota holds
--- init
main::report('on', sub {
    my ($out) = @_;
    main::setup();
    push @$out, main::post('dev', 'basic', 'auto1/app'),
                main::post('dev', 'bearer', 'auto1/app'),
                main::exists_ns('auto1'),
                main::post('admin', 'basic', 'auto1/app'),
                main::exists_ns('auto1'),
                main::post('admin', 'bearer', 'auto2/app'),
                main::exists_ns('auto2'),
                # made once: the next push finds it
                main::post('admin', 'basic', 'auto1/other'),
                # another account's administrator: the name is taken
                main::post('other', 'basic', 'auto1/app'),
                # his own account gets its own, up to the quota (3)
                main::post('other', 'basic', 'oth1/app'),
                main::post('other', 'bearer', 'oth2/app'),
                main::post('other', 'basic', 'oth3/app'),
                main::post('other', 'bearer', 'oth4/app'),
                main::exists_ns('oth4'),
                main::push_image('admin', 'auto1/app', 'v1');
    my $r = SwrTest::http('GET', '/v2/manage/namespaces/auto1',
                          headers => ['X-Auth-Token: tok-admin']);
    push @$out, "ShowNamespace auto1 -> $r->{status} $r->{body}"
                =~ s/"id":\d+/"id":N/r;
});
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_secret_key_file $TEST_NGINX_SWR_KEYS/secret.hex;
    swr_token_key $TEST_NGINX_SWR_KEYS/token.pem;
    swr_region cn-north-4;
    swr_auth_cache 0;
    swr_auto_namespace on;
    swr_quota 3 10 10;
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
GET /on.txt
--- response_body
dev basic POST auto1/app -> 404 NAME_UNKNOWN: organization does not exist: create it first (auto1)
dev bearer POST auto1/app -> 404 NAME_UNKNOWN: organization does not exist: create it first (auto1)
auto1: none
admin basic POST auto1/app -> 202
auto1: account acct1, creator u-admin, grant 7, an id, indexed, in its account
admin bearer POST auto2/app -> 202
auto2: account acct1, creator u-admin, grant 7, an id, indexed, in its account
admin basic POST auto1/other -> 202
other basic POST auto1/app -> 403 DENIED: requested access to the resource is denied (insufficient permissions)
other basic POST oth1/app -> 202
other bearer POST oth2/app -> 202
other basic POST oth3/app -> 202
other bearer POST oth4/app -> 404 NAME_UNKNOWN: organization does not exist: create it first (oth4)
oth4: none
push auto1/app:v1 as admin: 201 201 201
ShowNamespace auto1 -> 200 {"id":N,"name":"auto1","creator_name":"admin","auth":7}
--- no_error_log
[error]



=== TEST 3: skopeo: a push into a missing organization fails saying the organization does not exist; with swr_auto_namespace the administrator's push goes through
--- init
SwrSkopeo::report('skopeo', sub {
    main::setup();
    my $img = SwrImage::fixture('simple', 't126');
    my $ok = eval {
        SwrSkopeo::copy('push into missing', "oci:$img->{dir}:v1",
                        SwrSkopeo::docker('nope/app:v1'),
                        '--dest-creds', main::creds('dev'));
        1;
    };
    my $err = $@;
    SwrSkopeo::add($ok ? 'push into missing was not refused'
                   : $err =~ /organization does not exist/
                   ? 'push into missing refused: organization does not exist'
                   : "push into missing refused otherwise: $err");
    SwrSkopeo::copy('push by the administrator', "oci:$img->{dir}:v1",
                    SwrSkopeo::docker('made/app:v1'),
                    '--dest-creds', main::creds('admin'));
    return main::exists_ns('made') . "\n";
});
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_secret_key_file $TEST_NGINX_SWR_KEYS/secret.hex;
    swr_token_key $TEST_NGINX_SWR_KEYS/token.pem;
    swr_region cn-north-4;
    swr_auth_cache 0;
    swr_auto_namespace on;
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
--- request
GET /skopeo.txt
--- response_body
push into missing refused: organization does not exist
push by the administrator ok
made: account acct1, creator u-admin, grant 7, an id, indexed, in its account
--- no_error_log
[error]
