# vim:set ft= ts=4 sw=4 et fdm=marker:
# The token endpoint (swr_token, GET /_swr/token) and the tokens the
# registry accepts (swr_auth with Bearer):
#
#   - what a token grants for each level (asked ∩ allowed: pull with 1,
#     push with 3, delete with 7), its JSON answer, its header and claims,
#     and its ES256 signature checked with openssl, not with the module;
#   - anonymous tokens (pull on public repositories only), several scopes
#     in several parameters or space-separated in one;
#   - refusals: wrong service (400), wrong, unknown, disabled or expired
#     credentials (401 with a Basic challenge);
#   - forgeries refused with 401: another key, "alg": "none", HS256 keyed
#     with the public key, claims changed under a kept signature, another
#     token's signature, and tokens correctly signed with the right key
#     (made here with openssl: t/lib/SwrAuth.pm turns openssl's DER
#     signature into JWS's r || s) but with the wrong audience or issuer,
#     expired, not yet valid, without exp, for another repository; the
#     same forger with the right claims is accepted, as a control;
#   - a token outliving swr_token_ttl.
#
# Each block runs its requests from --- init and writes a report to
# html/, which the block then reads and compares whole.

use Test::Nginx::Socket;
use SwrTest;
use SwrAuth;
use Digest::SHA ();
use MIME::Base64 ();
use Time::HiRes ();

$ENV{TEST_NGINX_REDIS_PORT} ||= 6379;

SwrAuth::key_dir();

repeat_each(1);

# per block: status, body, no_error_log; TEST 7: 2 requests, 2 patterns
plan tests => repeat_each() * (3 * 6 + 2 * (2 + 2));

no_long_string();
no_shuffle();


# ---- identities -------------------------------------------------------------
#
# Namespace t121 belongs to acct1: t121/priv is private, t121/pub public.
# Users: u-none (no grant), u-r1, u-r3, u-r7 (repository grants on
# t121/priv), u-ns3 (namespace grant 3), u-admin (admin of acct1), u-other
# (acct2, admin of its own account), and the AKs the refusals need.

our @USERS = (
    [ none  => {} ],
    [ r1    => { repo => 1 } ],
    [ r3    => { repo => 3 } ],
    [ r7    => { repo => 7 } ],
    [ ns3   => { ns => 3 } ],
    [ admin => { admin => 1 } ],
    [ other => { admin => 1, account => 'acct2' } ],
);

sub ak_of { return 'AK' . uc $_[0] }
sub sk_of { return "SK-of-$_[0]" }
sub basic { return SwrAuth::basic(ak_of($_[0]), sk_of($_[0])) }

sub setup {
    my $now = time;

    SwrTest::command('FLUSHALL');
    SwrAuth::namespace('t121', 'acct1', 'u-admin');
    SwrAuth::namespace('t121o', 'acct2', 'u-other');
    SwrAuth::public('t121/pub');

    for (@USERS) {
        my ($p, $d) = @$_;
        SwrAuth::identity(user => "u-$p", account => $d->{account} // 'acct1',
                          admin => $d->{admin}, ak => ak_of($p),
                          sk => sk_of($p));
        SwrAuth::repo_grant('t121/priv', "u-$p", $d->{repo}) if $d->{repo};
        SwrAuth::ns_grant('t121', "u-$p", $d->{ns}) if $d->{ns};
    }

    SwrAuth::identity(user => 'u-r3', account => 'acct1', ak => 'AKOFF',
                      sk => 'SKOFF', enabled => 0);
    SwrAuth::identity(user => 'u-r3', account => 'acct1', ak => 'AKOLD',
                      sk => 'SKOLD', expires => $now - 10);
    SwrAuth::identity(user => 'u-gone', account => 'acct1', ak => 'AKGONE',
                      sk => 'SKGONE', disabled => 1);
    SwrAuth::repo_grant('t121/priv', 'u-gone', 7);

    # something to pull and push
    my $admin = basic('admin');
    for my $repo ('t121/priv', 't121/pub') {
        my $r = SwrTest::http('POST', "/v2/$repo/blobs/uploads/?digest="
                              . SwrTest::sha256("blob of $repo"),
                              body => "blob of $repo", headers => [$admin]);
        die "setup: push to $repo -> $r->{status}\n" unless $r->{status} == 201;
    }
}

# "METHOD path" with the token -> "<status>[ insufficient_scope]"
sub try_token {
    my ($token, $method, $repo) = @_;
    $repo //= 't121/priv';

    my $path = $method eq 'POST' ? "/v2/$repo/blobs/uploads/"
             : $method eq 'DELETE' ? "/v2/$repo/blobs/"
                                     . SwrTest::sha256('nothing here')
             : "/v2/$repo/blobs/" . SwrTest::sha256("blob of $repo");

    my $r = SwrTest::http($method, $path,
                          headers => [SwrAuth::bearer($token)]);

    my $www = $r->{headers}{'www-authenticate'} // '';
    return $r->{status} . ($www =~ /error="insufficient_scope"/
                           ? ' insufficient_scope' : '');
}

sub report {
    my ($name, $code) = @_;
    my @out;
    eval { $code->(\@out); 1 } or push @out, "died: $@";
    SwrAuth::report($name, join '', map { "$_\n" } @out);
}


# ---- TEST 1 ---------------------------------------------------------------------

sub grants_report {
    report('grants', sub {
        my ($out) = @_;
        setup();

        for my $p (map { $_->[0] } @USERS) {
            my $t = SwrAuth::token(basic($p),
                                   'repository:t121/priv:pull,push,delete');
            push @$out, "$p asks pull,push,delete: $t->{status} "
                        . SwrAuth::access_text($t->{claims});
            $t = SwrAuth::token(basic($p), 'repository:t121/priv:*');
            push @$out, "$p asks *: $t->{status} "
                        . SwrAuth::access_text($t->{claims});
        }

        my $t = SwrAuth::token(basic('r7'), 'repository:t121/priv:push');
        push @$out, "r7 asks push only: "
                    . SwrAuth::access_text($t->{claims});

        # one answer looked at closely
        my $now = time;
        $t = SwrAuth::token(basic('r3'), 'repository:t121/priv:pull,push');
        my ($j, $c) = ($t->{json}, $t->{claims});
        my ($h64) = split /\./, $j->{token};

        push @$out, 'answer keys: ' . join(',', sort keys %$j);
        push @$out, 'access_token is the token: '
                    . ($j->{access_token} eq $j->{token} ? 'yes' : 'no');
        push @$out, "expires_in: $j->{expires_in}";
        push @$out, 'issued_at now: '
                    . (($j->{issued_at} =~ /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)Z$/
                        && abs(timegm($6, $5, $4, $3, $2 - 1, $1) - $now) <= 5)
                       ? 'yes' : "no ($j->{issued_at})");
        push @$out, 'header: ' . (SwrAuth::unb64url($h64)
                                  eq SwrAuth::header_text('token')
                                  ? 'typ JWT, alg ES256, kid of swr_token_key'
                                  : SwrAuth::unb64url($h64));
        push @$out, "iss $c->{iss}, aud $c->{aud}, sub $c->{sub}";
        push @$out, 'exp - iat: ' . ($c->{exp} - $c->{iat});
        push @$out, 'iat now: ' . (abs($c->{iat} - $now) <= 5 ? 'yes' : 'no');
        push @$out, 'nbf <= iat: ' . ($c->{nbf} <= $c->{iat} ? 'yes' : 'no');
        push @$out, 'jti: ' . ($c->{jti} =~ /^[0-9a-f]{32}$/ ? '32 hex' : $c->{jti});
        push @$out, 'access: ' . SwrAuth::json($c->{access});
        push @$out, 'signature checked by openssl with swr_token_key: '
                    . (SwrAuth::verify('token', $j->{token}) ? 'good' : 'bad');
        push @$out, 'signature checked with another key: '
                    . (SwrAuth::verify('other', $j->{token}) ? 'good' : 'bad');
        my $t2 = SwrAuth::token(basic('r3'), 'repository:t121/priv:pull,push');
        push @$out, 'two tokens differ (jti): '
                    . ($t2->{claims}{jti} ne $c->{jti} ? 'yes' : 'no');

        # the helper that wrote this block's SKs, against the schema's
        # test vector (docs/redis-schema.md, "Secret keys at rest")
        push @$out, 'SwrAuth encrypts as the schema says: '
            . (SwrAuth::encrypt_sk('SKTEST',
                                   join('', map { sprintf '%02x', $_ } 0 .. 31),
                                   '00112233445566778899aabbccddeeff')
               eq 'v1:00112233445566778899aabbccddeeff:8bdeb266efa4:'
                  . '11a6033452bd74fbd6e48a63a36027beea2efdbed7f3e21cf34d121e82e0a4f5'
               ? 'yes' : 'no');

        # what each level's token does
        for my $p (qw(r1 r3 r7)) {
            my $tok = SwrAuth::token(basic($p),
                'repository:t121/priv:pull,push,delete')->{json}{token};
            push @$out, "$p token: GET " . try_token($tok, 'GET')
                        . ', POST ' . try_token($tok, 'POST')
                        . ', DELETE ' . try_token($tok, 'DELETE');
        }
    });
}

sub timegm {
    require Time::Local;
    return Time::Local::timegm(@_);
}


# ---- TEST 2 ---------------------------------------------------------------------

sub anonymous_report {
    report('anonymous', sub {
        my ($out) = @_;
        setup();

        my $t = SwrAuth::token(undef, 'repository:t121/pub:pull,push');
        push @$out, "public, pull,push asked: $t->{status} "
                    . SwrAuth::access_text($t->{claims})
                    . " (sub \"$t->{claims}{sub}\")";
        push @$out, 'it pulls from t121/pub: '
                    . try_token($t->{json}{token}, 'GET', 't121/pub');
        push @$out, 'it pushes to t121/pub: '
                    . try_token($t->{json}{token}, 'POST', 't121/pub');
        push @$out, 'it pulls from t121/priv: '
                    . try_token($t->{json}{token}, 'GET', 't121/priv');

        $t = SwrAuth::token(undef, 'repository:t121/priv:pull');
        push @$out, "private, pull asked: $t->{status} "
                    . SwrAuth::access_text($t->{claims});
        push @$out, 'it pulls from t121/priv: '
                    . try_token($t->{json}{token}, 'GET', 't121/priv');

        $t = SwrAuth::token(undef);
        push @$out, "no scope: $t->{status} "
                    . (SwrAuth::access_text($t->{claims}) || '(nothing)');
    });
}


# ---- TEST 3 ---------------------------------------------------------------------

sub scopes_report {
    report('scopes', sub {
        my ($out) = @_;
        setup();

        my @cases = (
            [ 'two parameters',
              'service=swr&scope=repository:t121/priv:pull,push'
              . '&scope=repository:t121/pub:pull' ],
            [ 'space-separated (%20)',
              'service=swr&scope=repository:t121/priv:pull%20'
              . 'repository:t121o/x:pull%20repository:t121/pub:pull,push' ],
            [ 'percent-encoded like Go\'s url.Values',
              'service=swr&scope=repository%3At121%2Fpriv%3Apull%2Cpush' ],
            [ 'no service parameter', 'scope=repository:t121/priv:pull' ],
            [ 'with the parameters docker adds',
              'account=cn-north-4%40AKR3&client_id=docker&offline_token=true'
              . '&service=swr&scope=repository%3At121%2Fpriv%3Apull' ],
            [ 'registry:catalog:* and an empty action list',
              'service=swr&scope=registry:catalog:*'
              . '&scope=repository:t121/priv:&scope=repository:t121/pub:pull' ],
            [ 'the same repository twice',
              'service=swr&scope=repository:t121/priv:pull'
              . '&scope=repository:t121/priv:push' ],
            [ 'unknown actions', 'service=swr&scope=repository:t121/priv:'
              . 'pull,fly,admin' ],
        );

        for (@cases) {
            my $t = SwrAuth::token(basic('r3'), { query => $_->[1] });
            push @$out, "$_->[0]: $t->{status} "
                        . ($t->{status} == 200
                           ? SwrAuth::access_text($t->{claims}) : $t->{body});
        }

        # a token of two scopes opens both repositories
        my $t = SwrAuth::token(basic('r3'),
                               'repository:t121/priv:pull',
                               'repository:t121/pub:pull');
        push @$out, 'two-scope token: t121/priv GET '
                    . try_token($t->{json}{token}, 'GET', 't121/priv')
                    . ', t121/pub GET '
                    . try_token($t->{json}{token}, 'GET', 't121/pub');
    });
}


# ---- TEST 4 ---------------------------------------------------------------------

sub refusals_report {
    report('refusals', sub {
        my ($out) = @_;
        setup();

        my $b64 = sub { 'Authorization: Basic '
                        . MIME::Base64::encode_base64($_[0], '') };
        my $scope = 'scope=repository:t121/priv:pull';

        my @cases = (
            [ 'good (control)', basic('r1'), "service=swr&$scope" ],
            [ 'wrong service', basic('r1'), "service=registry&$scope" ],
            [ 'wrong service, anonymous', undef, "service=other&$scope" ],
            [ 'wrong password', SwrAuth::basic(ak_of('r1'), 'not the SK'),
              "service=swr&$scope" ],
            [ 'the SK as password', $b64->('cn-north-4@' . ak_of('r1') . ':'
                                           . sk_of('r1')),
              "service=swr&$scope" ],
            [ 'unknown AK', SwrAuth::basic('AKNOBODY', 'x'),
              "service=swr&$scope" ],
            [ 'disabled key', SwrAuth::basic('AKOFF', 'SKOFF'),
              "service=swr&$scope" ],
            [ 'expired AK', SwrAuth::basic('AKOLD', 'SKOLD'),
              "service=swr&$scope" ],
            [ 'disabled user', SwrAuth::basic('AKGONE', 'SKGONE'),
              "service=swr&$scope" ],
            [ 'another region', SwrAuth::basic(ak_of('r1'), sk_of('r1'),
                                               'eu-west-0'),
              "service=swr&$scope" ],
            [ 'a bad repository name', basic('r1'),
              'service=swr&scope=repository:T121/Priv:pull' ],
            [ 'a scope without actions', basic('r1'),
              'service=swr&scope=repository:t121/priv' ],
        );

        for (@cases) {
            my ($case, $auth, $query) = @$_;
            my $t = SwrAuth::token($auth, { query => $query });
            my ($code) = $t->{body} =~ /"code":"(\w+)"/;
            push @$out, "$case: $t->{status}"
                        . ($code ? " $code" : '')
                        . ($t->{status} == 401
                           ? ' (' . ($t->{www} // 'no challenge') . ')' : '');
        }

        my $r = SwrTest::http('POST', "/_swr/token?service=swr&$scope",
                              headers => [basic('r1')], body => '');
        push @$out, "POST: $r->{status}";
    });
}


# ---- TEST 5 ---------------------------------------------------------------------

sub forgeries_report {
    report('forgeries', sub {
        my ($out) = @_;
        setup();

        my $now = time;
        my $genuine = SwrAuth::token(basic('r1'),
                                     'repository:t121/priv:pull')->{json}{token};
        my $genuine3 = SwrAuth::token(basic('r3'),
                              'repository:t121/priv:pull,push')->{json}{token};
        my ($h, $c, $s) = split /\./, $genuine;
        my (undef, $c3, $s3) = split /\./, $genuine3;
        my $claims = SwrAuth::decode_claims($c);
        my $pull = [[ 't121/priv', 'pull' ]];
        my $push = [[ 't121/priv', 'pull', 'push' ]];

        my %escalated = %$claims;
        $escalated{access} = [{ type => 'repository', name => 't121/priv',
                                actions => [qw(pull push delete)] }];
        my $escalated = "$h." . SwrAuth::b64url(SwrAuth::json(\%escalated))
                        . ".$s";

        my $none = SwrAuth::b64url('{"alg":"none","typ":"JWT"}') . ".$c.";
        my $none_kid = SwrAuth::b64url('{"typ":"JWT","alg":"none","kid":"'
                                       . SwrAuth::kid('token') . '"}')
                       . ".$c.";

        my $hs_header = SwrAuth::b64url('{"typ":"JWT","alg":"HS256","kid":"'
                                        . SwrAuth::kid('token') . '"}');
        my $hs = "$hs_header.$c." . SwrAuth::b64url(Digest::SHA::hmac_sha256(
                     "$hs_header.$c",
                     SwrAuth::read_file(SwrAuth::key_file('token.pub.pem'))));

        my @cases = (
            [ 'the genuine token (control)', $genuine, 'GET' ],
            [ 'forged here with swr_token_key, right claims (control)',
              SwrAuth::forge(claims => SwrAuth::claims('u-r1', $pull)),
              'GET' ],
            [ 'forged here with swr_token_key, push (control)',
              SwrAuth::forge(claims => SwrAuth::claims('u-r1', $push)),
              'POST' ],
            [ 'nbf 30 s ahead, within the clock skew allowed (control)',
              SwrAuth::forge(claims => SwrAuth::claims('u-r1', $pull,
                                                       nbf => $now + 30)),
              'GET' ],
            [ 'signed by another key, our header',
              SwrAuth::forge(key => 'other', header => SwrAuth::header_text('token'),
                             claims => SwrAuth::claims('u-r1', $pull)),
              'GET' ],
            [ 'signed by another key, its own header',
              SwrAuth::forge(key => 'other',
                             claims => SwrAuth::claims('u-r1', $pull)),
              'GET' ],
            [ 'alg none, empty signature', $none, 'GET' ],
            [ 'alg none with our kid, empty signature', $none_kid, 'GET' ],
            [ 'alg none, the genuine signature kept',
              SwrAuth::b64url('{"alg":"none","typ":"JWT"}') . ".$c.$s", 'GET' ],
            [ 'HS256 keyed with the public key', $hs, 'GET' ],
            [ 'claims escalated, signature kept (push)', $escalated, 'POST' ],
            [ 'claims escalated, signature kept (pull)', $escalated, 'GET' ],
            [ 'claims of a push token, signature of a pull token',
              "$h.$c3.$s", 'POST' ],
            [ 'signature of a push token, claims of a pull token',
              "$h.$c.$s3", 'GET' ],
            [ 'signature truncated', "$h.$c." . substr($s, 0, 80), 'GET' ],
            [ 'signature as DER, not r || s',
              "$h.$c." . SwrAuth::b64url(SwrAuth::raw_to_der(
                                             SwrAuth::unb64url($s))), 'GET' ],
            [ 'no signature part', "$h.$c", 'GET' ],
            [ 'wrong audience',
              SwrAuth::forge(claims => SwrAuth::claims('u-r1', $pull,
                                                       aud => 'registry')),
              'GET' ],
            [ 'wrong issuer',
              SwrAuth::forge(claims => SwrAuth::claims('u-r1', $pull,
                                                       iss => 'evil')),
              'GET' ],
            [ 'no issuer',
              SwrAuth::forge(claims => SwrAuth::claims('u-r1', $pull,
                                                       iss => undef)),
              'GET' ],
            [ 'expired a second ago',
              SwrAuth::forge(claims => SwrAuth::claims('u-r1', $pull,
                                                       exp => $now - 1)),
              'GET' ],
            [ 'no exp',
              SwrAuth::forge(claims => SwrAuth::claims('u-r1', $pull,
                                                       exp => undef)),
              'GET' ],
            [ 'nbf an hour ahead',
              SwrAuth::forge(claims => SwrAuth::claims('u-r1', $pull,
                                                       nbf => $now + 3600)),
              'GET' ],
            [ 'access for another repository',
              SwrAuth::forge(claims => SwrAuth::claims('u-r1',
                                                       [[ 't121/pri', 'pull' ]])),
              'GET' ],
            [ 'access of type registry',
              SwrAuth::forge(claims => SwrAuth::claims('u-r1', [],
                  access => [{ type => 'registry', name => 't121/priv',
                               actions => ['pull'] }])),
              'GET' ],
            [ 'pull asked, push tried',
              SwrAuth::forge(claims => SwrAuth::claims('u-r1', $pull)),
              'POST' ],
        );

        for (@cases) {
            my ($case, $token, $method) = @$_;
            push @$out, "$case: $method " . try_token($token, $method);
        }
    });
}


# ---- TEST 6 ---------------------------------------------------------------------

sub ttl_report {
    report('ttl', sub {
        my ($out) = @_;
        setup();

        # exp is whole seconds: a 1 s token issued late in a second lives
        # less than a second, so start it just after a second begins
        my $now = Time::HiRes::time();
        Time::HiRes::sleep(int($now) + 1.02 - $now);

        my $t = SwrAuth::token(basic('r1'), 'repository:t121/priv:pull');
        push @$out, "expires_in: $t->{json}{expires_in}";
        push @$out, 'exp - iat: ' . ($t->{claims}{exp} - $t->{claims}{iat});
        push @$out, 'at once: GET ' . try_token($t->{json}{token}, 'GET');
        Time::HiRes::sleep(2.2);
        push @$out, 'after 2.2 s: GET ' . try_token($t->{json}{token}, 'GET');

        $t = SwrAuth::token(basic('r1'), 'repository:t121/priv:pull');
        push @$out, 'a new one: GET ' . try_token($t->{json}{token}, 'GET');
    });
}

run_tests();

__DATA__

=== TEST 1: a token grants what was asked and the level allows; its answer, header, claims and signature
--- init
main::grants_report();
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
--- request
GET /grants.txt
--- response_body
none asks pull,push,delete: 200 t121/priv:
none asks *: 200 t121/priv:
r1 asks pull,push,delete: 200 t121/priv:pull
r1 asks *: 200 t121/priv:pull
r3 asks pull,push,delete: 200 t121/priv:pull,push
r3 asks *: 200 t121/priv:pull,push
r7 asks pull,push,delete: 200 t121/priv:pull,push,delete
r7 asks *: 200 t121/priv:pull,push,delete
ns3 asks pull,push,delete: 200 t121/priv:pull,push
ns3 asks *: 200 t121/priv:pull,push
admin asks pull,push,delete: 200 t121/priv:pull,push,delete
admin asks *: 200 t121/priv:pull,push,delete
other asks pull,push,delete: 200 t121/priv:
other asks *: 200 t121/priv:
r7 asks push only: t121/priv:push
answer keys: access_token,expires_in,issued_at,token
access_token is the token: yes
expires_in: 300
issued_at now: yes
header: typ JWT, alg ES256, kid of swr_token_key
iss swr, aud swr, sub u-r3
exp - iat: 300
iat now: yes
nbf <= iat: yes
jti: 32 hex
access: [{"actions":["pull","push"],"name":"t121/priv","type":"repository"}]
signature checked by openssl with swr_token_key: good
signature checked with another key: bad
two tokens differ (jti): yes
SwrAuth encrypts as the schema says: yes
r1 token: GET 200, POST 401 insufficient_scope, DELETE 401 insufficient_scope
r3 token: GET 200, POST 202, DELETE 401 insufficient_scope
r7 token: GET 200, POST 202, DELETE 404
--- no_error_log
[error]



=== TEST 2: anonymous tokens: pull on public repositories, nothing on private ones
--- init
main::anonymous_report();
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
--- request
GET /anonymous.txt
--- response_body
public, pull,push asked: 200 t121/pub:pull (sub "")
it pulls from t121/pub: 200
it pushes to t121/pub: 401 insufficient_scope
it pulls from t121/priv: 401 insufficient_scope
private, pull asked: 200 t121/priv:
it pulls from t121/priv: 401 insufficient_scope
no scope: 200 (nothing)
--- no_error_log
[error]



=== TEST 3: several scopes: in several parameters, space-separated in one, percent-encoded
--- init
main::scopes_report();
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
--- request
GET /scopes.txt
--- response_body
two parameters: 200 t121/priv:pull,push t121/pub:pull
space-separated (%20): 200 t121/priv:pull t121o/x: t121/pub:pull
percent-encoded like Go's url.Values: 200 t121/priv:pull,push
no service parameter: 200 t121/priv:pull
with the parameters docker adds: 200 t121/priv:pull
registry:catalog:* and an empty action list: 200 t121/priv: t121/pub:pull
the same repository twice: 200 t121/priv:pull t121/priv:push
unknown actions: 200 t121/priv:pull
two-scope token: t121/priv GET 200, t121/pub GET 200
--- no_error_log
[error]



=== TEST 4: the endpoint refuses a wrong service (400) and credentials that are wrong, unknown, disabled or expired (401)
--- init
main::refusals_report();
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
--- request
GET /refusals.txt
--- response_body
good (control): 200
wrong service: 400 UNKNOWN
wrong service, anonymous: 400 UNKNOWN
wrong password: 401 UNAUTHORIZED (Basic realm="swr")
the SK as password: 401 UNAUTHORIZED (Basic realm="swr")
unknown AK: 401 UNAUTHORIZED (Basic realm="swr")
disabled key: 401 UNAUTHORIZED (Basic realm="swr")
expired AK: 401 UNAUTHORIZED (Basic realm="swr")
disabled user: 401 UNAUTHORIZED (Basic realm="swr")
another region: 401 UNAUTHORIZED (Basic realm="swr")
a bad repository name: 400 UNKNOWN
a scope without actions: 400 UNKNOWN
POST: 405
--- no_error_log
[error]



=== TEST 5: forged and altered tokens are refused with 401; correctly signed ones with the right claims pass
--- init
main::forgeries_report();
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
--- request
GET /forgeries.txt
--- response_body
the genuine token (control): GET 200
forged here with swr_token_key, right claims (control): GET 200
forged here with swr_token_key, push (control): POST 202
nbf 30 s ahead, within the clock skew allowed (control): GET 200
signed by another key, our header: GET 401
signed by another key, its own header: GET 401
alg none, empty signature: GET 401
alg none with our kid, empty signature: GET 401
alg none, the genuine signature kept: GET 401
HS256 keyed with the public key: GET 401
claims escalated, signature kept (push): POST 401
claims escalated, signature kept (pull): GET 401
claims of a push token, signature of a pull token: POST 401
signature of a push token, claims of a pull token: GET 401
signature truncated: GET 401
signature as DER, not r || s: GET 401
no signature part: GET 401
wrong audience: GET 401
wrong issuer: GET 401
no issuer: GET 401
expired a second ago: GET 401
no exp: GET 401
nbf an hour ahead: GET 401
access for another repository: GET 401 insufficient_scope
access of type registry: GET 401 insufficient_scope
pull asked, push tried: POST 401 insufficient_scope
--- no_error_log
[error]



=== TEST 6: a token is refused once swr_token_ttl has passed
--- init
main::ttl_report();
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_secret_key_file $TEST_NGINX_SWR_KEYS/secret.hex;
    swr_token_key $TEST_NGINX_SWR_KEYS/token.pem;
    swr_region cn-north-4;
    swr_token_ttl 1s;
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
GET /ttl.txt
--- response_body
expires_in: 1
exp - iat: 1
at once: GET 200
after 2.2 s: GET 401
a new one: GET 200
--- no_error_log
[error]



=== TEST 7: a malformed scope is answered once (400), and the connection lives on
# ngx_http_swr_token_scopes() answers a scope it cannot parse with
# "return ngx_http_swr_send_error(...)", whose value is that of sending
# the 400 (NGX_OK); ngx_http_swr_token_handler() takes NGX_OK for "parsed"
# and goes on: it asks Redis, then tries to send a token as a second
# answer ("[alert] header already sent") and the request ends in an
# error that closes the connection, although the 400 said keep-alive: the
# next request on it gets no answer.  (TEST 4 checks the 400 itself.)
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_secret_key_file $TEST_NGINX_SWR_KEYS/secret.hex;
    swr_token_key $TEST_NGINX_SWR_KEYS/token.pem;
    swr_region cn-north-4;
--- config
    location = /_swr/token {
        swr_token;
    }
--- pipelined_requests eval
["GET /_swr/token?service=swr&scope=repository:Not/A/Name:pull",
 "GET /_swr/token?service=swr&scope=repository:t121/pub:pull"]
--- error_code eval
[400, 200]
--- response_body_like eval
[qr/"code":"UNKNOWN"/, qr/"token":"/]
--- no_error_log
[alert]
[error]
