# vim:set ft= ts=4 sw=4 et fdm=marker:
# Organizations through the management API (swr-api.md 4.2) and the API
# version documents (4.1): CreateNamespace, ListNamespaces, ShowNamespace,
# DeleteNamespaces, ListApiVersions, ShowApiVersion; every documented
# error (1.5.2), malformed bodies, the filter syntax (1.7), and who may do
# what (docs/authorization.md): the account's administrator, users with a
# grant of 1, 3 and 7, a user without one, another account's
# administrator, no credentials, and swr_auth off.
#
# Requests made here authenticate with X-Auth-Token (the tokens below);
# Huawei's SWR SDK for Node (t/lib/swr-sdk-call.js, AK/SK signatures)
# drives each operation once more from --- init, and the block compares
# what the SDK parsed out of each answer.
#
# Every block's --- init writes Redis afresh (FLUSHALL first):
#
#   account acct-a: alice (administrator), one, three, seven (grants 1,
#                   3, 7 on ns1), none (no namespace grant; a grant of 1
#                   on the repository ns3/app)
#   account acct-b: bob (administrator)
#   ns1 (acct-a, by alice, id 11), ns2 (acct-a, by seven, id 12), ns3
#   (acct-a, no creator, id 13, holds ns3/app), nsb (acct-b, by bob, id
#   21); the next id is 101.

use Test::Nginx::Socket;
use SwrTest;
use SwrAuth;
use SwrSdk;

use File::Basename ();
use File::Spec ();
use IPC::Open3 ();
use JSON::PP ();
use Time::HiRes ();

$ENV{TEST_NGINX_REDIS_PORT} ||= 6379;

SwrAuth::key_dir();

our $PROJECT = '0123456789abcdef0123456789abcdef';

# user id => [name, account, admin, AK]
our %USER = (
    'u-alice' => [ 'alice', 'acct-a', 1, 'AKALICE00000000001' ],
    'u-one'   => [ 'one',   'acct-a', 0, 'AKONE0000000000001' ],
    'u-three' => [ 'three', 'acct-a', 0, 'AKTHREE00000000001' ],
    'u-seven' => [ 'seven', 'acct-a', 0, 'AKSEVEN00000000001' ],
    'u-none'  => [ 'none',  'acct-a', 0, 'AKNONE000000000001' ],
    'u-bob'   => [ 'bob',   'acct-b', 1, 'AKBOB0000000000001' ],
);

sub sk_of { return "SK/$_[0]/secret+key" }
sub ak_of { return $USER{"u-$_[0]"}[3] }

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
        [ 'ns2', 'acct-a', 'u-seven', 12 ],
        [ 'ns3', 'acct-a', undef,     13 ],
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

    SwrAuth::ns_grant('ns1', 'u-one', 1);
    SwrAuth::ns_grant('ns1', 'u-three', 3);
    SwrAuth::ns_grant('ns1', 'u-seven', 7);

    SwrTest::command('ZADD', 'swr:repos', 0, 'ns3/app');
    SwrTest::command('HSET', 'swr:{r:ns3/app}:manifests',
                     'sha256:' . ('0' x 64), '2 application/json');
    SwrAuth::repo_grant('ns3/app', 'u-none', 1);

    SwrTest::command('SET', 'swr:ns:seq', 100);

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

# what a block expects of an answer
sub err {
    my ($code) = @_;
    (my $q = $code) =~ s/\./\\./g;
    return qr/^\{"errors":\[\{"errorCode":"$q","errorMessage":"[^"]+","detail":"[^"]*"\}\],"error_code":"$q","error_msg":"[^"]+","details":\[\{"error_code":"$q","error_msg":"[^"]*"\}\]\}$/;
}

sub exact { my $s = quotemeta $_[0]; return qr/^$s$/ }

our $EMPTY = qr/^$/;

sub ns { my ($id, $name, $creator, $auth) = @_;
         return qq{{"id":$id,"name":"$name","creator_name":"$creator","auth":$auth}} }

sub list { return exact('{"namespaces":[' . join(',', @_) . ']}') }

# the cases of a block: [[who, method, uri, body], status, body regex]
sub case { my ($r, $status, $like) = @_; return [ req(@$r), $status, $like ] }

# ---- TEST 2: CreateNamespace, who may -------------------------------------

our @CREATE = (
    case([ 'alice', 'POST', '/v2/manage/namespaces', '{"namespace":"new-ns"}' ], 201, $EMPTY),
    case([ 'alice', 'GET', '/v2/manage/namespaces/new-ns' ], 200, exact(ns(101, 'new-ns', 'alice', 7))),
    case([ 'alice', 'POST', '/v2/manage/namespaces', '{"namespace":"new-ns"}' ], 409, err('SVCSTG.SWR.4090060')),
    # unique across accounts
    case([ 'bob', 'POST', '/v2/manage/namespaces', '{"namespace":"new-ns"}' ], 409, err('SVCSTG.SWR.4090060')),
    case([ 'bob', 'POST', '/v2/manage/namespaces', '{"namespace":"ns1"}' ], 409, err('SVCSTG.SWR.4090060')),
    case([ 'bob', 'POST', '/v2/manage/namespaces', '{"namespace":"bobs"}' ], 201, $EMPTY),
    case([ 'bob', 'GET', '/v2/manage/namespaces/bobs' ], 200, exact(ns(102, 'bobs', 'bob', 7))),
    # another account's administrator does not see it
    case([ 'alice', 'GET', '/v2/manage/namespaces/bobs' ], 404, err('SVCSTG.SWR.4040058')),
    # only an account's administrator creates
    case([ 'seven', 'POST', '/v2/manage/namespaces', '{"namespace":"by-seven"}' ], 403, err('SVCSTG.SWR.4030170')),
    case([ 'three', 'POST', '/v2/manage/namespaces', '{"namespace":"by-three"}' ], 403, err('SVCSTG.SWR.4030170')),
    case([ 'one', 'POST', '/v2/manage/namespaces', '{"namespace":"by-one"}' ], 403, err('SVCSTG.SWR.4030170')),
    case([ 'none', 'POST', '/v2/manage/namespaces', '{"namespace":"by-none"}' ], 403, err('SVCSTG.SWR.4030170')),
    case([ undef, 'POST', '/v2/manage/namespaces', '{"namespace":"by-nobody"}' ], 401, err('SVCSTG.S2I.4019000')),
    # the one created before the refusals is still the only new one
    case([ 'alice', 'GET', '/v2/manage/namespaces' ], 200,
         list(ns(101, 'new-ns', 'alice', 7), ns(11, 'ns1', 'alice', 7),
              ns(12, 'ns2', 'seven', 7), ns(13, 'ns3', '', 7))),
    # other methods on the collection
    case([ 'alice', 'PUT', '/v2/manage/namespaces', '{"namespace":"x"}' ], 404, err('SVCSTG.SWR.4040083')),
    case([ 'alice', 'PATCH', '/v2/manage/namespaces/ns1', '{"namespace":"x"}' ], 404, err('SVCSTG.SWR.4040083')),
    case([ 'alice', 'GET', '/v2/manage/namespaces/ns1/nothing' ], 404, err('SVCSTG.SWR.4040083')),
);

# ---- TEST 3: CreateNamespace, bodies and names ----------------------------

our @BODIES = (
    # not JSON, not an object, a field of the wrong type: 4001018
    [ '', 400, 'SVCSTG.SWR.4001018' ],
    [ 'namespace=abc', 400, 'SVCSTG.SWR.4001018' ],
    [ '{"namespace":"abc"', 400, 'SVCSTG.SWR.4001018' ],
    [ '{"namespace":"abc"} {}', 400, 'SVCSTG.SWR.4001018' ],
    [ '{"namespace":"abc"}x', 400, 'SVCSTG.SWR.4001018' ],
    [ "{'namespace':'abc'}", 400, 'SVCSTG.SWR.4001018' ],
    [ '[]', 400, 'SVCSTG.SWR.4001018' ],
    [ '["abc"]', 400, 'SVCSTG.SWR.4001018' ],
    [ '"abc"', 400, 'SVCSTG.SWR.4001018' ],
    [ 'null', 400, 'SVCSTG.SWR.4001018' ],
    [ '{"namespace":5}', 400, 'SVCSTG.SWR.4001018' ],
    [ '{"namespace":null}', 400, 'SVCSTG.SWR.4001018' ],
    [ '{"namespace":true}', 400, 'SVCSTG.SWR.4001018' ],
    [ '{"namespace":["abc"]}', 400, 'SVCSTG.SWR.4001018' ],
    [ '{"namespace":{"name":"abc"}}', 400, 'SVCSTG.SWR.4001018' ],
    [ '{"namespace":"abc","namespace":"abd"}', 400, 'SVCSTG.SWR.4001018' ],
    [ "{\"namespace\":\"ab\xffc\"}", 400, 'SVCSTG.SWR.4001018' ],
    # missing: 4001014; unknown fields: 4000014
    [ '{}', 400, 'SVCSTG.SWR.4001014' ],
    [ '{"name":"abc"}', 400, 'SVCSTG.SWR.4000014' ],
    [ '{"namespace":"abc","extra":1}', 400, 'SVCSTG.SWR.4000014' ],
    [ '{"Namespace":"abc"}', 400, 'SVCSTG.SWR.4000014' ],
    # too long
    [ '{"namespace":"abc","pad":"' . ('x' x 5000) . '"}', 413, 'SVCSTG.SWR.4131001' ],
    [ '{"namespace":"abc"' . (' ' x 5000) . '}', 413, 'SVCSTG.SWR.4131001' ],
    # names outside the rule of 1.6: 4001028
    (map { [ qq{{"namespace":"$_"}}, 400, 'SVCSTG.SWR.4001028' ] }
         '', 'Abc', 'aBc', '1abc', '_abc', '-abc', '.abc', 'abc-', 'abc.',
         'abc_', 'a..b', 'a._b', 'a-.b', 'a_-b', 'a___b', 'a/b', 'a b',
         'a:b', 'a$b', 'library', 'manage', 'a' x 65, "gr\\u00fcn",
         'abc\\u0000'),
    # names inside it: 201
    (map { [ qq{{"namespace":"$_"}}, 201, undef ] }
         'a', 'a1', 'a-b', 'a--b', 'a---b', 'a_b', 'a__b', 'a.b',
         'a1.b2_c3-d4__e5--f6', 'z' x 64, 'librarian', 'manager'),
    # whitespace and escapes are JSON's business
    [ qq{ \n\t{ "namespace" : "\\u0073paced" } \n}, 201, undef ],
);

our @BODY_CASES = map {
    case([ 'alice', 'POST', '/v2/manage/namespaces', $_->[0] ], $_->[1],
         defined $_->[2] ? err($_->[2]) : $EMPTY)
} @BODIES;

# ---- TEST 4: ListNamespaces ------------------------------------------------

our @LIST = (
    # what each caller may read
    case([ 'alice', 'GET', '/v2/manage/namespaces' ], 200,
         list(ns(11, 'ns1', 'alice', 7), ns(12, 'ns2', 'seven', 7),
              ns(13, 'ns3', '', 7))),
    case([ 'one', 'GET', '/v2/manage/namespaces' ], 200, list(ns(11, 'ns1', 'alice', 1))),
    case([ 'three', 'GET', '/v2/manage/namespaces' ], 200, list(ns(11, 'ns1', 'alice', 3))),
    case([ 'seven', 'GET', '/v2/manage/namespaces' ], 200,
         list(ns(11, 'ns1', 'alice', 7), ns(12, 'ns2', 'seven', 7))),
    case([ 'none', 'GET', '/v2/manage/namespaces' ], 200, list()),
    case([ 'bob', 'GET', '/v2/manage/namespaces' ], 200, list(ns(21, 'nsb', 'bob', 7))),
    # mode::visible: also where only a repository grant is held
    case([ 'none', 'GET', '/v2/manage/namespaces?filter=mode%3A%3Avisible' ], 200,
         list(ns(13, 'ns3', '', 1))),
    case([ 'one', 'GET', '/v2/manage/namespaces?filter=mode::visible' ], 200,
         list(ns(11, 'ns1', 'alice', 1))),
    # one by name: parameter, filter (filter wins)
    case([ 'alice', 'GET', '/v2/manage/namespaces?namespace=ns2' ], 200, list(ns(12, 'ns2', 'seven', 7))),
    case([ 'alice', 'GET', '/v2/manage/namespaces?filter=namespace%3A%3Ans1' ], 200, list(ns(11, 'ns1', 'alice', 7))),
    case([ 'alice', 'GET', '/v2/manage/namespaces?namespace=ns2&filter=namespace::ns1' ], 200,
         list(ns(11, 'ns1', 'alice', 7))),
    case([ 'alice', 'GET', '/v2/manage/namespaces?filter=namespace::ns1%7Cmode::visible' ], 200,
         list(ns(11, 'ns1', 'alice', 7))),
    case([ 'none', 'GET', '/v2/manage/namespaces?filter=mode::visible|namespace::ns3' ], 200,
         list(ns(13, 'ns3', '', 1))),
    case([ 'none', 'GET', '/v2/manage/namespaces?filter=namespace::ns3' ], 200, list()),
    case([ 'bob', 'GET', '/v2/manage/namespaces?namespace=ns1' ], 200, list()),
    case([ 'alice', 'GET', '/v2/manage/namespaces?namespace=nothing' ], 200, list()),
    case([ 'alice', 'GET', '/v2/manage/namespaces?filter=' ], 200,
         list(ns(11, 'ns1', 'alice', 7), ns(12, 'ns2', 'seven', 7),
              ns(13, 'ns3', '', 7))),
    # bad filters: 4001035; a bad name: 4001028
    case([ 'alice', 'GET', '/v2/manage/namespaces?filter=name::ns1' ], 400, err('SVCSTG.SWR.4001035')),
    case([ 'alice', 'GET', '/v2/manage/namespaces?filter=namespace' ], 400, err('SVCSTG.SWR.4001035')),
    case([ 'alice', 'GET', '/v2/manage/namespaces?filter=namespace:ns1' ], 400, err('SVCSTG.SWR.4001035')),
    case([ 'alice', 'GET', '/v2/manage/namespaces?filter=mode::all' ], 400, err('SVCSTG.SWR.4001035')),
    case([ 'alice', 'GET', '/v2/manage/namespaces?filter=mode::' ], 400, err('SVCSTG.SWR.4001035')),
    case([ 'alice', 'GET', '/v2/manage/namespaces?filter=namespace::ns1|' ], 400, err('SVCSTG.SWR.4001035')),
    case([ 'alice', 'GET', '/v2/manage/namespaces?filter=namespace::ns1|namespace::ns2' ], 400, err('SVCSTG.SWR.4001035')),
    case([ 'alice', 'GET', '/v2/manage/namespaces?filter=limit::10|offset::0' ], 400, err('SVCSTG.SWR.4001035')),
    case([ 'alice', 'GET', '/v2/manage/namespaces?namespace=NS1' ], 400, err('SVCSTG.SWR.4001028')),
    case([ 'alice', 'GET', '/v2/manage/namespaces?filter=namespace::a%2Fb' ], 400, err('SVCSTG.SWR.4001028')),
    case([ undef, 'GET', '/v2/manage/namespaces' ], 401, err('SVCSTG.S2I.4019000')),
);

# ---- TEST 5: ShowNamespace -------------------------------------------------

our @SHOW = (
    case([ 'alice', 'GET', '/v2/manage/namespaces/ns1' ], 200, exact(ns(11, 'ns1', 'alice', 7))),
    case([ 'one', 'GET', '/v2/manage/namespaces/ns1' ], 200, exact(ns(11, 'ns1', 'alice', 1))),
    case([ 'three', 'GET', '/v2/manage/namespaces/ns1' ], 200, exact(ns(11, 'ns1', 'alice', 3))),
    case([ 'seven', 'GET', '/v2/manage/namespaces/ns1' ], 200, exact(ns(11, 'ns1', 'alice', 7))),
    case([ 'seven', 'GET', '/v2/manage/namespaces/ns2' ], 200, exact(ns(12, 'ns2', 'seven', 7))),
    case([ 'alice', 'GET', '/v2/manage/namespaces/ns3' ], 200, exact(ns(13, 'ns3', '', 7))),
    case([ 'bob', 'GET', '/v2/manage/namespaces/nsb' ], 200, exact(ns(21, 'nsb', 'bob', 7))),
    # not visible: as absent
    case([ 'none', 'GET', '/v2/manage/namespaces/ns1' ], 404, err('SVCSTG.SWR.4040058')),
    case([ 'none', 'GET', '/v2/manage/namespaces/ns3' ], 404, err('SVCSTG.SWR.4040058')),
    case([ 'one', 'GET', '/v2/manage/namespaces/ns2' ], 404, err('SVCSTG.SWR.4040058')),
    case([ 'bob', 'GET', '/v2/manage/namespaces/ns1' ], 404, err('SVCSTG.SWR.4040058')),
    case([ 'alice', 'GET', '/v2/manage/namespaces/nsb' ], 404, err('SVCSTG.SWR.4040058')),
    case([ 'alice', 'GET', '/v2/manage/namespaces/nothing' ], 404, err('SVCSTG.SWR.4040058')),
    # a name no namespace can have
    case([ 'alice', 'GET', '/v2/manage/namespaces/NS1' ], 400, err('SVCSTG.SWR.4001028')),
    case([ 'alice', 'GET', '/v2/manage/namespaces/' . ('a' x 65) ], 400, err('SVCSTG.SWR.4001028')),
    case([ 'alice', 'GET', '/v2/manage/namespaces/gr%C3%BCn' ], 400, err('SVCSTG.SWR.4001028')),
    case([ undef, 'GET', '/v2/manage/namespaces/ns1' ], 401, err('SVCSTG.S2I.4019000')),
    # a namespace util/swr-admin made (no id yet) gets one
    case([ 'alice', 'GET', '/v2/manage/namespaces/old' ], 200, exact(ns(101, 'old', 'alice', 7))),
    case([ 'alice', 'GET', '/v2/manage/namespaces/old' ], 200, exact(ns(101, 'old', 'alice', 7))),
);

# ---- TEST 6: DeleteNamespaces ----------------------------------------------

our @DELETE = (
    # 7 needed; without 1 it does not exist
    case([ 'one', 'DELETE', '/v2/manage/namespaces/ns1' ], 403, err('SVCSTG.SWR.4030170')),
    case([ 'three', 'DELETE', '/v2/manage/namespaces/ns1' ], 403, err('SVCSTG.SWR.4030170')),
    case([ 'none', 'DELETE', '/v2/manage/namespaces/ns1' ], 404, err('SVCSTG.SWR.4040058')),
    case([ 'bob', 'DELETE', '/v2/manage/namespaces/ns1' ], 404, err('SVCSTG.SWR.4040058')),
    case([ undef, 'DELETE', '/v2/manage/namespaces/ns1' ], 401, err('SVCSTG.S2I.4019000')),
    case([ 'alice', 'GET', '/v2/manage/namespaces/ns1' ], 200, exact(ns(11, 'ns1', 'alice', 7))),
    # a grant of 7
    case([ 'seven', 'DELETE', '/v2/manage/namespaces/ns1' ], 204, $EMPTY),
    case([ 'alice', 'GET', '/v2/manage/namespaces/ns1' ], 404, err('SVCSTG.SWR.4040058')),
    case([ 'seven', 'DELETE', '/v2/manage/namespaces/ns1' ], 404, err('SVCSTG.SWR.4040058')),
    # the account's administrator; a stale catalog entry goes with it
    case([ 'alice', 'DELETE', '/v2/manage/namespaces/ns2' ], 204, $EMPTY),
    # one that holds an image: 406
    case([ 'alice', 'DELETE', '/v2/manage/namespaces/ns3' ], 406, err('SVCSTG.SWR.4060074')),
    case([ 'alice', 'GET', '/v2/manage/namespaces/ns3' ], 200, exact(ns(13, 'ns3', '', 7))),
    case([ 'bob', 'DELETE', '/v2/manage/namespaces/nsb' ], 204, $EMPTY),
    case([ 'alice', 'DELETE', '/v2/manage/namespaces/nothing' ], 404, err('SVCSTG.SWR.4040058')),
    case([ 'alice', 'DELETE', '/v2/manage/namespaces/Bad' ], 400, err('SVCSTG.SWR.4001028')),
    case([ 'alice', 'GET', '/v2/manage/namespaces' ], 200, list(ns(13, 'ns3', '', 7))),
    # the name is free again, with nothing of the old grants
    case([ 'alice', 'POST', '/v2/manage/namespaces', '{"namespace":"ns1"}' ], 201, $EMPTY),
    case([ 'one', 'GET', '/v2/manage/namespaces/ns1' ], 404, err('SVCSTG.SWR.4040058')),
    case([ 'alice', 'GET', '/v2/manage/namespaces/ns1' ], 200, exact(ns(101, 'ns1', 'alice', 7))),
);

# ---- TEST 7: swr_auth off: no identity -------------------------------------

our @NO_AUTH = (
    case([ 'alice', 'GET', '/v2/manage/namespaces' ], 401, err('SVCSTG.S2I.4019000')),
    case([ 'alice', 'POST', '/v2/manage/namespaces', '{"namespace":"abc"}' ], 401, err('SVCSTG.S2I.4019000')),
    case([ 'alice', 'GET', '/v2/manage/namespaces/ns1' ], 401, err('SVCSTG.S2I.4019000')),
    case([ 'alice', 'DELETE', '/v2/manage/namespaces/ns1' ], 401, err('SVCSTG.S2I.4019000')),
);

# ---- TEST 1: the version documents -----------------------------------------

our $VERSION = '{"id":"v2","links":{"href":"http://localhost/v2/","rel":"self"},'
               . '"version":"2.26","status":"CURRENT",'
               . '"updated":"2017-12-09T00:00:00Z","min_version":"2.0"}';

our @VERSIONS = (
    case([ undef, 'GET', '/' ], 200, exact(qq{{"versions":[$VERSION]}})),
    case([ undef, 'GET', '/v2' ], 200, exact(qq{{"version":$VERSION}})),
    case([ 'alice', 'GET', '/v2' ], 200, exact(qq{{"version":$VERSION}})),
    case([ undef, 'GET', '/v3' ], 404, err('SVCSTG.SWR.4040083')),
    case([ undef, 'GET', '/v1' ], 404, err('SVCSTG.SWR.4040083')),
    case([ undef, 'POST', '/', '{}' ], 404, err('SVCSTG.SWR.4040083')),
    case([ undef, 'DELETE', '/v2' ], 404, err('SVCSTG.SWR.4040083')),
);

# ---- the SDK as a client -----------------------------------------------------

# Runs t/lib/swr-sdk-call.js for each call ([label, user, operation,
# params]) and writes html/<name>.txt: per call "<Operation> <label> ->
# <status> <what the SDK parsed>" (its response object as canonical JSON,
# or the error code and message it threw).  Never dies.
our $JSON = JSON::PP->new->canonical(1);

sub sdk_report {
    my ($name, @calls) = @_;

    my $root = $ENV{TEST_NGINX_SERVER_ROOT} || '.';
    my $endpoint = 'http://127.0.0.1:'
                   . ($ENV{TEST_NGINX_SERVER_PORT} || 1984);
    my @out;

    for my $c (@calls) {
        my ($label, $who, $op, $params) = @$c;

        my $line = eval {
            my $r = SwrSdk::call($endpoint, ak_of($who), sk_of($who), $PROJECT, $op, $params);

            my $body = $JSON->encode($r->{body} // {});
            $body =~ s{\Q$endpoint\E}{http://ENDPOINT}g;

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

    if (open my $fh, '>', "$root/html/$name.txt") {
        print $fh map { "$_\n" } @out;
        close $fh;
    }

    return 1;
}

repeat_each(1);

# per request: status, body, [error], [alert]
plan tests => repeat_each() * 4 * (
    @VERSIONS + @CREATE + @BODY_CASES + @LIST + @SHOW + @DELETE + @NO_AUTH
    + 1                                 # TEST 8: the SDK's report
);

no_long_string();
no_shuffle();
run_tests();

__DATA__

=== TEST 1: ListApiVersions GET / and ShowApiVersion GET /v2 need no identity; other versions and methods are unknown URLs
--- init
main::seed();
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_secret_key_file $TEST_NGINX_SWR_KEYS/secret.hex;
--- config
    location = / {
        swr_manage_api;
    }
    location ~ ^/v[0-9]+$ {
        swr_manage_api;
    }
--- request eval
[map { $_->[0][0] } @main::VERSIONS]
--- more_headers eval
[map { $_->[0][1] } @main::VERSIONS]
--- error_code eval
[map { $_->[1] } @main::VERSIONS]
--- response_body_like eval
[map { $_->[2] } @main::VERSIONS]
--- no_error_log
[error]
[alert]



=== TEST 2: CreateNamespace: 201 for an account's administrator, the creator's grant 7; 409 for a name taken in any account; 403 for users, whatever their grants; 401 without credentials; other methods 404
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
[map { $_->[0][0] } @main::CREATE]
--- more_headers eval
[map { $_->[0][1] } @main::CREATE]
--- error_code eval
[map { $_->[1] } @main::CREATE]
--- response_body_like eval
[map { $_->[2] } @main::CREATE]
--- no_error_log
[error]
[alert]



=== TEST 3: CreateNamespace bodies: not JSON, not an object, wrong types, a name twice, bad UTF-8 (4001018); no name (4001014); other fields (4000014); over 4 KiB (413 4131001); names outside swr-api.md 1.6 (4001028) and inside it (201)
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
[map { $_->[0][0] } @main::BODY_CASES]
--- more_headers eval
[map { $_->[0][1] } @main::BODY_CASES]
--- error_code eval
[map { $_->[1] } @main::BODY_CASES]
--- response_body_like eval
[map { $_->[2] } @main::BODY_CASES]
--- no_error_log
[error]
[alert]



=== TEST 4: ListNamespaces: what each caller may read with his level; mode::visible adds repository grants; by name (parameter, filter; filter wins); bad filters 4001035, bad names 4001028
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
[map { $_->[0][0] } @main::LIST]
--- more_headers eval
[map { $_->[0][1] } @main::LIST]
--- error_code eval
[map { $_->[1] } @main::LIST]
--- response_body_like eval
[map { $_->[2] } @main::LIST]
--- no_error_log
[error]
[alert]



=== TEST 5: ShowNamespace: the caller's level; 404 4040058 when absent or not readable (another account, only a repository grant); 400 4001028 for impossible names; an id for a namespace made without one
--- init
main::seed();
SwrTest::command('HSET', 'swr:ns:{old}', account => 'acct-a', creator => 'u-alice');
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_secret_key_file $TEST_NGINX_SWR_KEYS/secret.hex;
--- config
    location /v2/manage/ {
        swr_manage_api;
        swr_auth on;
    }
--- request eval
[map { $_->[0][0] } @main::SHOW]
--- more_headers eval
[map { $_->[0][1] } @main::SHOW]
--- error_code eval
[map { $_->[1] } @main::SHOW]
--- response_body_like eval
[map { $_->[2] } @main::SHOW]
--- no_error_log
[error]
[alert]



=== TEST 6: DeleteNamespaces: 7 needed (403 with 1 or 3, 404 without any, or from another account); 406 4060074 while it holds an image; the grants go with it
--- init
main::seed();
SwrTest::command('ZADD', 'swr:repos', 0, 'ns2/gone');
SwrTest::command('HSET', 'swr:{r:ns2/gone}:grants', 'u-one', 3);
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_secret_key_file $TEST_NGINX_SWR_KEYS/secret.hex;
--- config
    location /v2/manage/ {
        swr_manage_api;
        swr_auth on;
    }
--- request eval
[map { $_->[0][0] } @main::DELETE]
--- more_headers eval
[map { $_->[0][1] } @main::DELETE]
--- error_code eval
[map { $_->[1] } @main::DELETE]
--- response_body_like eval
[map { $_->[2] } @main::DELETE]
--- no_error_log
[error]
[alert]



=== TEST 7: swr_auth off: no identity, every organization operation is 401 SVCSTG.S2I.4019000
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



=== TEST 8: Huawei's SWR SDK for Node: every operation, what it parsed of each answer and of each error
--- init
main::seed();
main::sdk_report('sdk',
    ['', 'alice', 'ListApiVersions', ''],
    ['v2', 'alice', 'ShowApiVersion', '{"api_version":"v2"}'],
    ['v9', 'alice', 'ShowApiVersion', '{"api_version":"v9"}'],
    ['alice', 'alice', 'CreateNamespace', '{"body":{"namespace":"sdk-ns"}}'],
    ['again', 'alice', 'CreateNamespace', '{"body":{"namespace":"sdk-ns"}}'],
    ['bad name', 'alice', 'CreateNamespace', '{"body":{"namespace":"Sdk"}}'],
    ['no name', 'alice', 'CreateNamespace', '{"body":{}}'],
    ['seven', 'seven', 'CreateNamespace', '{"body":{"namespace":"sdk-7"}}'],
    ['alice', 'alice', 'ShowNamespace', '{"namespace":"sdk-ns"}'],
    ['one', 'one', 'ShowNamespace', '{"namespace":"ns1"}'],
    ['bob', 'bob', 'ShowNamespace', '{"namespace":"ns1"}'],
    ['alice', 'alice', 'ListNamespaces', ''],
    ['three', 'three', 'ListNamespaces', ''],
    ['namespace', 'alice', 'ListNamespaces', '{"namespace":"ns2"}'],
    ['filter', 'none', 'ListNamespaces', '{"filter":"namespace::ns3|mode::visible"}'],
    ['bad filter', 'alice', 'ListNamespaces', '{"filter":"limit::10"}'],
    ['three', 'three', 'DeleteNamespaces', '{"namespace":"ns1"}'],
    ['full', 'alice', 'DeleteNamespaces', '{"namespace":"ns3"}'],
    ['alice', 'alice', 'DeleteNamespaces', '{"namespace":"sdk-ns"}'],
    ['gone', 'alice', 'DeleteNamespaces', '{"namespace":"sdk-ns"}'],
);
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_secret_key_file $TEST_NGINX_SWR_KEYS/secret.hex;
--- config
    location = / {
        swr_manage_api;
    }
    location ~ ^/v[0-9]+$ {
        swr_manage_api;
    }
    location /v2/manage/ {
        swr_manage_api;
        swr_auth on;
    }
--- request
GET /sdk.txt
--- response_body
ListApiVersions  -> 200 {"versions":[{"id":"v2","links":{"href":"http://ENDPOINT/v2/","rel":"self"},"min_version":"2.0","status":"CURRENT","updated":"2017-12-09T00:00:00Z","version":"2.26"}]}
ShowApiVersion v2 -> 200 {"version":{"id":"v2","links":{"href":"http://ENDPOINT/v2/","rel":"self"},"min_version":"2.0","status":"CURRENT","updated":"2017-12-09T00:00:00Z","version":"2.26"}}
ShowApiVersion v9 -> 404 SVCSTG.SWR.4040083 Requested URL not found
CreateNamespace alice -> 201 {}
CreateNamespace again -> 409 SVCSTG.SWR.4090060 Organization already exists
CreateNamespace bad name -> 400 SVCSTG.SWR.4001028 Invalid organization name
CreateNamespace no name -> 400 SVCSTG.SWR.4001014 A mandatory parameter is missing
CreateNamespace seven -> 403 SVCSTG.SWR.4030170 Insufficient permissions
ShowNamespace alice -> 200 {"auth":7,"creator_name":"alice","id":101,"name":"sdk-ns"}
ShowNamespace one -> 200 {"auth":1,"creator_name":"alice","id":11,"name":"ns1"}
ShowNamespace bob -> 404 SVCSTG.SWR.4040058 Organization not found
ListNamespaces alice -> 200 {"namespaces":[{"auth":7,"creator_name":"alice","id":11,"name":"ns1"},{"auth":7,"creator_name":"seven","id":12,"name":"ns2"},{"auth":7,"creator_name":"","id":13,"name":"ns3"},{"auth":7,"creator_name":"alice","id":101,"name":"sdk-ns"}]}
ListNamespaces three -> 200 {"namespaces":[{"auth":3,"creator_name":"alice","id":11,"name":"ns1"}]}
ListNamespaces namespace -> 200 {"namespaces":[{"auth":7,"creator_name":"seven","id":12,"name":"ns2"}]}
ListNamespaces filter -> 200 {"namespaces":[{"auth":1,"creator_name":"","id":13,"name":"ns3"}]}
ListNamespaces bad filter -> 400 SVCSTG.SWR.4001035 Invalid filtering criteria
DeleteNamespaces three -> 403 SVCSTG.SWR.4030170 Insufficient permissions
DeleteNamespaces full -> 406 SVCSTG.SWR.4060074 The organization still holds images
DeleteNamespaces alice -> 204 {}
DeleteNamespaces gone -> 404 SVCSTG.SWR.4040058 Organization not found
--- no_error_log
[error]
[alert]
