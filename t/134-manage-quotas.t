# vim:set ft= ts=4 sw=4 et fdm=marker:
# Quotas and account information through the management API (swr-api.md
# 4.12): ListQuotas, ShowShareFeatureGates, ShowDomainOverview,
# ShowDomainResourceReports.  The figures are counters the registry and
# the management API keep per organization as things happen (swr:ns:
# {<ns>}:usage repos, images, size, downflow; swr:ns:{<ns>}:daily:store
# and :daily:downflow per day; the account's organizations in swr:account:
# {<id>}:namespaces), so TEST 1 does things and reads the figures after
# each: organizations made up to the quota (swr_quota 2 3 2: the third is
# 400 4000097), repositories (the fourth 400 4000098), images pushed
# through the registry (the third tag refused by the registry, 400
# DENIED, and by CreateRepoTag, 400 4000099), the bytes stored (computed
# here from the contents) and downloaded (blob GETs, 200 and 206; not
# HEADs, not manifests), tags and manifests deleted, repositories and
# organizations deleted.  Then the sums over an account's organizations
# and the daily reports from a history written into Redis (TEST 2), the
# tag count of one repository in ListQuotas (TEST 3), project ids (the
# region, "local" by default, or region_<anything>; others 403), swr_auth
# off, and Huawei's SWR SDK for Node driving each operation.
#
# Management requests authenticate with X-Auth-Token (the tokens below),
# registry requests with Basic (SwrAuth::basic, region "local").  Every
# block's --- init writes Redis afresh (FLUSHALL first):
#
#   account acct-a ("Acme"): alice (administrator), one (no grant)
#   account acct-b ("Bobco"): bob (administrator), who owns nsb with
#                   figures of its own (they never count for acct-a)
#   account acct-c (no name kept): carol (administrator), nothing else
#
# DeleteRepo writes the day's store figure (TEST 8); a push past the
# repository quota is refused (TEST 9).

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

# user id => [name, account, admin, AK]
our %USER = (
    'u-alice' => [ 'alice', 'acct-a', 1, 'AKALICE00000000001' ],
    'u-one'   => [ 'one',   'acct-a', 0, 'AKONE0000000000001' ],
    'u-bob'   => [ 'bob',   'acct-b', 1, 'AKBOB0000000000001' ],
    'u-carol' => [ 'carol', 'acct-c', 1, 'AKCAROL00000000001' ],
);

sub sk_of { return "SK/$_[0]/secret+key" }
sub ak_of { return $USER{"u-$_[0]"}[3] }

# an organization of $account with usage counters and daily figures
sub org {
    my ($ns, $account, $id, %o) = @_;
    SwrTest::command('HSET', "swr:ns:{$ns}", account => $account,
                     created => 1700000000, id => $id);
    SwrTest::command('ZADD', 'swr:namespaces', 0, $ns);
    SwrTest::command('SADD', "swr:account:{$account}:namespaces", $ns);
    SwrTest::command('HSET', "swr:ns:{$ns}:usage", %{ $o{usage} })
        if $o{usage};
    SwrTest::command('HSET', "swr:ns:{$ns}:daily:store", %{ $o{store} })
        if $o{store};
    SwrTest::command('HSET', "swr:ns:{$ns}:daily:downflow", %{ $o{down} })
        if $o{down};
    return 1;
}

sub seed {
    SwrTest::command('FLUSHALL');

    for my $uid (sort keys %USER) {
        my ($name, $account, $admin, $ak) = @{ $USER{$uid} };
        SwrAuth::identity(user => $uid, name => $name, account => $account,
                          admin => $admin, ak => $ak, sk => sk_of($name));
        SwrTest::command('HSET', "swr:token:{tok-$name}", user => $uid,
                         expires => 0);
    }

    SwrTest::command('HSET', 'swr:account:{acct-a}', name => 'Acme');
    SwrTest::command('HSET', 'swr:account:{acct-b}', name => 'Bobco');

    org('nsb', 'acct-b', 21,
        usage => { repos => 4, images => 9, size => 1000, downflow => 99 },
        store => { '2026-01-02' => 1000 }, down => { '2026-01-03' => 99 });

    return 1;
}

# the history of TEST 2 and the SDK's block: ns1 and ns2 of acct-a; nsb
# also in acct-a's index (a stale entry: nsb is acct-b's)
sub history {
    org('ns1', 'acct-a', 11,
        usage => { repos => 2, images => 5, size => 300, downflow => 15 },
        store => { '2026-01-01' => 100, '2026-01-03' => 300 },
        down => { '2026-01-01' => 10, '2026-01-02' => 5 });
    org('ns2', 'acct-a', 12,
        usage => { repos => 1, images => 1, size => 50, downflow => 7 },
        store => { '2026-01-02' => 50 }, down => { '2026-01-02' => 7 });
    SwrTest::command('SADD', 'swr:account:{acct-a}:namespaces', 'nsb');
    return 1;
}

# ---- the images ---------------------------------------------------------------

our $CFG_A = '{"architecture":"amd64","config":{"Cmd":["/a"]},"os":"linux","rootfs":{"diff_ids":[],"type":"layers"}}';
our @LAYERS_A = ('layer-a1:' x 40, 'layer-a2:' x 7);
our $CFG_B = '{"architecture":"arm64","config":{"Cmd":["/b"]},"os":"linux","rootfs":{"diff_ids":[],"type":"layers"}}';
our @LAYERS_B = ('layer-b1:' x 25);

our $A = SwrTest::manifest($CFG_A, \@LAYERS_A);
our $B = SwrTest::manifest($CFG_B, \@LAYERS_B);

our %BLOBS = ($A => [ $CFG_A, @LAYERS_A ], $B => [ $CFG_B, @LAYERS_B ]);

# what an image stores: its manifest, config and layers
our $SA = length($A) + length($CFG_A) + length($LAYERS_A[0])
          + length($LAYERS_A[1]);
our $SB = length($B) + length($CFG_B) + length($LAYERS_B[0]);

sub digest { return SwrTest::sha256($_[0]) }

# ---- requests -----------------------------------------------------------------

sub mreq {
    my ($who, $method, $uri, $body) = @_;

    my $req = "$method $uri"
              . (defined $body && length $body ? "\n$body" : '');
    my $h = "Content-Type: application/json\n"
            . (defined $who ? "X-Auth-Token: tok-$who\n" : '');

    return [ $req, $h ];
}

sub rreq {
    my ($who, $method, $uri, $body, @headers) = @_;

    my $req = "$method $uri"
              . (defined $body && length $body ? "\n$body" : '');
    my $h = join '', map { "$_\n" }
                     SwrAuth::basic(ak_of($who), sk_of($who), 'local'),
                     @headers;

    return [ $req, $h ];
}

sub err {
    my ($code) = @_;
    (my $q = $code) =~ s/\./\\./g;
    return qr/^\{"errors":\[\{"errorCode":"$q","errorMessage":"[^"]+","detail":"[^"]*"\}\],"error_code":"$q","error_msg":"[^"]+","details":\[\{"error_code":"$q","error_msg":"[^"]*"\}\]\}$/;
}

sub exact { my $s = quotemeta $_[0]; return qr/^$s$/ }

our $EMPTY = qr/^$/;

# the cases of a block: [request, status, body regex]
sub case { my ($r, $status, $like) = @_; return [ mreq(@$r), $status, $like ] }
sub rcase { my ($r, $status, $like) = @_; return [ rreq(@$r), $status, $like ] }

sub push_cases {
    my ($who, $name, $ref, $m) = @_;
    return (
        (map { rcase([ $who, 'POST', "/v2/$name/blobs/uploads/?digest="
                                     . digest($_), $_ ], 201, $EMPTY) }
             @{ $BLOBS{$m} }),
        rcase([ $who, 'PUT', "/v2/$name/manifests/$ref", $m,
                'Content-Type: ' . SwrTest::MT_OCI_MANIFEST ], 201, $EMPTY),
    );
}

sub push_now {
    my ($who, $name, $ref, $m) = @_;
    my @auth = (SwrAuth::basic(ak_of($who), sk_of($who), 'local'));
    for my $b (@{ $BLOBS{$m} }) {
        my $r = eval { SwrTest::http('POST', "/v2/$name/blobs/uploads/?digest="
                                             . digest($b), body => $b,
                                     headers => \@auth) };
        warn "blob push to $name: " . ($r ? $r->{status} : $@) . "\n"
            unless $r && $r->{status} == 201;
    }
    my $r = eval { SwrTest::http('PUT', "/v2/$name/manifests/$ref", body => $m,
                                 headers => [ @auth, 'Content-Type: '
                                              . SwrTest::MT_OCI_MANIFEST ]) };
    warn "manifest push $name:$ref: " . ($r ? $r->{status} : $@) . "\n"
        unless $r && $r->{status} == 201;
    return $r ? $r->{status} : 0;
}

sub manage_now {
    my ($who, $method, $uri, $body, $want) = @_;
    my $r = eval { SwrTest::http($method, $uri,
                                 headers => [ "X-Auth-Token: tok-$who",
                                              'Content-Type: application/json' ],
                                 defined $body ? (body => $body) : ()) };
    warn "$method $uri: " . ($r ? "$r->{status} $r->{body}" : $@) . "\n"
        unless $r && $r->{status} == $want;
    return 1;
}

# ---- expected answers ---------------------------------------------------------

sub overview {
    my (%o) = @_;
    my $s = quotemeta(qq|{"domain_id":"$o{id}","domain_name":"$o{name}","downflow_size":|)
            . ($o{down} // '\d+')
            . quotemeta(qq|,"image_num":$o{images},"namspace_num":$o{ns},|
                        . qq|"repo_num":$o{repos},"store_space":$o{store}}|);
    return qr/^$s$/;
}

sub acme { return overview(id => 'acct-a', name => 'Acme', @_) }

sub quotas {
    my ($ns, $repos, $tags, $limits) = @_;
    my @l = @{ $limits // [ 15, 500, 300 ] };
    return exact('{"quotas":['
        . qq|{"quota_key":"namespace","quota_limit":$l[0],"unit":"","used":$ns},|
        . qq|{"quota_key":"repository","quota_limit":$l[1],"unit":"","used":$repos},|
        . qq|{"quota_key":"tag","quota_limit":$l[2],"unit":"","used":$tags}]}|);
}

# today (UTC) as the module writes it, or tomorrow when the run crosses
# midnight
sub day { my @t = gmtime $_[0]; return sprintf '%04d-%02d-%02d', $t[5] + 1900, $t[4] + 1, $t[3] }
our $TODAY = '(?:' . day(time) . '|' . day(time + 86400) . ')';

# a daily report: [date, value]..., a date undef for today
sub report {
    my $s = join ',', map {
        '\{"date":"' . (defined $_->[0] ? quotemeta $_->[0] : $TODAY)
        . '","value":' . $_->[1] . '\}'
    } @_;
    return qr/^\[$s\]$/;
}

our $GATES = '{"enable_cci_service":false,"enable_experience":false,'
             . '"enable_hss_service":false,"enable_image_label":false,'
             . '"enable_image_scan":false,"enable_image_sync":false,'
             . '"enable_pipeline":false,"enable_sm3":false}';

our $Q = '/v2/manage/projects/local/quotas';
our $OV = '/v2/manage/overview';
our $STORE = '/v2/manage/reports/store/daily';
our $DOWN = '/v2/manage/reports/downflow/daily';

sub tag_body { return qq|{"source_tag":"$_[0]","destination_tag":"$_[1]"}| }
sub repo_body { return qq|{"repository":"$_[0]","is_public":false}| }

# ---- TEST 1: the figures follow what is done (swr_quota 2 3 2) -----------------

our @L = (2, 3, 2);
our $LA1 = length $LAYERS_A[0];

our @FLOW = (
    # nothing yet
    case([ 'alice', 'GET', $OV ], 200, acme(down => 0, images => 0, ns => 0, repos => 0, store => 0)),
    case([ 'alice', 'GET', $Q ], 200, quotas(0, 0, 0, \@L)),
    case([ 'alice', 'GET', $STORE ], 200, report()),
    case([ 'alice', 'GET', $DOWN ], 200, report()),
    # organizations: two, then the quota
    case([ 'alice', 'POST', '/v2/manage/namespaces', '{"namespace":"qa"}' ], 201, $EMPTY),
    case([ 'alice', 'POST', '/v2/manage/namespaces', '{"namespace":"qb"}' ], 201, $EMPTY),
    case([ 'alice', 'POST', '/v2/manage/namespaces', '{"namespace":"qc"}' ], 400, err('SVCSTG.SWR.4000097')),
    case([ 'alice', 'GET', $Q ], 200, quotas(2, 0, 0, \@L)),
    case([ 'alice', 'GET', $OV ], 200, acme(down => 0, images => 0, ns => 2, repos => 0, store => 0)),
    # repositories: three, then the quota (per account, over both)
    case([ 'alice', 'POST', '/v2/manage/namespaces/qa/repos', repo_body('r1') ], 200, $EMPTY),
    case([ 'alice', 'POST', '/v2/manage/namespaces/qa/repos', repo_body('r2') ], 200, $EMPTY),
    case([ 'alice', 'POST', '/v2/manage/namespaces/qb/repos', repo_body('r3') ], 200, $EMPTY),
    case([ 'alice', 'POST', '/v2/manage/namespaces/qb/repos', repo_body('r4') ], 400, err('SVCSTG.SWR.4000098')),
    case([ 'alice', 'POST', '/v2/manage/namespaces/qa/repos', repo_body('r4') ], 400, err('SVCSTG.SWR.4000098')),
    case([ 'alice', 'GET', $Q ], 200, quotas(2, 3, 0, \@L)),
    case([ 'alice', 'GET', $OV ], 200, acme(down => 0, images => 0, ns => 2, repos => 3, store => 0)),
    # images: two tags, then the tag quota on both paths
    push_cases('alice', 'qa/r1', 'v1', $A),
    push_cases('alice', 'qa/r1', 'v2', $B),
    rcase([ 'alice', 'PUT', '/v2/qa/r1/manifests/v3', $B,
            'Content-Type: ' . SwrTest::MT_OCI_MANIFEST ], 400,
          exact(SwrTest::err('DENIED', 'tag quota exhausted', 'qa/r1'))),
    case([ 'alice', 'POST', '/v2/manage/namespaces/qa/repos/r1/tags', tag_body('v1', 'v9') ], 400,
         err('SVCSTG.SWR.4000099')),
    case([ 'alice', 'GET', "$Q?namespace=qa&repository=r1" ], 200, quotas(2, 3, 2, \@L)),
    case([ 'alice', 'GET', "$Q?namespace=qa&repository=r2" ], 200, quotas(2, 3, 0, \@L)),
    case([ 'alice', 'GET', $OV ], 200, acme(down => 0, images => 2, ns => 2, repos => 3, store => $SA + $SB)),
    case([ 'alice', 'GET', $STORE ], 200, report([ undef, $SA + $SB ])),
    # the same image in another organization is stored there too
    push_cases('alice', 'qb/r3', 'v1', $A),
    case([ 'alice', 'GET', $OV ], 200, acme(down => 0, images => 3, ns => 2, repos => 3, store => 2 * $SA + $SB)),
    case([ 'alice', 'GET', $STORE ], 200, report([ undef, 2 * $SA + $SB ])),
    # downloads: blob GETs (200, 206) count their bytes; HEADs and
    # manifests do not
    rcase([ 'alice', 'GET', '/v2/qa/r1/blobs/' . digest($LAYERS_A[0]) ], 200, exact($LAYERS_A[0])),
    rcase([ 'alice', 'HEAD', '/v2/qa/r1/blobs/' . digest($LAYERS_A[1]) ], 200, $EMPTY),
    rcase([ 'alice', 'GET', '/v2/qa/r1/blobs/' . digest($LAYERS_B[0]), undef, 'Range: bytes=0-9' ], 206,
          exact(substr($LAYERS_B[0], 0, 10))),
    rcase([ 'alice', 'GET', '/v2/qa/r1/manifests/v1' ], 200, exact($A)),
    rcase([ 'alice', 'GET', '/v2/qa/r1/blobs/' . digest('nothing') ], 404,
          exact(SwrTest::err('BLOB_UNKNOWN', 'blob unknown to registry', digest('nothing')))),
    case([ 'alice', 'GET', $OV ], 200, acme(down => $LA1 + 10, images => 3, ns => 2, repos => 3, store => 2 * $SA + $SB)),
    case([ 'alice', 'GET', $DOWN ], 200, report([ undef, $LA1 + 10 ])),
    # a tag deleted: one image less, the manifest still stored
    case([ 'alice', 'DELETE', '/v2/manage/namespaces/qa/repos/r1/tags/v2' ], 204, $EMPTY),
    case([ 'alice', 'GET', "$Q?namespace=qa&repository=r1" ], 200, quotas(2, 3, 1, \@L)),
    case([ 'alice', 'GET', $OV ], 200, acme(down => $LA1 + 10, images => 2, ns => 2, repos => 3, store => 2 * $SA + $SB)),
    # the manifest deleted: its bytes go
    rcase([ 'alice', 'DELETE', '/v2/qa/r1/manifests/' . digest($B) ], 202, $EMPTY),
    case([ 'alice', 'GET', $OV ], 200, acme(down => $LA1 + 10, images => 2, ns => 2, repos => 3, store => 2 * $SA)),
    case([ 'alice', 'GET', $STORE ], 200, report([ undef, 2 * $SA ])),
    # a tag made: one image more, no bytes
    case([ 'alice', 'POST', '/v2/manage/namespaces/qa/repos/r1/tags', tag_body('v1', 'v2') ], 201, $EMPTY),
    case([ 'alice', 'GET', $OV ], 200, acme(down => $LA1 + 10, images => 3, ns => 2, repos => 3, store => 2 * $SA)),
    # a repository deleted: its images and bytes go, and room is made
    case([ 'alice', 'DELETE', '/v2/manage/namespaces/qb/repos/r3' ], 204, $EMPTY),
    case([ 'alice', 'GET', $OV ], 200, acme(down => $LA1 + 10, images => 2, ns => 2, repos => 2, store => $SA)),
    case([ 'alice', 'GET', $Q ], 200, quotas(2, 2, 0, \@L)),
    case([ 'alice', 'POST', '/v2/manage/namespaces/qb/repos', repo_body('r4') ], 200, $EMPTY),
    case([ 'alice', 'GET', $Q ], 200, quotas(2, 3, 0, \@L)),
    # an organization deleted once empty: it counts no more, room is made
    case([ 'alice', 'DELETE', '/v2/manage/namespaces/qa' ], 406, err('SVCSTG.SWR.4060074')),
    case([ 'alice', 'DELETE', '/v2/manage/namespaces/qa/repos/r1' ], 204, $EMPTY),
    case([ 'alice', 'DELETE', '/v2/manage/namespaces/qa/repos/r2' ], 204, $EMPTY),
    case([ 'alice', 'GET', $OV ], 200, acme(images => 0, ns => 2, repos => 1, store => 0)),
    case([ 'alice', 'DELETE', '/v2/manage/namespaces/qa' ], 204, $EMPTY),
    case([ 'alice', 'GET', $OV ], 200, acme(images => 0, ns => 1, repos => 1, store => 0)),
    case([ 'alice', 'GET', $Q ], 200, quotas(1, 1, 0, \@L)),
    case([ 'alice', 'POST', '/v2/manage/namespaces', '{"namespace":"qc"}' ], 201, $EMPTY),
    case([ 'alice', 'GET', $Q ], 200, quotas(2, 1, 0, \@L)),
    case([ 'alice', 'POST', '/v2/manage/namespaces', '{"namespace":"qd"}' ], 400, err('SVCSTG.SWR.4000097')),
    # the account's figures, for any of its users; another account's are
    # its own
    case([ 'one', 'GET', $OV ], 200, acme(images => 0, ns => 2, repos => 1, store => 0)),
    case([ 'one', 'GET', $Q ], 200, quotas(2, 1, 0, \@L)),
    case([ 'bob', 'GET', $OV ], 200,
         overview(id => 'acct-b', name => 'Bobco', down => 99, images => 9, ns => 1, repos => 4, store => 1000)),
    case([ 'bob', 'GET', $Q ], 200, quotas(1, 4, 0, \@L)),
);

# ---- TEST 2: sums over the account's organizations; the daily reports ---------

our @SUMS = (
    # store: each organization's last figure on or before each day, summed
    case([ 'alice', 'GET', $STORE ], 200,
         report([ '2026-01-01', 100 ], [ '2026-01-02', 150 ], [ '2026-01-03', 350 ])),
    # downflow: each day's bytes, summed
    case([ 'alice', 'GET', $DOWN ], 200, report([ '2026-01-01', 10 ], [ '2026-01-02', 12 ])),
    case([ 'alice', 'GET', $OV ], 200, acme(down => 22, images => 6, ns => 2, repos => 3, store => 350)),
    case([ 'alice', 'GET', $Q ], 200, quotas(2, 3, 0)),
    case([ 'one', 'GET', $STORE ], 200,
         report([ '2026-01-01', 100 ], [ '2026-01-02', 150 ], [ '2026-01-03', 350 ])),
    case([ 'bob', 'GET', $STORE ], 200, report([ '2026-01-02', 1000 ])),
    case([ 'bob', 'GET', $DOWN ], 200, report([ '2026-01-03', 99 ])),
    case([ 'bob', 'GET', $OV ], 200,
         overview(id => 'acct-b', name => 'Bobco', down => 99, images => 9, ns => 1, repos => 4, store => 1000)),
    # an account with nothing (and no name kept)
    case([ 'carol', 'GET', $OV ], 200,
         overview(id => 'acct-c', name => '', down => 0, images => 0, ns => 0, repos => 0, store => 0)),
    case([ 'carol', 'GET', $STORE ], 200, report()),
    case([ 'carol', 'GET', $DOWN ], 200, report()),
    case([ 'carol', 'GET', $Q ], 200, quotas(0, 0, 0)),
    # the query is no part of these
    case([ 'alice', 'GET', "$OV?namespace=ns2" ], 200, acme(down => 22, images => 6, ns => 2, repos => 3, store => 350)),
    # other types and frequencies: 4000014; other paths: unknown
    case([ 'alice', 'GET', '/v2/manage/reports/upflow/daily' ], 400, err('SVCSTG.SWR.4000014')),
    case([ 'alice', 'GET', '/v2/manage/reports/Store/daily' ], 400, err('SVCSTG.SWR.4000014')),
    case([ 'alice', 'GET', '/v2/manage/reports/store/weekly' ], 400, err('SVCSTG.SWR.4000014')),
    case([ 'alice', 'GET', '/v2/manage/reports/downflow/monthly' ], 400, err('SVCSTG.SWR.4000014')),
    case([ 'alice', 'GET', '/v2/manage/reports/store/Daily' ], 400, err('SVCSTG.SWR.4000014')),
    case([ 'alice', 'GET', '/v2/manage/reports/store' ], 404, err('SVCSTG.SWR.4040083')),
    case([ 'alice', 'GET', '/v2/manage/reports/store/daily/x' ], 404, err('SVCSTG.SWR.4040083')),
    case([ 'alice', 'GET', '/v2/manage/overview/x' ], 404, err('SVCSTG.SWR.4040083')),
    case([ 'alice', 'POST', $STORE, '{}' ], 404, err('SVCSTG.SWR.4040083')),
    case([ 'alice', 'DELETE', $OV ], 404, err('SVCSTG.SWR.4040083')),
    case([ 'alice', 'POST', $Q, '{}' ], 404, err('SVCSTG.SWR.4040083')),
    # the feature gates: all off
    case([ 'alice', 'GET', '/v2/manage/projects/local/feature-gates' ], 200, exact($GATES)),
    case([ 'bob', 'GET', '/v2/manage/projects/local/feature-gates' ], 200, exact($GATES)),
    # no credentials
    case([ undef, 'GET', $OV ], 401, err('SVCSTG.S2I.4019000')),
    case([ undef, 'GET', $STORE ], 401, err('SVCSTG.S2I.4019000')),
    case([ undef, 'GET', $Q ], 401, err('SVCSTG.S2I.4019000')),
    case([ undef, 'GET', '/v2/manage/projects/local/feature-gates' ], 401, err('SVCSTG.S2I.4019000')),
);

# ---- TEST 3: ListQuotas with namespace and repository: its tag count ----------

our @TAGQ = (
    case([ 'alice', 'GET', "$Q?namespace=ns1&repository=app" ], 200, quotas(2, 3, 3)),
    case([ 'alice', 'GET', "$Q?repository=app&namespace=ns1" ], 200, quotas(2, 3, 3)),
    case([ 'alice', 'GET', "$Q?namespace=ns1&repository=team\$app" ], 200, quotas(2, 3, 2)),
    case([ 'alice', 'GET', "$Q?namespace=ns1&repository=team%24app" ], 200, quotas(2, 3, 2)),
    case([ 'alice', 'GET', "$Q?namespace=ns1&repository=empty" ], 200, quotas(2, 3, 0)),
    case([ 'alice', 'GET', '/v2/manage/projects/local_x/quotas?namespace=ns1&repository=app' ], 200,
         quotas(2, 3, 3)),
    # read access needed: a repository grant will do
    case([ 'one', 'GET', "$Q?namespace=ns1&repository=app" ], 200, quotas(2, 3, 3)),
    case([ 'one', 'GET', "$Q?namespace=ns1&repository=team\$app" ], 404, err('SVCSTG.SWR.4040058')),
    case([ 'bob', 'GET', "$Q?namespace=ns1&repository=app" ], 404, err('SVCSTG.SWR.4040058')),
    # what is not there, and names nothing can have
    case([ 'alice', 'GET', "$Q?namespace=ns1&repository=nothing" ], 404, err('SVCSTG.SWR.4040113')),
    case([ 'alice', 'GET', "$Q?namespace=ns1&repository=team" ], 404, err('SVCSTG.SWR.4040113')),
    case([ 'alice', 'GET', "$Q?namespace=nothing&repository=app" ], 404, err('SVCSTG.SWR.4040058')),
    case([ 'alice', 'GET', "$Q?namespace=NS1&repository=app" ], 404, err('SVCSTG.SWR.4040058')),
    case([ 'alice', 'GET', "$Q?namespace=n%7Ds1&repository=app" ], 404, err('SVCSTG.SWR.4040058')),
    case([ 'alice', 'GET', "$Q?namespace=ns1&repository=App" ], 400, err('SVCSTG.SWR.4001029')),
    case([ 'alice', 'GET', "$Q?namespace=ns1&repository=a%7Db" ], 400, err('SVCSTG.SWR.4001029')),
    case([ 'alice', 'GET', "$Q?namespace=ns1&repository=" ], 400, err('SVCSTG.SWR.4001029')),
    case([ 'alice', 'GET', "$Q?namespace=ns1&repository=" . ('a' x 129) ], 400, err('SVCSTG.SWR.4001029')),
    # one without the other
    case([ 'alice', 'GET', "$Q?namespace=ns1" ], 400, err('SVCSTG.SWR.4001014')),
    case([ 'alice', 'GET', "$Q?repository=app" ], 400, err('SVCSTG.SWR.4001014')),
);

# ---- TEST 4: the project id: the region ("local"), or region_<anything> --------

our @PROJECTS = (
    (map {
        (case([ 'alice', 'GET', "/v2/manage/projects/$_/quotas" ], 200, quotas(0, 0, 0)),
         case([ 'alice', 'GET', "/v2/manage/projects/$_/feature-gates" ], 200, exact($GATES)))
    } 'local', 'local_x', 'local_0123456789abcdef', 'local_'),
    (map {
        (case([ 'alice', 'GET', "/v2/manage/projects/$_/quotas" ], 403, err('SVCSTG.SWR.4030170')),
         case([ 'alice', 'GET', "/v2/manage/projects/$_/feature-gates" ], 403, err('SVCSTG.SWR.4030170')))
    } 'cn-north-4', 'localx', 'loca', 'LOCAL', 'local-x', '0123456789abcdef0123456789abcdef'),
    case([ undef, 'GET', '/v2/manage/projects/cn-north-4/quotas' ], 401, err('SVCSTG.S2I.4019000')),
);

our @REGION = (
    case([ 'alice', 'GET', '/v2/manage/projects/cn-north-4/quotas' ], 200, quotas(0, 0, 0)),
    case([ 'alice', 'GET', '/v2/manage/projects/cn-north-4_abc/feature-gates' ], 200, exact($GATES)),
    case([ 'alice', 'GET', '/v2/manage/projects/local/quotas' ], 403, err('SVCSTG.SWR.4030170')),
    case([ 'alice', 'GET', '/v2/manage/projects/cn-north-5/feature-gates' ], 403, err('SVCSTG.SWR.4030170')),
);

# ---- TEST 9 (known bug): a push past the repository quota ----------------------

our @REPO_QUOTA = (
    push_cases('alice', 'qa/r2', 'v1', $A),
    case([ 'alice', 'GET', $Q ], 200, quotas(1, 1, 0, [ 15, 1, 300 ])),
);
$REPO_QUOTA[-2] = rcase([ 'alice', 'PUT', '/v2/qa/r2/manifests/v1', $A,
                          'Content-Type: ' . SwrTest::MT_OCI_MANIFEST ], 400,
                        exact(SwrTest::err('DENIED', 'repository quota exhausted', 'qa/r2')));

# ---- TEST 6: swr_auth off -------------------------------------------------------

our @NO_AUTH = (
    case([ 'alice', 'GET', $Q ], 401, err('SVCSTG.S2I.4019000')),
    case([ 'alice', 'GET', '/v2/manage/projects/local/feature-gates' ], 401, err('SVCSTG.S2I.4019000')),
    case([ 'alice', 'GET', $OV ], 401, err('SVCSTG.S2I.4019000')),
    case([ 'alice', 'GET', $STORE ], 401, err('SVCSTG.S2I.4019000')),
);

# ---- the SDK as a client -------------------------------------------------------

# Runs t/lib/swr-sdk-call.js for each call ([label, user, operation,
# params, project (default "local")]) and writes html/<name>.txt: per
# call "<Operation> <label> -> <status> <what the SDK parsed>".  Never
# dies.
our $JSON = JSON::PP->new->canonical(1);

sub sdk_report {
    my ($name, @calls) = @_;

    my $root = $ENV{TEST_NGINX_SERVER_ROOT} || '.';
    my $endpoint = 'http://127.0.0.1:'
                   . ($ENV{TEST_NGINX_SERVER_PORT} || 1984);
    my @out;

    for my $c (@calls) {
        my ($label, $who, $op, $params, $project) = @$c;

        my $line = eval {
            my $r = SwrSdk::call($endpoint, ak_of($who), sk_of($who), $project // 'local', $op, $params);

            $r->{status} =~ /^2/
                ? "$op $label -> $r->{status} " . $JSON->encode($r->{body} // {})
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

# per request: status, body, [error], [alert]; the SDK's report the same
plan tests => repeat_each() * (
    4 * (@FLOW + @SUMS + @TAGQ + @NO_AUTH + @PROJECTS + @REGION)
    + 4                                 # TEST 7
    + 4 + 2 * @REPO_QUOTA               # TEST 8, 9
    + 2 * 7                             # TEST 10
);

no_long_string();
no_shuffle();
run_tests();

__DATA__

=== TEST 1: the figures follow what is done (swr_quota 2 3 2): organizations and the third refused (4000097), repositories and the fourth refused (4000098), pushes (exact bytes stored, per organization and day), the third tag refused by the registry (400 DENIED) and CreateRepoTag (4000099), downloads (blob GETs 200/206), tags, manifests, repositories and organizations deleted; any user of the account reads its figures, another account its own
--- init
main::seed();
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_secret_key_file $TEST_NGINX_SWR_KEYS/secret.hex;
    swr_quota 2 3 2;
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
[map { $_->[0][0] } @main::FLOW]
--- more_headers eval
[map { $_->[0][1] } @main::FLOW]
--- error_code eval
[map { $_->[1] } @main::FLOW]
--- response_body_like eval
[map { $_->[2] } @main::FLOW]
--- no_error_log
[error]
[alert]



=== TEST 2: ShowDomainOverview and ListQuotas sum the account's organizations (a stale index entry of another account's is skipped); ShowDomainResourceReports store (last figure per organization, summed) and downflow (summed per day); other types or frequencies 400 4000014; ShowShareFeatureGates; no credentials 401
--- init
main::seed();
main::history();
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_secret_key_file $TEST_NGINX_SWR_KEYS/secret.hex;
--- config
    location /v2/manage/ {
        swr_manage_api;
        swr_auth on;
    }
--- request eval
[map { $_->[0][0] } @main::SUMS]
--- more_headers eval
[map { $_->[0][1] } @main::SUMS]
--- error_code eval
[map { $_->[1] } @main::SUMS]
--- response_body_like eval
[map { $_->[2] } @main::SUMS]
--- no_error_log
[error]
[alert]



=== TEST 3: ListQuotas ?namespace=&repository= ('$' for '/'): the tag entry's used is that repository's tag count; read access needed (404); unknown repository 4040113, organization 4040058; names no repository can have 4001029
--- init
main::seed();
main::history();
for ([ 'app', 3 ], [ 'team/app', 2 ]) {
    my ($r, $n) = @$_;
    SwrTest::command('HSET', "swr:{r:ns1/$r}:tags",
                     map { ("t$_", 'sha256:' . ('0' x 64)) } 1 .. $n);
    SwrTest::command('HSET', "swr:{r:ns1/$r}:manifests", 'sha256:' . ('0' x 64),
                     '2 application/json');
    SwrTest::command('HSET', "swr:{r:ns1/$r}:meta", created => 1700000000);
}
SwrTest::command('HSET', 'swr:{r:ns1/empty}:meta', created => 1700000000);
SwrAuth::repo_grant('ns1/app', 'u-one', 1);
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_secret_key_file $TEST_NGINX_SWR_KEYS/secret.hex;
--- config
    location /v2/manage/ {
        swr_manage_api;
        swr_auth on;
    }
--- request eval
[map { $_->[0][0] } @main::TAGQ]
--- more_headers eval
[map { $_->[0][1] } @main::TAGQ]
--- error_code eval
[map { $_->[1] } @main::TAGQ]
--- response_body_like eval
[map { $_->[2] } @main::TAGQ]
--- no_error_log
[error]
[alert]



=== TEST 4: the project id of ListQuotas and ShowShareFeatureGates: the region (swr_region, default "local") or region_<anything>; any other 403 4030170 (answered once: the operation's script does not run as well)
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
[map { $_->[0][0] } @main::PROJECTS]
--- more_headers eval
[map { $_->[0][1] } @main::PROJECTS]
--- error_code eval
[map { $_->[1] } @main::PROJECTS]
--- response_body_like eval
[map { $_->[2] } @main::PROJECTS]
--- no_error_log
[error]
[alert]



=== TEST 5: the project id with swr_region cn-north-4
--- init
main::seed();
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_secret_key_file $TEST_NGINX_SWR_KEYS/secret.hex;
    swr_region cn-north-4;
--- config
    location /v2/manage/ {
        swr_manage_api;
        swr_auth on;
    }
--- request eval
[map { $_->[0][0] } @main::REGION]
--- more_headers eval
[map { $_->[0][1] } @main::REGION]
--- error_code eval
[map { $_->[1] } @main::REGION]
--- response_body_like eval
[map { $_->[2] } @main::REGION]
--- no_error_log
[error]
[alert]



=== TEST 6: swr_auth off: no identity, every operation here is 401 SVCSTG.S2I.4019000
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



=== TEST 7: Huawei's SWR SDK for Node: ListQuotas (the project from the credentials), ShowShareFeatureGates, ShowDomainOverview, ShowDomainResourceReports, what it parsed of each answer and each error
--- init
main::seed();
main::history();
main::sdk_report('sdk',
    ['alice', 'alice', 'ListQuotas', ''],
    ['local_x', 'alice', 'ListQuotas', '', 'local_x'],
    ['bob', 'bob', 'ListQuotas', ''],
    ['alice', 'alice', 'ShowShareFeatureGates', ''],
    ['alice', 'alice', 'ShowDomainOverview', ''],
    ['bob', 'bob', 'ShowDomainOverview', ''],
    ['carol', 'carol', 'ShowDomainOverview', ''],
    ['store', 'alice', 'ShowDomainResourceReports', '{"resource_type":"store","frequency":"daily"}'],
    ['downflow', 'alice', 'ShowDomainResourceReports', '{"resource_type":"downflow","frequency":"daily"}'],
    ['bob', 'bob', 'ShowDomainResourceReports', '{"resource_type":"store","frequency":"daily"}'],
    ['carol', 'carol', 'ShowDomainResourceReports', '{"resource_type":"downflow","frequency":"daily"}'],
    ['type', 'alice', 'ShowDomainResourceReports', '{"resource_type":"upflow","frequency":"daily"}'],
    ['frequency', 'alice', 'ShowDomainResourceReports', '{"resource_type":"store","frequency":"monthly"}'],
);
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_secret_key_file $TEST_NGINX_SWR_KEYS/secret.hex;
--- config
    location /v2/manage/ {
        swr_manage_api;
        swr_auth on;
    }
--- request
GET /sdk.txt
--- response_body
ListQuotas alice -> 200 {"quotas":[{"quota_key":"namespace","quota_limit":15,"unit":"","used":2},{"quota_key":"repository","quota_limit":500,"unit":"","used":3},{"quota_key":"tag","quota_limit":300,"unit":"","used":0}]}
ListQuotas local_x -> 200 {"quotas":[{"quota_key":"namespace","quota_limit":15,"unit":"","used":2},{"quota_key":"repository","quota_limit":500,"unit":"","used":3},{"quota_key":"tag","quota_limit":300,"unit":"","used":0}]}
ListQuotas bob -> 200 {"quotas":[{"quota_key":"namespace","quota_limit":15,"unit":"","used":1},{"quota_key":"repository","quota_limit":500,"unit":"","used":4},{"quota_key":"tag","quota_limit":300,"unit":"","used":0}]}
ShowShareFeatureGates alice -> 200 {"enable_cci_service":false,"enable_experience":false,"enable_hss_service":false,"enable_image_label":false,"enable_image_scan":false,"enable_image_sync":false,"enable_pipeline":false,"enable_sm3":false}
ShowDomainOverview alice -> 200 {"domain_id":"acct-a","domain_name":"Acme","downflow_size":22,"image_num":6,"namspace_num":2,"repo_num":3,"store_space":350}
ShowDomainOverview bob -> 200 {"domain_id":"acct-b","domain_name":"Bobco","downflow_size":99,"image_num":9,"namspace_num":1,"repo_num":4,"store_space":1000}
ShowDomainOverview carol -> 200 {"domain_id":"acct-c","domain_name":"","downflow_size":0,"image_num":0,"namspace_num":0,"repo_num":0,"store_space":0}
ShowDomainResourceReports store -> 200 {"0":{"date":"2026-01-01","value":100},"1":{"date":"2026-01-02","value":150},"2":{"date":"2026-01-03","value":350}}
ShowDomainResourceReports downflow -> 200 {"0":{"date":"2026-01-01","value":10},"1":{"date":"2026-01-02","value":12}}
ShowDomainResourceReports bob -> 200 {"0":{"date":"2026-01-02","value":1000}}
ShowDomainResourceReports carol -> 200 {}
ShowDomainResourceReports type -> 400 SVCSTG.SWR.4000014 Invalid API parameters
ShowDomainResourceReports frequency -> 400 SVCSTG.SWR.4000014 Invalid API parameters
--- no_error_log
[error]
[alert]



=== TEST 8: DeleteRepo lowers the organization's bytes and the day's store figure with them
# The store report of today says 0 after the delete, as
# ShowDomainOverview's store_space does.  (The organization qa holds
# qa/r1, an image of 1000 bytes pushed today, as the registry records it.)
--- init
main::seed();
main::org('qa', 'acct-a', 31, usage => { repos => 1, images => 1, size => 1000 },
          store => { main::day(time) => 1000 });
SwrTest::command('HSET', 'swr:{r:qa/r1}:meta', id => 1, created => 1700000000,
                 size => 1000);
SwrTest::command('HSET', 'swr:{r:qa/r1}:tags', v1 => 'sha256:' . ('0' x 64));
SwrTest::command('ZADD', 'swr:repos', 0, 'qa/r1');
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_secret_key_file $TEST_NGINX_SWR_KEYS/secret.hex;
--- config
    location /v2/manage/ {
        swr_manage_api;
        swr_auth on;
    }
--- request eval
["DELETE /v2/manage/namespaces/qa/repos/r1", "GET /v2/manage/reports/store/daily"]
--- more_headers
X-Auth-Token: tok-alice
--- error_code eval
[204, 200]
--- response_body_like eval
[qr/^$/, main::report([ undef, 0 ])]



=== TEST 9: a push that would make a repository past the repository quota is refused, as CreateRepo is
# With "swr_quota 15 1 300" and the one repository qa/r1, a push to qa/r2
# is 400 DENIED "repository quota exhausted", and there is still 1
# repository.
--- init
main::seed();
main::org('qa', 'acct-a', 31, usage => { repos => 1 });
SwrTest::command('HSET', 'swr:{r:qa/r1}:meta', id => 1, created => 1700000000);
SwrTest::command('ZADD', 'swr:repos', 0, 'qa/r1');
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_secret_key_file $TEST_NGINX_SWR_KEYS/secret.hex;
    swr_quota 15 1 300;
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
[map { $_->[0][0] } @main::REPO_QUOTA]
--- more_headers eval
[map { $_->[0][1] } @main::REPO_QUOTA]
--- error_code eval
[map { $_->[1] } @main::REPO_QUOTA]
--- response_body_like eval
[map { $_->[2] } @main::REPO_QUOTA]



=== TEST 10: a deleted organization's downloads and daily history stay its account's: the overview's downflow_size keeps them, the downflow report its days, the store report its days and 0 from the day it went
# old (acct-a) downloaded 300 bytes on 2024-01-01 and 200 on 2024-01-02
# and stored 500 then 0; live (acct-a) downloaded 50 on 2024-01-02 and
# stores 70 since 2024-01-01.  old is deleted today (it is empty).
--- init
main::seed();
main::org('old', 'acct-a', 41, usage => { downflow => 500, size => 0 },
          store => { '2024-01-01' => 500, '2024-01-02' => 0 },
          down => { '2024-01-01' => 300, '2024-01-02' => 200 });
main::org('live', 'acct-a', 42, usage => { downflow => 50, size => 70 },
          store => { '2024-01-01' => 70 }, down => { '2024-01-02' => 50 });
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_secret_key_file $TEST_NGINX_SWR_KEYS/secret.hex;
--- config
    location /v2/manage/ {
        swr_manage_api;
        swr_auth on;
    }
--- request eval
["GET $main::OV", "DELETE /v2/manage/namespaces/old", "GET $main::OV",
 "GET $main::DOWN", "GET $main::STORE", "GET /v2/manage/namespaces/old",
 "GET $main::OV"]
--- more_headers
X-Auth-Token: tok-alice
--- error_code eval
[200, 204, 200, 200, 200, 404, 200]
--- response_body_like eval
[main::acme(down => 550, images => 0, ns => 2, repos => 0, store => 70),
 qr/^$/,
 main::acme(down => 550, images => 0, ns => 1, repos => 0, store => 70),
 main::report([ '2024-01-01', 300 ], [ '2024-01-02', 250 ]),
 main::report([ '2024-01-01', 570 ], [ '2024-01-02', 70 ], [ undef, 70 ]),
 qr/"error_code":"SVCSTG\.SWR\.4040058"/,
 main::acme(down => 550, images => 0, ns => 1, repos => 0, store => 70)]
