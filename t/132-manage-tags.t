# vim:set ft= ts=4 sw=4 et fdm=marker:
# Image tags through the management API (swr-api.md 4.4):
# ListRepositoryTags, CreateRepoTag, DeleteRepoTag, against images pushed
# through the registry in the same blocks (monolithic blob uploads and
# manifest PUTs with SWR's Basic login, t/lib/SwrAuth.pm): a pushed tag is
# listed with its digest, manifest, image id (the config's digest) and
# size (manifest, config and layers; an index: the index and its
# manifests); what DeleteRepoTag removes is gone from the registry's
# tags/list and its manifest GET; what CreateRepoTag makes is pulled by
# tag; a manifest deleted by digest takes its tags along; a tag pushed
# again keeps its id and creation time and moves its update time;
# ShowRepository's num_images, size and num_download (manifest GETs, not
# HEADs) follow.  Then every parameter of the list (order_column,
# order_type, limit/offset, tag, the filter form; Content-Range; all rows
# without limit), the bodies and names CreateRepoTag refuses, the tag
# quota (swr_quota) on both paths, who may do what (list 1, create 3,
# delete 7: the account's administrator, organization and repository
# grants 1/3/7, a public repository, no grant, another account, no
# credentials, swr_auth off), a repository pushed before the registry
# kept records, and Huawei's SWR SDK for Node driving each operation.
#
# Management requests authenticate with X-Auth-Token (the tokens below),
# registry requests with Basic (SwrAuth::basic, region "local", the
# default swr_region).  Every block's --- init writes Redis afresh
# (FLUSHALL first):
#
#   account acct-a: alice (administrator), one, three, seven (grants 1,
#                   3, 7 on ns1), r1, r3, r7 (grants 1, 3, 7 on the
#                   repository ns1/app only), none (no grant)
#   account acct-b: bob (administrator)
#   ns1 (acct-a, id 11), nsb (acct-b, id 21)
#
# A manifest GET refused for its Accept does not count as a pull (TEST
# 11).
#
# Images (OCI unless said otherwise; contents made here, so sizes and
# digests are known): A (a config and two layers), B (a config and one
# layer), C (Docker schema 2: a config and one layer), IDX (an OCI index
# of A and B).

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

our $PROJECT = 'local';

# user id => [name, account, admin, AK]
our %USER = (
    'u-alice' => [ 'alice', 'acct-a', 1, 'AKALICE00000000001' ],
    'u-one'   => [ 'one',   'acct-a', 0, 'AKONE0000000000001' ],
    'u-three' => [ 'three', 'acct-a', 0, 'AKTHREE00000000001' ],
    'u-seven' => [ 'seven', 'acct-a', 0, 'AKSEVEN00000000001' ],
    'u-r1'    => [ 'r1',    'acct-a', 0, 'AKREPO100000000001' ],
    'u-r3'    => [ 'r3',    'acct-a', 0, 'AKREPO300000000001' ],
    'u-r7'    => [ 'r7',    'acct-a', 0, 'AKREPO700000000001' ],
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

    for ([ 'ns1', 'acct-a', 'u-alice', 11 ], [ 'nsb', 'acct-b', 'u-bob', 21 ])
    {
        my ($ns, $account, $creator, $id) = @$_;
        SwrTest::command('HSET', "swr:ns:{$ns}", account => $account,
                         created => 1700000000, id => $id,
                         creator => $creator);
        SwrAuth::ns_grant($ns, $creator, 7);
        SwrTest::command('ZADD', 'swr:namespaces', 0, $ns);
        SwrTest::command('SADD', "swr:account:{$account}:namespaces", $ns);
    }

    SwrAuth::ns_grant('ns1', 'u-one', 1);
    SwrAuth::ns_grant('ns1', 'u-three', 3);
    SwrAuth::ns_grant('ns1', 'u-seven', 7);
    SwrAuth::repo_grant('ns1/app', 'u-r1', 1);
    SwrAuth::repo_grant('ns1/app', 'u-r3', 3);
    SwrAuth::repo_grant('ns1/app', 'u-r7', 7);

    return 1;
}

# ---- the images --------------------------------------------------------------

our $CFG_A = '{"architecture":"amd64","config":{"Cmd":["/a"]},"os":"linux","rootfs":{"diff_ids":[],"type":"layers"}}';
our @LAYERS_A = ('layer-a1:' x 40, 'layer-a2:' x 7);
our $CFG_B = '{"architecture":"arm64","config":{"Cmd":["/b"]},"os":"linux","rootfs":{"diff_ids":[],"type":"layers"}}';
our @LAYERS_B = ('layer-b1:' x 25);
our $CFG_C = '{"architecture":"amd64","config":{"Cmd":["/c"]},"os":"linux","rootfs":{"diff_ids":[],"type":"layers"}}';
our @LAYERS_C = ('layer-c1:' x 13);

our $A = SwrTest::manifest($CFG_A, \@LAYERS_A);
our $B = SwrTest::manifest($CFG_B, \@LAYERS_B);
our $C = SwrTest::docker_manifest($CFG_C, \@LAYERS_C);
our $IDX = SwrTest::index_of(SwrTest::MT_OCI_INDEX, [ $A, $B ]);

our %CONFIG = ($A => $CFG_A, $B => $CFG_B, $C => $CFG_C);

our %BLOBS = ($A => [ $CFG_A, @LAYERS_A ], $B => [ $CFG_B, @LAYERS_B ],
              $C => [ $CFG_C, @LAYERS_C ], $IDX => []);

sub digest { return SwrTest::sha256($_[0]) }
sub hex_of { (my $h = SwrTest::sha256($_[0])) =~ s/^sha256://; return $h }

# what a tag of manifest $m weighs (swr-api.md 4.4, the module's rule):
# the manifest's bytes and what its descriptors say they reference
# (config and layers; for an index, its manifests)
sub size_of {
    my ($m) = @_;
    my $j = SwrTest::decode_json($m);
    my $n = length $m;
    $n += $_->{size}
        for $j->{manifests} ? @{ $j->{manifests} }
                            : ($j->{config}, @{ $j->{layers} });
    return $n;
}

# the sizes once more, straight from the contents (a check of size_of)
our $SIZE_A = length($A) + length($CFG_A) + length($LAYERS_A[0])
              + length($LAYERS_A[1]);
our $SIZE_B = length($B) + length($CFG_B) + length($LAYERS_B[0]);
our $SIZE_C = length($C) + length($CFG_C) + length($LAYERS_C[0]);
our $SIZE_IDX = length($IDX) + length($A) + length($B);

die "size_of disagrees\n"
    unless size_of($A) == $SIZE_A && size_of($B) == $SIZE_B
           && size_of($C) == $SIZE_C && size_of($IDX) == $SIZE_IDX;

# ---- requests -----------------------------------------------------------------

# a management request [request, more_headers] as $who (undef: nobody)
sub mreq {
    my ($who, $method, $uri, $body) = @_;

    my $req = "$method $uri"
              . (defined $body && length $body ? "\n$body" : '');
    my $h = "Content-Type: application/json\n"
            . (defined $who ? "X-Auth-Token: tok-$who\n" : '');

    return [ $req, $h ];
}

# a registry request as $who with SWR's Basic login
sub rreq {
    my ($who, $method, $uri, $body, @headers) = @_;

    my $req = "$method $uri"
              . (defined $body && length $body ? "\n$body" : '');
    my $h = join '', map { "$_\n" }
                     (defined $who ? SwrAuth::basic(ak_of($who),
                                                    sk_of($who), 'local')
                                   : ()),
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

# the cases of a block: [request, status, body regex, Content-Range ('':
# none)]
sub case {
    my ($r, $status, $like, $range) = @_;
    return [ mreq(@$r), $status, $like, $range // '' ];
}

sub rcase {
    my ($r, $status, $like) = @_;
    return [ rreq(@$r), $status, $like, '' ];
}

# a push of manifest $m as $ref (a tag or its digest) to $name: its blobs
# (monolithic uploads), then the manifest
sub push_cases {
    my ($who, $name, $ref, $m) = @_;
    my $type = SwrTest::decode_json($m)->{mediaType};
    return (
        (map { rcase([ $who, 'POST', "/v2/$name/blobs/uploads/?digest="
                                     . digest($_), $_ ], 201, $EMPTY) }
             @{ $BLOBS{$m} }),
        rcase([ $who, 'PUT', "/v2/$name/manifests/$ref", $m,
                "Content-Type: $type" ], 201, $EMPTY),
    );
}

# the same from --- init (a failure shows in the block's checks)
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
    my $type = SwrTest::decode_json($m)->{mediaType};
    my $r = eval { SwrTest::http('PUT', "/v2/$name/manifests/$ref", body => $m,
                                 headers => [ @auth, "Content-Type: $type" ]) };
    warn "manifest push $name:$ref: " . ($r ? $r->{status} : $@) . "\n"
        unless $r && $r->{status} == 201;
    return 1;
}

# a management call from --- init
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

# a tag's id and times, as the registry keeps them
sub tagmeta {
    my ($name, $tag, $id, $created, $updated) = @_;
    SwrTest::command('HSET', "swr:{r:$name}:tagmeta", $tag,
                     "$id $created $updated");
}

# ---- expected answers ---------------------------------------------------------

our $TIME = '\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ';

sub t3339 {
    my @t = gmtime $_[0];
    return sprintf '%04d-%02d-%02dT%02d:%02d:%02dZ', $t[5] + 1900, $t[4] + 1,
                   @t[3, 2, 1, 0];
}

our $T0 = t3339(1700000000);    # 2023-11-14T22:13:20Z

our $JSTR = JSON::PP->new->allow_nonref(1);

# One row of ListRepositoryTags (as a regex): tag, id, manifest; repo
# (default ns1/app), repo_id (default 1); created: a time, or undef (any
# time, captured); updated: a time, 'same' (as created; created undef),
# 'moved' (any time but $T0), or undef (any time)
sub row {
    my (%o) = @_;

    my $m = $o{manifest};
    my $name = $o{repo} // 'ns1/app';
    my $q = sub { quotemeta $_[0] };

    die "row: 'same' needs created undef\n"
        if defined $o{updated} && $o{updated} eq 'same' && defined $o{created};

    my $created = defined $o{created} ? $q->($o{created}) : "($TIME)";
    my $updated = !defined $o{updated} ? $TIME
                  : $o{updated} eq 'same' ? '\g{-1}'
                  : $o{updated} eq 'moved' ? "(?!\Q$T0\E)$TIME"
                  : $q->($o{updated});

    my $index = $m eq $IDX;
    my $image_id = $index ? '' : hex_of($CONFIG{$m});

    return $q->(qq|{"Tag":"$o{tag}","created":"|) . $created
           . $q->(qq|","deleted":null,"digest":"| . digest($m)
                  . qq|","domain_id":"acct-a","id":$o{id},"image_id":"$image_id",|
                  . qq|"internal_path":"localhost/$name:$o{tag}","is_trusted":false,|
                  . '"manifest":' . $JSTR->encode($m)
                  . qq|,"path":"localhost/$name:$o{tag}","repo_id":| . ($o{repo_id} // 1)
                  . ',"scanned":false,"schema":2,"size":' . size_of($m)
                  . ',"tag_type":' . ($index ? 1 : 0) . ',"updated":"')
           . $updated . '"\}';
}

sub rows { my $s = join ',', @_; return qr/^\[$s\]$/ }

# the registry's tags/list
sub taglist {
    my ($name, @tags) = @_;
    return exact(qq|{"name":"$name","tags":[|
                 . join(',', map { qq|"$_"| } @tags) . ']}');
}

# ShowRepository of ns1/app: updated 'moved' for any time but $T0
sub repo {
    my (%o) = @_;
    my $updated = ($o{updated} // '') eq 'moved' ? "(?!\Q$T0\E)$TIME" : $TIME;
    my $s = '^' . quotemeta('{"category":"other","created":"') . $TIME
            . quotemeta('","creator_id":"u-alice","creator_name":"alice","description":"",'
                        . '"domain_id":"acct-a","id":1,'
                        . '"internal_path":"localhost/ns1/app","is_public":false,'
                        . '"name":"app","ns_id":11,"num_download":' . $o{downloads}
                        . ',"num_images":' . $o{images}
                        . ',"path":"localhost/ns1/app","priority":0,"size":' . $o{size}
                        . ',"updated":"')
            . $updated . quotemeta('","url":""}') . '$';
    return qr/$s/;
}

# the registry's error body
sub rerr { return exact(SwrTest::err(@_)) }

our $TAGS = '/v2/manage/namespaces/ns1/repos/app/tags';
our $SHOW = '/v2/manage/namespaces/ns1/repos/app';

sub create_body {
    my ($src, $dst, $override) = @_;
    return qq|{"source_tag":"$src","destination_tag":"$dst"|
           . (defined $override ? qq|,"override":$override| : '') . '}';
}

# ---- TEST 1: registry and management agree ------------------------------------

our @AGREE = (
    push_cases('alice', 'ns1/app', 'v1', $A),
    push_cases('alice', 'ns1/app', digest($B), $B),
    push_cases('alice', 'ns1/app', 'multi', $IDX),
    push_cases('alice', 'ns1/app', 'old', $C),
    # each as pushed: digest, manifest, config, size; created = updated
    case([ 'alice', 'GET', "$TAGS?tag=v1" ], 200,
         rows(row(tag => 'v1', id => 1, manifest => $A, updated => 'same')), '0-1/1'),
    case([ 'alice', 'GET', "$TAGS?tag=multi" ], 200,
         rows(row(tag => 'multi', id => 2, manifest => $IDX, updated => 'same')), '0-1/1'),
    case([ 'alice', 'GET', "$TAGS?tag=old" ], 200,
         rows(row(tag => 'old', id => 3, manifest => $C, updated => 'same')), '0-1/1'),
    case([ 'alice', 'GET', "$TAGS?order_column=tag&order_type=asc" ], 200,
         rows(row(tag => 'multi', id => 2, manifest => $IDX),
              row(tag => 'old', id => 3, manifest => $C),
              row(tag => 'v1', id => 1, manifest => $A)), '0-3/3'),
    rcase([ 'alice', 'GET', '/v2/ns1/app/tags/list' ], 200,
          taglist('ns1/app', 'multi', 'old', 'v1')),
    # every manifest counts once, tagged or not
    case([ 'alice', 'GET', $SHOW ], 200,
         repo(downloads => 0, images => 3,
              size => $SIZE_A + $SIZE_B + $SIZE_IDX + $SIZE_C)),
    # pulls: GETs count, HEADs do not
    rcase([ 'alice', 'HEAD', '/v2/ns1/app/manifests/v1' ], 200, $EMPTY),
    rcase([ 'alice', 'GET', '/v2/ns1/app/manifests/v1' ], 200, exact($A)),
    rcase([ 'alice', 'GET', '/v2/ns1/app/manifests/' . digest($B) ], 200, exact($B)),
    rcase([ 'alice', 'HEAD', '/v2/ns1/app/manifests/' . digest($B) ], 200, $EMPTY),
    case([ 'alice', 'GET', $SHOW ], 200,
         repo(downloads => 2, images => 3,
              size => $SIZE_A + $SIZE_B + $SIZE_IDX + $SIZE_C)),
    # CreateRepoTag: pulled by tag through the registry
    case([ 'alice', 'POST', $TAGS, create_body('v1', 'copy') ], 201, $EMPTY),
    rcase([ 'alice', 'GET', '/v2/ns1/app/manifests/copy' ], 200, exact($A)),
    case([ 'alice', 'GET', "$TAGS?tag=copy" ], 200,
         rows(row(tag => 'copy', id => 4, manifest => $A, updated => 'same')), '0-1/1'),
    rcase([ 'alice', 'GET', '/v2/ns1/app/tags/list' ], 200,
          taglist('ns1/app', 'copy', 'multi', 'old', 'v1')),
    case([ 'alice', 'GET', $SHOW ], 200,
         repo(downloads => 3, images => 4,
              size => $SIZE_A + $SIZE_B + $SIZE_IDX + $SIZE_C)),
    # DeleteRepoTag: the tag is gone from the registry; its manifest stays
    case([ 'alice', 'DELETE', "$TAGS/multi" ], 204, $EMPTY),
    rcase([ 'alice', 'GET', '/v2/ns1/app/tags/list' ], 200,
          taglist('ns1/app', 'copy', 'old', 'v1')),
    rcase([ 'alice', 'GET', '/v2/ns1/app/manifests/multi' ], 404,
          rerr('MANIFEST_UNKNOWN', 'manifest unknown to registry', 'multi')),
    rcase([ 'alice', 'HEAD', '/v2/ns1/app/manifests/multi' ], 404, $EMPTY),
    rcase([ 'alice', 'GET', '/v2/ns1/app/manifests/' . digest($IDX) ], 200, exact($IDX)),
    case([ 'alice', 'GET', "$TAGS?tag=multi" ], 200, rows(), '0-0/0'),
    case([ 'alice', 'DELETE', "$TAGS/multi" ], 404, err('SVCSTG.SWR.4040115')),
    case([ 'alice', 'GET', $SHOW ], 200,
         repo(downloads => 4, images => 3,
              size => $SIZE_A + $SIZE_B + $SIZE_IDX + $SIZE_C)),
    # a manifest deleted by digest takes every tag on it along
    case([ 'alice', 'POST', $TAGS, create_body('old', 'old2') ], 201, $EMPTY),
    case([ 'alice', 'GET', "$TAGS?order_column=tag" ], 200,
         rows(row(tag => 'copy', id => 4, manifest => $A),
              row(tag => 'old', id => 3, manifest => $C),
              row(tag => 'old2', id => 5, manifest => $C),
              row(tag => 'v1', id => 1, manifest => $A)), '0-4/4'),
    rcase([ 'alice', 'DELETE', '/v2/ns1/app/manifests/' . digest($C) ], 202, $EMPTY),
    rcase([ 'alice', 'GET', '/v2/ns1/app/tags/list' ], 200,
          taglist('ns1/app', 'copy', 'v1')),
    rcase([ 'alice', 'GET', '/v2/ns1/app/manifests/old2' ], 404,
          rerr('MANIFEST_UNKNOWN', 'manifest unknown to registry', 'old2')),
    case([ 'alice', 'GET', "$TAGS?order_column=tag" ], 200,
         rows(row(tag => 'copy', id => 4, manifest => $A),
              row(tag => 'v1', id => 1, manifest => $A)), '0-2/2'),
    case([ 'alice', 'DELETE', "$TAGS/old" ], 404, err('SVCSTG.SWR.4040115')),
    case([ 'alice', 'POST', $TAGS, create_body('old2', 'x') ], 404, err('SVCSTG.SWR.4040115')),
    case([ 'alice', 'GET', $SHOW ], 200,
         repo(downloads => 4, images => 2,
              size => $SIZE_A + $SIZE_B + $SIZE_IDX)),
    # the last tag deleted: an empty list, the repository stays
    case([ 'alice', 'DELETE', "$TAGS/v1" ], 204, $EMPTY),
    case([ 'alice', 'DELETE', "$TAGS/copy" ], 204, $EMPTY),
    case([ 'alice', 'GET', $TAGS ], 200, rows(), '0-0/0'),
    rcase([ 'alice', 'GET', '/v2/ns1/app/tags/list' ], 200, taglist('ns1/app')),
    case([ 'alice', 'GET', $SHOW ], 200,
         repo(downloads => 4, images => 0,
              size => $SIZE_A + $SIZE_B + $SIZE_IDX)),
);

# ---- TEST 2: ListRepositoryTags: parameters ----------------------------------

our $T1 = t3339(1700000100);
our $T2 = t3339(1700000200);
our $T3 = t3339(1700000300);

# v1 (A, created T0, updated T3), v2 (B, T1), multi (IDX, T2)
our %R = (
    v1    => row(tag => 'v1', id => 1, manifest => $A, created => $T0, updated => $T3),
    v2    => row(tag => 'v2', id => 2, manifest => $B, created => $T1, updated => $T1),
    multi => row(tag => 'multi', id => 3, manifest => $IDX, created => $T2, updated => $T2),
);

sub r { return rows(map { $R{$_} } @_) }

# 105 tags of one manifest (ns1/many), any row of them
our $ANY = qr/\{"Tag":"t\d{3}"(?:[^"{}]|"(?:[^"\\]|\\.)*")*\}/;
sub many { my ($n) = @_; return qr/^\[(?:$ANY,){@{[ $n - 1 ]}}$ANY\]$/ }

our @PARAMS = (
    # by update time, newest first; created and updated as kept
    case([ 'alice', 'GET', $TAGS ], 200, r('v1', 'multi', 'v2'), '0-3/3'),
    case([ 'alice', 'GET', "$TAGS?order_column=updated_at" ], 200, r('v1', 'multi', 'v2'), '0-3/3'),
    case([ 'alice', 'GET', "$TAGS?order_column=updated_at&order_type=desc" ], 200, r('v1', 'multi', 'v2'), '0-3/3'),
    case([ 'alice', 'GET', "$TAGS?order_column=updated_at&order_type=asc" ], 200, r('v2', 'multi', 'v1'), '0-3/3'),
    case([ 'alice', 'GET', "$TAGS?order_column=tag" ], 200, r('multi', 'v1', 'v2'), '0-3/3'),
    case([ 'alice', 'GET', "$TAGS?order_column=tag&order_type=asc" ], 200, r('multi', 'v1', 'v2'), '0-3/3'),
    case([ 'alice', 'GET', "$TAGS?order_column=tag&order_type=desc" ], 200, r('v2', 'v1', 'multi'), '0-3/3'),
    # pages: offset-count/total
    case([ 'alice', 'GET', "$TAGS?limit=2&offset=0" ], 200, r('v1', 'multi'), '0-2/3'),
    case([ 'alice', 'GET', "$TAGS?limit=2&offset=2" ], 200, r('v2'), '2-1/3'),
    case([ 'alice', 'GET', "$TAGS?limit=2" ], 200, r('v1', 'multi'), '0-2/3'),
    case([ 'alice', 'GET', "$TAGS?offset=1" ], 200, r('multi', 'v2'), '1-2/3'),
    case([ 'alice', 'GET', "$TAGS?limit=1&offset=1&order_column=tag&order_type=desc" ], 200, r('v1'), '1-1/3'),
    case([ 'alice', 'GET', "$TAGS?limit=5&offset=3" ], 200, rows(), '3-0/3'),
    case([ 'alice', 'GET', "$TAGS?limit=1000&offset=9" ], 200, rows(), '9-0/3'),
    # one tag by name
    case([ 'alice', 'GET', "$TAGS?tag=v2" ], 200, r('v2'), '0-1/1'),
    case([ 'alice', 'GET', "$TAGS?tag=multi&order_column=tag" ], 200, r('multi'), '0-1/1'),
    case([ 'alice', 'GET', "$TAGS?tag=v3" ], 200, rows(), '0-0/0'),
    case([ 'alice', 'GET', "$TAGS?tag=V1" ], 200, rows(), '0-0/0'),
    # the filter form, as the SDK encodes it or not; filter wins
    case([ 'alice', 'GET', "$TAGS?filter=order_column%3A%3Atag%7Corder_type%3A%3Aasc%7Climit%3A%3A1%7Coffset%3A%3A1" ], 200, r('v1'), '1-1/3'),
    case([ 'alice', 'GET', "$TAGS?filter=order_column::updated_at|order_type::asc" ], 200, r('v2', 'multi', 'v1'), '0-3/3'),
    case([ 'alice', 'GET', "$TAGS?filter=tag::multi" ], 200, r('multi'), '0-1/1'),
    case([ 'alice', 'GET', "$TAGS?filter=offset::2|limit::10" ], 200, r('v2'), '2-1/3'),
    case([ 'alice', 'GET', "$TAGS?tag=v1&filter=tag::v2" ], 200, r('v2'), '0-1/1'),
    case([ 'alice', 'GET', "$TAGS?order_column=tag&filter=limit::3" ], 200, r('v1', 'multi', 'v2'), '0-3/3'),
    case([ 'alice', 'GET', "$TAGS?filter=" ], 200, r('v1', 'multi', 'v2'), '0-3/3'),
    # bad values: 4000014; bad pages: 4000056; bad tags: 4009021
    case([ 'alice', 'GET', "$TAGS?order_column=name" ], 400, err('SVCSTG.SWR.4000014')),
    case([ 'alice', 'GET', "$TAGS?order_column=updated_time" ], 400, err('SVCSTG.SWR.4000014')),
    case([ 'alice', 'GET', "$TAGS?order_column=Tag" ], 400, err('SVCSTG.SWR.4000014')),
    case([ 'alice', 'GET', "$TAGS?order_column=tag&order_type=up" ], 400, err('SVCSTG.SWR.4000014')),
    case([ 'alice', 'GET', "$TAGS?order_type=asc" ], 400, err('SVCSTG.SWR.4000014')),
    case([ 'alice', 'GET', "$TAGS?filter=order_type::desc" ], 400, err('SVCSTG.SWR.4000014')),
    case([ 'alice', 'GET', "$TAGS?limit=abc" ], 400, err('SVCSTG.SWR.4000056')),
    case([ 'alice', 'GET', "$TAGS?limit=1001" ], 400, err('SVCSTG.SWR.4000056')),
    case([ 'alice', 'GET', "$TAGS?limit=-1" ], 400, err('SVCSTG.SWR.4000056')),
    case([ 'alice', 'GET', "$TAGS?limit=2&offset=x" ], 400, err('SVCSTG.SWR.4000056')),
    case([ 'alice', 'GET', "$TAGS?filter=limit::1.5" ], 400, err('SVCSTG.SWR.4000056')),
    case([ 'alice', 'GET', "$TAGS?tag=-v1" ], 400, err('SVCSTG.SWR.4009021')),
    case([ 'alice', 'GET', "$TAGS?tag=a%2Fb" ], 400, err('SVCSTG.SWR.4009021')),
    case([ 'alice', 'GET', "$TAGS?tag=" . ('x' x 129) ], 400, err('SVCSTG.SWR.4009021')),
    case([ 'alice', 'GET', "$TAGS?filter=tag::.v1" ], 400, err('SVCSTG.SWR.4009021')),
    # bad filters: 4001035
    case([ 'alice', 'GET', "$TAGS?filter=name::v1" ], 400, err('SVCSTG.SWR.4001035')),
    case([ 'alice', 'GET', "$TAGS?filter=tag" ], 400, err('SVCSTG.SWR.4001035')),
    case([ 'alice', 'GET', "$TAGS?filter=tag:v1" ], 400, err('SVCSTG.SWR.4001035')),
    case([ 'alice', 'GET', "$TAGS?filter=tag::v1|tag::v2" ], 400, err('SVCSTG.SWR.4001035')),
    case([ 'alice', 'GET', "$TAGS?filter=tag::v1|" ], 400, err('SVCSTG.SWR.4001035')),
    case([ 'alice', 'GET', "$TAGS?filter=namespace::ns1" ], 400, err('SVCSTG.SWR.4001035')),
    # without limit and offset: every row (105, over the repository
    # list's default page of 100); limit 1000 at most
    case([ 'alice', 'GET', '/v2/manage/namespaces/ns1/repos/many/tags' ], 200, many(105), '0-105/105'),
    case([ 'alice', 'GET', '/v2/manage/namespaces/ns1/repos/many/tags?limit=1000' ], 200, many(105), '0-105/105'),
    case([ 'alice', 'GET', '/v2/manage/namespaces/ns1/repos/many/tags?limit=100' ], 200, many(100), '0-100/105'),
    case([ 'alice', 'GET', '/v2/manage/namespaces/ns1/repos/many/tags?offset=100' ], 200, many(5), '100-5/105'),
    # a repository with a slash in its name: '$' in the path, raw or
    # percent-encoded
    case([ 'alice', 'GET', '/v2/manage/namespaces/ns1/repos/team$app/tags' ], 200,
         rows(row(tag => 'v1', id => 1, manifest => $A, repo => 'ns1/team/app',
                  repo_id => 3, updated => 'same')), '0-1/1'),
    case([ 'alice', 'GET', '/v2/manage/namespaces/ns1/repos/team%24app/tags?tag=v1' ], 200,
         rows(row(tag => 'v1', id => 1, manifest => $A, repo => 'ns1/team/app',
                  repo_id => 3, updated => 'same')), '0-1/1'),
    case([ 'alice', 'GET', '/v2/manage/namespaces/ns1/repos/team/tags' ], 404, err('SVCSTG.SWR.4040113')),
    # what is not there, and names nothing can have
    case([ 'alice', 'GET', '/v2/manage/namespaces/ns1/repos/nothing/tags' ], 404, err('SVCSTG.SWR.4040113')),
    case([ 'alice', 'GET', '/v2/manage/namespaces/nothing/repos/app/tags' ], 404, err('SVCSTG.SWR.4040058')),
    # other methods
    case([ 'alice', 'PUT', $TAGS, '{}' ], 404, err('SVCSTG.SWR.4040083')),
    case([ 'alice', 'GET', "$TAGS/v1" ], 404, err('SVCSTG.SWR.4040083')),
    case([ 'alice', 'POST', "$TAGS/v1", '{}' ], 404, err('SVCSTG.SWR.4040083')),
);

# ---- TEST 3: a tag pushed again, or moved by CreateRepoTag's override ---------

our @MOVE = (
    # as kept: v1 (A), v2 (B), a (A), all created and updated at T0
    case([ 'alice', 'GET', "$TAGS?tag=v1" ], 200,
         rows(row(tag => 'v1', id => 1, manifest => $A, created => $T0, updated => $T0)), '0-1/1'),
    # v1 pushed again, now B: its id and creation time stay, the update
    # time moves; the registry serves B
    push_cases('alice', 'ns1/app', 'v1', $B),
    case([ 'alice', 'GET', "$TAGS?tag=v1" ], 200,
         rows(row(tag => 'v1', id => 1, manifest => $B, created => $T0, updated => 'moved')), '0-1/1'),
    rcase([ 'alice', 'GET', '/v2/ns1/app/manifests/v1' ], 200, exact($B)),
    # A is still stored (tagged a): both count
    case([ 'alice', 'GET', $SHOW ], 200,
         repo(downloads => 1, images => 3, size => $SIZE_A + $SIZE_B, updated => 'moved')),
    # override: v2 (B) made to point at a's manifest (A)
    case([ 'alice', 'POST', $TAGS, create_body('a', 'v2') ], 409, err('SVCSTG.SWR.4090006')),
    case([ 'alice', 'POST', $TAGS, create_body('a', 'v2', 'false') ], 409, err('SVCSTG.SWR.4090006')),
    case([ 'alice', 'GET', "$TAGS?tag=v2" ], 200,
         rows(row(tag => 'v2', id => 2, manifest => $B, created => $T0, updated => $T0)), '0-1/1'),
    case([ 'alice', 'POST', $TAGS, create_body('a', 'v2', 'true') ], 201, $EMPTY),
    case([ 'alice', 'GET', "$TAGS?tag=v2" ], 200,
         rows(row(tag => 'v2', id => 2, manifest => $A, created => $T0, updated => 'moved')), '0-1/1'),
    rcase([ 'alice', 'GET', '/v2/ns1/app/manifests/v2' ], 200, exact($A)),
    # override of a tag that did not exist: a new one
    case([ 'alice', 'POST', $TAGS, create_body('v1', 'v3', 'true') ], 201, $EMPTY),
    case([ 'alice', 'GET', "$TAGS?tag=v3" ], 200,
         rows(row(tag => 'v3', id => 4, manifest => $B, updated => 'same')), '0-1/1'),
    # a tag onto itself
    case([ 'alice', 'POST', $TAGS, create_body('a', 'a') ], 409, err('SVCSTG.SWR.4090006')),
    case([ 'alice', 'POST', $TAGS, create_body('a', 'a', 'true') ], 201, $EMPTY),
    case([ 'alice', 'GET', "$TAGS?tag=a" ], 200,
         rows(row(tag => 'a', id => 3, manifest => $A, created => $T0, updated => 'moved')), '0-1/1'),
    rcase([ 'alice', 'GET', '/v2/ns1/app/tags/list' ], 200, taglist('ns1/app', 'a', 'v1', 'v2', 'v3')),
    case([ 'alice', 'GET', $SHOW ], 200,
         repo(downloads => 2, images => 4, size => $SIZE_A + $SIZE_B, updated => 'moved')),
    # the same manifest pushed again under its tag: nothing more stored
    push_cases('alice', 'ns1/app', 'v3', $B),
    case([ 'alice', 'GET', "$TAGS?tag=v3" ], 200,
         rows(row(tag => 'v3', id => 4, manifest => $B)), '0-1/1'),
    case([ 'alice', 'GET', $SHOW ], 200,
         repo(downloads => 2, images => 4, size => $SIZE_A + $SIZE_B, updated => 'moved')),
);

# ---- TEST 4: CreateRepoTag and DeleteRepoTag: bodies, names, what is not there

our @BAD_TAGS = ('', '-v', '.v', 'v/1', 'v:1', 'v 1', 'v+1', 'v@1', 'x' x 129,
                 "gr\\u00fcn");
our @GOOD_TAGS = ('_v', 'V.1-rc_2', '0', 'x' x 128, 'latest');

our @BODIES = (
    # not JSON, not an object, wrong types: 4001018
    (map { case([ 'alice', 'POST', $TAGS, $_ ], 400, err('SVCSTG.SWR.4001018')) }
         '', 'source_tag=v1', '{"source_tag":"v1","destination_tag":"x"',
         '[]', '"v1"', 'null',
         '{"source_tag":1,"destination_tag":"x"}',
         '{"source_tag":"v1","destination_tag":["x"]}',
         '{"source_tag":"v1","destination_tag":"x","override":"true"}',
         '{"source_tag":"v1","destination_tag":"x","override":1}',
         '{"source_tag":"v1","destination_tag":"x","override":null}'),
    # missing: 4001014; unknown fields: 4000014
    (map { case([ 'alice', 'POST', $TAGS, $_ ], 400, err('SVCSTG.SWR.4001014')) }
         '{}', '{"source_tag":"v1"}', '{"destination_tag":"x"}',
         '{"override":true}'),
    (map { case([ 'alice', 'POST', $TAGS, $_ ], 400, err('SVCSTG.SWR.4000014')) }
         '{"source_tag":"v1","destination_tag":"x","force":true}',
         '{"source":"v1","destination_tag":"x"}',
         '{"Source_tag":"v1","destination_tag":"x"}'),
    # over 64 KiB
    case([ 'alice', 'POST', $TAGS, create_body('v1', 'x' . ('y' x 66000)) ], 413,
         err('SVCSTG.SWR.4131001')),
    # tag names outside the rule (swr-api.md 1.6), as source or destination
    (map { case([ 'alice', 'POST', $TAGS, create_body($_, 'x') ], 400, err('SVCSTG.SWR.4009021')),
           case([ 'alice', 'POST', $TAGS, create_body('v1', $_) ], 400, err('SVCSTG.SWR.4009021')) }
         @BAD_TAGS),
    # inside it
    (map { case([ 'alice', 'POST', $TAGS, create_body('v1', $_) ], 201, $EMPTY) } @GOOD_TAGS),
    (map { rcase([ 'alice', 'GET', "/v2/ns1/app/manifests/$_" ], 200, exact($A)) } @GOOD_TAGS),
    # what is not there
    case([ 'alice', 'POST', $TAGS, create_body('v9', 'x') ], 404, err('SVCSTG.SWR.4040115')),
    case([ 'alice', 'POST', $TAGS, create_body('V1', 'x') ], 404, err('SVCSTG.SWR.4040115')),
    case([ 'alice', 'POST', '/v2/manage/namespaces/ns1/repos/nothing/tags', create_body('v1', 'x') ], 404,
         err('SVCSTG.SWR.4040113')),
    case([ 'alice', 'POST', '/v2/manage/namespaces/nothing/repos/app/tags', create_body('v1', 'x') ], 404,
         err('SVCSTG.SWR.4040058')),
    # DeleteRepoTag
    case([ 'alice', 'DELETE', "$TAGS/_v" ], 204, $EMPTY),
    case([ 'alice', 'DELETE', "$TAGS/_v" ], 404, err('SVCSTG.SWR.4040115')),
    case([ 'alice', 'DELETE', "$TAGS/V.1-rc_2" ], 204, $EMPTY),
    case([ 'alice', 'DELETE', "$TAGS/" . ('x' x 128) ], 204, $EMPTY),
    case([ 'alice', 'DELETE', "$TAGS/v9" ], 404, err('SVCSTG.SWR.4040115')),
    case([ 'alice', 'DELETE', "$TAGS/LATEST" ], 404, err('SVCSTG.SWR.4040115')),
    case([ 'alice', 'DELETE', "$TAGS/-v" ], 400, err('SVCSTG.SWR.4009021')),
    case([ 'alice', 'DELETE', "$TAGS/v%2B1" ], 400, err('SVCSTG.SWR.4009021')),
    case([ 'alice', 'DELETE', "$TAGS/" . ('x' x 129) ], 400, err('SVCSTG.SWR.4009021')),
    case([ 'alice', 'DELETE', '/v2/manage/namespaces/ns1/repos/nothing/tags/v1' ], 404,
         err('SVCSTG.SWR.4040113')),
    case([ 'alice', 'DELETE', '/v2/manage/namespaces/nothing/repos/app/tags/v1' ], 404,
         err('SVCSTG.SWR.4040058')),
    case([ 'alice', 'DELETE', "$TAGS/v1/x" ], 404, err('SVCSTG.SWR.4040083')),
    # what is left: v1 and the good names not deleted; the refusals made
    # nothing
    rcase([ 'alice', 'GET', '/v2/ns1/app/tags/list' ], 200,
          taglist('ns1/app', '0', 'latest', 'v1')),
    case([ 'alice', 'GET', "$TAGS?order_column=tag" ], 200,
         rows(row(tag => '0', id => 4, manifest => $A, updated => 'same'),
              row(tag => 'latest', id => 6, manifest => $A, updated => 'same'),
              row(tag => 'v1', id => 1, manifest => $A, updated => 'same')), '0-3/3'),
);

# ---- TEST 5: the tag quota (swr_quota 15 500 3) -------------------------------

our $PUSH_REFUSED = exact(SwrTest::err('DENIED', 'tag quota exhausted', 'ns1/app'));

our @QUOTA = (
    case([ 'alice', 'POST', $TAGS, create_body('v1', 'v3') ], 201, $EMPTY),
    case([ 'alice', 'POST', $TAGS, create_body('v1', 'v4') ], 400, err('SVCSTG.SWR.4000099')),
    # moving a tag adds none
    case([ 'alice', 'POST', $TAGS, create_body('v2', 'v3', 'true') ], 201, $EMPTY),
    # the registry refuses a new tag, not an old one, nor a push by digest
    rcase([ 'alice', 'PUT', '/v2/ns1/app/manifests/v5', $A,
            'Content-Type: ' . SwrTest::MT_OCI_MANIFEST ], 400, $PUSH_REFUSED),
    rcase([ 'alice', 'PUT', '/v2/ns1/app/manifests/v1', $B,
            'Content-Type: ' . SwrTest::MT_OCI_MANIFEST ], 201, $EMPTY),
    push_cases('alice', 'ns1/app', digest($C), $C),
    rcase([ 'alice', 'GET', '/v2/ns1/app/manifests/v5' ], 404,
          rerr('MANIFEST_UNKNOWN', 'manifest unknown to registry', 'v5')),
    rcase([ 'alice', 'GET', '/v2/ns1/app/tags/list' ], 200, taglist('ns1/app', 'v1', 'v2', 'v3')),
    case([ 'alice', 'GET', '/v2/manage/projects/local/quotas?namespace=ns1&repository=app' ], 200,
         exact('{"quotas":[{"quota_key":"namespace","quota_limit":15,"unit":"","used":1},'
               . '{"quota_key":"repository","quota_limit":500,"unit":"","used":1},'
               . '{"quota_key":"tag","quota_limit":3,"unit":"","used":3}]}')),
    # a tag deleted makes room, on both paths
    case([ 'alice', 'DELETE', "$TAGS/v3" ], 204, $EMPTY),
    case([ 'alice', 'POST', $TAGS, create_body('v1', 'v4') ], 201, $EMPTY),
    rcase([ 'alice', 'PUT', '/v2/ns1/app/manifests/v5', $A,
            'Content-Type: ' . SwrTest::MT_OCI_MANIFEST ], 400, $PUSH_REFUSED),
    case([ 'alice', 'DELETE', "$TAGS/v4" ], 204, $EMPTY),
    rcase([ 'alice', 'PUT', '/v2/ns1/app/manifests/v5', $A,
            'Content-Type: ' . SwrTest::MT_OCI_MANIFEST ], 201, $EMPTY),
    case([ 'alice', 'POST', $TAGS, create_body('v1', 'v6') ], 400, err('SVCSTG.SWR.4000099')),
    rcase([ 'alice', 'GET', '/v2/ns1/app/tags/list' ], 200, taglist('ns1/app', 'v1', 'v2', 'v5')),
    # the quota is per repository
    push_cases('alice', 'ns1/other', 'v1', $A),
    case([ 'alice', 'POST', '/v2/manage/namespaces/ns1/repos/other/tags', create_body('v1', 'v2') ], 201, $EMPTY),
    case([ 'alice', 'POST', '/v2/manage/namespaces/ns1/repos/other/tags', create_body('v1', 'v3') ], 201, $EMPTY),
    case([ 'alice', 'POST', '/v2/manage/namespaces/ns1/repos/other/tags', create_body('v1', 'v4') ], 400,
         err('SVCSTG.SWR.4000099')),
);

# ---- TEST 6: who may: list 1, create 3, delete 7 ------------------------------

our @WHO = qw(alice one three seven r1 r3 r7 none bob);

# [who, list, create, delete] on ns1/app (statuses; 404 codes below)
our @MATRIX = (
    [ 'alice', 200, 201, 204 ],
    [ 'one',   200, 403, 403 ],
    [ 'three', 200, 201, 403 ],
    [ 'seven', 200, 201, 204 ],
    [ 'r1',    200, 403, 403 ],
    [ 'r3',    200, 201, 403 ],
    [ 'r7',    200, 201, 204 ],
    [ 'none',  404, 404, 404 ],
    [ 'bob',   404, 404, 404 ],
    [ undef,   401, 401, 401 ],
);

sub answer {
    my ($status, $ok) = @_;
    return $status == 401 ? err('SVCSTG.S2I.4019000')
         : $status == 403 ? err('SVCSTG.SWR.4030170')
         : $status == 404 ? err('SVCSTG.SWR.4040058')
         : $ok;
}

sub label { return $_[0] // 'anon' }

our @AUTHZ = (
    (map {
        my ($who, $list, $create, $delete) = @$_;
        my $l = label($who);
        (case([ $who, 'GET', "$TAGS?tag=v1" ], $list,
              answer($list, rows(row(tag => 'v1', id => 1, manifest => $A, updated => 'same'))),
              $list == 200 ? '0-1/1' : ''),
         case([ $who, 'POST', $TAGS, create_body('v1', "by-$l") ], $create,
              answer($create, $EMPTY)),
         case([ $who, 'DELETE', "$TAGS/del-$l" ], $delete, answer($delete, $EMPTY)))
    } @MATRIX),
    # a public repository: 1 for everyone, and no more
    (map {
        my ($who, $list, $create, $delete) = @$_;
        my $l = $who;
        (case([ $who, 'GET', '/v2/manage/namespaces/ns1/repos/pub/tags?tag=v1' ], $list,
              answer($list, rows(row(tag => 'v1', id => 1, manifest => $A, repo => 'ns1/pub',
                                     repo_id => 2, updated => 'same'))),
              $list == 200 ? '0-1/1' : ''),
         case([ $who, 'POST', '/v2/manage/namespaces/ns1/repos/pub/tags', create_body('v1', "by-$l") ],
              $create, answer($create, $EMPTY)),
         case([ $who, 'DELETE', "/v2/manage/namespaces/ns1/repos/pub/tags/del-$l" ], $delete,
              answer($delete, $EMPTY)))
    } ([ 'none', 200, 403, 403 ], [ 'bob', 200, 403, 403 ], [ 'r7', 200, 403, 403 ],
       [ 'three', 200, 201, 403 ])),
    case([ undef, 'GET', '/v2/manage/namespaces/ns1/repos/pub/tags' ], 401, err('SVCSTG.S2I.4019000')),
    # what is left
    rcase([ 'alice', 'GET', '/v2/ns1/app/tags/list' ], 200,
          taglist('ns1/app', 'by-alice', 'by-r3', 'by-r7', 'by-seven', 'by-three',
                  'del-anon', 'del-bob', 'del-none', 'del-one', 'del-r1', 'del-r3',
                  'del-three', 'v1')),
    rcase([ 'alice', 'GET', '/v2/ns1/pub/tags/list' ], 200,
          taglist('ns1/pub', 'by-three', 'del-bob', 'del-none', 'del-r7', 'del-three', 'v1')),
);

# ---- TEST 10: names no organization or repository can have, in the path ------
# (answered once: the operation's script does not run as well)

our @NAMES = (
    case([ 'alice', 'GET', '/v2/manage/namespaces/NS1/repos/app/tags' ], 400, err('SVCSTG.SWR.4001028')),
    case([ 'alice', 'GET', '/v2/manage/namespaces/ns1/repos/App/tags' ], 400, err('SVCSTG.SWR.4001029')),
    case([ 'alice', 'POST', '/v2/manage/namespaces/ns1/repos/a%20b/tags', create_body('v1', 'x') ], 400,
         err('SVCSTG.SWR.4001029')),
    case([ 'alice', 'POST', '/v2/manage/namespaces/n%24s/repos/app/tags', create_body('v1', 'x') ], 400,
         err('SVCSTG.SWR.4001028')),
    case([ 'alice', 'DELETE', '/v2/manage/namespaces/ns1/repos/app%3A1/tags/v1' ], 400, err('SVCSTG.SWR.4001029')),
    case([ 'alice', 'DELETE', '/v2/manage/namespaces/' . ('n' x 65) . '/repos/app/tags/v1' ], 400,
         err('SVCSTG.SWR.4001028')),
    # nothing happened
    rcase([ 'alice', 'GET', '/v2/ns1/app/tags/list' ], 200, taglist('ns1/app', 'v1')),
);

# ---- TEST 7: swr_auth off ------------------------------------------------------

our @NO_AUTH = (
    case([ 'alice', 'GET', $TAGS ], 401, err('SVCSTG.S2I.4019000')),
    case([ 'alice', 'POST', $TAGS, create_body('v1', 'x') ], 401, err('SVCSTG.S2I.4019000')),
    case([ 'alice', 'DELETE', "$TAGS/v1" ], 401, err('SVCSTG.S2I.4019000')),
);

# ---- TEST 8: a repository pushed before the registry kept records -------------

sub overview {
    my ($repos, $images) = @_;
    return qr/^\{"domain_id":"acct-a","domain_name":"","downflow_size":0,"image_num":$images,"namspace_num":1,"repo_num":$repos,"store_space":\d+\}$/;
}

our $OLD = '/v2/manage/namespaces/ns1/repos/old/tags';

our @LEGACY = (
    # not counted yet anywhere
    case([ 'alice', 'GET', '/v2/manage/overview' ], 200, overview(0, 0)),
    # counted once, with the tag made
    case([ 'alice', 'POST', $OLD, create_body('t1', 't3') ], 201, $EMPTY),
    case([ 'alice', 'GET', '/v2/manage/overview' ], 200, overview(1, 3)),
    case([ 'alice', 'DELETE', "$OLD/t2" ], 204, $EMPTY),
    case([ 'alice', 'GET', '/v2/manage/overview' ], 200, overview(1, 2)),
    case([ 'alice', 'GET', "$OLD?order_column=tag" ], 200,
         rows(row(tag => 't1', id => 2, manifest => $A, repo => 'ns1/old'),
              row(tag => 't3', id => 1, manifest => $A, repo => 'ns1/old', updated => 'same')),
         '0-2/2'),
    # the same when the first thing is a delete
    case([ 'alice', 'DELETE', '/v2/manage/namespaces/ns1/repos/old2/tags/t2' ], 204, $EMPTY),
    case([ 'alice', 'GET', '/v2/manage/overview' ], 200, overview(2, 3)),
    rcase([ 'alice', 'GET', '/v2/ns1/old2/tags/list' ], 200, taglist('ns1/old2', 't1')),
);

# ---- the SDK as a client -------------------------------------------------------

# Runs t/lib/swr-sdk-call.js for each call ([label, user, operation,
# params]) and writes html/<name>.txt: per call "<Operation> <label> ->
# <status> <what the SDK parsed>" (its response object as canonical JSON,
# or the error code and message it threw), the endpoint's address written
# HOST and times other than 2023's <now>.  Never dies.
our $JSON = JSON::PP->new->canonical(1);

sub sdk_report {
    my ($name, @calls) = @_;

    my $root = $ENV{TEST_NGINX_SERVER_ROOT} || '.';
    my $hostport = '127.0.0.1:' . ($ENV{TEST_NGINX_SERVER_PORT} || 1984);
    my $endpoint = "http://$hostport";
    my @out;

    for my $c (@calls) {
        my ($label, $who, $op, $params) = @$c;

        my $line = eval {
            my $r = SwrSdk::call($endpoint, ak_of($who), sk_of($who), $PROJECT, $op, $params);

            my $body = $JSON->encode($r->{body} // {});
            $body =~ s{\Q$hostport\E}{HOST}g;
            $body =~ s{"(?!2023-)\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"}{"<now>"}g;

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

# what the SDK parses of a row: the same fields, the host written HOST
sub sdk_row {
    my (%o) = @_;
    my $m = $o{manifest};
    my $index = $m eq $IDX;
    return {
        Tag => $o{tag}, created => $o{created} // '<now>', deleted => undef,
        digest => digest($m), domain_id => 'acct-a', id => $o{id},
        image_id => $index ? '' : hex_of($CONFIG{$m}),
        internal_path => "HOST/ns1/app:$o{tag}", is_trusted => JSON::PP::false,
        manifest => $m, path => "HOST/ns1/app:$o{tag}", repo_id => 1,
        scanned => JSON::PP::false, schema => 2, size => size_of($m),
        tag_type => $index ? 1 : 0, updated => $o{updated} // '<now>',
    };
}

# a list as the SDK's model gives it: "0", "1"... and Content-Range
sub sdk_list {
    my ($range, @rows) = @_;
    my $i = 0;
    return $JSON->encode({ (map { ($i++ => $_) } @rows),
                           'Content-Range' => $range });
}

our @SDK_EXPECTED = (
    'ListRepositoryTags all -> 200 '
        . sdk_list('0-2/2', sdk_row(tag => 'v2', id => 2, manifest => $B, created => $T1, updated => $T1),
                            sdk_row(tag => 'v1', id => 1, manifest => $A, created => $T0, updated => $T0)),
    'ListRepositoryTags page -> 200 '
        . sdk_list('1-1/2', sdk_row(tag => 'v1', id => 1, manifest => $A, created => $T0, updated => $T0)),
    'ListRepositoryTags tag -> 200 '
        . sdk_list('0-1/1', sdk_row(tag => 'v1', id => 1, manifest => $A, created => $T0, updated => $T0)),
    'ListRepositoryTags filter -> 200 '
        . sdk_list('0-1/2', sdk_row(tag => 'v1', id => 1, manifest => $A, created => $T0, updated => $T0)),
    'ListRepositoryTags one -> 200 '
        . sdk_list('0-1/1', sdk_row(tag => 'v2', id => 2, manifest => $B, created => $T1, updated => $T1)),
    'ListRepositoryTags bad order -> 400 SVCSTG.SWR.4000014 Invalid API parameters',
    'ListRepositoryTags bad limit -> 400 SVCSTG.SWR.4000056 Invalid page size',
    'ListRepositoryTags nothing -> 404 SVCSTG.SWR.4040113 Image not found',
    'ListRepositoryTags none -> 404 SVCSTG.SWR.4040058 Organization not found',
    'CreateRepoTag alice -> 201 {}',
    'CreateRepoTag again -> 409 SVCSTG.SWR.4090006 Image tag already exists',
    'CreateRepoTag override -> 201 {}',
    'CreateRepoTag no source -> 404 SVCSTG.SWR.4040115 Image tag not found',
    'CreateRepoTag bad name -> 400 SVCSTG.SWR.4009021 Invalid image tag',
    'CreateRepoTag no destination -> 400 SVCSTG.SWR.4001014 A mandatory parameter is missing',
    'CreateRepoTag one -> 403 SVCSTG.SWR.4030170 Insufficient permissions',
    'CreateRepoTag three -> 201 {}',
    'ListRepositoryTags made -> 200 '
        . sdk_list('0-1/1', sdk_row(tag => 'sdk', id => 3, manifest => $B)),
    'DeleteRepoTag three -> 403 SVCSTG.SWR.4030170 Insufficient permissions',
    'DeleteRepoTag seven -> 204 {}',
    'DeleteRepoTag again -> 404 SVCSTG.SWR.4040115 Image tag not found',
    'DeleteRepoTag bad name -> 400 SVCSTG.SWR.4009021 Invalid image tag',
    'ListRepositoryTags after -> 200 '
        . sdk_list('0-2/3', sdk_row(tag => 'by-three', id => 4, manifest => $A),
                            sdk_row(tag => 'v1', id => 1, manifest => $A, created => $T0, updated => $T0)),
);

repeat_each(1);

# per request: status, Content-Range, body, [error], [alert]; the SDK's
# report: status, body, [error], [alert]
plan tests => repeat_each() * (
    5 * (@AGREE + @PARAMS + @MOVE + @BODIES + @QUOTA + @AUTHZ + @NO_AUTH
         + @LEGACY + @NAMES)
    + 4                                 # TEST 9: the SDK's report
    + 4                                 # TEST 11
);

no_long_string();
no_shuffle();
run_tests();

__DATA__

=== TEST 1: registry and management agree: pushed tags listed with digest, manifest, image id, size; ShowRepository's num_images, size and num_download (GETs, not HEADs); CreateRepoTag pulled by tag; DeleteRepoTag gone from tags/list and the manifest GET; a manifest deleted by digest takes its tags
--- init
main::seed();
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_secret_key_file $TEST_NGINX_SWR_KEYS/secret.hex;
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
[map { $_->[0][0] } @main::AGREE]
--- more_headers eval
[map { $_->[0][1] } @main::AGREE]
--- error_code eval
[map { $_->[1] } @main::AGREE]
--- response_headers_like eval
[map { "Content-Range: " . quotemeta($_->[3]) } @main::AGREE]
--- response_body_like eval
[map { $_->[2] } @main::AGREE]
--- no_error_log
[error]
[alert]



=== TEST 2: ListRepositoryTags: by update time (newest first) or tag, asc/desc; limit/offset and Content-Range; all rows without limit; one tag; the filter form (filter wins); bad values 4000014, pages 4000056, tags 4009021, filters 4001035; '$' for '/'; what is not there
--- init
main::seed();
main::push_now('alice', 'ns1/app', 'v1', $main::A);
main::push_now('alice', 'ns1/app', 'v2', $main::B);
main::push_now('alice', 'ns1/app', 'multi', $main::IDX);
main::push_now('alice', 'ns1/team/app', 'v1', $main::A);
main::tagmeta('ns1/app', 'v1', 1, 1700000000, 1700000300);
main::tagmeta('ns1/app', 'v2', 2, 1700000100, 1700000100);
main::tagmeta('ns1/app', 'multi', 3, 1700000200, 1700000200);
SwrTest::command('HSET', 'swr:{r:ns1/app}:meta', id => 1);
SwrTest::command('HSET', 'swr:{r:ns1/team/app}:meta', id => 3);
SwrTest::command('SET', 'swr:repo:seq', 10);
SwrTest::command('HSET', 'swr:{r:ns1/many}:manifests', main::digest($main::A),
                 length($main::A) . ' ' . SwrTest::MT_OCI_MANIFEST);
SwrTest::command('HSET', 'swr:{r:ns1/many}:bodies', main::digest($main::A), $main::A);
SwrTest::command('HSET', 'swr:{r:ns1/many}:tags',
                 map { (sprintf('t%03d', $_), main::digest($main::A)) } 1 .. 105);
SwrTest::command('ZADD', 'swr:{r:ns1/many}:taglist',
                 map { (0, sprintf('t%03d', $_)) } 1 .. 105);
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_secret_key_file $TEST_NGINX_SWR_KEYS/secret.hex;
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
[map { $_->[0][0] } @main::PARAMS]
--- more_headers eval
[map { $_->[0][1] } @main::PARAMS]
--- error_code eval
[map { $_->[1] } @main::PARAMS]
--- response_headers_like eval
[map { "Content-Range: " . quotemeta($_->[3]) } @main::PARAMS]
--- response_body_like eval
[map { $_->[2] } @main::PARAMS]
--- no_error_log
[error]
[alert]



=== TEST 3: a tag pushed again onto another manifest keeps its id and creation time, its update time moves; CreateRepoTag's override moves a tag the same way (409 4090006 without it)
--- init
main::seed();
main::push_now('alice', 'ns1/app', 'v1', $main::A);
main::push_now('alice', 'ns1/app', 'v2', $main::B);
main::push_now('alice', 'ns1/app', 'a', $main::A);
main::tagmeta('ns1/app', 'v1', 1, 1700000000, 1700000000);
main::tagmeta('ns1/app', 'v2', 2, 1700000000, 1700000000);
main::tagmeta('ns1/app', 'a', 3, 1700000000, 1700000000);
SwrTest::command('HSET', 'swr:{r:ns1/app}:meta', updated => 1700000000);
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_secret_key_file $TEST_NGINX_SWR_KEYS/secret.hex;
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
[map { $_->[0][0] } @main::MOVE]
--- more_headers eval
[map { $_->[0][1] } @main::MOVE]
--- error_code eval
[map { $_->[1] } @main::MOVE]
--- response_headers_like eval
[map { "Content-Range: " . quotemeta($_->[3]) } @main::MOVE]
--- response_body_like eval
[map { $_->[2] } @main::MOVE]
--- no_error_log
[error]
[alert]



=== TEST 4: CreateRepoTag bodies (4001018, 4001014, 4000014, 413 4131001), tag names outside and inside the rule (4009021; 201 and pullable); unknown source 404 4040115; DeleteRepoTag 204, then 404 4040115; bad names 4009021; unknown repository and organization
--- init
main::seed();
main::push_now('alice', 'ns1/app', 'v1', $main::A);
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_secret_key_file $TEST_NGINX_SWR_KEYS/secret.hex;
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
[map { $_->[0][0] } @main::BODIES]
--- more_headers eval
[map { $_->[0][1] } @main::BODIES]
--- error_code eval
[map { $_->[1] } @main::BODIES]
--- response_headers_like eval
[map { "Content-Range: " . quotemeta($_->[3]) } @main::BODIES]
--- response_body_like eval
[map { $_->[2] } @main::BODIES]
--- no_error_log
[error]
[alert]



=== TEST 5: the tag quota (swr_quota 15 500 3): CreateRepoTag 400 4000099, the registry's push of a new tag 400 DENIED; moving a tag, pushing an old one or by digest pass; a deleted tag makes room; per repository
--- init
main::seed();
main::push_now('alice', 'ns1/app', 'v1', $main::A);
main::push_now('alice', 'ns1/app', 'v2', $main::B);
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_secret_key_file $TEST_NGINX_SWR_KEYS/secret.hex;
    swr_quota 15 500 3;
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
[map { $_->[0][0] } @main::QUOTA]
--- more_headers eval
[map { $_->[0][1] } @main::QUOTA]
--- error_code eval
[map { $_->[1] } @main::QUOTA]
--- response_headers_like eval
[map { "Content-Range: " . quotemeta($_->[3]) } @main::QUOTA]
--- response_body_like eval
[map { $_->[2] } @main::QUOTA]
--- no_error_log
[error]
[alert]



=== TEST 6: who may: list needs 1, create 3, delete 7 (the account's administrator, organization grants 1/3/7, repository grants 1/3/7); no grant and another account 404 4040058; no credentials 401; a public repository gives 1 to everyone and no more
--- init
main::seed();
main::push_now('alice', 'ns1/app', 'v1', $main::A);
main::push_now('alice', 'ns1/pub', 'v1', $main::A);
SwrAuth::public('ns1/pub');
SwrTest::command('HSET', 'swr:{r:ns1/app}:meta', id => 1);
SwrTest::command('HSET', 'swr:{r:ns1/pub}:meta', id => 2);
SwrTest::command('SET', 'swr:repo:seq', 10);
main::manage_now('alice', 'POST', $main::TAGS, main::create_body('v1', "del-$_"), 201)
    for map { main::label($_->[0]) } @main::MATRIX;
main::manage_now('alice', 'POST', '/v2/manage/namespaces/ns1/repos/pub/tags',
                 main::create_body('v1', "del-$_"), 201)
    for qw(none bob r7 three);
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_secret_key_file $TEST_NGINX_SWR_KEYS/secret.hex;
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
[map { $_->[0][0] } @main::AUTHZ]
--- more_headers eval
[map { $_->[0][1] } @main::AUTHZ]
--- error_code eval
[map { $_->[1] } @main::AUTHZ]
--- response_headers_like eval
[map { "Content-Range: " . quotemeta($_->[3]) } @main::AUTHZ]
--- response_body_like eval
[map { $_->[2] } @main::AUTHZ]
--- no_error_log
[error]
[alert]



=== TEST 7: swr_auth off: no identity, every tag operation is 401 SVCSTG.S2I.4019000
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
--- response_headers_like eval
[map { "Content-Range: " . quotemeta($_->[3]) } @main::NO_AUTH]
--- response_body_like eval
[map { $_->[2] } @main::NO_AUTH]
--- no_error_log
[error]
[alert]



=== TEST 8: a repository pushed before the registry kept records: CreateRepoTag or DeleteRepoTag counts it (and its tags) once in the organization's usage
--- init
main::seed();
for my $r (qw(old old2)) {
    SwrTest::command('HSET', "swr:{r:ns1/$r}:manifests", main::digest($main::A),
                     length($main::A) . ' ' . SwrTest::MT_OCI_MANIFEST);
    SwrTest::command('HSET', "swr:{r:ns1/$r}:bodies", main::digest($main::A), $main::A);
    SwrTest::command('HSET', "swr:{r:ns1/$r}:tags", t1 => main::digest($main::A),
                     t2 => main::digest($main::A));
    SwrTest::command('ZADD', "swr:{r:ns1/$r}:taglist", 0, 't1', 0, 't2');
    SwrTest::command('ZADD', 'swr:repos', 0, "ns1/$r");
}
SwrTest::command('HSET', 'swr:{r:ns1/old}:tagmeta', t1 => '2 1700000000 1700000000');
SwrTest::command('HSET', 'swr:{r:ns1/old}:meta', tagseq => 0);
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_secret_key_file $TEST_NGINX_SWR_KEYS/secret.hex;
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
[map { $_->[0][0] } @main::LEGACY]
--- more_headers eval
[map { $_->[0][1] } @main::LEGACY]
--- error_code eval
[map { $_->[1] } @main::LEGACY]
--- response_headers_like eval
[map { "Content-Range: " . quotemeta($_->[3]) } @main::LEGACY]
--- response_body_like eval
[map { $_->[2] } @main::LEGACY]
--- no_error_log
[error]
[alert]



=== TEST 9: Huawei's SWR SDK for Node: ListRepositoryTags (parameters, filter, errors), CreateRepoTag, DeleteRepoTag, what it parsed of each answer and each error
--- init
main::seed();
main::push_now('alice', 'ns1/app', 'v1', $main::A);
main::push_now('alice', 'ns1/app', 'v2', $main::B);
main::tagmeta('ns1/app', 'v1', 1, 1700000000, 1700000000);
main::tagmeta('ns1/app', 'v2', 2, 1700000100, 1700000100);
main::sdk_report('sdk',
    ['all', 'alice', 'ListRepositoryTags', '{"namespace":"ns1","repository":"app"}'],
    ['page', 'one', 'ListRepositoryTags', '{"namespace":"ns1","repository":"app","order_column":"tag","order_type":"desc","limit":"1","offset":"1"}'],
    ['tag', 'r1', 'ListRepositoryTags', '{"namespace":"ns1","repository":"app","tag":"v1"}'],
    ['filter', 'alice', 'ListRepositoryTags', '{"namespace":"ns1","repository":"app","filter":"order_column::updated_at|order_type::asc|limit::1"}'],
    ['one', 'alice', 'ListRepositoryTags', '{"namespace":"ns1","repository":"app","tag":"v1","filter":"tag::v2"}'],
    ['bad order', 'alice', 'ListRepositoryTags', '{"namespace":"ns1","repository":"app","order_column":"size"}'],
    ['bad limit', 'alice', 'ListRepositoryTags', '{"namespace":"ns1","repository":"app","limit":"x"}'],
    ['nothing', 'alice', 'ListRepositoryTags', '{"namespace":"ns1","repository":"nothing"}'],
    ['none', 'none', 'ListRepositoryTags', '{"namespace":"ns1","repository":"app"}'],
    ['alice', 'alice', 'CreateRepoTag', '{"namespace":"ns1","repository":"app","body":{"source_tag":"v1","destination_tag":"sdk"}}'],
    ['again', 'alice', 'CreateRepoTag', '{"namespace":"ns1","repository":"app","body":{"source_tag":"v1","destination_tag":"sdk","override":false}}'],
    ['override', 'alice', 'CreateRepoTag', '{"namespace":"ns1","repository":"app","body":{"source_tag":"v2","destination_tag":"sdk","override":true}}'],
    ['no source', 'alice', 'CreateRepoTag', '{"namespace":"ns1","repository":"app","body":{"source_tag":"v9","destination_tag":"x"}}'],
    ['bad name', 'alice', 'CreateRepoTag', '{"namespace":"ns1","repository":"app","body":{"source_tag":"v1","destination_tag":"-x"}}'],
    ['no destination', 'alice', 'CreateRepoTag', '{"namespace":"ns1","repository":"app","body":{"source_tag":"v1"}}'],
    ['one', 'one', 'CreateRepoTag', '{"namespace":"ns1","repository":"app","body":{"source_tag":"v1","destination_tag":"by-one"}}'],
    ['three', 'three', 'CreateRepoTag', '{"namespace":"ns1","repository":"app","body":{"source_tag":"v1","destination_tag":"by-three"}}'],
    ['made', 'alice', 'ListRepositoryTags', '{"namespace":"ns1","repository":"app","tag":"sdk"}'],
    ['three', 'three', 'DeleteRepoTag', '{"namespace":"ns1","repository":"app","tag":"sdk"}'],
    ['seven', 'seven', 'DeleteRepoTag', '{"namespace":"ns1","repository":"app","tag":"sdk"}'],
    ['again', 'alice', 'DeleteRepoTag', '{"namespace":"ns1","repository":"app","tag":"sdk"}'],
    ['bad name', 'alice', 'DeleteRepoTag', '{"namespace":"ns1","repository":"app","tag":"a+b"}'],
    ['after', 'alice', 'ListRepositoryTags', '{"namespace":"ns1","repository":"app","order_column":"tag","limit":"2"}'],
);
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_secret_key_file $TEST_NGINX_SWR_KEYS/secret.hex;
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
--- response_body eval
join '', map { "$_\n" } @main::SDK_EXPECTED
--- no_error_log
[error]
[alert]



=== TEST 10: names no organization (400 4001028) or repository (400 4001029) can have, in the path of each tag operation; nothing changes
--- init
main::seed();
main::push_now('alice', 'ns1/app', 'v1', $main::A);
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_secret_key_file $TEST_NGINX_SWR_KEYS/secret.hex;
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
[map { $_->[0][0] } @main::NAMES]
--- more_headers eval
[map { $_->[0][1] } @main::NAMES]
--- error_code eval
[map { $_->[1] } @main::NAMES]
--- response_headers_like eval
[map { "Content-Range: " . quotemeta($_->[3]) } @main::NAMES]
--- response_body_like eval
[map { $_->[2] } @main::NAMES]
--- no_error_log
[error]
[alert]



=== TEST 11: a manifest GET refused for its Accept (404 MANIFEST_UNKNOWN "not accepted") does not count as a pull
# The download is counted once ngx_http_swr_manifest_got() has checked
# the Accept header against the stored media type: a GET answered 404
# leaves ShowRepository's num_download as it was.
--- init
main::seed();
SwrTest::command('HSET', 'swr:{r:ns1/app}:manifests', main::digest($main::A),
                 length($main::A) . ' ' . SwrTest::MT_OCI_MANIFEST);
SwrTest::command('HSET', 'swr:{r:ns1/app}:bodies', main::digest($main::A), $main::A);
SwrTest::command('HSET', 'swr:{r:ns1/app}:tags', v1 => main::digest($main::A));
SwrTest::command('ZADD', 'swr:{r:ns1/app}:taglist', 0, 'v1');
SwrTest::command('HSET', 'swr:{r:ns1/app}:meta', id => 1, created => 1700000000,
                 creator => 'u-alice', size => main::size_of($main::A));
SwrTest::command('ZADD', 'swr:repos', 0, 'ns1/app');
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_secret_key_file $TEST_NGINX_SWR_KEYS/secret.hex;
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
["GET /v2/ns1/app/manifests/v1", "GET $main::SHOW"]
--- more_headers eval
[SwrAuth::basic(main::ak_of('alice'), main::sk_of('alice'), 'local') . "\nAccept: " . SwrTest::MT_DOCKER_V2,
 "X-Auth-Token: tok-alice"]
--- error_code eval
[404, 200]
--- response_body_like eval
[qr/"code":"MANIFEST_UNKNOWN"/, main::repo(downloads => 0, images => 1, size => main::size_of($main::A))]
