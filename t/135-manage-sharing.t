# vim:set ft= ts=4 sw=4 et fdm=marker:
# Sharing a repository with other accounts (swr-api.md 4.5, under
# /v2/manage/namespaces/{namespace}/repositories/{repository}/
# access-domains[/{access_domain}]: note "repositories"):
# CreateRepoDomains, ListRepoDomains, ShowAccessDomain, UpdateRepoDomains,
# DeleteRepoDomains.  Only a holder of 7 shares (others 403; who cannot
# read the repository 404); the account is named, must exist (400
# 4000014) and not be the owner's (400 4000014); permit only "read" (400
# 4001091); a deadline in RFC 3339 or "forever" (past or malformed: 400
# 4000014); shared twice 409 4090089; a share that is not there 400
# 4001090 (ShowAccessDomain: {"exist": false} when the account itself is
# unknown).  The deadline takes effect on the registry (a pull with Basic
# credentials while shared, after the delete, after the deadline passed;
# swr_auth_cache 0), in ListRepoDomains ("status") and in
# ListSharedReposDetails (center=thirdparty for the account shared with,
# center=self for the owner's).  A share util/swr-admin made (only
# swr:{r:...}:shares) is listed, shown, updated and deleted like the
# others.
#
# Requests made here authenticate with X-Auth-Token (the tokens below),
# registry requests with Basic (SWR's login key); Huawei's SWR SDK for
# Node (t/lib/swr-sdk-call.js, AK/SK signatures) drives each operation
# once more from --- init, and the block compares what the SDK parsed out
# of each answer.
#
# Every block's --- init writes Redis afresh (FLUSHALL first):
#
#   account alpha (acct-a): alice (administrator), seven, three, one
#                   (grants 7, 3, 1 on ns1), rseven (7 on ns1/app only),
#                   none (no grants)
#   account beta (acct-b): bob (administrator), bea
#   account gamma (acct-c): carl (administrator)
#   account delta (acct-d): dora (administrator)
#   account epsilon (acct-e): eve (administrator)
#   ns1 (alpha, id 11), nsb (beta, id 21); repositories ns1/app (id 31,
#   the image ns1/app:latest), ns1/team/web (id 32), nsb/app (id 41)
#
# and, in the blocks that say so, the shares of ns1/app as
# CreateRepoDomains makes them (:shares and :sharedoc, made by alice at
# 1700000000 = 2023-11-14T22:13:20Z, updated 100 s later): beta forever,
# gamma until 1700000000 (passed), delta until 4102444800
# (2100-01-01T00:00:00Z); and epsilon forever as util/swr-admin makes it
# (:shares only).

use Test::Nginx::Socket;
use SwrTest;
use SwrAuth;
use SwrSdk;

use File::Basename ();
use File::Spec ();
use IPC::Open3 ();
use JSON::PP ();
use Time::Local ();

$ENV{TEST_NGINX_REDIS_PORT} ||= 6379;

SwrAuth::key_dir();

our $PROJECT = '0123456789abcdef0123456789abcdef';

# account id => name
our %ACCOUNT = ('acct-a' => 'alpha', 'acct-b' => 'beta', 'acct-c' => 'gamma',
                'acct-d' => 'delta', 'acct-e' => 'epsilon');

# user id => [name, account, admin, AK]
our %USER = (
    'u-alice'  => [ 'alice',  'acct-a', 1, 'AKALICE00000000001' ],
    'u-seven'  => [ 'seven',  'acct-a', 0, 'AKSEVEN00000000001' ],
    'u-three'  => [ 'three',  'acct-a', 0, 'AKTHREE00000000001' ],
    'u-one'    => [ 'one',    'acct-a', 0, 'AKONE0000000000001' ],
    'u-rseven' => [ 'rseven', 'acct-a', 0, 'AKRSEVEN0000000001' ],
    'u-none'   => [ 'none',   'acct-a', 0, 'AKNONE000000000001' ],
    'u-bob'    => [ 'bob',    'acct-b', 1, 'AKBOB0000000000001' ],
    'u-bea'    => [ 'bea',    'acct-b', 0, 'AKBEA0000000000001' ],
    'u-carl'   => [ 'carl',   'acct-c', 1, 'AKCARL000000000001' ],
    'u-dora'   => [ 'dora',   'acct-d', 1, 'AKDORA000000000001' ],
    'u-eve'    => [ 'eve',    'acct-e', 1, 'AKEVE0000000000001' ],
);

sub sk_of { return "SK/$_[0]/secret+key" }
sub ak_of { return $USER{"u-$_[0]"}[3] }

# the image every block finds in ns1/app
our $MANIFEST = SwrTest::manifest('config of ns1/app', ['layer of ns1/app']);
our $MDIGEST = SwrTest::sha256($MANIFEST);

sub seed {
    SwrTest::command('FLUSHALL');

    for my $id (sort keys %ACCOUNT) {
        SwrTest::command('HSET', 'swr:accounts', $ACCOUNT{$id}, $id);
        SwrTest::command('HSET', "swr:account:{$id}", name => $ACCOUNT{$id},
                         created => 1700000000);
    }

    for my $uid (sort keys %USER) {
        my ($name, $account, $admin, $ak) = @{ $USER{$uid} };
        SwrAuth::identity(user => $uid, name => $name, account => $account,
                          admin => $admin, ak => $ak, sk => sk_of($name));
        SwrTest::command('HSET', "swr:account:{$account}:users", $name, $uid);
        SwrTest::command('HSET', "swr:token:{tok-$name}", user => $uid,
                         expires => 0);
    }

    for ([ 'ns1', 'acct-a', 'u-alice', 11 ], [ 'nsb', 'acct-b', 'u-bob', 21 ]) {
        my ($ns, $account, $creator, $id) = @$_;
        SwrTest::command('HSET', "swr:ns:{$ns}", account => $account,
                         created => 1700000000, id => $id,
                         creator => $creator);
        SwrAuth::ns_grant($ns, $creator, 7);
        SwrTest::command('ZADD', 'swr:namespaces', 0, $ns);
        SwrTest::command('SADD', "swr:account:{$account}:namespaces", $ns);
    }

    SwrAuth::ns_grant('ns1', 'u-seven', 7);
    SwrAuth::ns_grant('ns1', 'u-three', 3);
    SwrAuth::ns_grant('ns1', 'u-one', 1);
    SwrAuth::repo_grant('ns1/app', 'u-rseven', 7);

    for ([ 'ns1/app', 31 ], [ 'ns1/team/web', 32 ], [ 'nsb/app', 41 ]) {
        my ($repo, $id) = @$_;
        SwrTest::command('HSET', "swr:{r:$repo}:meta", id => $id,
                         public => 0, category => 'other', description => '',
                         created => 1700000000, updated => 1700000000,
                         creator => 'u-alice', downloads => 0, size => 0);
        SwrTest::command('ZADD', 'swr:repos', 0, $repo);
    }

    SwrTest::command('HSET', 'swr:{r:ns1/app}:tags', 'latest', $MDIGEST);
    SwrTest::command('ZADD', 'swr:{r:ns1/app}:taglist', 0, 'latest');
    SwrTest::command('HSET', 'swr:{r:ns1/app}:manifests', $MDIGEST,
                     length($MANIFEST) . ' '
                     . 'application/vnd.oci.image.manifest.v1+json');
    SwrTest::command('HSET', 'swr:{r:ns1/app}:bodies', $MDIGEST, $MANIFEST);

    SwrTest::command('SET', 'swr:ns:seq', 100);
    SwrTest::command('SET', 'swr:repo:seq', 100);

    return 1;
}

# a share of ns1/app as CreateRepoDomains makes it
sub seed_share {
    my ($account, $until, $deadline, $description) = @_;
    SwrTest::command('HSET', 'swr:{r:ns1/app}:shares', $account, $until);
    SwrTest::command('HSET', 'swr:{r:ns1/app}:sharedoc', $account,
        JSON::PP->new->canonical(1)->encode({
            permit => 'read', deadline => $deadline,
            description => $description, creator_id => 'u-alice',
            creator_name => 'alice', created => 1700000000,
            updated => 1700000100 }));
}

sub seed_shares {
    seed();
    seed_share('acct-b', 0, 'forever', 'for beta');
    seed_share('acct-c', 1700000000, '2023-11-14T22:13:20Z', 'gamma, passed');
    seed_share('acct-d', 4102444800, '2100-01-01T00:00:00Z', '');
    SwrAuth::share('ns1/app', 'acct-e', 0);
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

# a time made by the request (RFC 3339 UTC, this year or the next)
our $NOW = 'NOW';

# A sharing record of ns1/app (or $repo) as a regex piece: access_domain,
# deadline, description, creator id and name, created, updated (a time,
# or $NOW), status, [exist]
sub rec {
    my (%r) = @_;
    my $time = sub {
        return $_[0] eq $NOW ? '20\d\d-\d\d-\d\dT\d\d:\d\d:\d\dZ'
                             : quotemeta $_[0];
    };
    my $s = quotemeta(qq[{"access_domain":"$r{domain}","created":"])
            . $time->($r{created} // '2023-11-14T22:13:20Z')
            . quotemeta(qq[","creator_id":"] . ($r{creator_id} // 'u-alice')
                        . qq[","creator_name":"] . ($r{creator} // 'alice')
                        . qq[","deadline":"$r{deadline}","description":"]
                        . ($r{description} // '') . '",'
                        . (defined $r{exist} ? qq["exist":$r{exist},] : '')
                        . '"namespace":"' . ($r{ns} // 'ns1')
                        . '","permit":"read","repository":"'
                        . ($r{repo} // 'app') . '","status":'
                        . ($r{status} // 'true') . ',"updated":"')
            . $time->($r{updated} // '2023-11-14T22:15:00Z')
            . quotemeta('"}');
    return $s;
}

sub one_rec { return qr/^${\ rec(@_)}$/ }

sub recs { return qr/^\[${\ join(',', @_)}\]$/ }

# the seeded records
sub beta { return rec(domain => 'beta', deadline => 'forever',
                      description => 'for beta', @_) }
sub gamma { return rec(domain => 'gamma', deadline => '2023-11-14T22:13:20Z',
                       description => 'gamma, passed', status => 'false', @_) }
sub delta { return rec(domain => 'delta', deadline => '2100-01-01T00:00:00Z',
                       @_) }
sub epsilon { return rec(domain => 'epsilon', deadline => 'forever',
                         creator_id => '', creator => '', created => $NOW,
                         updated => $NOW, @_) }

# a CreateRepoDomains body
sub share { my ($domain, $deadline, $description) = @_;
            return qq[{"access_domain":"$domain","permit":"read","deadline":"$deadline"]
                   . (defined $description ? qq[,"description":"$description"] : '')
                   . '}' }

# an UpdateRepoDomains body
sub upd { my ($deadline, $description) = @_;
          return qq[{"permit":"read","deadline":"$deadline"]
                 . (defined $description ? qq[,"description":"$description"] : '')
                 . '}' }

# the cases of a block: [[who, method, uri, body], status, body regex]
sub case { my ($r, $status, $like) = @_; return [ req(@$r), $status, $like ] }

# the same for a registry request
sub rcase { my ($r, $status, $like) = @_; return [ reg(@$r), $status, $like ] }

our $AD = '/v2/manage/namespaces/ns1/repositories/app/access-domains';

# a body of $len bytes: white space inside the object (Test::Nginx may
# trim it at the ends)
sub padded {
    my ($len, $json) = @_;
    $json =~ s/^\{//;
    return '{' . (' ' x ($len - 1 - length $json)) . $json;
}

# ---- TEST 1: CreateRepoDomains ----------------------------------------------

our @CREATE = (
    # 7 needed: 403 with 3, 1 (or a share); 404 for who reads nothing
    case([ 'three', 'POST', $AD, share('beta', 'forever') ], 403, err('SVCSTG.SWR.4030170')),
    case([ 'one', 'POST', $AD, share('beta', 'forever') ], 403, err('SVCSTG.SWR.4030170')),
    case([ 'none', 'POST', $AD, share('beta', 'forever') ], 404, err('SVCSTG.SWR.4040058')),
    case([ 'bob', 'POST', $AD, share('beta', 'forever') ], 404, err('SVCSTG.SWR.4040058')),
    case([ undef, 'POST', $AD, share('beta', 'forever') ], 401, err('SVCSTG.S2I.4019000')),
    case([ 'alice', 'GET', $AD ], 200, exact('[]')),
    # the administrator, a holder of 7 on the organization, on the
    # repository; the other account's administrator on his own
    case([ 'alice', 'POST', $AD, share('beta', 'forever', 'for beta') ], 201, $EMPTY),
    case([ 'seven', 'POST', $AD, share('gamma', '2099-01-01T00:00:00Z') ], 201, $EMPTY),
    case([ 'rseven', 'POST', $AD, share('delta', '2099-06-01T16:00:00.000Z', 'fraction') ], 201, $EMPTY),
    case([ 'bob', 'POST', '/v2/manage/namespaces/nsb/repositories/app/access-domains', share('alpha', 'forever') ], 201, $EMPTY),
    # shared with beta now: bob reads it, and still may not share it
    case([ 'bob', 'POST', $AD, share('epsilon', 'forever') ], 403, err('SVCSTG.SWR.4030170')),
    case([ 'bea', 'POST', $AD, share('epsilon', 'forever') ], 403, err('SVCSTG.SWR.4030170')),
    # twice: 409 4090089
    case([ 'alice', 'POST', $AD, share('beta', 'forever') ], 409, err('SVCSTG.SWR.4090089')),
    case([ 'seven', 'POST', $AD, share('gamma', '2099-01-01T00:00:00Z') ], 409, err('SVCSTG.SWR.4090089')),
    # the owner's own account, unknown accounts, bad names: 4000014
    case([ 'alice', 'POST', $AD, share('alpha', 'forever') ], 400, err('SVCSTG.SWR.4000014')),
    case([ 'bob', 'POST', '/v2/manage/namespaces/nsb/repositories/app/access-domains', share('beta', 'forever') ], 400, err('SVCSTG.SWR.4000014')),
    case([ 'alice', 'POST', $AD, share('nobody', 'forever') ], 400, err('SVCSTG.SWR.4000014')),
    case([ 'alice', 'POST', $AD, share('Beta', 'forever') ], 400, err('SVCSTG.SWR.4000014')),
    case([ 'alice', 'POST', $AD, share('acct-b', 'forever') ], 400, err('SVCSTG.SWR.4000014')),
    case([ 'alice', 'POST', $AD, share('', 'forever') ], 400, err('SVCSTG.SWR.4000014')),
    case([ 'alice', 'POST', $AD, share('be/ta', 'forever') ], 400, err('SVCSTG.SWR.4000014')),
    case([ 'alice', 'POST', $AD, share('beta\\u0001', 'forever') ], 400, err('SVCSTG.SWR.4000014')),
    case([ 'alice', 'POST', $AD, share('b' x 65, 'forever') ], 400, err('SVCSTG.SWR.4000014')),
    # permit: only "read" (4001091)
    (map { case([ 'alice', 'POST', $AD, qq[{"access_domain":"epsilon","permit":"$_","deadline":"forever"}] ],
                400, err('SVCSTG.SWR.4001091')) } 'write', 'READ', 'Read', '', 'read ', 'manage'),
    # deadlines: past or malformed (4000014)
    (map { case([ 'alice', 'POST', $AD, share('epsilon', $_) ], 400, err('SVCSTG.SWR.4000014')) }
         '2020-01-01T00:00:00Z', '2023-11-14T22:13:20Z', '1970-01-01T00:00:00Z',
         '2099-13-01T00:00:00Z', '2099-00-10T00:00:00Z', '2099-02-30T00:00:00Z',
         '2099-04-31T00:00:00Z', '2099-01-32T00:00:00Z', '2099-01-01T24:00:00Z',
         '2099-01-01T00:60:00Z', '2099-01-01', '2099-01-01 00:00:00Z',
         '2099-01-01T00:00:00', '2099-01-01T00:00:00+0800', '2099-01-01T00:00Z',
         '20990101T000000Z', 'tomorrow', '', 'Forever', 'never', 'forever ',
         '4102444800'),
    # a description of 1024 bytes, not more (413 4131012)
    case([ 'alice', 'POST', $AD, share('epsilon', 'forever', 'd' x 1025) ], 413, err('SVCSTG.SWR.4131012')),
    case([ 'alice', 'POST', $AD, share('epsilon', '2099-01-01T08:00:00+08:00', 'd' x 1024) ], 201, $EMPTY),
    # no repository, no organization, the path of 4.3
    case([ 'alice', 'POST', '/v2/manage/namespaces/ns1/repositories/nothing/access-domains', share('beta', 'forever') ],
         404, err('SVCSTG.SWR.4040113')),
    case([ 'alice', 'POST', '/v2/manage/namespaces/nothing/repositories/app/access-domains', share('beta', 'forever') ],
         404, err('SVCSTG.SWR.4040058')),
    case([ 'alice', 'POST', '/v2/manage/namespaces/ns1/repos/app/access-domains', share('beta', 'forever') ],
         404, err('SVCSTG.SWR.4040083')),
    case([ 'alice', 'PUT', $AD, share('beta', 'forever') ], 404, err('SVCSTG.SWR.4040083')),
    # what was made, by whom, nothing of the refused ones
    case([ 'one', 'GET', $AD ], 200,
         recs(rec(domain => 'beta', deadline => 'forever', description => 'for beta', created => $NOW, updated => $NOW),
              rec(domain => 'delta', deadline => '2099-06-01T16:00:00Z', description => 'fraction',
                  creator_id => 'u-rseven', creator => 'rseven', created => $NOW, updated => $NOW),
              rec(domain => 'epsilon', deadline => '2099-01-01T00:00:00Z', description => 'd' x 1024,
                  created => $NOW, updated => $NOW),
              rec(domain => 'gamma', deadline => '2099-01-01T00:00:00Z',
                  creator_id => 'u-seven', creator => 'seven', created => $NOW, updated => $NOW))),
    case([ 'bob', 'GET', '/v2/manage/namespaces/nsb/repositories/app/access-domains' ], 200,
         recs(rec(domain => 'alpha', deadline => 'forever', ns => 'nsb', creator_id => 'u-bob',
                  creator => 'bob', created => $NOW, updated => $NOW))),
);

# ---- TEST 2: CreateRepoDomains bodies ----------------------------------------

our @BODIES = (
    # not JSON, not an object, wrong types: 4001018
    [ '', 400, 'SVCSTG.SWR.4001018' ],
    [ 'access_domain=epsilon', 400, 'SVCSTG.SWR.4001018' ],
    [ '{"access_domain":"epsilon","permit":"read","deadline":"forever"', 400, 'SVCSTG.SWR.4001018' ],
    [ '{"access_domain":"epsilon","permit":"read","deadline":"forever"} x', 400, 'SVCSTG.SWR.4001018' ],
    [ q[{'access_domain':'epsilon','permit':'read','deadline':'forever'}], 400, 'SVCSTG.SWR.4001018' ],
    [ '[' . share('epsilon', 'forever') . ']', 400, 'SVCSTG.SWR.4001018' ],
    [ '[]', 400, 'SVCSTG.SWR.4001018' ],
    [ '"epsilon"', 400, 'SVCSTG.SWR.4001018' ],
    [ 'null', 400, 'SVCSTG.SWR.4001018' ],
    [ '{"access_domain":5,"permit":"read","deadline":"forever"}', 400, 'SVCSTG.SWR.4001018' ],
    [ '{"access_domain":["epsilon"],"permit":"read","deadline":"forever"}', 400, 'SVCSTG.SWR.4001018' ],
    [ '{"access_domain":null,"permit":"read","deadline":"forever"}', 400, 'SVCSTG.SWR.4001018' ],
    [ '{"access_domain":"epsilon","permit":true,"deadline":"forever"}', 400, 'SVCSTG.SWR.4001018' ],
    [ '{"access_domain":"epsilon","permit":["read"],"deadline":"forever"}', 400, 'SVCSTG.SWR.4001018' ],
    [ '{"access_domain":"epsilon","permit":"read","deadline":4102444800}', 400, 'SVCSTG.SWR.4001018' ],
    [ '{"access_domain":"epsilon","permit":"read","deadline":null}', 400, 'SVCSTG.SWR.4001018' ],
    [ '{"access_domain":"epsilon","permit":"read","deadline":"forever","description":1}', 400, 'SVCSTG.SWR.4001018' ],
    [ '{"access_domain":"epsilon","permit":"read","deadline":"forever","description":null}', 400, 'SVCSTG.SWR.4001018' ],
    # missing: 4001014
    [ '{}', 400, 'SVCSTG.SWR.4001014' ],
    [ '{"permit":"read","deadline":"forever"}', 400, 'SVCSTG.SWR.4001014' ],
    [ '{"access_domain":"epsilon","deadline":"forever"}', 400, 'SVCSTG.SWR.4001014' ],
    [ '{"access_domain":"epsilon","permit":"read"}', 400, 'SVCSTG.SWR.4001014' ],
    # other fields: 4000014
    [ '{"access_domain":"epsilon","permit":"read","deadline":"forever","extra":1}', 400, 'SVCSTG.SWR.4000014' ],
    [ '{"access_domain":"epsilon","permit":"read","deadline":"forever","status":true}', 400, 'SVCSTG.SWR.4000014' ],
    [ '{"accessDomain":"epsilon","permit":"read","deadline":"forever"}', 400, 'SVCSTG.SWR.4000014' ],
    [ '{"access_domain":"epsilon","permit":"read","deadline":"forever","namespace":"ns1"}', 400, 'SVCSTG.SWR.4000014' ],
    # over 64 KiB: 413 4131001; 64 KiB exactly
    [ padded(65537, share('epsilon', 'forever')), 413, 'SVCSTG.SWR.4131001' ],
    [ padded(65536, share('epsilon', 'forever', 'padded')), 201, undef ],
    # white space and escapes are JSON's business
    [ qq[ \n\t{ "access_domain" : "\\u0064elta" ,\n "permit" : "r\\u0065ad", "deadline" : "forever", "description" : "a\\"b" } \n], 201, undef ],
);

our @BODY_CASES = ((map {
    case([ 'alice', 'POST', $AD, $_->[0] ], $_->[1],
         defined $_->[2] ? err($_->[2]) : $EMPTY)
} @BODIES),
    case([ 'alice', 'GET', $AD ], 200,
         recs(rec(domain => 'delta', deadline => 'forever', description => 'a\\"b',
                  created => $NOW, updated => $NOW),
              rec(domain => 'epsilon', deadline => 'forever', description => 'padded',
                  created => $NOW, updated => $NOW))),
);

# ---- TEST 3: ListRepoDomains, ShowAccessDomain ---------------------------------

our $WEB = '/v2/manage/namespaces/ns1/repositories/team$web/access-domains';

our @READ = (
    # sorted by account; "status" false once the deadline passed; the one
    # util/swr-admin made gets its record on first sight
    case([ 'alice', 'GET', $AD ], 200, recs(beta(), delta(), epsilon(), gamma())),
    case([ 'alice', 'GET', $AD ], 200, recs(beta(), delta(), epsilon(), gamma())),
    # whoever reads the repository: 1 on the organization, 7 on the
    # repository, the accounts shared with while the share holds
    case([ 'one', 'GET', $AD ], 200, recs(beta(), delta(), epsilon(), gamma())),
    case([ 'rseven', 'GET', $AD ], 200, recs(beta(), delta(), epsilon(), gamma())),
    case([ 'bea', 'GET', $AD ], 200, recs(beta(), delta(), epsilon(), gamma())),
    case([ 'dora', 'GET', $AD ], 200, recs(beta(), delta(), epsilon(), gamma())),
    case([ 'carl', 'GET', $AD ], 404, err('SVCSTG.SWR.4040058')),
    case([ 'none', 'GET', $AD ], 404, err('SVCSTG.SWR.4040058')),
    case([ undef, 'GET', $AD ], 401, err('SVCSTG.S2I.4019000')),
    case([ 'alice', 'GET', $WEB ], 200, exact('[]')),
    case([ 'alice', 'GET', '/v2/manage/namespaces/ns1/repositories/team%24web/access-domains' ], 200, exact('[]')),
    case([ 'bea', 'GET', $WEB ], 404, err('SVCSTG.SWR.4040058')),
    case([ 'alice', 'GET', '/v2/manage/namespaces/ns1/repositories/nothing/access-domains' ], 404, err('SVCSTG.SWR.4040113')),
    case([ 'alice', 'GET', '/v2/manage/namespaces/nsb/repositories/app/access-domains' ], 404, err('SVCSTG.SWR.4040058')),
    # ShowAccessDomain: the record and "exist": true
    case([ 'alice', 'GET', "$AD/beta" ], 200, one_rec(domain => 'beta', deadline => 'forever', description => 'for beta', exist => 'true')),
    case([ 'alice', 'GET', "$AD/gamma" ], 200,
         one_rec(domain => 'gamma', deadline => '2023-11-14T22:13:20Z', description => 'gamma, passed',
                 status => 'false', exist => 'true')),
    case([ 'one', 'GET', "$AD/delta" ], 200, one_rec(domain => 'delta', deadline => '2100-01-01T00:00:00Z', exist => 'true')),
    case([ 'bea', 'GET', "$AD/epsilon" ], 200,
         one_rec(domain => 'epsilon', deadline => 'forever', creator_id => '', creator => '', created => $NOW,
                 updated => $NOW, exist => 'true')),
    # an account that does not exist: {"exist": false}; one not shared
    # with (the owner's too): 400 4001090
    case([ 'alice', 'GET', "$AD/nobody" ], 200, exact('{"exist":false}')),
    case([ 'alice', 'GET', "$AD/Beta" ], 200, exact('{"exist":false}')),
    case([ 'alice', 'GET', "$AD/acct-b" ], 200, exact('{"exist":false}')),
    case([ 'alice', 'GET', "$AD/alpha" ], 400, err('SVCSTG.SWR.4001090')),
    case([ 'alice', 'GET', "$WEB/beta" ], 400, err('SVCSTG.SWR.4001090')),
    case([ 'none', 'GET', "$AD/beta" ], 404, err('SVCSTG.SWR.4040058')),
    case([ 'carl', 'GET', "$AD/gamma" ], 404, err('SVCSTG.SWR.4040058')),
    case([ undef, 'GET', "$AD/beta" ], 401, err('SVCSTG.S2I.4019000')),
    case([ 'alice', 'GET', "/v2/manage/namespaces/ns1/repositories/nothing/access-domains/beta" ], 404, err('SVCSTG.SWR.4040113')),
    case([ 'alice', 'GET', "$AD/beta/more" ], 404, err('SVCSTG.SWR.4040083')),
    case([ 'alice', 'POST', "$AD/beta", upd('forever') ], 404, err('SVCSTG.SWR.4040083')),
);

# ---- TEST 4: UpdateRepoDomains ----------------------------------------------------

our @UPDATE = (
    # 7 needed
    case([ 'three', 'PATCH', "$AD/beta", upd('forever') ], 403, err('SVCSTG.SWR.4030170')),
    case([ 'one', 'PATCH', "$AD/beta", upd('forever') ], 403, err('SVCSTG.SWR.4030170')),
    case([ 'bob', 'PATCH', "$AD/beta", upd('forever') ], 403, err('SVCSTG.SWR.4030170')),
    case([ 'carl', 'PATCH', "$AD/gamma", upd('forever') ], 404, err('SVCSTG.SWR.4040058')),
    case([ 'none', 'PATCH', "$AD/beta", upd('forever') ], 404, err('SVCSTG.SWR.4040058')),
    case([ undef, 'PATCH', "$AD/beta", upd('forever') ], 401, err('SVCSTG.S2I.4019000')),
    # 201: a deadline (with fractions, with an offset: UTC comes back), a
    # passed one made forever, the description dropped when not given
    case([ 'alice', 'PATCH', "$AD/beta", upd('2099-06-01T16:00:00.000Z', 'until June') ], 201, $EMPTY),
    case([ 'seven', 'PATCH', "$AD/delta", upd('2099-01-01T08:00:00+08:00', 'new year') ], 201, $EMPTY),
    case([ 'rseven', 'PATCH', "$AD/gamma", upd('forever') ], 201, $EMPTY),
    case([ 'alice', 'PATCH', "$AD/epsilon", upd('2098-12-31T23:59:59Z', 'made by swr-admin') ], 201, $EMPTY),
    # no share: 400 4001090 (unknown account, the owner's, not shared)
    case([ 'alice', 'PATCH', "$AD/nobody", upd('forever') ], 400, err('SVCSTG.SWR.4001090')),
    case([ 'alice', 'PATCH', "$AD/alpha", upd('forever') ], 400, err('SVCSTG.SWR.4001090')),
    case([ 'alice', 'PATCH', "$WEB/beta", upd('forever') ], 400, err('SVCSTG.SWR.4001090')),
    # bodies
    case([ 'alice', 'PATCH', "$AD/beta", upd('forever') =~ s/^\{/{"access_domain":"beta",/r ], 400, err('SVCSTG.SWR.4000014')),
    case([ 'alice', 'PATCH', "$AD/beta", '{"permit":"write","deadline":"forever"}' ], 400, err('SVCSTG.SWR.4001091')),
    case([ 'alice', 'PATCH', "$AD/beta", upd('2020-01-01T00:00:00Z') ], 400, err('SVCSTG.SWR.4000014')),
    case([ 'alice', 'PATCH', "$AD/beta", upd('2099-02-29T00:00:00Z') ], 400, err('SVCSTG.SWR.4000014')),
    case([ 'alice', 'PATCH', "$AD/beta", upd('next year') ], 400, err('SVCSTG.SWR.4000014')),
    case([ 'alice', 'PATCH', "$AD/beta", '{"permit":"read"}' ], 400, err('SVCSTG.SWR.4001014')),
    case([ 'alice', 'PATCH', "$AD/beta", '{"deadline":"forever"}' ], 400, err('SVCSTG.SWR.4001014')),
    case([ 'alice', 'PATCH', "$AD/beta", '[' . upd('forever') . ']' ], 400, err('SVCSTG.SWR.4001018')),
    case([ 'alice', 'PATCH', "$AD/beta", '' ], 400, err('SVCSTG.SWR.4001018')),
    case([ 'alice', 'PATCH', "$AD/beta", '{"permit":"read","deadline":0}' ], 400, err('SVCSTG.SWR.4001018')),
    case([ 'alice', 'PATCH', "$AD/beta", upd('forever', 'x' x 1025) ], 413, err('SVCSTG.SWR.4131012')),
    case([ 'alice', 'PATCH', "$AD/beta", padded(65537, upd('forever')) ], 413, err('SVCSTG.SWR.4131001')),
    # what the refused ones left
    case([ 'alice', 'GET', $AD ], 200,
         recs(rec(domain => 'beta', deadline => '2099-06-01T16:00:00Z', description => 'until June', updated => $NOW),
              rec(domain => 'delta', deadline => '2099-01-01T00:00:00Z', description => 'new year', updated => $NOW),
              epsilon(deadline => '2098-12-31T23:59:59Z', description => 'made by swr-admin'),
              rec(domain => 'gamma', deadline => 'forever', updated => $NOW))),
    case([ 'alice', 'GET', "$AD/gamma" ], 200,
         one_rec(domain => 'gamma', deadline => 'forever', updated => $NOW, exist => 'true')),
);

# ---- TEST 5: DeleteRepoDomains ------------------------------------------------------

our @DELETE = (
    case([ 'three', 'DELETE', "$AD/beta" ], 403, err('SVCSTG.SWR.4030170')),
    case([ 'one', 'DELETE', "$AD/beta" ], 403, err('SVCSTG.SWR.4030170')),
    case([ 'bob', 'DELETE', "$AD/beta" ], 403, err('SVCSTG.SWR.4030170')),
    case([ 'carl', 'DELETE', "$AD/gamma" ], 404, err('SVCSTG.SWR.4040058')),
    case([ 'none', 'DELETE', "$AD/beta" ], 404, err('SVCSTG.SWR.4040058')),
    case([ undef, 'DELETE', "$AD/beta" ], 401, err('SVCSTG.S2I.4019000')),
    case([ 'alice', 'DELETE', "/v2/manage/namespaces/ns1/repositories/nothing/access-domains/beta" ], 404, err('SVCSTG.SWR.4040113')),
    case([ 'alice', 'GET', $AD ], 200, recs(beta(), delta(), epsilon(), gamma())),
    # 204, then gone: 400 4001090
    case([ 'alice', 'DELETE', "$AD/beta" ], 204, $EMPTY),
    case([ 'alice', 'DELETE', "$AD/beta" ], 400, err('SVCSTG.SWR.4001090')),
    case([ 'alice', 'GET', "$AD/beta" ], 400, err('SVCSTG.SWR.4001090')),
    case([ 'seven', 'DELETE', "$AD/gamma" ], 204, $EMPTY),
    case([ 'rseven', 'DELETE', "$AD/delta" ], 204, $EMPTY),
    # the one util/swr-admin made
    case([ 'alice', 'DELETE', "$AD/epsilon" ], 204, $EMPTY),
    case([ 'alice', 'DELETE', "$AD/nobody" ], 400, err('SVCSTG.SWR.4001090')),
    case([ 'alice', 'DELETE', "$AD/alpha" ], 400, err('SVCSTG.SWR.4001090')),
    case([ 'alice', 'DELETE', "$WEB/beta" ], 400, err('SVCSTG.SWR.4001090')),
    case([ 'alice', 'GET', $AD ], 200, exact('[]')),
    # beta reads it no more
    case([ 'bob', 'GET', $AD ], 404, err('SVCSTG.SWR.4040058')),
    # shared again: a new record
    case([ 'alice', 'POST', $AD, share('beta', 'forever') ], 201, $EMPTY),
    case([ 'bob', 'GET', $AD ], 200,
         recs(rec(domain => 'beta', deadline => 'forever', created => $NOW, updated => $NOW))),
);

# ---- TEST 6: the shares take effect on the registry and the shared lists --------------

our $PULL = '/v2/ns1/app/manifests/latest';

sub blob { return "blob $_[0] of t/135" }

sub upload { my ($who, $n) = @_;
             return rcase([ $who, 'POST', '/v2/ns1/app/blobs/uploads/?digest='
                                          . SwrTest::sha256(blob($n)), blob($n) ],
                          403, $DENIED) }

# ListSharedReposDetails' answer, ns1/app alone (downloads: the pulls so
# far; status: a regex, for center=self is not this file's to decide)
sub shared {
    my ($status, $downloads) = @_;
    my $head = '{"category":"other","created_at":"2023-11-14T22:13:20Z",'
               . '"description":"","domain_name":"alpha",'
               . '"internal_path":"localhost/ns1/app","is_public":false,'
               . '"logo":"","name":"app","namespace":"ns1",'
               . qq["num_download":$downloads,"num_images":1,]
               . '"path":"localhost/ns1/app","size":0,"status":';
    my $tail = ',"tags":["latest"],"total_range":1,'
               . '"updated_at":"2023-11-14T22:13:20Z","url":""}';
    my $re = '^\[' . quotemeta($head) . $status . quotemeta($tail) . '\]$';
    return qr/$re/;
}

our $THIRD = '/v2/manage/shared-repositories?center=thirdparty';
our $SELF = '/v2/manage/shared-repositories?center=self';

our @EFFECT = (
    # gamma's share passed: carl does not pull; "status": false
    rcase([ 'carl', 'GET', $PULL ], 403, $DENIED),
    case([ 'alice', 'GET', $AD ], 200, recs(gamma())),
    case([ 'carl', 'GET', $THIRD ], 200, shared('false', 0)),
    # not shared with beta: bea does not pull
    rcase([ 'bea', 'GET', $PULL ], 403, $DENIED),
    case([ 'bea', 'GET', $THIRD ], 200, exact('[]')),
    # shared: every user of beta pulls, nobody pushes
    case([ 'alice', 'POST', $AD, share('beta', 'forever') ], 201, $EMPTY),
    rcase([ 'bea', 'GET', $PULL ], 200, exact($MANIFEST)),
    rcase([ 'bob', 'GET', $PULL ], 200, exact($MANIFEST)),
    rcase([ 'bea', 'GET', '/v2/ns1/app/tags/list' ], 200, exact('{"name":"ns1/app","tags":["latest"]}')),
    upload('bea', 1),
    upload('bob', 2),
    rcase([ 'bob', 'DELETE', "/v2/ns1/app/manifests/$MDIGEST" ], 403, $DENIED),
    # no other repository of the organization
    rcase([ 'bea', 'GET', '/v2/ns1/team/web/tags/list' ], 403, $DENIED),
    # no other account
    rcase([ 'dora', 'GET', $PULL ], 403, $DENIED),
    rcase([ 'carl', 'GET', $PULL ], 403, $DENIED),
    # the shared lists: of the accounts shared with, and of the owner
    case([ 'bea', 'GET', $THIRD ], 200, shared('true', 2)),
    case([ 'carl', 'GET', $THIRD ], 200, shared('false', 2)),
    case([ 'dora', 'GET', $THIRD ], 200, exact('[]')),
    case([ 'alice', 'GET', $THIRD ], 200, exact('[]')),
    case([ 'alice', 'GET', $SELF ], 200, shared('(?:true|false)', 2)),
    case([ 'bob', 'GET', $SELF ], 200, exact('[]')),
    # a deadline that passed made ahead: carl pulls
    case([ 'alice', 'PATCH', "$AD/gamma", upd('2099-01-01T00:00:00Z') ], 201, $EMPTY),
    rcase([ 'carl', 'GET', $PULL ], 200, exact($MANIFEST)),
    case([ 'carl', 'GET', $THIRD ], 200, shared('true', 3)),
    # deleted: no more
    case([ 'alice', 'DELETE', "$AD/beta" ], 204, $EMPTY),
    rcase([ 'bea', 'GET', $PULL ], 403, $DENIED),
    rcase([ 'bob', 'GET', $PULL ], 403, $DENIED),
    case([ 'bea', 'GET', $THIRD ], 200, exact('[]')),
    rcase([ 'carl', 'GET', $PULL ], 200, exact($MANIFEST)),
    # refused changes change nothing
    case([ 'three', 'POST', $AD, share('delta', 'forever') ], 403, err('SVCSTG.SWR.4030170')),
    rcase([ 'dora', 'GET', $PULL ], 403, $DENIED),
    case([ 'carl', 'DELETE', "$AD/gamma" ], 403, err('SVCSTG.SWR.4030170')),
    rcase([ 'carl', 'GET', $PULL ], 200, exact($MANIFEST)),
    # what is left
    case([ 'alice', 'GET', $AD ], 200,
         recs(rec(domain => 'gamma', deadline => '2099-01-01T00:00:00Z', description => '', updated => $NOW))),
    case([ 'alice', 'GET', $SELF ], 200, shared('(?:true|false)', 5)),
    # nothing shared any more
    case([ 'alice', 'DELETE', "$AD/gamma" ], 204, $EMPTY),
    rcase([ 'carl', 'GET', $PULL ], 403, $DENIED),
    case([ 'carl', 'GET', $THIRD ], 200, exact('[]')),
    case([ 'alice', 'GET', $SELF ], 200, exact('[]')),
);

# ---- TEST 7: swr_auth off ---------------------------------------------------------------

our @NO_AUTH = (
    case([ 'alice', 'POST', $AD, share('beta', 'forever') ], 401, err('SVCSTG.S2I.4019000')),
    case([ 'alice', 'GET', $AD ], 401, err('SVCSTG.S2I.4019000')),
    case([ 'alice', 'GET', "$AD/beta" ], 401, err('SVCSTG.S2I.4019000')),
    case([ 'alice', 'PATCH', "$AD/beta", upd('forever') ], 401, err('SVCSTG.S2I.4019000')),
    case([ 'alice', 'DELETE', "$AD/beta" ], 401, err('SVCSTG.S2I.4019000')),
);

# ---- the SDK as a client -----------------------------------------------------

# Runs t/lib/swr-sdk-call.js for each call ([label, user, operation,
# params]) and returns per call "<Operation> <label> -> <status> <what
# the SDK parsed>" (its response object as canonical JSON, or the error
# code and message it threw); times within an hour of now read <now>.
# Never dies.
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
            $body =~ s{"((\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)Z)"}{
                my $t = eval { Time::Local::timegm($7, $6, $5, $4, $3 - 1, $2) };
                defined $t && abs($t - time) < 3600 ? '"<now>"' : "\"$1\""
            }ge;

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

# a registry request from --- init: "<method> <uri> as <who> -> <status>"
sub reg_line {
    my ($who, $method, $uri, $body) = @_;
    my $r = eval {
        SwrTest::http($method, $uri,
                      headers => [ SwrAuth::basic(ak_of($who), sk_of($who)) ],
                      defined $body ? (body => $body) : ());
    };
    return "$method $uri as $who -> " . ($r ? $r->{status} : "died: $@");
}

# writes lines to html/<name>.txt, which the block then GETs
sub report {
    my ($name, @lines) = @_;
    SwrAuth::report($name, join '', map { "$_\n" } @lines);
    return 1;
}

repeat_each(1);

# per request: status, body, [error], [alert]
plan tests => repeat_each() * 4 * (
    @CREATE + @BODY_CASES + @READ + @UPDATE + @DELETE + @EFFECT + @NO_AUTH
    + 1                                 # TEST 8: the SDK's report
);

no_long_string();
no_shuffle();
run_tests();

__DATA__

=== TEST 1: CreateRepoDomains: 201 for holders of 7 (the administrator, 7 on the organization or on the repository); 403 below (a share too), 404 for who reads nothing; 409 4090089 twice; 400 4000014 for the owner's account, unknown accounts, bad names, past or malformed deadlines; 4001091 for a permit other than read; 413 4131012 for a description over 1024 bytes
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



=== TEST 2: CreateRepoDomains bodies: not JSON, not an object, wrong types (4001018); a field missing (4001014); other fields (4000014); over 64 KiB (413 4131001), 64 KiB exactly, white space and escapes accepted
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



=== TEST 3: ListRepoDomains and ShowAccessDomain: the records by account, "status" false after the deadline, a share util/swr-admin made; for whoever reads the repository (a valid share too), 404 otherwise; {"exist":false} for an unknown account, 400 4001090 for one not shared with
--- init
main::seed_shares();
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_secret_key_file $TEST_NGINX_SWR_KEYS/secret.hex;
--- config
    location /v2/manage/ {
        swr_manage_api;
        swr_auth on;
    }
--- request eval
[map { $_->[0][0] } @main::READ]
--- more_headers eval
[map { $_->[0][1] } @main::READ]
--- error_code eval
[map { $_->[1] } @main::READ]
--- response_body_like eval
[map { $_->[2] } @main::READ]
--- no_error_log
[error]
[alert]



=== TEST 4: UpdateRepoDomains: 201 for holders of 7 (deadlines come back in UTC, the description is dropped when not given, a passed share made forever, one util/swr-admin made); 403, 404; 400 4001090 for a share that is not there; body errors
--- init
main::seed_shares();
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_secret_key_file $TEST_NGINX_SWR_KEYS/secret.hex;
--- config
    location /v2/manage/ {
        swr_manage_api;
        swr_auth on;
    }
--- request eval
[map { $_->[0][0] } @main::UPDATE]
--- more_headers eval
[map { $_->[0][1] } @main::UPDATE]
--- error_code eval
[map { $_->[1] } @main::UPDATE]
--- response_body_like eval
[map { $_->[2] } @main::UPDATE]
--- no_error_log
[error]
[alert]



=== TEST 5: DeleteRepoDomains: 204 for holders of 7 (one util/swr-admin made too); 403, 404; 400 4001090 once gone or never there; the account shared with reads it no more; shared again, a new record
--- init
main::seed_shares();
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



=== TEST 6: shares on the registry: the users of the account shared with pull (not push, not delete) while it holds, not after the delete nor after the deadline; ListSharedReposDetails (thirdparty, self) follows
--- init
main::seed();
main::seed_share('acct-c', 1700000000, '2023-11-14T22:13:20Z', 'gamma, passed');
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



=== TEST 7: swr_auth off: no identity, every sharing operation is 401 SVCSTG.S2I.4019000
--- init
main::seed_shares();
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



=== TEST 8: Huawei's SWR SDK for Node: every sharing operation, what it parsed of each answer and of each error, and the registry before and after
--- init
main::seed();
main::seed_share('acct-c', 1700000000, '2023-11-14T22:13:20Z', 'gamma, passed');
my @pull = ('GET', '/v2/ns1/app/manifests/latest');
my $p = '"namespace":"ns1","repository":"app"';
main::report('sdk',
  main::reg_line('bea', @pull),
  main::sdk_lines(
    ['alice', 'alice', 'CreateRepoDomains',
     qq[{$p,"body":{"access_domain":"beta","permit":"read","deadline":"forever","description":"by the SDK"}}]],
    ['again', 'alice', 'CreateRepoDomains',
     qq[{$p,"body":{"access_domain":"beta","permit":"read","deadline":"forever"}}]],
    ['own', 'alice', 'CreateRepoDomains',
     qq[{$p,"body":{"access_domain":"alpha","permit":"read","deadline":"forever"}}]],
    ['unknown', 'alice', 'CreateRepoDomains',
     qq[{$p,"body":{"access_domain":"nobody","permit":"read","deadline":"forever"}}]],
    ['write', 'alice', 'CreateRepoDomains',
     qq[{$p,"body":{"access_domain":"delta","permit":"write","deadline":"forever"}}]],
    ['past', 'alice', 'CreateRepoDomains',
     qq[{$p,"body":{"access_domain":"delta","permit":"read","deadline":"2018-10-01T16:00:00.000Z"}}]],
    ['three', 'three', 'CreateRepoDomains',
     qq[{$p,"body":{"access_domain":"delta","permit":"read","deadline":"forever"}}]],
    ['seven', 'seven', 'CreateRepoDomains',
     qq[{$p,"body":{"access_domain":"delta","permit":"read","deadline":"2099-10-01T16:00:00.000Z"}}]],
    ['alice', 'alice', 'ListRepoDomains', qq[{$p}]],
    ['bea', 'bea', 'ListRepoDomains', qq[{$p}]],
    ['carl', 'carl', 'ListRepoDomains', qq[{$p}]],
    ['beta', 'one', 'ShowAccessDomain', qq[{$p,"access_domain":"beta"}]],
    ['gamma', 'alice', 'ShowAccessDomain', qq[{$p,"access_domain":"gamma"}]],
    ['nobody', 'alice', 'ShowAccessDomain', qq[{$p,"access_domain":"nobody"}]],
    ['epsilon', 'alice', 'ShowAccessDomain', qq[{$p,"access_domain":"epsilon"}]],
  ),
  main::reg_line('bea', @pull), main::reg_line('carl', @pull),
  main::sdk_lines(
    ['gamma', 'alice', 'UpdateRepoDomains',
     qq[{$p,"access_domain":"gamma","body":{"permit":"read","deadline":"forever","description":"again"}}]],
    ['epsilon', 'alice', 'UpdateRepoDomains',
     qq[{$p,"access_domain":"epsilon","body":{"permit":"read","deadline":"forever"}}]],
    ['bob', 'bob', 'UpdateRepoDomains',
     qq[{$p,"access_domain":"beta","body":{"permit":"read","deadline":"forever"}}]],
    ['gamma', 'carl', 'ShowAccessDomain', qq[{$p,"access_domain":"gamma"}]],
  ),
  main::reg_line('carl', @pull),
  main::sdk_lines(
    ['beta', 'alice', 'DeleteRepoDomains', qq[{$p,"access_domain":"beta"}]],
    ['gone', 'alice', 'DeleteRepoDomains', qq[{$p,"access_domain":"beta"}]],
    ['three', 'three', 'DeleteRepoDomains', qq[{$p,"access_domain":"gamma"}]],
    ['after', 'alice', 'ListRepoDomains', qq[{$p}]],
  ),
  main::reg_line('bea', @pull));
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
GET /sdk.txt
--- response_body
GET /v2/ns1/app/manifests/latest as bea -> 403
CreateRepoDomains alice -> 201 {}
CreateRepoDomains again -> 409 SVCSTG.SWR.4090089 The image is already shared with this account
CreateRepoDomains own -> 400 SVCSTG.SWR.4000014 Invalid API parameters
CreateRepoDomains unknown -> 400 SVCSTG.SWR.4000014 Account not found
CreateRepoDomains write -> 400 SVCSTG.SWR.4001091 Invalid permit
CreateRepoDomains past -> 400 SVCSTG.SWR.4000014 Invalid API parameters
CreateRepoDomains three -> 403 SVCSTG.SWR.4030170 Insufficient permissions
CreateRepoDomains seven -> 201 {}
ListRepoDomains alice -> 200 {"0":{"access_domain":"beta","created":"<now>","creator_id":"u-alice","creator_name":"alice","deadline":"forever","description":"by the SDK","namespace":"ns1","permit":"read","repository":"app","status":true,"updated":"<now>"},"1":{"access_domain":"delta","created":"<now>","creator_id":"u-seven","creator_name":"seven","deadline":"2099-10-01T16:00:00Z","description":"","namespace":"ns1","permit":"read","repository":"app","status":true,"updated":"<now>"},"2":{"access_domain":"gamma","created":"2023-11-14T22:13:20Z","creator_id":"u-alice","creator_name":"alice","deadline":"2023-11-14T22:13:20Z","description":"gamma, passed","namespace":"ns1","permit":"read","repository":"app","status":false,"updated":"2023-11-14T22:15:00Z"}}
ListRepoDomains bea -> 200 {"0":{"access_domain":"beta","created":"<now>","creator_id":"u-alice","creator_name":"alice","deadline":"forever","description":"by the SDK","namespace":"ns1","permit":"read","repository":"app","status":true,"updated":"<now>"},"1":{"access_domain":"delta","created":"<now>","creator_id":"u-seven","creator_name":"seven","deadline":"2099-10-01T16:00:00Z","description":"","namespace":"ns1","permit":"read","repository":"app","status":true,"updated":"<now>"},"2":{"access_domain":"gamma","created":"2023-11-14T22:13:20Z","creator_id":"u-alice","creator_name":"alice","deadline":"2023-11-14T22:13:20Z","description":"gamma, passed","namespace":"ns1","permit":"read","repository":"app","status":false,"updated":"2023-11-14T22:15:00Z"}}
ListRepoDomains carl -> 404 SVCSTG.SWR.4040058 Organization not found
ShowAccessDomain beta -> 200 {"access_domain":"beta","created":"<now>","creator_id":"u-alice","creator_name":"alice","deadline":"forever","description":"by the SDK","exist":true,"namespace":"ns1","permit":"read","repository":"app","status":true,"updated":"<now>"}
ShowAccessDomain gamma -> 200 {"access_domain":"gamma","created":"2023-11-14T22:13:20Z","creator_id":"u-alice","creator_name":"alice","deadline":"2023-11-14T22:13:20Z","description":"gamma, passed","exist":true,"namespace":"ns1","permit":"read","repository":"app","status":false,"updated":"2023-11-14T22:15:00Z"}
ShowAccessDomain nobody -> 200 {"exist":false}
ShowAccessDomain epsilon -> 400 SVCSTG.SWR.4001090 Sharing record not found
GET /v2/ns1/app/manifests/latest as bea -> 200
GET /v2/ns1/app/manifests/latest as carl -> 403
UpdateRepoDomains gamma -> 201 {}
UpdateRepoDomains epsilon -> 400 SVCSTG.SWR.4001090 Sharing record not found
UpdateRepoDomains bob -> 403 SVCSTG.SWR.4030170 Insufficient permissions
ShowAccessDomain gamma -> 200 {"access_domain":"gamma","created":"2023-11-14T22:13:20Z","creator_id":"u-alice","creator_name":"alice","deadline":"forever","description":"again","exist":true,"namespace":"ns1","permit":"read","repository":"app","status":true,"updated":"<now>"}
GET /v2/ns1/app/manifests/latest as carl -> 200
DeleteRepoDomains beta -> 204 {}
DeleteRepoDomains gone -> 400 SVCSTG.SWR.4001090 Sharing record not found
DeleteRepoDomains three -> 403 SVCSTG.SWR.4030170 Insufficient permissions
ListRepoDomains after -> 200 {"0":{"access_domain":"delta","created":"<now>","creator_id":"u-seven","creator_name":"seven","deadline":"2099-10-01T16:00:00Z","description":"","namespace":"ns1","permit":"read","repository":"app","status":true,"updated":"<now>"},"1":{"access_domain":"gamma","created":"2023-11-14T22:13:20Z","creator_id":"u-alice","creator_name":"alice","deadline":"forever","description":"again","namespace":"ns1","permit":"read","repository":"app","status":true,"updated":"<now>"}}
GET /v2/ns1/app/manifests/latest as bea -> 403
--- no_error_log
[error]
[alert]
