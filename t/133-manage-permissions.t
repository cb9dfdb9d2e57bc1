# vim:set ft= ts=4 sw=4 et fdm=marker:
# Organization permissions (swr-api.md 4.6: CreateNamespaceAuth,
# ShowNamespaceAuth, UpdateNamespaceAuth, DeleteNamespaceAuth on
# /v2/manage/namespaces/{namespace}/access) and repository permissions
# (4.7: CreateUserRepositoryAuth, ShowUserRepositoryAuth,
# UpdateUserRepositoryAuth, DeleteUserRepositoryAuth on
# .../repos/{repository}/access), after the rules of swr-api.md 1.8 and
# docs/authorization.md: an organization's grants are changed by a holder
# of 7 on it (an account's administrator has 7); a repository's by a
# holder of 3 on its organization or 7 on the repository; nobody grants
# above his own level, nor touches a grant above it, nor changes his own
# grant; grants go to users of the account that owns the organization
# only.  Every documented error (1.5.2), malformed bodies, and that a
# grant takes effect on the registry at once (a push and a pull with
# Basic credentials before and after; swr_auth_cache 0).
#
# Requests made here authenticate with X-Auth-Token (the tokens below),
# registry requests with Basic (SWR's login key); Huawei's SWR SDK for
# Node (t/lib/swr-sdk-call.js, AK/SK signatures) drives each operation
# once more from --- init, and the block compares what the SDK parsed out
# of each answer.
#
# Every block's --- init writes Redis afresh (FLUSHALL first):
#
#   account acct-a: alice (administrator), seven, three, one (grants 7,
#                   3, 1 on ns1), rseven, rthree (grants 7, 3 on the
#                   repository ns1/app only), none and two (no grants)
#   account acct-b: bob (administrator), bea
#   ns1 (acct-a, by alice, id 11: alice holds 7 as its creator), ns2
#   (acct-a, no creator, no grants, id 12), nsb (acct-b, by bob, id 21)
#   repositories ns1/app (id 31, the image ns1/app:latest), ns1/team/web
#   (id 32), ns2/app (id 33), nsb/app (id 41)

use Test::Nginx::Socket;
use SwrTest;
use SwrAuth;
use SwrSdk;

use File::Basename ();
use File::Spec ();
use IPC::Open3 ();
use JSON::PP ();

$ENV{TEST_NGINX_REDIS_PORT} ||= 6379;

SwrAuth::key_dir();

our $PROJECT = '0123456789abcdef0123456789abcdef';

# user id => [name, account, admin, AK]
our %USER = (
    'u-alice'  => [ 'alice',  'acct-a', 1, 'AKALICE00000000001' ],
    'u-seven'  => [ 'seven',  'acct-a', 0, 'AKSEVEN00000000001' ],
    'u-three'  => [ 'three',  'acct-a', 0, 'AKTHREE00000000001' ],
    'u-one'    => [ 'one',    'acct-a', 0, 'AKONE0000000000001' ],
    'u-rseven' => [ 'rseven', 'acct-a', 0, 'AKRSEVEN0000000001' ],
    'u-rthree' => [ 'rthree', 'acct-a', 0, 'AKRTHREE0000000001' ],
    'u-none'   => [ 'none',   'acct-a', 0, 'AKNONE000000000001' ],
    'u-two'    => [ 'two',    'acct-a', 0, 'AKTWO0000000000001' ],
    'u-bob'    => [ 'bob',    'acct-b', 1, 'AKBOB0000000000001' ],
    'u-bea'    => [ 'bea',    'acct-b', 0, 'AKBEA0000000000001' ],
);

sub sk_of { return "SK/$_[0]/secret+key" }
sub ak_of { return $USER{"u-$_[0]"}[3] }

# the image every block finds in ns1/app
our $MANIFEST = SwrTest::manifest('config of ns1/app', ['layer of ns1/app']);
our $MDIGEST = SwrTest::sha256($MANIFEST);

sub seed {
    SwrTest::command('FLUSHALL');

    for my $uid (sort keys %USER) {
        my ($name, $account, $admin, $ak) = @{ $USER{$uid} };
        SwrAuth::identity(user => $uid, name => $name, account => $account,
                          admin => $admin, ak => $ak, sk => sk_of($name));
        SwrTest::command('HSET', "swr:token:{tok-$name}", user => $uid,
                         expires => 0);
    }

    my @ns = (
        [ 'ns1', 'acct-a', 'u-alice', 11 ],
        [ 'ns2', 'acct-a', undef,     12 ],
        [ 'nsb', 'acct-b', 'u-bob',   21 ],
    );

    for (@ns) {
        my ($ns, $account, $creator, $id) = @$_;
        SwrTest::command('HSET', "swr:ns:{$ns}", account => $account,
                         created => 1700000000, id => $id,
                         defined $creator ? (creator => $creator) : ());
        SwrAuth::ns_grant($ns, $creator, 7) if defined $creator;
        SwrTest::command('ZADD', 'swr:namespaces', 0, $ns);
    }

    SwrAuth::ns_grant('ns1', 'u-seven', 7);
    SwrAuth::ns_grant('ns1', 'u-three', 3);
    SwrAuth::ns_grant('ns1', 'u-one', 1);

    for ([ 'ns1/app', 31 ], [ 'ns1/team/web', 32 ], [ 'ns2/app', 33 ],
         [ 'nsb/app', 41 ])
    {
        my ($repo, $id) = @$_;
        SwrTest::command('HSET', "swr:{r:$repo}:meta", id => $id,
                         public => 0, category => 'other',
                         created => 1700000000, updated => 1700000000);
        SwrTest::command('ZADD', 'swr:repos', 0, $repo);
    }

    SwrTest::command('HSET', 'swr:{r:ns1/app}:tags', 'latest', $MDIGEST);
    SwrTest::command('HSET', 'swr:{r:ns1/app}:manifests', $MDIGEST,
                     length($MANIFEST) . ' '
                     . 'application/vnd.oci.image.manifest.v1+json');
    SwrTest::command('HSET', 'swr:{r:ns1/app}:bodies', $MDIGEST, $MANIFEST);

    SwrAuth::repo_grant('ns1/app', 'u-rseven', 7);
    SwrAuth::repo_grant('ns1/app', 'u-rthree', 3);

    SwrTest::command('SET', 'swr:ns:seq', 100);
    SwrTest::command('SET', 'swr:repo:seq', 100);

    return 1;
}

# [request, more_headers] as $who (a user name; undef: no credentials)
sub req {
    my ($who, $method, $uri, $body) = @_;

    my $req = "$method $uri"
              . (defined $body && length $body ? "\n$body" : '');
    my $h = "Content-Type: application/json\n"
            . (defined $who ? "X-Auth-Token: tok-$who\n" : '');

    return [ $req, $h ];
}

# a registry request with $who's Basic credentials (docker login)
sub reg {
    my ($who, $method, $uri, $body) = @_;

    my $req = "$method $uri"
              . (defined $body && length $body ? "\n$body" : '');

    return [ $req, SwrAuth::basic(ak_of($who), sk_of($who)) . "\n" ];
}

# what a block expects of an answer
sub err {
    my ($code) = @_;
    (my $q = $code) =~ s/\./\\./g;
    return qr/^\{"errors":\[\{"errorCode":"$q","errorMessage":"[^"]+","detail":"[^"]*"\}\],"error_code":"$q","error_msg":"[^"]+","details":\[\{"error_code":"$q","error_msg":"[^"]*"\}\]\}$/;
}

sub exact { my $s = quotemeta $_[0]; return qr/^$s$/ }

our $EMPTY = qr/^$/;

# the registry's refusal of a known identity
our $DENIED = qr/^\{"errors":\[\{"code":"DENIED",/;

# a UserAuth as answered, and as sent
sub ua { my ($id, $name, $auth) = @_;
         return qq{{"auth":$auth,"user_id":"u-$id","user_name":"$name"}} }

sub grant { my ($who, $auth) = @_;
            return qq{{"user_id":"u-$who","user_name":"$who","auth":$auth}} }

sub grants { return '[' . join(',', map { grant(@$_) } @_) . ']' }

sub ids { return '[' . join(',', map { qq{"u-$_"} } @_) . ']' }

# ShowNamespaceAuth's answer: id, name, creator, [self], [others...]
sub nsauth {
    my ($id, $name, $creator, $self, @others) = @_;
    return exact(qq[{"creator_name":"$creator","id":$id,"name":"$name",]
                 . '"others_auths":[' . join(',', map { ua(@$_) } @others)
                 . '],"self_auth":' . ua(@$self) . '}');
}

# ShowUserRepositoryAuth's answer: id, name, [self], [others...]
sub repoauth {
    my ($id, $name, $self, @others) = @_;
    return exact(qq[{"id":$id,"name":"$name",]
                 . '"others_auths":[' . join(',', map { ua(@$_) } @others)
                 . '],"self_auth":' . ua(@$self) . '}');
}

# the cases of a block: [[who, method, uri, body], status, body regex]
sub case { my ($r, $status, $like) = @_; return [ req(@$r), $status, $like ] }

# the same for a registry request
sub rcase { my ($r, $status, $like) = @_; return [ reg(@$r), $status, $like ] }

our $NS1 = '/v2/manage/namespaces/ns1/access';
our $APP = '/v2/manage/namespaces/ns1/repos/app/access';

# the grants of ns1 as seeded, seen by alice
our @NS1_OTHERS = ([ 'one', 'one', 1 ], [ 'seven', 'seven', 7 ],
                   [ 'three', 'three', 3 ]);

# ---- TEST 1: ShowNamespaceAuth --------------------------------------------

our @NS_SHOW = (
    case([ 'alice', 'GET', $NS1 ], 200,
         nsauth(11, 'ns1', 'alice', [ 'alice', 'alice', 7 ], @NS1_OTHERS)),
    case([ 'seven', 'GET', $NS1 ], 200,
         nsauth(11, 'ns1', 'alice', [ 'seven', 'seven', 7 ],
                [ 'alice', 'alice', 7 ], [ 'one', 'one', 1 ],
                [ 'three', 'three', 3 ])),
    case([ 'three', 'GET', $NS1 ], 200,
         nsauth(11, 'ns1', 'alice', [ 'three', 'three', 3 ],
                [ 'alice', 'alice', 7 ], [ 'one', 'one', 1 ],
                [ 'seven', 'seven', 7 ])),
    case([ 'one', 'GET', $NS1 ], 200,
         nsauth(11, 'ns1', 'alice', [ 'one', 'one', 1 ],
                [ 'alice', 'alice', 7 ], [ 'seven', 'seven', 7 ],
                [ 'three', 'three', 3 ])),
    # the administrator without a grant of his own; no grants at all
    case([ 'alice', 'GET', '/v2/manage/namespaces/ns2/access' ], 200,
         nsauth(12, 'ns2', '', [ 'alice', 'alice', 7 ])),
    case([ 'bob', 'GET', '/v2/manage/namespaces/nsb/access' ], 200,
         nsauth(21, 'nsb', 'bob', [ 'bob', 'bob', 7 ])),
    # who reads nothing in it: as absent (a repository grant is not enough)
    case([ 'none', 'GET', $NS1 ], 404, err('SVCSTG.SWR.4040058')),
    case([ 'rseven', 'GET', $NS1 ], 404, err('SVCSTG.SWR.4040058')),
    case([ 'bob', 'GET', $NS1 ], 404, err('SVCSTG.SWR.4040058')),
    case([ 'seven', 'GET', '/v2/manage/namespaces/ns2/access' ], 404, err('SVCSTG.SWR.4040058')),
    case([ 'alice', 'GET', '/v2/manage/namespaces/nsb/access' ], 404, err('SVCSTG.SWR.4040058')),
    case([ 'alice', 'GET', '/v2/manage/namespaces/nothing/access' ], 404, err('SVCSTG.SWR.4040058')),
    case([ undef, 'GET', $NS1 ], 401, err('SVCSTG.S2I.4019000')),
    # other methods and paths
    case([ 'alice', 'PUT', $NS1, grants([ 'none', 1 ]) ], 404, err('SVCSTG.SWR.4040083')),
    case([ 'alice', 'GET', "$NS1/u-one" ], 404, err('SVCSTG.SWR.4040083')),
);

# ---- TEST 2: CreateNamespaceAuth, who may and what ------------------------

our @NS_CREATE = (
    # 7 needed: 403 with 3 or 1, 404 without a level, 401 without anyone
    case([ 'three', 'POST', $NS1, grants([ 'none', 1 ]) ], 403, err('SVCSTG.SWR.4030170')),
    case([ 'one', 'POST', $NS1, grants([ 'none', 1 ]) ], 403, err('SVCSTG.SWR.4030170')),
    case([ 'rseven', 'POST', $NS1, grants([ 'none', 1 ]) ], 404, err('SVCSTG.SWR.4040058')),
    case([ 'none', 'POST', $NS1, grants([ 'two', 1 ]) ], 404, err('SVCSTG.SWR.4040058')),
    case([ 'bob', 'POST', $NS1, grants([ 'none', 1 ]) ], 404, err('SVCSTG.SWR.4040058')),
    case([ undef, 'POST', $NS1, grants([ 'none', 1 ]) ], 401, err('SVCSTG.S2I.4019000')),
    case([ 'alice', 'POST', '/v2/manage/namespaces/nothing/access', grants([ 'none', 1 ]) ],
         404, err('SVCSTG.SWR.4040058')),
    case([ 'alice', 'GET', $NS1 ], 200,
         nsauth(11, 'ns1', 'alice', [ 'alice', 'alice', 7 ], @NS1_OTHERS)),
    # the administrator: 200 (not 201)
    case([ 'alice', 'POST', $NS1, grants([ 'none', 1 ]) ], 200, $EMPTY),
    # a holder of 7, up to 7; several at once
    case([ 'seven', 'POST', $NS1, grants([ 'two', 7 ], [ 'rthree', 3 ]) ], 200, $EMPTY),
    # the administrator on an organization without grants
    case([ 'alice', 'POST', '/v2/manage/namespaces/ns2/access', grants([ 'one', 3 ]) ], 200, $EMPTY),
    case([ 'alice', 'GET', $NS1 ], 200,
         nsauth(11, 'ns1', 'alice', [ 'alice', 'alice', 7 ],
                [ 'none', 'none', 1 ], [ 'one', 'one', 1 ],
                [ 'rthree', 'rthree', 3 ], [ 'seven', 'seven', 7 ],
                [ 'three', 'three', 3 ], [ 'two', 'two', 7 ])),
    case([ 'one', 'GET', '/v2/manage/namespaces/ns2/access' ], 200,
         nsauth(12, 'ns2', '', [ 'one', 'one', 3 ])),
    # the new holder of 7 manages it too
    case([ 'two', 'POST', $NS1, grants([ 'rseven', 1 ]) ], 200, $EMPTY),
    # a grant that exists: 409, and nothing of the batch is written
    case([ 'alice', 'POST', $NS1, grants([ 'none', 3 ]) ], 409, err('SVCSTG.SWR.4090076')),
    case([ 'alice', 'POST', $NS1, grants([ 'bea', 1 ]) ], 400, err('SVCSTG.SWR.4001067')),
    case([ 'seven', 'POST', $NS1, grants([ 'rthree', 7 ], [ 'three', 7 ]) ], 409, err('SVCSTG.SWR.4090076')),
    # nobody changes his own grant (the creator's 7, a holder's 7)
    case([ 'alice', 'POST', $NS1, grants([ 'alice', 7 ]) ], 403, err('SVCSTG.SWR.4030170')),
    case([ 'alice', 'POST', '/v2/manage/namespaces/ns2/access', grants([ 'alice', 7 ]) ], 403, err('SVCSTG.SWR.4030170')),
    case([ 'seven', 'POST', $NS1, grants([ 'seven', 7 ]) ], 403, err('SVCSTG.SWR.4030170')),
    case([ 'seven', 'POST', $NS1, grants([ 'bea', 1 ], [ 'seven', 1 ]) ], 400, err('SVCSTG.SWR.4001067')),
    # users of the owning account only (another account's, unknown ones)
    case([ 'alice', 'POST', $NS1, grants([ 'bob', 1 ]) ], 400, err('SVCSTG.SWR.4001067')),
    case([ 'alice', 'POST', $NS1, grants([ 'ghost', 1 ]) ], 400, err('SVCSTG.SWR.4001067')),
    case([ 'alice', 'POST', $NS1, '[{"user_id":"","user_name":"","auth":1}]' ], 400, err('SVCSTG.SWR.4001067')),
    case([ 'bob', 'POST', '/v2/manage/namespaces/nsb/access', grants([ 'one', 1 ]) ], 400, err('SVCSTG.SWR.4001067')),
    case([ 'bob', 'POST', '/v2/manage/namespaces/nsb/access', grants([ 'bea', 3 ]) ], 200, $EMPTY),
    # levels other than 1, 3, 7: 4001065
    (map { case([ 'alice', 'POST', $NS1, qq{[{"user_id":"u-rseven","user_name":"rseven","auth":$_}]} ],
                400, err('SVCSTG.SWR.4001065')) }
         0, 2, 4, 5, 6, 8, 15, -1, -7, 1000, 99999999999),
    case([ 'alice', 'POST', $NS1, grants([ 'rseven', 3 ], [ 'three', 9 ]) ], 400, err('SVCSTG.SWR.4001065')),
    # the same user twice in one body
    case([ 'alice', 'POST', $NS1, grants([ 'rseven', 3 ], [ 'rseven', 1 ]) ], 400, err('SVCSTG.SWR.4000014')),
    # the name sent is not what is recorded: the user's own is
    case([ 'alice', 'POST', '/v2/manage/namespaces/ns2/access',
           '[{"user_id":"u-two","user_name":"someone else","auth":1}]' ], 200, $EMPTY),
    # nothing of the refused ones was written
    case([ 'alice', 'GET', $NS1 ], 200,
         nsauth(11, 'ns1', 'alice', [ 'alice', 'alice', 7 ],
                [ 'none', 'none', 1 ], [ 'one', 'one', 1 ],
                [ 'rseven', 'rseven', 1 ], [ 'rthree', 'rthree', 3 ],
                [ 'seven', 'seven', 7 ], [ 'three', 'three', 3 ],
                [ 'two', 'two', 7 ])),
    case([ 'alice', 'GET', '/v2/manage/namespaces/ns2/access' ], 200,
         nsauth(12, 'ns2', '', [ 'alice', 'alice', 7 ],
                [ 'one', 'one', 3 ], [ 'two', 'two', 1 ])),
    case([ 'bob', 'GET', '/v2/manage/namespaces/nsb/access' ], 200,
         nsauth(21, 'nsb', 'bob', [ 'bob', 'bob', 7 ], [ 'bea', 'bea', 3 ])),
);

# ---- TEST 3: bodies of CreateNamespaceAuth ----------------------------------

# a body of $len bytes: white space inside the array (Test::Nginx may trim
# it at the ends)
sub padded {
    my ($len, $json) = @_;
    $json =~ s/^\[//;
    return '[' . (' ' x ($len - 1 - length $json)) . $json;
}

our @NS_BODIES = (
    # not JSON, not an array, an element not an object, wrong types: 4001018
    [ '', 400, 'SVCSTG.SWR.4001018' ],
    [ 'user_id=u-none', 400, 'SVCSTG.SWR.4001018' ],
    [ '[{"user_id":"u-none","user_name":"none","auth":1}', 400, 'SVCSTG.SWR.4001018' ],
    [ '[{"user_id":"u-none","user_name":"none","auth":1}] x', 400, 'SVCSTG.SWR.4001018' ],
    [ '[{"user_id":"u-none","user_name":"none","auth":1},]', 400, 'SVCSTG.SWR.4001018' ],
    [ q{[{'user_id':'u-none','user_name':'none','auth':1}]}, 400, 'SVCSTG.SWR.4001018' ],
    [ grant('none', 1), 400, 'SVCSTG.SWR.4001018' ],
    [ '{}', 400, 'SVCSTG.SWR.4001018' ],
    [ '{"0":{"user_id":"u-none","user_name":"none","auth":1}}', 400, 'SVCSTG.SWR.4001018' ],
    [ 'null', 400, 'SVCSTG.SWR.4001018' ],
    [ '"u-none"', 400, 'SVCSTG.SWR.4001018' ],
    [ '1', 400, 'SVCSTG.SWR.4001018' ],
    [ '[null]', 400, 'SVCSTG.SWR.4001018' ],
    [ '[1]', 400, 'SVCSTG.SWR.4001018' ],
    [ '["u-none"]', 400, 'SVCSTG.SWR.4001018' ],
    [ '[true]', 400, 'SVCSTG.SWR.4001018' ],
    [ '[' . grant('none', 1) . ',"u-two"]', 400, 'SVCSTG.SWR.4001018' ],
    [ '[{"user_id":"u-none","user_name":"none","auth":"1"}]', 400, 'SVCSTG.SWR.4001018' ],
    [ '[{"user_id":"u-none","user_name":"none","auth":"read"}]', 400, 'SVCSTG.SWR.4001018' ],
    [ '[{"user_id":"u-none","user_name":"none","auth":3.5}]', 400, 'SVCSTG.SWR.4001018' ],
    [ '[{"user_id":"u-none","user_name":"none","auth":0.5}]', 400, 'SVCSTG.SWR.4001018' ],
    [ '[{"user_id":"u-none","user_name":"none","auth":true}]', 400, 'SVCSTG.SWR.4001018' ],
    [ '[{"user_id":"u-none","user_name":"none","auth":null}]', 400, 'SVCSTG.SWR.4001018' ],
    [ '[{"user_id":"u-none","user_name":"none","auth":[1]}]', 400, 'SVCSTG.SWR.4001018' ],
    [ '[{"user_id":"u-none","user_name":"none","auth":{"level":1}}]', 400, 'SVCSTG.SWR.4001018' ],
    [ '[{"user_id":5,"user_name":"none","auth":1}]', 400, 'SVCSTG.SWR.4001018' ],
    [ '[{"user_id":null,"user_name":"none","auth":1}]', 400, 'SVCSTG.SWR.4001018' ],
    [ '[{"user_id":["u-none"],"user_name":"none","auth":1}]', 400, 'SVCSTG.SWR.4001018' ],
    [ '[{"user_id":"u-none","user_name":false,"auth":1}]', 400, 'SVCSTG.SWR.4001018' ],
    # an empty array, a field missing: 4001014
    [ '[]', 400, 'SVCSTG.SWR.4001014' ],
    [ '[{}]', 400, 'SVCSTG.SWR.4001014' ],
    [ '[{"user_name":"none","auth":1}]', 400, 'SVCSTG.SWR.4001014' ],
    [ '[{"user_id":"u-none","auth":1}]', 400, 'SVCSTG.SWR.4001014' ],
    [ '[{"user_id":"u-none","user_name":"none"}]', 400, 'SVCSTG.SWR.4001014' ],
    # fields of another name: 4000014
    [ '[{"user_id":"u-none","user_name":"none","auth":1,"extra":1}]', 400, 'SVCSTG.SWR.4000014' ],
    [ '[{"User_id":"u-none","user_name":"none","auth":1}]', 400, 'SVCSTG.SWR.4000014' ],
    [ '[{"user_id":"u-none","user_name":"none","permission":1}]', 400, 'SVCSTG.SWR.4000014' ],
    [ '[{"user_id":"u-none","user_name":"none","auth":1,"auth_type":"x"}]', 400, 'SVCSTG.SWR.4000014' ],
    # over 64 KiB: 413 4131001
    [ padded(65537, grants([ 'none', 1 ])), 413, 'SVCSTG.SWR.4131001' ],
    # 64 KiB exactly, white space, escapes: JSON's business
    [ padded(65536, grants([ 'none', 1 ])), 200, undef ],
    [ qq{ \n\t[ { "user_id" : "u-\\u0074wo" ,\n "user_name" : "two", "auth" : 7 } ] \n}, 200, undef ],
);

our @NS_BODY_CASES = ((map {
    case([ 'alice', 'POST', $NS1, $_->[0] ], $_->[1],
         defined $_->[2] ? err($_->[2]) : $EMPTY)
} @NS_BODIES),
    # what the accepted ones wrote, nothing else
    case([ 'alice', 'GET', $NS1 ], 200,
         nsauth(11, 'ns1', 'alice', [ 'alice', 'alice', 7 ],
                [ 'none', 'none', 1 ], @NS1_OTHERS,
                [ 'two', 'two', 7 ])),
);

# ---- TEST 4: UpdateNamespaceAuth --------------------------------------------

our @NS_UPDATE = (
    # 7 needed
    case([ 'three', 'PATCH', $NS1, grants([ 'one', 3 ]) ], 403, err('SVCSTG.SWR.4030170')),
    case([ 'one', 'PATCH', $NS1, grants([ 'three', 1 ]) ], 403, err('SVCSTG.SWR.4030170')),
    case([ 'none', 'PATCH', $NS1, grants([ 'one', 3 ]) ], 404, err('SVCSTG.SWR.4040058')),
    case([ 'rseven', 'PATCH', $NS1, grants([ 'one', 3 ]) ], 404, err('SVCSTG.SWR.4040058')),
    case([ 'bob', 'PATCH', $NS1, grants([ 'one', 3 ]) ], 404, err('SVCSTG.SWR.4040058')),
    case([ undef, 'PATCH', $NS1, grants([ 'one', 3 ]) ], 401, err('SVCSTG.S2I.4019000')),
    # 201; several at once
    case([ 'alice', 'PATCH', $NS1, grants([ 'one', 3 ]) ], 201, $EMPTY),
    case([ 'seven', 'PATCH', $NS1, grants([ 'three', 7 ], [ 'one', 1 ]) ], 201, $EMPTY),
    # a holder of 7 may change another holder of 7, the creator too
    case([ 'three', 'PATCH', $NS1, grants([ 'seven', 3 ]) ], 201, $EMPTY),
    case([ 'seven', 'PATCH', $NS1, grants([ 'one', 7 ]) ], 403, err('SVCSTG.SWR.4030170')),
    # not granted yet: 404 4040078, and nothing of the batch is written
    case([ 'alice', 'PATCH', $NS1, grants([ 'none', 1 ]) ], 404, err('SVCSTG.SWR.4040078')),
    case([ 'alice', 'PATCH', $NS1, grants([ 'one', 7 ], [ 'none', 1 ]) ], 404, err('SVCSTG.SWR.4040078')),
    case([ 'alice', 'PATCH', '/v2/manage/namespaces/ns2/access', grants([ 'one', 1 ]) ], 404, err('SVCSTG.SWR.4040078')),
    # nobody changes his own grant
    case([ 'alice', 'PATCH', $NS1, grants([ 'alice', 1 ]) ], 403, err('SVCSTG.SWR.4030170')),
    case([ 'three', 'PATCH', $NS1, grants([ 'three', 1 ]) ], 403, err('SVCSTG.SWR.4030170')),
    case([ 'three', 'PATCH', $NS1, grants([ 'one', 3 ], [ 'three', 1 ]) ], 403, err('SVCSTG.SWR.4030170')),
    # other accounts' users, unknown users, bad levels
    case([ 'alice', 'PATCH', $NS1, grants([ 'bea', 1 ]) ], 400, err('SVCSTG.SWR.4001067')),
    case([ 'alice', 'PATCH', $NS1, grants([ 'ghost', 1 ]) ], 400, err('SVCSTG.SWR.4001067')),
    (map { case([ 'alice', 'PATCH', $NS1, qq{[{"user_id":"u-one","user_name":"one","auth":$_}]} ],
                400, err('SVCSTG.SWR.4001065')) } 0, 2, 4, 6, 8),
    # bodies
    case([ 'alice', 'PATCH', $NS1, '' ], 400, err('SVCSTG.SWR.4001018')),
    case([ 'alice', 'PATCH', $NS1, grant('one', 1) ], 400, err('SVCSTG.SWR.4001018')),
    case([ 'alice', 'PATCH', $NS1, '[]' ], 400, err('SVCSTG.SWR.4001014')),
    case([ 'alice', 'PATCH', $NS1, '[{"user_id":"u-one","user_name":"one","auth":"7"}]' ], 400, err('SVCSTG.SWR.4001018')),
    case([ 'alice', 'PATCH', $NS1, '[{"user_id":"u-one","user_name":"one","auth":3.5}]' ], 400, err('SVCSTG.SWR.4001018')),
    case([ 'alice', 'PATCH', $NS1, '[{"user_id":"u-one","auth":1}]' ], 400, err('SVCSTG.SWR.4001014')),
    case([ 'alice', 'PATCH', $NS1, '[{"user_id":"u-one","user_name":"one","auth":1,"x":0}]' ], 400, err('SVCSTG.SWR.4000014')),
    case([ 'alice', 'PATCH', $NS1, grants([ 'one', 3 ], [ 'one', 7 ]) ], 400, err('SVCSTG.SWR.4000014')),
    case([ 'alice', 'PATCH', $NS1, padded(65537, grants([ 'one', 3 ])) ], 413, err('SVCSTG.SWR.4131001')),
    case([ 'alice', 'PATCH', '/v2/manage/namespaces/nothing/access', grants([ 'one', 1 ]) ], 404, err('SVCSTG.SWR.4040058')),
    case([ 'alice', 'GET', $NS1 ], 200,
         nsauth(11, 'ns1', 'alice', [ 'alice', 'alice', 7 ],
                [ 'one', 'one', 1 ], [ 'seven', 'seven', 3 ],
                [ 'three', 'three', 7 ])),
    # the one who lost 7 manages no more
    case([ 'seven', 'PATCH', $NS1, grants([ 'one', 3 ]) ], 403, err('SVCSTG.SWR.4030170')),
);

# ---- TEST 5: DeleteNamespaceAuth ----------------------------------------------

our @NS_DELETE = (
    # 7 needed
    case([ 'three', 'DELETE', $NS1, ids('one') ], 403, err('SVCSTG.SWR.4030170')),
    case([ 'one', 'DELETE', $NS1, ids('three') ], 403, err('SVCSTG.SWR.4030170')),
    case([ 'none', 'DELETE', $NS1, ids('one') ], 404, err('SVCSTG.SWR.4040058')),
    case([ 'bob', 'DELETE', $NS1, ids('one') ], 404, err('SVCSTG.SWR.4040058')),
    case([ undef, 'DELETE', $NS1, ids('one') ], 401, err('SVCSTG.S2I.4019000')),
    # not granted: 404 4040078, nothing of the batch deleted
    case([ 'alice', 'DELETE', $NS1, ids('none') ], 404, err('SVCSTG.SWR.4040078')),
    case([ 'alice', 'DELETE', $NS1, ids('one', 'none') ], 404, err('SVCSTG.SWR.4040078')),
    case([ 'alice', 'DELETE', $NS1, ids('bob') ], 404, err('SVCSTG.SWR.4040078')),
    case([ 'alice', 'DELETE', '/v2/manage/namespaces/ns2/access', ids('one') ], 404, err('SVCSTG.SWR.4040078')),
    # nobody deletes his own grant
    case([ 'alice', 'DELETE', $NS1, ids('alice') ], 403, err('SVCSTG.SWR.4030170')),
    case([ 'seven', 'DELETE', $NS1, ids('one', 'seven') ], 403, err('SVCSTG.SWR.4030170')),
    # bodies: an array of user ids
    case([ 'alice', 'DELETE', $NS1 ], 400, err('SVCSTG.SWR.4001018')),
    case([ 'alice', 'DELETE', $NS1, '[]' ], 400, err('SVCSTG.SWR.4001014')),
    case([ 'alice', 'DELETE', $NS1, '{}' ], 400, err('SVCSTG.SWR.4001018')),
    case([ 'alice', 'DELETE', $NS1, '"u-one"' ], 400, err('SVCSTG.SWR.4001018')),
    case([ 'alice', 'DELETE', $NS1, '{"user_ids":["u-one"]}' ], 400, err('SVCSTG.SWR.4001018')),
    case([ 'alice', 'DELETE', $NS1, '[5]' ], 400, err('SVCSTG.SWR.4001018')),
    case([ 'alice', 'DELETE', $NS1, '[null]' ], 400, err('SVCSTG.SWR.4001018')),
    case([ 'alice', 'DELETE', $NS1, '["u-one",["u-three"]]' ], 400, err('SVCSTG.SWR.4001018')),
    case([ 'alice', 'DELETE', $NS1, '[{"user_id":"u-one"}]' ], 400, err('SVCSTG.SWR.4001018')),
    case([ 'alice', 'DELETE', $NS1, '["u-one"' ], 400, err('SVCSTG.SWR.4001018')),
    case([ 'alice', 'DELETE', $NS1, padded(65537, ids('one')) ], 413, err('SVCSTG.SWR.4131001')),
    case([ 'alice', 'DELETE', '/v2/manage/namespaces/nothing/access', ids('one') ], 404, err('SVCSTG.SWR.4040058')),
    case([ 'alice', 'GET', $NS1 ], 200,
         nsauth(11, 'ns1', 'alice', [ 'alice', 'alice', 7 ], @NS1_OTHERS)),
    # 204: one; several (the same one twice)
    case([ 'seven', 'DELETE', $NS1, ids('one') ], 204, $EMPTY),
    case([ 'one', 'GET', $NS1 ], 404, err('SVCSTG.SWR.4040058')),
    case([ 'alice', 'DELETE', $NS1, ids('three', 'three') ], 204, $EMPTY),
    case([ 'alice', 'DELETE', $NS1, ids('three') ], 404, err('SVCSTG.SWR.4040078')),
    # a holder of 7 removes the creator's grant: the administrator keeps 7
    case([ 'seven', 'DELETE', $NS1, ids('alice') ], 204, $EMPTY),
    case([ 'seven', 'GET', $NS1 ], 200,
         nsauth(11, 'ns1', 'alice', [ 'seven', 'seven', 7 ])),
    case([ 'alice', 'GET', $NS1 ], 200,
         nsauth(11, 'ns1', 'alice', [ 'alice', 'alice', 7 ], [ 'seven', 'seven', 7 ])),
    case([ 'alice', 'DELETE', $NS1, ids('seven') ], 204, $EMPTY),
    case([ 'seven', 'GET', $NS1 ], 404, err('SVCSTG.SWR.4040058')),
    case([ 'alice', 'GET', $NS1 ], 200,
         nsauth(11, 'ns1', 'alice', [ 'alice', 'alice', 7 ])),
);

# ---- TEST 6: ShowUserRepositoryAuth -------------------------------------------

our @APP_OTHERS = ([ 'rseven', 'rseven', 7 ], [ 'rthree', 'rthree', 3 ]);

our @REPO_SHOW = (
    case([ 'alice', 'GET', $APP ], 200, repoauth(31, 'app', [ 'alice', 'alice', 7 ], @APP_OTHERS)),
    case([ 'seven', 'GET', $APP ], 200, repoauth(31, 'app', [ 'seven', 'seven', 7 ], @APP_OTHERS)),
    case([ 'three', 'GET', $APP ], 200, repoauth(31, 'app', [ 'three', 'three', 3 ], @APP_OTHERS)),
    case([ 'one', 'GET', $APP ], 200, repoauth(31, 'app', [ 'one', 'one', 1 ], @APP_OTHERS)),
    case([ 'rseven', 'GET', $APP ], 200,
         repoauth(31, 'app', [ 'rseven', 'rseven', 7 ], [ 'rthree', 'rthree', 3 ])),
    case([ 'rthree', 'GET', $APP ], 200,
         repoauth(31, 'app', [ 'rthree', 'rthree', 3 ], [ 'rseven', 'rseven', 7 ])),
    # a repository name with '/': '$' in the path, '/' in the body
    case([ 'one', 'GET', '/v2/manage/namespaces/ns1/repos/team$web/access' ], 200,
         repoauth(32, 'team/web', [ 'one', 'one', 1 ])),
    case([ 'one', 'GET', '/v2/manage/namespaces/ns1/repos/team%24web/access' ], 200,
         repoauth(32, 'team/web', [ 'one', 'one', 1 ])),
    case([ 'alice', 'GET', '/v2/manage/namespaces/ns2/repos/app/access' ], 200,
         repoauth(33, 'app', [ 'alice', 'alice', 7 ])),
    # a repository that is not there: 404 4040113; an organization the
    # caller reads nothing of: 4040058
    case([ 'one', 'GET', '/v2/manage/namespaces/ns1/repos/nothing/access' ], 404, err('SVCSTG.SWR.4040113')),
    # (a grant on another repository of the organization is no level on it)
    case([ 'rseven', 'GET', '/v2/manage/namespaces/ns1/repos/team$web/access' ], 404, err('SVCSTG.SWR.4040058')),
    case([ 'none', 'GET', $APP ], 404, err('SVCSTG.SWR.4040058')),
    case([ 'bob', 'GET', $APP ], 404, err('SVCSTG.SWR.4040058')),
    case([ 'alice', 'GET', '/v2/manage/namespaces/nsb/repos/app/access' ], 404, err('SVCSTG.SWR.4040058')),
    case([ 'alice', 'GET', '/v2/manage/namespaces/nothing/repos/app/access' ], 404, err('SVCSTG.SWR.4040058')),
    case([ undef, 'GET', $APP ], 401, err('SVCSTG.S2I.4019000')),
    case([ 'alice', 'PUT', $APP, grants([ 'none', 1 ]) ], 404, err('SVCSTG.SWR.4040083')),
);

# ---- TEST 7: Create/Update/DeleteUserRepositoryAuth ------------------------------

our @REPO_CHANGE = (
    # who may: 3 on the organization or 7 on the repository
    case([ 'one', 'POST', $APP, grants([ 'none', 1 ]) ], 403, err('SVCSTG.SWR.4030170')),
    case([ 'rthree', 'POST', $APP, grants([ 'none', 1 ]) ], 403, err('SVCSTG.SWR.4030170')),
    case([ 'none', 'POST', $APP, grants([ 'two', 1 ]) ], 404, err('SVCSTG.SWR.4040058')),
    case([ 'bob', 'POST', $APP, grants([ 'none', 1 ]) ], 404, err('SVCSTG.SWR.4040058')),
    case([ undef, 'POST', $APP, grants([ 'none', 1 ]) ], 401, err('SVCSTG.S2I.4019000')),
    case([ 'alice', 'POST', '/v2/manage/namespaces/ns1/repos/nothing/access', grants([ 'none', 1 ]) ],
         404, err('SVCSTG.SWR.4040113')),
    # 3 on the organization: up to 3 (201)
    case([ 'three', 'POST', $APP, grants([ 'none', 1 ]) ], 201, $EMPTY),
    case([ 'three', 'POST', $APP, grants([ 'two', 7 ]) ], 403, err('SVCSTG.SWR.4030170')),
    case([ 'three', 'POST', $APP, grants([ 'two', 3 ]) ], 201, $EMPTY),
    # 7 on the repository only: up to 7
    case([ 'rseven', 'POST', $APP, grants([ 'one', 7 ]) ], 201, $EMPTY),
    # the administrator and a holder of 7 on the organization
    case([ 'alice', 'POST', '/v2/manage/namespaces/ns1/repos/team$web/access', grants([ 'rthree', 3 ]) ], 201, $EMPTY),
    case([ 'seven', 'POST', '/v2/manage/namespaces/ns1/repos/team%24web/access', grants([ 'none', 7 ], [ 'two', 1 ]) ], 201, $EMPTY),
    # exists: 409 4090089; nothing of the batch written
    case([ 'alice', 'POST', $APP, grants([ 'none', 3 ]) ], 409, err('SVCSTG.SWR.4090089')),
    case([ 'alice', 'POST', $APP, grants([ 'seven', 1 ], [ 'two', 1 ]) ], 409, err('SVCSTG.SWR.4090089')),
    # his own: 403 (a grant on the repository he does not hold yet too)
    case([ 'rseven', 'POST', $APP, grants([ 'rseven', 7 ]) ], 403, err('SVCSTG.SWR.4030170')),
    case([ 'three', 'POST', $APP, grants([ 'three', 3 ]) ], 403, err('SVCSTG.SWR.4030170')),
    case([ 'alice', 'POST', $APP, grants([ 'alice', 7 ]) ], 403, err('SVCSTG.SWR.4030170')),
    # other accounts, unknown users, bad levels (4001066), twice
    case([ 'alice', 'POST', $APP, grants([ 'bea', 1 ]) ], 400, err('SVCSTG.SWR.4001067')),
    case([ 'alice', 'POST', $APP, grants([ 'ghost', 1 ]) ], 400, err('SVCSTG.SWR.4001067')),
    (map { case([ 'alice', 'POST', $APP, qq{[{"user_id":"u-seven","user_name":"seven","auth":$_}]} ],
                400, err('SVCSTG.SWR.4001066')) } 0, 2, 4, 5, 8, -3),
    case([ 'alice', 'POST', $APP, grants([ 'seven', 3 ], [ 'seven', 3 ]) ], 400, err('SVCSTG.SWR.4000014')),
    # bodies
    case([ 'alice', 'POST', $APP, '' ], 400, err('SVCSTG.SWR.4001018')),
    case([ 'alice', 'POST', $APP, grant('seven', 1) ], 400, err('SVCSTG.SWR.4001018')),
    case([ 'alice', 'POST', $APP, '[]' ], 400, err('SVCSTG.SWR.4001014')),
    case([ 'alice', 'POST', $APP, '["u-seven"]' ], 400, err('SVCSTG.SWR.4001018')),
    case([ 'alice', 'POST', $APP, '[{"user_id":"u-seven","user_name":"seven","auth":"3"}]' ], 400, err('SVCSTG.SWR.4001018')),
    case([ 'alice', 'POST', $APP, '[{"user_id":"u-seven","user_name":"seven","auth":3.5}]' ], 400, err('SVCSTG.SWR.4001018')),
    case([ 'alice', 'POST', $APP, '[{"user_id":"u-seven","user_name":"seven"}]' ], 400, err('SVCSTG.SWR.4001014')),
    case([ 'alice', 'POST', $APP, '[{"user_id":"u-seven","user_name":"seven","auth":3,"repo":"app"}]' ], 400, err('SVCSTG.SWR.4000014')),
    case([ 'alice', 'POST', $APP, padded(65537, grants([ 'seven', 1 ])) ], 413, err('SVCSTG.SWR.4131001')),
    case([ 'alice', 'GET', $APP ], 200,
         repoauth(31, 'app', [ 'alice', 'alice', 7 ], [ 'none', 'none', 1 ],
                  [ 'one', 'one', 7 ], [ 'rseven', 'rseven', 7 ],
                  [ 'rthree', 'rthree', 3 ], [ 'two', 'two', 3 ])),
    case([ 'alice', 'GET', '/v2/manage/namespaces/ns1/repos/team$web/access' ], 200,
         repoauth(32, 'team/web', [ 'alice', 'alice', 7 ], [ 'none', 'none', 7 ],
                  [ 'rthree', 'rthree', 3 ], [ 'two', 'two', 1 ])),

    # UpdateUserRepositoryAuth: 201
    case([ 'three', 'PATCH', $APP, grants([ 'none', 3 ]) ], 201, $EMPTY),
    case([ 'three', 'PATCH', $APP, grants([ 'none', 7 ]) ], 403, err('SVCSTG.SWR.4030170')),
    # nor a grant above his own level, downwards either
    case([ 'three', 'PATCH', $APP, grants([ 'rseven', 1 ]) ], 403, err('SVCSTG.SWR.4030170')),
    case([ 'rseven', 'PATCH', $APP, grants([ 'one', 3 ], [ 'two', 7 ]) ], 201, $EMPTY),
    case([ 'rseven', 'PATCH', $APP, grants([ 'rseven', 3 ]) ], 403, err('SVCSTG.SWR.4030170')),
    case([ 'rthree', 'PATCH', $APP, grants([ 'none', 1 ]) ], 403, err('SVCSTG.SWR.4030170')),
    case([ 'one', 'PATCH', $APP, grants([ 'none', 1 ]) ], 403, err('SVCSTG.SWR.4030170')),
    case([ 'bob', 'PATCH', $APP, grants([ 'none', 1 ]) ], 404, err('SVCSTG.SWR.4040058')),
    case([ 'alice', 'PATCH', $APP, grants([ 'seven', 1 ]) ], 404, err('SVCSTG.SWR.4040091')),
    case([ 'alice', 'PATCH', $APP, grants([ 'none', 7 ], [ 'seven', 1 ]) ], 404, err('SVCSTG.SWR.4040091')),
    case([ 'alice', 'PATCH', $APP, grants([ 'none', 9 ]) ], 400, err('SVCSTG.SWR.4001066')),
    case([ 'alice', 'PATCH', $APP, grants([ 'bea', 1 ]) ], 400, err('SVCSTG.SWR.4001067')),
    case([ 'alice', 'PATCH', $APP, '{"user_id":"u-none","user_name":"none","auth":1}' ], 400, err('SVCSTG.SWR.4001018')),
    case([ 'alice', 'PATCH', $APP, '[]' ], 400, err('SVCSTG.SWR.4001014')),
    case([ 'alice', 'PATCH', '/v2/manage/namespaces/ns1/repos/nothing/access', grants([ 'none', 1 ]) ],
         404, err('SVCSTG.SWR.4040113')),
    case([ 'alice', 'GET', $APP ], 200,
         repoauth(31, 'app', [ 'alice', 'alice', 7 ], [ 'none', 'none', 3 ],
                  [ 'one', 'one', 3 ], [ 'rseven', 'rseven', 7 ],
                  [ 'rthree', 'rthree', 3 ], [ 'two', 'two', 7 ])),

    # DeleteUserRepositoryAuth: 204
    case([ 'three', 'DELETE', $APP, ids('two') ], 403, err('SVCSTG.SWR.4030170')),
    case([ 'three', 'DELETE', $APP, ids('none', 'two') ], 403, err('SVCSTG.SWR.4030170')),
    case([ 'rthree', 'DELETE', $APP, ids('none') ], 403, err('SVCSTG.SWR.4030170')),
    case([ 'rthree', 'DELETE', $APP, ids('rthree') ], 403, err('SVCSTG.SWR.4030170')),
    case([ 'rseven', 'DELETE', $APP, ids('rseven') ], 403, err('SVCSTG.SWR.4030170')),
    case([ 'bob', 'DELETE', $APP, ids('none') ], 404, err('SVCSTG.SWR.4040058')),
    case([ undef, 'DELETE', $APP, ids('none') ], 401, err('SVCSTG.S2I.4019000')),
    case([ 'alice', 'DELETE', $APP, ids('seven') ], 404, err('SVCSTG.SWR.4040091')),
    case([ 'alice', 'DELETE', $APP, ids('none', 'seven') ], 404, err('SVCSTG.SWR.4040091')),
    case([ 'alice', 'DELETE', $APP, '' ], 400, err('SVCSTG.SWR.4001018')),
    case([ 'alice', 'DELETE', $APP, '[]' ], 400, err('SVCSTG.SWR.4001014')),
    case([ 'alice', 'DELETE', $APP, '{"0":"u-none"}' ], 400, err('SVCSTG.SWR.4001018')),
    case([ 'alice', 'DELETE', $APP, '[3]' ], 400, err('SVCSTG.SWR.4001018')),
    case([ 'alice', 'DELETE', $APP, padded(65537, ids('none')) ], 413, err('SVCSTG.SWR.4131001')),
    case([ 'alice', 'DELETE', '/v2/manage/namespaces/ns1/repos/nothing/access', ids('none') ],
         404, err('SVCSTG.SWR.4040113')),
    case([ 'three', 'DELETE', $APP, ids('none', 'one') ], 204, $EMPTY),
    case([ 'rseven', 'DELETE', $APP, ids('two') ], 204, $EMPTY),
    case([ 'alice', 'GET', $APP ], 200,
         repoauth(31, 'app', [ 'alice', 'alice', 7 ], [ 'rseven', 'rseven', 7 ],
                  [ 'rthree', 'rthree', 3 ])),
    case([ 'alice', 'DELETE', $APP, ids('rseven') ], 204, $EMPTY),
    case([ 'rseven', 'GET', $APP ], 404, err('SVCSTG.SWR.4040058')),
    case([ 'rseven', 'POST', $APP, grants([ 'none', 1 ]) ], 404, err('SVCSTG.SWR.4040058')),
);

# ---- TEST 8: grants take effect on the registry -----------------------------------

sub blob { return "blob $_[0] of t/133" }

sub upload { my ($who, $repo, $n) = @_;
           return reg($who, 'POST', "/v2/$repo/blobs/uploads/?digest="
                                    . SwrTest::sha256(blob($n)), blob($n)) }

sub pcase { my ($who, $repo, $n, $status) = @_;
            return [ upload($who, $repo, $n), $status,
                     $status == 201 ? $EMPTY : $DENIED ] }

our $PULL = '/v2/ns1/app/manifests/latest';

our @EFFECT = (
    # none: nothing
    rcase([ 'none', 'GET', $PULL ], 403, $DENIED),
    pcase('none', 'ns1/app', 1, 403),
    # a repository grant of 1: pulls, does not push
    case([ 'alice', 'POST', $APP, grants([ 'none', 1 ]) ], 201, $EMPTY),
    rcase([ 'none', 'GET', $PULL ], 200, exact($MANIFEST)),
    pcase('none', 'ns1/app', 2, 403),
    # 3: pushes
    case([ 'three', 'PATCH', $APP, grants([ 'none', 3 ]) ], 201, $EMPTY),
    pcase('none', 'ns1/app', 3, 201),
    rcase([ 'none', 'GET', "/v2/ns1/app/blobs/" . SwrTest::sha256(blob(3)) ], 200, exact(blob(3))),
    # the grant reaches no other repository
    pcase('none', 'ns1/team/web', 4, 403),
    # deleted: nothing again
    case([ 'three', 'DELETE', $APP, ids('none') ], 204, $EMPTY),
    pcase('none', 'ns1/app', 5, 403),
    rcase([ 'none', 'GET', $PULL ], 403, $DENIED),
    # a repository grant of 3 from the start
    case([ 'rseven', 'POST', $APP, grants([ 'two', 3 ]) ], 201, $EMPTY),
    pcase('two', 'ns1/app', 6, 201),
    case([ 'rseven', 'DELETE', $APP, ids('two') ], 204, $EMPTY),
    pcase('two', 'ns1/app', 7, 403),

    # organization grants: every repository of it, new ones too
    pcase('two', 'ns1/new', 8, 403),
    case([ 'seven', 'POST', $NS1, grants([ 'two', 3 ]) ], 200, $EMPTY),
    pcase('two', 'ns1/new', 9, 201),
    pcase('two', 'ns1/team/web', 10, 201),
    rcase([ 'two', 'GET', $PULL ], 200, exact($MANIFEST)),
    # down to 1: pulls only
    case([ 'alice', 'PATCH', $NS1, grants([ 'two', 1 ]) ], 201, $EMPTY),
    pcase('two', 'ns1/new', 11, 403),
    rcase([ 'two', 'GET', $PULL ], 200, exact($MANIFEST)),
    # 7: deletes
    rcase([ 'two', 'DELETE', "/v2/ns1/new/blobs/" . SwrTest::sha256(blob(9)) ], 403, $DENIED),
    case([ 'alice', 'PATCH', $NS1, grants([ 'two', 7 ]) ], 201, $EMPTY),
    rcase([ 'two', 'DELETE', "/v2/ns1/new/blobs/" . SwrTest::sha256(blob(9)) ], 202, $EMPTY),
    # gone
    case([ 'alice', 'DELETE', $NS1, ids('two') ], 204, $EMPTY),
    rcase([ 'two', 'GET', $PULL ], 403, $DENIED),
    pcase('two', 'ns1/new', 12, 403),
    # a refused grant changes nothing
    case([ 'three', 'POST', $APP, grants([ 'two', 7 ]) ], 403, err('SVCSTG.SWR.4030170')),
    rcase([ 'two', 'GET', $PULL ], 403, $DENIED),
    case([ 'alice', 'POST', $NS1, grants([ 'bea', 3 ]) ], 400, err('SVCSTG.SWR.4001067')),
    pcase('bea', 'ns1/app', 13, 403),
);

# ---- TEST 9: swr_auth off ------------------------------------------------------

our @NO_AUTH = (
    case([ 'alice', 'GET', $NS1 ], 401, err('SVCSTG.S2I.4019000')),
    case([ 'alice', 'POST', $NS1, grants([ 'none', 1 ]) ], 401, err('SVCSTG.S2I.4019000')),
    case([ 'alice', 'PATCH', $NS1, grants([ 'one', 3 ]) ], 401, err('SVCSTG.S2I.4019000')),
    case([ 'alice', 'DELETE', $NS1, ids('one') ], 401, err('SVCSTG.S2I.4019000')),
    case([ 'alice', 'GET', $APP ], 401, err('SVCSTG.S2I.4019000')),
    case([ 'alice', 'POST', $APP, grants([ 'none', 1 ]) ], 401, err('SVCSTG.S2I.4019000')),
    case([ 'alice', 'PATCH', $APP, grants([ 'rthree', 1 ]) ], 401, err('SVCSTG.S2I.4019000')),
    case([ 'alice', 'DELETE', $APP, ids('rthree') ], 401, err('SVCSTG.S2I.4019000')),
);

# ---- TEST 12, 13: what cjson alone would take, and bad names in the path ----

# Redis's cjson takes what JSON does not have (hexadecimal, a sign, leading
# zeros, a bare point, Infinity) and cannot tell [] from {} nor see a name
# twice: the module checks bodies with yajl before a script sees them.
our @KNOWN_JSON = (
    (map { case([ 'alice', 'POST', $NS1, qq{[{"user_id":"u-none","user_name":"none","auth":$_}]} ],
                400, err('SVCSTG.SWR.4001018')) }
         '0x3', '+3', '03', '3.', 'Infinity', '-Infinity'),
    case([ 'alice', 'POST', $NS1, '[[]]' ], 400, err('SVCSTG.SWR.4001018')),
    case([ 'alice', 'POST', $NS1, '[{"user_id":"u-none","user_name":"none","auth":1,"auth":7}]' ],
         400, err('SVCSTG.SWR.4001018')),
    case([ 'alice', 'POST', $NS1, '[{"user_id":"u-one","user_id":"u-none","user_name":"none","auth":1}]' ],
         400, err('SVCSTG.SWR.4001018')),
    case([ 'alice', 'GET', $NS1 ], 200,
         nsauth(11, 'ns1', 'alice', [ 'alice', 'alice', 7 ], @NS1_OTHERS)),
);

# ngx_http_swr_mop_valid() answers 400 for a name no organization or
# repository can have, and the handler then goes on (the script runs and
# answers again: "[alert] header already sent")
our @KNOWN_NAMES = (
    case([ 'alice', 'GET', '/v2/manage/namespaces/NS1/access' ], 400, err('SVCSTG.SWR.4001028')),
    case([ 'alice', 'POST', '/v2/manage/namespaces/NS1/access', grants([ 'none', 1 ]) ], 400, err('SVCSTG.SWR.4001028')),
    case([ 'alice', 'GET', '/v2/manage/namespaces/Ns1/repos/app/access' ], 400, err('SVCSTG.SWR.4001028')),
    case([ 'alice', 'GET', '/v2/manage/namespaces/ns1/repos/App/access' ], 400, err('SVCSTG.SWR.4001029')),
    case([ 'alice', 'PATCH', '/v2/manage/namespaces/ns1/repos/App/access', grants([ 'rthree', 1 ]) ], 400, err('SVCSTG.SWR.4001029')),
    case([ 'alice', 'DELETE', '/v2/manage/namespaces/ns1/repos/a%20b/access', ids('rthree') ], 400, err('SVCSTG.SWR.4001029')),
);

# ---- the SDK as a client -----------------------------------------------------

# Runs t/lib/swr-sdk-call.js for each call ([label, user, operation,
# params]) and returns per call "<Operation> <label> -> <status> <what
# the SDK parsed>" (its response object as canonical JSON, or the error
# code and message it threw).  Never dies.
our $JSON = JSON::PP->new->canonical(1);

sub sdk_lines {
    my (@calls) = @_;

    my $endpoint = 'http://127.0.0.1:'
                   . ($ENV{TEST_NGINX_SERVER_PORT} || 1984);
    my @out;

    for my $c (@calls) {
        my ($label, $who, $op, $params) = @$c;

        my $line = eval {
            my $r = SwrSdk::call($endpoint, ak_of($who), sk_of($who), $PROJECT, $op, $params);

            my $body = $JSON->encode($r->{body} // {});

            $r->{status} =~ /^2/
                ? "$op $label -> $r->{status} $body"
                : join ' ', "$op $label ->", $r->{status},
                            $r->{error_code} // '(none)',
                            $r->{error_msg} // '(none)';
        };

        if (!defined $line) {
            (my $err = $@) =~ s/\s+\z//;
            $line = "$op $label -> died: $err";
        }

        push @out, $line;
    }

    return @out;
}

# writes lines to html/<name>.txt, which the block then GETs
sub report {
    my ($name, @lines) = @_;
    SwrAuth::report($name, join '', map { "$_\n" } @lines);
    return 1;
}

# a registry request from --- init: "<method> <uri> -> <status>"
sub reg_line {
    my ($who, $method, $uri, $body) = @_;
    my $r = eval {
        SwrTest::http($method, $uri,
                      headers => [ SwrAuth::basic(ak_of($who), sk_of($who)) ],
                      defined $body ? (body => $body) : ());
    };
    return "$method $uri as $who -> " . ($r ? $r->{status} : "died: $@");
}

repeat_each(1);

# per request: status, body, [error], [alert]
plan tests => repeat_each() * 4 * (
    @NS_SHOW + @NS_CREATE + @NS_BODY_CASES + @NS_UPDATE + @NS_DELETE
    + @REPO_SHOW + @REPO_CHANGE + @EFFECT + @NO_AUTH
    + 2                                 # TEST 10, 11: the SDK's reports
    + @KNOWN_JSON + @KNOWN_NAMES        # TEST 12, 13
);

no_long_string();
no_shuffle();
run_tests();

__DATA__

=== TEST 1: ShowNamespaceAuth: the caller's own level (self_auth) and everybody else's grants (others_auths, by name); 404 4040058 for who reads nothing in the organization; 400 4001028, 401, other methods 404
--- init
main::seed();
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_secret_key_file $TEST_NGINX_SWR_KEYS/secret.hex;
--- config
    location /v2/manage/ {
        swr_manage_api;
        swr_auth on;
    }
--- request eval
[map { $_->[0][0] } @main::NS_SHOW]
--- more_headers eval
[map { $_->[0][1] } @main::NS_SHOW]
--- error_code eval
[map { $_->[1] } @main::NS_SHOW]
--- response_body_like eval
[map { $_->[2] } @main::NS_SHOW]
--- no_error_log
[error]
[alert]



=== TEST 2: CreateNamespaceAuth: 200 for holders of 7 (the administrator too); 403 with 3 or 1, 404 without a level; 409 4090076 for a grant that exists; 403 for one's own grant; 400 4001067 for users of another account or none; 400 4001065 for levels other than 1, 3, 7; a refused batch writes nothing
--- init
main::seed();
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_secret_key_file $TEST_NGINX_SWR_KEYS/secret.hex;
--- config
    location /v2/manage/ {
        swr_manage_api;
        swr_auth on;
    }
--- request eval
[map { $_->[0][0] } @main::NS_CREATE]
--- more_headers eval
[map { $_->[0][1] } @main::NS_CREATE]
--- error_code eval
[map { $_->[1] } @main::NS_CREATE]
--- response_body_like eval
[map { $_->[2] } @main::NS_CREATE]
--- no_error_log
[error]
[alert]



=== TEST 3: CreateNamespaceAuth bodies: not JSON, not an array, elements not objects, wrong types, auth 3.5 or a string (4001018); an empty array or a field missing (4001014); other fields (4000014); over 64 KiB (413 4131001), 64 KiB exactly and white space accepted
--- init
main::seed();
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_secret_key_file $TEST_NGINX_SWR_KEYS/secret.hex;
--- config
    location /v2/manage/ {
        swr_manage_api;
        swr_auth on;
    }
--- request eval
[map { $_->[0][0] } @main::NS_BODY_CASES]
--- more_headers eval
[map { $_->[0][1] } @main::NS_BODY_CASES]
--- error_code eval
[map { $_->[1] } @main::NS_BODY_CASES]
--- response_body_like eval
[map { $_->[2] } @main::NS_BODY_CASES]
--- no_error_log
[error]
[alert]



=== TEST 4: UpdateNamespaceAuth: 201 for holders of 7; 404 4040078 for a grant not made (nothing of the batch changed); 403 for one's own; 4001067, 4001065, bodies; who loses 7 manages no more
--- init
main::seed();
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_secret_key_file $TEST_NGINX_SWR_KEYS/secret.hex;
--- config
    location /v2/manage/ {
        swr_manage_api;
        swr_auth on;
    }
--- request eval
[map { $_->[0][0] } @main::NS_UPDATE]
--- more_headers eval
[map { $_->[0][1] } @main::NS_UPDATE]
--- error_code eval
[map { $_->[1] } @main::NS_UPDATE]
--- response_body_like eval
[map { $_->[2] } @main::NS_UPDATE]
--- no_error_log
[error]
[alert]



=== TEST 5: DeleteNamespaceAuth with a JSON array of user ids: 204; 404 4040078 for one not granted (nothing of the batch deleted); 403 for one's own; bodies that are not an array of strings (4001018, 4001014, 413); the administrator keeps 7 without a grant
--- init
main::seed();
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_secret_key_file $TEST_NGINX_SWR_KEYS/secret.hex;
--- config
    location /v2/manage/ {
        swr_manage_api;
        swr_auth on;
    }
--- request eval
[map { $_->[0][0] } @main::NS_DELETE]
--- more_headers eval
[map { $_->[0][1] } @main::NS_DELETE]
--- error_code eval
[map { $_->[1] } @main::NS_DELETE]
--- response_body_like eval
[map { $_->[2] } @main::NS_DELETE]
--- no_error_log
[error]
[alert]



=== TEST 6: ShowUserRepositoryAuth: the caller's level on the repository and its grants; '$' for '/' in the path; 404 4040113 for a repository the caller cannot read, 4040058 for an organization he reads nothing in; 4001029, 4001028, 401
--- init
main::seed();
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_secret_key_file $TEST_NGINX_SWR_KEYS/secret.hex;
--- config
    location /v2/manage/ {
        swr_manage_api;
        swr_auth on;
    }
--- request eval
[map { $_->[0][0] } @main::REPO_SHOW]
--- more_headers eval
[map { $_->[0][1] } @main::REPO_SHOW]
--- error_code eval
[map { $_->[1] } @main::REPO_SHOW]
--- response_body_like eval
[map { $_->[2] } @main::REPO_SHOW]
--- no_error_log
[error]
[alert]



=== TEST 7: Create (201), Update (201), Delete (204) UserRepositoryAuth: 3 on the organization or 7 on the repository needed; nobody grants above his level nor touches a grant above it, nor his own; 409 4090089, 404 4040091, 4001066, 4001067, bodies
--- init
main::seed();
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_secret_key_file $TEST_NGINX_SWR_KEYS/secret.hex;
--- config
    location /v2/manage/ {
        swr_manage_api;
        swr_auth on;
    }
--- request eval
[map { $_->[0][0] } @main::REPO_CHANGE]
--- more_headers eval
[map { $_->[0][1] } @main::REPO_CHANGE]
--- error_code eval
[map { $_->[1] } @main::REPO_CHANGE]
--- response_body_like eval
[map { $_->[2] } @main::REPO_CHANGE]
--- no_error_log
[error]
[alert]



=== TEST 8: grants take effect on the registry at once: a repository grant of 1 pulls, of 3 pushes, deleted nothing; an organization grant reaches every repository of it, 7 deletes; refused grants change nothing
--- init
main::seed();
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_secret_key_file $TEST_NGINX_SWR_KEYS/secret.hex;
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
--- request eval
[map { $_->[0][0] } @main::EFFECT]
--- more_headers eval
[map { $_->[0][1] } @main::EFFECT]
--- error_code eval
[map { $_->[1] } @main::EFFECT]
--- response_body_like eval
[map { $_->[2] } @main::EFFECT]
--- no_error_log
[error]
[alert]



=== TEST 9: swr_auth off: no identity, every permission operation is 401 SVCSTG.S2I.4019000
--- init
main::seed();
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_secret_key_file $TEST_NGINX_SWR_KEYS/secret.hex;
--- config
    location /v2/manage/ {
        swr_manage_api;
        swr_auth off;
    }
--- request eval
[map { $_->[0][0] } @main::NO_AUTH]
--- more_headers eval
[map { $_->[0][1] } @main::NO_AUTH]
--- error_code eval
[map { $_->[1] } @main::NO_AUTH]
--- response_body_like eval
[map { $_->[2] } @main::NO_AUTH]
--- no_error_log
[error]
[alert]



=== TEST 10: Huawei's SWR SDK for Node: the organization permission operations (DELETE with an array body), what it parsed of each answer and of each error
--- init
main::seed();
main::report('sdk-ns', main::sdk_lines(
    ['alice', 'alice', 'ShowNamespaceAuth', '{"namespace":"ns1"}'],
    ['one', 'one', 'ShowNamespaceAuth', '{"namespace":"ns1"}'],
    ['none', 'none', 'ShowNamespaceAuth', '{"namespace":"ns1"}'],
    ['alice', 'alice', 'CreateNamespaceAuth',
     '{"namespace":"ns1","body":[{"user_id":"u-none","user_name":"none","auth":3},{"user_id":"u-two","user_name":"two","auth":1}]}'],
    ['again', 'alice', 'CreateNamespaceAuth',
     '{"namespace":"ns1","body":[{"user_id":"u-none","user_name":"none","auth":3}]}'],
    ['level 5', 'alice', 'CreateNamespaceAuth',
     '{"namespace":"ns1","body":[{"user_id":"u-rseven","user_name":"rseven","auth":5}]}'],
    ['bob', 'alice', 'CreateNamespaceAuth',
     '{"namespace":"ns1","body":[{"user_id":"u-bob","user_name":"bob","auth":1}]}'],
    ['three', 'three', 'CreateNamespaceAuth',
     '{"namespace":"ns1","body":[{"user_id":"u-rseven","user_name":"rseven","auth":1}]}'],
    ['seven', 'seven', 'UpdateNamespaceAuth',
     '{"namespace":"ns1","body":[{"user_id":"u-none","user_name":"none","auth":7}]}'],
    ['missing', 'seven', 'UpdateNamespaceAuth',
     '{"namespace":"ns1","body":[{"user_id":"u-rseven","user_name":"rseven","auth":1}]}'],
    ['own', 'seven', 'UpdateNamespaceAuth',
     '{"namespace":"ns1","body":[{"user_id":"u-seven","user_name":"seven","auth":1}]}'],
    ['after', 'seven', 'ShowNamespaceAuth', '{"namespace":"ns1"}'],
    ['alice', 'alice', 'DeleteNamespaceAuth', '{"namespace":"ns1","body":["u-two","u-one"]}'],
    ['gone', 'alice', 'DeleteNamespaceAuth', '{"namespace":"ns1","body":["u-two"]}'],
    ['one', 'one', 'DeleteNamespaceAuth', '{"namespace":"ns1","body":["u-three"]}'],
    ['after', 'alice', 'ShowNamespaceAuth', '{"namespace":"ns1"}'],
));
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_secret_key_file $TEST_NGINX_SWR_KEYS/secret.hex;
--- config
    location /v2/manage/ {
        swr_manage_api;
        swr_auth on;
    }
--- request
GET /sdk-ns.txt
--- response_body
ShowNamespaceAuth alice -> 200 {"creator_name":"alice","id":11,"name":"ns1","others_auths":[{"auth":1,"user_id":"u-one","user_name":"one"},{"auth":7,"user_id":"u-seven","user_name":"seven"},{"auth":3,"user_id":"u-three","user_name":"three"}],"self_auth":{"auth":7,"user_id":"u-alice","user_name":"alice"}}
ShowNamespaceAuth one -> 200 {"creator_name":"alice","id":11,"name":"ns1","others_auths":[{"auth":7,"user_id":"u-alice","user_name":"alice"},{"auth":7,"user_id":"u-seven","user_name":"seven"},{"auth":3,"user_id":"u-three","user_name":"three"}],"self_auth":{"auth":1,"user_id":"u-one","user_name":"one"}}
ShowNamespaceAuth none -> 404 SVCSTG.SWR.4040058 Organization not found
CreateNamespaceAuth alice -> 200 {}
CreateNamespaceAuth again -> 409 SVCSTG.SWR.4090076 Organization permission already exists
CreateNamespaceAuth level 5 -> 400 SVCSTG.SWR.4001065 Invalid organization permission
CreateNamespaceAuth bob -> 400 SVCSTG.SWR.4001067 User not found
CreateNamespaceAuth three -> 403 SVCSTG.SWR.4030170 Insufficient permissions
UpdateNamespaceAuth seven -> 201 {}
UpdateNamespaceAuth missing -> 404 SVCSTG.SWR.4040078 Organization permission not found
UpdateNamespaceAuth own -> 403 SVCSTG.SWR.4030170 Insufficient permissions
ShowNamespaceAuth after -> 200 {"creator_name":"alice","id":11,"name":"ns1","others_auths":[{"auth":7,"user_id":"u-alice","user_name":"alice"},{"auth":7,"user_id":"u-none","user_name":"none"},{"auth":1,"user_id":"u-one","user_name":"one"},{"auth":3,"user_id":"u-three","user_name":"three"},{"auth":1,"user_id":"u-two","user_name":"two"}],"self_auth":{"auth":7,"user_id":"u-seven","user_name":"seven"}}
DeleteNamespaceAuth alice -> 204 {}
DeleteNamespaceAuth gone -> 404 SVCSTG.SWR.4040078 Organization permission not found
DeleteNamespaceAuth one -> 404 SVCSTG.SWR.4040058 Organization not found
ShowNamespaceAuth after -> 200 {"creator_name":"alice","id":11,"name":"ns1","others_auths":[{"auth":7,"user_id":"u-none","user_name":"none"},{"auth":7,"user_id":"u-seven","user_name":"seven"},{"auth":3,"user_id":"u-three","user_name":"three"}],"self_auth":{"auth":7,"user_id":"u-alice","user_name":"alice"}}
--- no_error_log
[error]
[alert]



=== TEST 11: Huawei's SWR SDK for Node: the repository permission operations (DELETE with an array body), what it parsed of each answer and of each error, and the registry before and after
--- init
main::seed();
my @pull = ('GET', '/v2/ns1/app/manifests/latest');
my $b = main::blob('sdk');
my @push = ('POST', '/v2/ns1/app/blobs/uploads/?digest=' . SwrTest::sha256($b), $b);
main::report('sdk-repo',
  main::sdk_lines(
    ['alice', 'alice', 'ShowUserRepositoryAuth', '{"namespace":"ns1","repository":"app"}'],
    ['rthree', 'rthree', 'ShowUserRepositoryAuth', '{"namespace":"ns1","repository":"app"}'],
    ['team$web', 'one', 'ShowUserRepositoryAuth', '{"namespace":"ns1","repository":"team$web"}'],
    ['none', 'none', 'ShowUserRepositoryAuth', '{"namespace":"ns1","repository":"app"}'],
    ['three', 'three', 'CreateUserRepositoryAuth',
     '{"namespace":"ns1","repository":"app","body":[{"user_id":"u-none","user_name":"none","auth":1}]}'],
    ['again', 'three', 'CreateUserRepositoryAuth',
     '{"namespace":"ns1","repository":"app","body":[{"user_id":"u-none","user_name":"none","auth":1}]}'],
    ['above', 'three', 'CreateUserRepositoryAuth',
     '{"namespace":"ns1","repository":"app","body":[{"user_id":"u-two","user_name":"two","auth":7}]}'],
    ['level 2', 'alice', 'CreateUserRepositoryAuth',
     '{"namespace":"ns1","repository":"app","body":[{"user_id":"u-two","user_name":"two","auth":2}]}'],
    ['one', 'one', 'CreateUserRepositoryAuth',
     '{"namespace":"ns1","repository":"app","body":[{"user_id":"u-two","user_name":"two","auth":1}]}'],
  ),
  main::reg_line('none', @pull), main::reg_line('none', @push),
  main::sdk_lines(
    ['rseven', 'rseven', 'UpdateUserRepositoryAuth',
     '{"namespace":"ns1","repository":"app","body":[{"user_id":"u-none","user_name":"none","auth":3}]}'],
    ['missing', 'rseven', 'UpdateUserRepositoryAuth',
     '{"namespace":"ns1","repository":"app","body":[{"user_id":"u-two","user_name":"two","auth":3}]}'],
    ['after', 'none', 'ShowUserRepositoryAuth', '{"namespace":"ns1","repository":"app"}'],
  ),
  main::reg_line('none', @push),
  main::sdk_lines(
    ['three', 'three', 'DeleteUserRepositoryAuth',
     '{"namespace":"ns1","repository":"app","body":["u-none"]}'],
    ['gone', 'three', 'DeleteUserRepositoryAuth',
     '{"namespace":"ns1","repository":"app","body":["u-none"]}'],
    ['above', 'three', 'DeleteUserRepositoryAuth',
     '{"namespace":"ns1","repository":"app","body":["u-rseven"]}'],
    ['after', 'alice', 'ShowUserRepositoryAuth', '{"namespace":"ns1","repository":"app"}'],
  ),
  main::reg_line('none', @pull));
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_secret_key_file $TEST_NGINX_SWR_KEYS/secret.hex;
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
--- request
GET /sdk-repo.txt
--- response_body
ShowUserRepositoryAuth alice -> 200 {"id":31,"name":"app","others_auths":[{"auth":7,"user_id":"u-rseven","user_name":"rseven"},{"auth":3,"user_id":"u-rthree","user_name":"rthree"}],"self_auth":{"auth":7,"user_id":"u-alice","user_name":"alice"}}
ShowUserRepositoryAuth rthree -> 200 {"id":31,"name":"app","others_auths":[{"auth":7,"user_id":"u-rseven","user_name":"rseven"}],"self_auth":{"auth":3,"user_id":"u-rthree","user_name":"rthree"}}
ShowUserRepositoryAuth team$web -> 200 {"id":32,"name":"team/web","others_auths":[],"self_auth":{"auth":1,"user_id":"u-one","user_name":"one"}}
ShowUserRepositoryAuth none -> 404 SVCSTG.SWR.4040058 Organization not found
CreateUserRepositoryAuth three -> 201 {}
CreateUserRepositoryAuth again -> 409 SVCSTG.SWR.4090089 Image permission already exists
CreateUserRepositoryAuth above -> 403 SVCSTG.SWR.4030170 Insufficient permissions
CreateUserRepositoryAuth level 2 -> 400 SVCSTG.SWR.4001066 Invalid image permission
CreateUserRepositoryAuth one -> 403 SVCSTG.SWR.4030170 Insufficient permissions
GET /v2/ns1/app/manifests/latest as none -> 200
POST /v2/ns1/app/blobs/uploads/?digest=sha256:c5ac860fdf31b94c1a08559bcc51209af0e8f35a6c400e01499f533b73ecd36f as none -> 403
UpdateUserRepositoryAuth rseven -> 201 {}
UpdateUserRepositoryAuth missing -> 404 SVCSTG.SWR.4040091 Image permission not found
ShowUserRepositoryAuth after -> 200 {"id":31,"name":"app","others_auths":[{"auth":7,"user_id":"u-rseven","user_name":"rseven"},{"auth":3,"user_id":"u-rthree","user_name":"rthree"}],"self_auth":{"auth":3,"user_id":"u-none","user_name":"none"}}
POST /v2/ns1/app/blobs/uploads/?digest=sha256:c5ac860fdf31b94c1a08559bcc51209af0e8f35a6c400e01499f533b73ecd36f as none -> 201
DeleteUserRepositoryAuth three -> 204 {}
DeleteUserRepositoryAuth gone -> 404 SVCSTG.SWR.4040091 Image permission not found
DeleteUserRepositoryAuth above -> 403 SVCSTG.SWR.4030170 Insufficient permissions
ShowUserRepositoryAuth after -> 200 {"id":31,"name":"app","others_auths":[{"auth":7,"user_id":"u-rseven","user_name":"rseven"},{"auth":3,"user_id":"u-rthree","user_name":"rthree"}],"self_auth":{"auth":7,"user_id":"u-alice","user_name":"alice"}}
GET /v2/ns1/app/manifests/latest as none -> 403
--- no_error_log
[error]
[alert]



=== TEST 12: bodies that are not JSON, or JSON cjson cannot tell apart (hexadecimal, signed, zero-padded numbers, "3.", Infinity; [[]]; a name twice), are 400 4001018
--- init
main::seed();
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_secret_key_file $TEST_NGINX_SWR_KEYS/secret.hex;
--- config
    location /v2/manage/ {
        swr_manage_api;
        swr_auth on;
    }
--- request eval
[map { $_->[0][0] } @main::KNOWN_JSON]
--- more_headers eval
[map { $_->[0][1] } @main::KNOWN_JSON]
--- error_code eval
[map { $_->[1] } @main::KNOWN_JSON]
--- response_body_like eval
[map { $_->[2] } @main::KNOWN_JSON]
--- no_error_log
[error]
[alert]



=== TEST 13: a name no organization or repository can have in the path is answered 400 (4001028, 4001029), once (no script runs after it)
--- init
main::seed();
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_secret_key_file $TEST_NGINX_SWR_KEYS/secret.hex;
--- config
    location /v2/manage/ {
        swr_manage_api;
        swr_auth on;
    }
--- request eval
[map { $_->[0][0] } @main::KNOWN_NAMES]
--- more_headers eval
[map { $_->[0][1] } @main::KNOWN_NAMES]
--- error_code eval
[map { $_->[1] } @main::KNOWN_NAMES]
--- response_body_like eval
[map { $_->[2] } @main::KNOWN_NAMES]
--- no_error_log
[error]
[alert]
