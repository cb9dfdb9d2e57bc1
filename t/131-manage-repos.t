# vim:set ft= ts=4 sw=4 et fdm=marker:
# Image repositories through the management API (swr-api.md 4.3):
# CreateRepo, ShowRepository, UpdateRepo, DeleteRepo, ListReposDetails,
# ListSharedReposDetails; every documented error (1.5.2), malformed
# bodies, names (1.6, '$' for '/' in paths and in "name"), the list
# parameters, the filter syntax and Content-Range (1.7), the repository
# quota, and who may do what (1.8, docs/authorization.md): the account's
# administrator, users with an organization grant of 1, 3 and 7, users
# with a repository grant of 1, 3 and 7, a user without grants, another
# account's administrator, users of accounts a repository is shared with
# (for ever, expired), a public repository, no credentials, and swr_auth
# off.  DeleteRepo's cascade is checked through the registry
# (/v2/<ns>/<repo>/..., the catalog), and repositories the registry made
# (a seeded one without :meta, a real push) through every operation.
#
# TEST 11: a caller who reads only some repository of an organization
# (a grant on it, a public or shared one) has no level on the
# organization, so it is unknown to him for everything else (as
# ShowNamespace answers him).
#
# Requests made here authenticate with X-Auth-Token (the tokens below; the
# registry's with Basic); Huawei's SWR SDK for Node (t/lib/swr-sdk-call.js,
# AK/SK signatures) drives each operation once more from --- init, and
# the block compares what the SDK parsed out of each answer.
#
# Every block's --- init writes Redis afresh (FLUSHALL first):
#
#   account acct-a "acme": alice (administrator), o1 o3 o7 (grants 1, 3,
#       7 on ns1), r1 r3 r7 (grants 1, 3, 7 on the repository ns1/app),
#       none (no grant)
#   account acct-b "bravo": bob (administrator), carol (no grant)
#   account acct-c "charlie": dave (administrator)
#
#   ns1 (acct-a, id 11): app (id 1, private, tags v1 v2), team/app (id 2,
#       private), pushed (made by the registry before it wrote :meta: tag
#       latest, no :meta)
#   ns2 (acct-a, id 12): shared (id 3, private; shared with acct-b for
#       ever, with acct-c until 1970: expired)
#   ns3 (acct-a, id 13): pub (id 4, public, tag 1.0), secret (id 5)
#   nsb (acct-b, id 21): tool (id 6, private; shared with acct-a until
#       2100)
#
# The next repository id is 101 (swr:repo:seq); ns1/pushed, and what a
# push makes, get one the first time an operation sees them.  Times the
# module takes from the clock are matched as RFC 3339 times, seeded ones
# exactly.

use Test::Nginx::Socket;
use SwrTest;
use SwrAuth;
use SwrSdk;

use File::Basename ();
use File::Spec ();
use IPC::Open3 ();
use JSON::PP ();
use POSIX ();

$ENV{TEST_NGINX_REDIS_PORT} ||= 6379;

SwrAuth::key_dir();

our $PROJECT = '0123456789abcdef0123456789abcdef';

# user id => [name, account, admin, AK]
our %USER = (
    'u-alice' => [ 'alice', 'acct-a', 1, 'AKALICE00000000001' ],
    'u-o1'    => [ 'o1',    'acct-a', 0, 'AKO10000000000001' ],
    'u-o3'    => [ 'o3',    'acct-a', 0, 'AKO30000000000001' ],
    'u-o7'    => [ 'o7',    'acct-a', 0, 'AKO70000000000001' ],
    'u-r1'    => [ 'r1',    'acct-a', 0, 'AKR10000000000001' ],
    'u-r3'    => [ 'r3',    'acct-a', 0, 'AKR30000000000001' ],
    'u-r7'    => [ 'r7',    'acct-a', 0, 'AKR70000000000001' ],
    'u-none'  => [ 'none',  'acct-a', 0, 'AKNONE000000000001' ],
    'u-bob'   => [ 'bob',   'acct-b', 1, 'AKBOB0000000000001' ],
    'u-carol' => [ 'carol', 'acct-b', 0, 'AKCAROL00000000001' ],
    'u-dave'  => [ 'dave',  'acct-c', 1, 'AKDAVE000000000001' ],
);

our %ACCOUNT = ('acct-a' => 'acme', 'acct-b' => 'bravo',
                'acct-c' => 'charlie');

sub sk_of { return "SK/$_[0]/secret+key" }
sub ak_of { return $USER{"u-$_[0]"}[3] }

our $FAR = 4102444800;          # 2100-01-01

# the seeded repositories (ns1/pushed has no :meta: these are what the
# scripts report for it, its times unknown)
our %REPO = (
    'ns1/app' => { id => 1, category => 'linux',
                   description => 'the "app"', public => 0,
                   created => 1700000000, updated => 1700000300,
                   creator => 'u-alice', downloads => 7, size => 1234,
                   tags => [ 'v1', 'v2' ] },
    'ns1/team/app' => { id => 2, category => 'arm', description => '',
                        public => 0, created => 1700000000,
                        updated => 1700000100, creator => 'u-o7',
                        downloads => 0, size => 0, tags => [] },
    'ns1/pushed' => { id => 101, category => 'other', description => '',
                      public => 0, created => undef, updated => undef,
                      creator => '', downloads => 0, size => 0,
                      tags => [ 'latest' ], nometa => 1 },
    'ns2/shared' => { id => 3, category => 'lang', description => 'shared',
                      public => 0, created => 1700000000,
                      updated => 1700000400, creator => 'u-alice',
                      downloads => 2, size => 10, tags => [],
                      shares => { 'acct-b' => 0, 'acct-c' => 1000 } },
    'ns3/pub' => { id => 4, category => 'database', description => 'public',
                   public => 1, created => 1700000000,
                   updated => 1700000200, creator => 'u-alice',
                   downloads => 9, size => 20, tags => [ '1.0' ] },
    'ns3/secret' => { id => 5, category => 'other', description => '',
                      public => 0, created => 1700000000,
                      updated => 1700000500, creator => 'u-alice',
                      downloads => 0, size => 0, tags => [] },
    'nsb/tool' => { id => 6, category => 'windows', description => 'tool',
                    public => 0, created => 1700000000,
                    updated => 1700000600, creator => 'u-bob',
                    downloads => 1, size => 5, tags => [],
                    shares => { 'acct-a' => $FAR } },
);

our %NS = (ns1 => [ 'acct-a', 11 ], ns2 => [ 'acct-a', 12 ],
           ns3 => [ 'acct-a', 13 ], nsb => [ 'acct-b', 21 ]);

sub fake_digest { return 'sha256:' . unpack('H*', pack('A32', $_[0])) }

sub seed {
    SwrTest::command('FLUSHALL');

    for my $uid (sort keys %USER) {
        my ($name, $account, $admin, $ak) = @{ $USER{$uid} };
        SwrAuth::identity(user => $uid, name => $name, account => $account,
                          admin => $admin, ak => $ak, sk => sk_of($name));
        SwrTest::command('HSET', "swr:token:{tok-$name}", user => $uid,
                         expires => 0);
    }

    for my $acct (sort keys %ACCOUNT) {
        SwrTest::command('HSET', "swr:account:{$acct}",
                         name => $ACCOUNT{$acct}, created => 1700000000);
        SwrTest::command('HSET', 'swr:accounts', $ACCOUNT{$acct}, $acct);
    }

    for my $ns (sort keys %NS) {
        my ($account, $id) = @{ $NS{$ns} };
        SwrTest::command('HSET', "swr:ns:{$ns}", account => $account,
                         created => 1700000000, id => $id);
        SwrTest::command('ZADD', 'swr:namespaces', 0, $ns);
        SwrTest::command('SADD', "swr:account:{$account}:namespaces", $ns);
    }

    SwrAuth::ns_grant('ns1', "u-$_", substr($_, 1)) for qw(o1 o3 o7);
    SwrAuth::repo_grant('ns1/app', "u-$_", substr($_, 1)) for qw(r1 r3 r7);

    for my $name (sort keys %REPO) {
        my $r = $REPO{$name};
        my $k = "swr:{r:$name}";

        SwrTest::command('ZADD', 'swr:repos', 0, $name);

        SwrTest::command('HSET', "$k:meta", id => $r->{id},
                         public => $r->{public}, category => $r->{category},
                         description => $r->{description},
                         created => $r->{created}, updated => $r->{updated},
                         creator => $r->{creator},
                         downloads => $r->{downloads}, size => $r->{size})
            unless $r->{nometa};

        for my $tag (@{ $r->{tags} }) {
            my $d = fake_digest("$name:$tag");
            SwrTest::command('HSET', "$k:tags", $tag, $d);
            SwrTest::command('ZADD', "$k:taglist", 0, $tag);
            SwrTest::command('HSET', "$k:manifests", $d,
                '2 application/vnd.oci.image.manifest.v1+json');
        }

        for my $acct (sort keys %{ $r->{shares} || {} }) {
            SwrAuth::share($name, $acct, $r->{shares}{$acct});
        }
    }

    SwrTest::command('HSET', 'swr:{r:ns1/pushed}:blobs',
                     fake_digest('ns1/pushed:layer'), 3);

    SwrTest::command('HSET', 'swr:ns:{ns1}:usage', repos => 3);
    SwrTest::command('HSET', 'swr:ns:{ns2}:usage', repos => 1);
    SwrTest::command('HSET', 'swr:ns:{ns3}:usage', repos => 2);
    SwrTest::command('HSET', 'swr:ns:{nsb}:usage', repos => 1);

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

# a registry request as $who (Basic), with more header lines
sub reg {
    my ($who, $req, @h) = @_;
    return [ $req, join '', map { "$_\n" } grep { length }
                            SwrAuth::basic(ak_of($who), sk_of($who)), @h ];
}

# what a block expects of an answer
sub err {
    my ($code) = @_;
    (my $q = $code) =~ s/\./\\./g;
    return qr/^\{"errors":\[\{"errorCode":"$q","errorMessage":"[^"]+","detail":"[^"]*"\}\],"error_code":"$q","error_msg":"[^"]+","details":\[\{"error_code":"$q","error_msg":"[^"]*"\}\]\}$/;
}

sub exact { my $s = quotemeta $_[0]; return qr/^$s$/ }

our $EMPTY = qr/^$/;

# JSON text with @TIME@ where a time the module took from the clock is
# (an RFC 3339 UTC time), as an anchored regex
our $TIME = '\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ';

sub jlike {
    my $s = quotemeta $_[0];
    $s =~ s/\\\@TIME\\\@/$TIME/g;
    return qr/^$s$/;
}

our $JS = JSON::PP->new->allow_nonref(1);

sub js { return $JS->encode($_[0]) }

sub time_of {
    return defined $_[0]
           ? POSIX::strftime('%Y-%m-%dT%H:%M:%SZ', gmtime $_[0]) : '@TIME@';
}

sub bool { return $_[0] ? 'true' : 'false' }

# a repository's attributes: the seeded ones with %over on top
sub attrs {
    my ($name, %over) = @_;
    my %r = (%{ $REPO{$name} || { id => 0, category => 'other',
                                  description => '', public => 0,
                                  created => undef, updated => undef,
                                  creator => '', downloads => 0, size => 0,
                                  tags => [] } }, %over);
    @r{qw(ns short)} = $name =~ m{^([^/]+)/(.+)$};
    $r{account} = $NS{ $r{ns} }[0];
    return \%r;
}

# ShowRepository's answer for $name
sub show {
    my $r = attrs(@_);
    my $creator = $r->{creator} eq '' ? '' : $USER{ $r->{creator} }[0];
    return jlike('{'
        . join(',',
               '"category":' . js($r->{category}),
               '"created":"' . time_of($r->{created}) . '"',
               '"creator_id":' . js($r->{creator}),
               '"creator_name":' . js($creator),
               '"description":' . js($r->{description}),
               '"domain_id":' . js($r->{account}),
               '"id":' . $r->{id},
               '"internal_path":' . js("localhost/$_[0]"),
               '"is_public":' . bool($r->{public}),
               '"name":' . js($r->{short}),
               '"ns_id":' . $NS{ $r->{ns} }[1],
               '"num_download":' . $r->{downloads},
               '"num_images":' . scalar(@{ $r->{tags} }),
               '"path":' . js("localhost/$_[0]"),
               '"priority":0',
               '"size":' . $r->{size},
               '"updated":"' . time_of($r->{updated}) . '"',
               '"url":""')
        . '}');
}

# a row of ListReposDetails / ListSharedReposDetails (JSON text with
# @TIME@), total and status given
sub row {
    my ($name, $total, $status, %over) = @_;
    my $r = attrs($name, %over);
    return '{'
        . join(',',
               '"category":' . js($r->{category}),
               '"created_at":"' . time_of($r->{created}) . '"',
               '"description":' . js($r->{description}),
               '"domain_name":' . js($ACCOUNT{ $r->{account} }),
               '"internal_path":' . js("localhost/$name"),
               '"is_public":' . bool($r->{public}),
               '"logo":""',
               '"name":' . js($r->{short}),
               '"namespace":' . js($r->{ns}),
               '"num_download":' . $r->{downloads},
               '"num_images":' . scalar(@{ $r->{tags} }),
               '"path":' . js("localhost/$name"),
               '"size":' . $r->{size},
               '"status":' . bool($status),
               '"tags":[' . join(',', map { js($_) } sort @{ $r->{tags} })
               . ']',
               '"total_range":' . $total,
               '"updated_at":"' . time_of($r->{updated}) . '"',
               '"url":""')
        . '}';
}

# a list of rows, each [name, %over], all of one total
sub rows {
    my ($status, @rows) = @_;
    my $total = @rows;
    return jlike('[' . join(',', map { my ($n, %o) = @$_;
                                      row($n, $total, $status, %o) } @rows)
                . ']');
}

# the same, a page: [name, %over]... out of $total rows
sub page_of {
    my ($status, $total, @rows) = @_;
    return jlike('[' . join(',', map { my ($n, %o) = @$_;
                                      row($n, $total, $status, %o) } @rows)
                . ']');
}

sub r { return [ @_ ] }

# the cases of a block: [[who, method, uri, body], status, body regex,
# Content-Range (undef: none)]
sub case {
    my ($r, $status, $like, $range) = @_;
    return [ req(@$r), $status, $like, $range ];
}

# a registry case: [who, request text, header lines...]
sub rcase {
    my ($r, $status, $like) = @_;
    return [ reg(@$r), $status, $like, undef ];
}

sub range_of {
    return defined $_[0] ? "Content-Range: $_[0]" : '!Content-Range';
}

# the registry's contents for the blocks that push
our $CONFIG = SwrTest::json({ architecture => 'amd64', os => 'linux',
                              rootfs => { type => 'layers',
                                          diff_ids => [] } });
our $LAYER = 'the one layer of t/131';
our $MANIFEST = SwrTest::manifest($CONFIG, [ $LAYER ]);
our $MDIGEST = SwrTest::sha256($MANIFEST);
our $MTYPE = SwrTest::manifest_type($MANIFEST);

# what a push adds to the repository's size: the manifest and its blobs
our $PUSH_SIZE = length($MANIFEST) + length($CONFIG) + length($LAYER);

# a repository a push made: its pusher, the size, the times of the push
our @PUSHED_BY_O3 = (creator => 'u-o3', size => $PUSH_SIZE);

sub push_cases {
    my ($who, $name, $tag) = @_;
    return (
        rcase([ $who, SwrTest::push_blob($name, $CONFIG) ], 201, $EMPTY),
        rcase([ $who, SwrTest::push_blob($name, $LAYER) ], 201, $EMPTY),
        rcase([ $who, SwrTest::put_manifest($name, $tag, $MANIFEST),
                $MTYPE ], 201, $EMPTY),
    );
}

sub name_unknown {
    return exact(SwrTest::err('NAME_UNKNOWN',
                              'repository name not known to registry',
                              $_[0]));
}

sub tags_list {
    my ($name, @tags) = @_;
    return exact('{"name":' . js($name) . ',"tags":['
                 . join(',', map { js($_) } @tags) . ']}');
}

sub catalog {
    return exact('{"repositories":[' . join(',', map { js($_) } @_)
                 . ']}');
}

our $CREATE = '/v2/manage/namespaces/ns1/repos';
our $APP = '/v2/manage/namespaces/ns1/repos/app';

# $head, spaces and "}": $size bytes
sub sized {
    my ($head, $size) = @_;
    return $head . (' ' x ($size - length($head) - 1)) . '}';
}

# ---- TEST 1: CreateRepo, who may --------------------------------------------

our @CREATE_WHO = (
    case([ 'alice', 'POST', $CREATE, '{"repository":"by-alice","is_public":false}' ], 200, $EMPTY),
    case([ 'alice', 'GET', "$CREATE/by-alice" ], 200,
         show('ns1/by-alice', id => 101, creator => 'u-alice')),
    # 3 on the organization
    case([ 'o3', 'POST', $CREATE,
           '{"repository":"team/by-three","is_public":true,"category":"arms","description":"o3\'s"}' ], 200, $EMPTY),
    case([ 'o3', 'GET', "$CREATE/team\$by-three" ], 200,
         show('ns1/team/by-three', id => 102, creator => 'u-o3',
              public => 1, category => 'arm', description => "o3's")),
    case([ 'o7', 'POST', $CREATE, '{"repository":"by-seven","is_public":false,"category":"linux"}' ], 200, $EMPTY),
    case([ 'o7', 'GET', "$CREATE/by-seven" ], 200,
         show('ns1/by-seven', id => 103, creator => 'u-o7', category => 'linux')),
    case([ 'o1', 'POST', $CREATE, '{"repository":"by-one","is_public":false}' ], 403, err('SVCSTG.SWR.4030170')),
    # nothing to read in ns1: as if it did not exist
    case([ 'none', 'POST', $CREATE, '{"repository":"by-none","is_public":false}' ], 404, err('SVCSTG.SWR.4040058')),
    case([ 'bob', 'POST', $CREATE, '{"repository":"by-bob","is_public":false}' ], 404, err('SVCSTG.SWR.4040058')),
    case([ 'carol', 'POST', $CREATE, '{"repository":"by-carol","is_public":false}' ], 404, err('SVCSTG.SWR.4040058')),
    case([ 'dave', 'POST', $CREATE, '{"repository":"by-dave","is_public":false}' ], 404, err('SVCSTG.SWR.4040058')),
    case([ 'dave', 'POST', '/v2/manage/namespaces/nsb/repos', '{"repository":"by-dave","is_public":false}' ], 404, err('SVCSTG.SWR.4040058')),
    case([ undef, 'POST', $CREATE, '{"repository":"by-nobody","is_public":false}' ], 401, err('SVCSTG.S2I.4019000')),
    # another account's administrator in his own organization
    case([ 'bob', 'POST', '/v2/manage/namespaces/nsb/repos', '{"repository":"bobs","is_public":true,"category":"windows"}' ], 200, $EMPTY),
    case([ 'bob', 'GET', '/v2/manage/namespaces/nsb/repos/bobs' ], 200,
         show('nsb/bobs', id => 104, creator => 'u-bob', public => 1,
              category => 'windows')),
    # an organization nobody has
    case([ 'alice', 'POST', '/v2/manage/namespaces/nsx/repos', '{"repository":"app","is_public":false}' ], 404, err('SVCSTG.SWR.4040058')),
    # names taken: by the management API, by the registry (no :meta), with
    # a '/'; the level is checked first
    case([ 'alice', 'POST', $CREATE, '{"repository":"app","is_public":false}' ], 409, err('SVCSTG.SWR.4090006')),
    case([ 'o3', 'POST', $CREATE, '{"repository":"pushed","is_public":true}' ], 409, err('SVCSTG.SWR.4090006')),
    case([ 'o7', 'POST', $CREATE, '{"repository":"team/app","is_public":false}' ], 409, err('SVCSTG.SWR.4090006')),
    case([ 'alice', 'POST', $CREATE, '{"repository":"by-alice","is_public":true}' ], 409, err('SVCSTG.SWR.4090006')),
    case([ 'o1', 'POST', $CREATE, '{"repository":"app","is_public":false}' ], 403, err('SVCSTG.SWR.4030170')),
    case([ 'none', 'POST', $CREATE, '{"repository":"app","is_public":false}' ], 404, err('SVCSTG.SWR.4040058')),
    # the same name in another organization is another repository
    case([ 'alice', 'POST', '/v2/manage/namespaces/ns3/repos', '{"repository":"app","is_public":false}' ], 200, $EMPTY),
    # other methods on the collection; a trailing '/'
    case([ 'alice', 'GET', $CREATE ], 404, err('SVCSTG.SWR.4040083')),
    case([ 'alice', 'PUT', $CREATE, '{"repository":"x","is_public":false}' ], 404, err('SVCSTG.SWR.4040083')),
    case([ 'alice', 'POST', "$CREATE/", '{"repository":"x","is_public":false}' ], 404, err('SVCSTG.SWR.4040083')),
    case([ 'alice', 'POST', "$CREATE/app", '{"repository":"x","is_public":false}' ], 404, err('SVCSTG.SWR.4040083')),
    # what is there now: the refused ones are not
    case([ 'alice', 'GET', '/v2/manage/repos?namespace=ns1&order_column=name&order_type=asc' ], 200,
         rows(0, r('ns1/app'),
              r('ns1/by-alice', id => 101, creator => 'u-alice'),
              r('ns1/by-seven', id => 103, creator => 'u-o7', category => 'linux'),
              r('ns1/pushed'),
              r('ns1/team/app'),
              r('ns1/team/by-three', id => 102, creator => 'u-o3', public => 1,
                category => 'arm', description => "o3's")),
         '0-6/6'),
);

# ---- TEST 2: CreateRepo, bodies and names -----------------------------------

our @CREATE_BODIES = (
    # not JSON, not an object, a field of the wrong type: 4001018
    [ '', 400, 'SVCSTG.SWR.4001018' ],
    [ 'repository=abc&is_public=false', 400, 'SVCSTG.SWR.4001018' ],
    [ '{"repository":"abc","is_public":false', 400, 'SVCSTG.SWR.4001018' ],
    [ '{"repository":"abc","is_public":false}x', 400, 'SVCSTG.SWR.4001018' ],
    [ "{'repository':'abc','is_public':false}", 400, 'SVCSTG.SWR.4001018' ],
    [ '[]', 400, 'SVCSTG.SWR.4001018' ],
    [ '[{"repository":"abc","is_public":false}]', 400, 'SVCSTG.SWR.4001018' ],
    [ '"abc"', 400, 'SVCSTG.SWR.4001018' ],
    [ 'null', 400, 'SVCSTG.SWR.4001018' ],
    [ '5', 400, 'SVCSTG.SWR.4001018' ],
    [ '{"repository":5,"is_public":false}', 400, 'SVCSTG.SWR.4001018' ],
    [ '{"repository":null,"is_public":false}', 400, 'SVCSTG.SWR.4001018' ],
    [ '{"repository":["abc"],"is_public":false}', 400, 'SVCSTG.SWR.4001018' ],
    [ '{"repository":{"name":"abc"},"is_public":false}', 400, 'SVCSTG.SWR.4001018' ],
    [ '{"repository":"abc","is_public":false,"category":5}', 400, 'SVCSTG.SWR.4001018' ],
    [ '{"repository":"abc","is_public":false,"description":true}', 400, 'SVCSTG.SWR.4001018' ],
    [ '{"repository":"abc","is_public":false,"description":null}', 400, 'SVCSTG.SWR.4001018' ],
    [ '{"repository":"abc","repository":"abd","is_public":false}', 400, 'SVCSTG.SWR.4001018' ],
    [ '{"repository":"abc","is_public":false,"is_public":true}', 400, 'SVCSTG.SWR.4001018' ],
    [ qq{{"repository":"abc","is_public":false,"description":"ab\xffc"}}, 400, 'SVCSTG.SWR.4001018' ],
    # is_public not a boolean: 4001009
    [ '{"repository":"abc","is_public":"false"}', 400, 'SVCSTG.SWR.4001009' ],
    [ '{"repository":"abc","is_public":"true"}', 400, 'SVCSTG.SWR.4001009' ],
    [ '{"repository":"abc","is_public":0}', 400, 'SVCSTG.SWR.4001009' ],
    [ '{"repository":"abc","is_public":1}', 400, 'SVCSTG.SWR.4001009' ],
    [ '{"repository":"abc","is_public":null}', 400, 'SVCSTG.SWR.4001009' ],
    [ '{"repository":"abc","is_public":[true]}', 400, 'SVCSTG.SWR.4001009' ],
    # missing: 4001014; unknown fields: 4000014
    [ '{}', 400, 'SVCSTG.SWR.4001014' ],
    [ '{"repository":"abc"}', 400, 'SVCSTG.SWR.4001014' ],
    [ '{"is_public":false}', 400, 'SVCSTG.SWR.4001014' ],
    [ '{"repository":"abc","is_public":false,"extra":1}', 400, 'SVCSTG.SWR.4000014' ],
    [ '{"repository":"abc","is_public":false,"namespace":"ns1"}', 400, 'SVCSTG.SWR.4000014' ],
    [ '{"Repository":"abc","is_public":false}', 400, 'SVCSTG.SWR.4000014' ],
    [ '{"name":"abc","is_public":false}', 400, 'SVCSTG.SWR.4000014' ],
    # categories (swr-api.md 1.7): 4000014 outside the list
    [ '{"repository":"abc","is_public":false,"category":"bad"}', 400, 'SVCSTG.SWR.4000014' ],
    [ '{"repository":"abc","is_public":false,"category":"Linux"}', 400, 'SVCSTG.SWR.4000014' ],
    [ '{"repository":"abc","is_public":false,"category":""}', 400, 'SVCSTG.SWR.4000014' ],
    [ '{"repository":"abc","is_public":false,"category":"arm "}', 400, 'SVCSTG.SWR.4000014' ],
    (map { [ qq{{"repository":"c-$_","is_public":false,"category":"$_"}}, 200, undef ] }
         qw(app_server linux framework_app database lang other windows arm arms)),
    # descriptions: 1024 bytes at most (bytes, not characters)
    [ '{"repository":"d-1024","is_public":false,"description":"' . ('d' x 1024) . '"}', 200, undef ],
    [ '{"repository":"d-1025","is_public":false,"description":"' . ('d' x 1025) . '"}', 413, 'SVCSTG.SWR.4131012' ],
    [ '{"repository":"d-euro-341","is_public":false,"description":"' . ("\xe2\x82\xac" x 341) . '"}', 200, undef ],
    [ '{"repository":"d-euro-342","is_public":false,"description":"' . ("\xe2\x82\xac" x 342) . '"}', 413, 'SVCSTG.SWR.4131012' ],
    # bodies: 64 KiB at most
    [ sized('{"repository":"b-65536","is_public":false', 65536), 200, undef ],
    [ sized('{"repository":"b-65537","is_public":false', 65537), 413, 'SVCSTG.SWR.4131001' ],
    [ '{"repository":"b-long","is_public":false,"description":"' . ('x' x 65000) . '"}', 413, 'SVCSTG.SWR.4131012' ],
    [ '{"repository":"b-long","is_public":false,"description":"' . ('x' x 70000) . '"}', 413, 'SVCSTG.SWR.4131001' ],
    # names outside the rule of 1.6: 4001029 ('$' is a path's '/' only)
    (map { [ qq{{"repository":"$_","is_public":false}}, 400, 'SVCSTG.SWR.4001029' ] }
         '', 'App', 'aPP', '_app', '-app', '.app', '/app', 'app_', 'app-',
         'app.', 'app/', 'a..b', 'a._b', 'a-.b', 'a_-b', 'a/-b', 'a/.b',
         'a//b', 'a___b', 'a____b', 'a b', 'a:b', 'a@b', 'a$b', 'team$app',
         'a' x 129, 'gr\\u00fcn', 'abc\\u0000', 'a\\/b\\/'),
    # names inside it: 200
    (map { [ qq{{"repository":"$_","is_public":false}}, 200, undef ] }
         'a', '0', 'a1', 'a-b', 'a--b', 'a---b', 'a_b', 'a__b', 'a.b',
         'a/b', 'a/b/c', '1a.b_c-d__e--f/g0', 'l' x 128, 'library',
         'a\\/slash'),
    # whitespace and escapes are JSON's business
    [ qq{ \n\t{ "repository" : "\\u0073paced" ,\n "is_public" : true } \n}, 200, undef ],
);

our @CREATE_BODY_CASES = (
    (map {
        case([ 'alice', 'POST', $CREATE, $_->[0] ], $_->[1],
             defined $_->[2] ? err($_->[2]) : $EMPTY)
    } @CREATE_BODIES),
    # what was made of some of them
    case([ 'alice', 'GET', '/v2/manage/repos?namespace=ns1&name=c-arm&order_column=name&order_type=asc' ], 200,
         rows(0, r('ns1/c-arm', id => 108, creator => 'u-alice', category => 'arm'),
              r('ns1/c-arms', id => 109, creator => 'u-alice', category => 'arm')),
         '0-2/2'),
    case([ 'alice', 'GET', "$CREATE/d-euro-341" ], 200,
         show('ns1/d-euro-341', id => 111, creator => 'u-alice',
              description => "\xe2\x82\xac" x 341)),
    case([ 'alice', 'GET', "$CREATE/a\$slash" ], 200,
         show('ns1/a/slash', id => 127, creator => 'u-alice')),
    case([ 'alice', 'GET', "$CREATE/spaced" ], 200,
         show('ns1/spaced', id => 128, creator => 'u-alice', public => 1)),
    # the refused ones are not there
    case([ 'alice', 'GET', "$CREATE/abc" ], 404, err('SVCSTG.SWR.4040113')),
    case([ 'alice', 'GET', "$CREATE/d-1025" ], 404, err('SVCSTG.SWR.4040113')),
    case([ 'alice', 'GET', "$CREATE/b-long" ], 404, err('SVCSTG.SWR.4040113')),
);

# ---- TEST 3: ShowRepository -------------------------------------------------

our @SHOW = (
    # every level reads; no level: the organization is unknown
    (map { case([ $_, 'GET', $APP ], 200, show('ns1/app')) }
         qw(alice o1 o3 o7 r1 r3 r7)),
    (map { case([ $_, 'GET', $APP ], 404, err('SVCSTG.SWR.4040058')) }
         qw(none bob carol dave)),
    case([ undef, 'GET', $APP ], 401, err('SVCSTG.S2I.4019000')),
    # '/' as '$' (raw or percent-encoded)
    case([ 'alice', 'GET', "$CREATE/team\$app" ], 200, show('ns1/team/app')),
    case([ 'o1', 'GET', "$CREATE/team%24app" ], 200, show('ns1/team/app')),
    # shared with acct-b for ever, with acct-c until 1970
    case([ 'bob', 'GET', '/v2/manage/namespaces/ns2/repos/shared' ], 200, show('ns2/shared')),
    case([ 'carol', 'GET', '/v2/manage/namespaces/ns2/repos/shared' ], 200, show('ns2/shared')),
    case([ 'alice', 'GET', '/v2/manage/namespaces/ns2/repos/shared' ], 200, show('ns2/shared')),
    case([ 'dave', 'GET', '/v2/manage/namespaces/ns2/repos/shared' ], 404, err('SVCSTG.SWR.4040058')),
    case([ 'none', 'GET', '/v2/manage/namespaces/ns2/repos/shared' ], 404, err('SVCSTG.SWR.4040058')),
    case([ 'o7', 'GET', '/v2/manage/namespaces/ns2/repos/shared' ], 404, err('SVCSTG.SWR.4040058')),
    case([ 'r7', 'GET', '/v2/manage/namespaces/ns2/repos/shared' ], 404, err('SVCSTG.SWR.4040058')),
    # public: anyone with an identity
    (map { case([ $_, 'GET', '/v2/manage/namespaces/ns3/repos/pub' ], 200, show('ns3/pub')) }
         qw(alice none r1 bob carol dave)),
    case([ undef, 'GET', '/v2/manage/namespaces/ns3/repos/pub' ], 401, err('SVCSTG.S2I.4019000')),
    case([ 'alice', 'GET', '/v2/manage/namespaces/ns3/repos/secret' ], 200, show('ns3/secret')),
    # shared with acct-a: every user of it
    (map { case([ $_, 'GET', '/v2/manage/namespaces/nsb/repos/tool' ], 200, show('nsb/tool')) }
         qw(bob alice none o1)),
    case([ 'carol', 'GET', '/v2/manage/namespaces/nsb/repos/tool' ], 404, err('SVCSTG.SWR.4040058')),
    case([ 'dave', 'GET', '/v2/manage/namespaces/nsb/repos/tool' ], 404, err('SVCSTG.SWR.4040058')),
    # absent repositories and organizations
    case([ 'alice', 'GET', "$CREATE/nothing" ], 404, err('SVCSTG.SWR.4040113')),
    case([ 'o1', 'GET', "$CREATE/nothing" ], 404, err('SVCSTG.SWR.4040113')),
    case([ 'o1', 'GET', "$CREATE/team\$nothing" ], 404, err('SVCSTG.SWR.4040113')),
    case([ 'none', 'GET', "$CREATE/nothing" ], 404, err('SVCSTG.SWR.4040058')),
    case([ 'bob', 'GET', '/v2/manage/namespaces/nsb/repos/nothing' ], 404, err('SVCSTG.SWR.4040113')),
    case([ 'alice', 'GET', '/v2/manage/namespaces/nsx/repos/app' ], 404, err('SVCSTG.SWR.4040058')),
    case([ 'alice', 'GET', '/v2/manage/namespaces/ns2/repos/app' ], 404, err('SVCSTG.SWR.4040113')),
    # a repository the registry made: an id on first sight, then the same
    case([ 'alice', 'GET', "$CREATE/pushed" ], 200, show('ns1/pushed')),
    case([ 'o1', 'GET', "$CREATE/pushed" ], 200, show('ns1/pushed')),
    case([ 'alice', 'GET', '/v2/manage/repos?namespace=ns1&name=pushed' ], 200,
         rows(0, r('ns1/pushed')), '0-1/1'),
    # names no repository can have: 4001029 (before anything else)
    (map { case([ 'alice', 'GET', "$CREATE/$_" ], 400, err('SVCSTG.SWR.4001029')) }
         '_app', '-app', '.app', 'app-', 'app_', 'a..b', 'a___b', '$app',
         'app$', 'team$$app', 'team$_app', 'team%24%24app', 'a' x 129),
    case([ 'none', 'GET', "$CREATE/_app" ], 400, err('SVCSTG.SWR.4001029')),
    case([ 'alice', 'GET', '/v2/manage/namespaces/nsx/repos/_app' ], 400, err('SVCSTG.SWR.4001029')),
    case([ undef, 'GET', "$CREATE/_app" ], 401, err('SVCSTG.S2I.4019000')),
    # the longest name is a name
    case([ 'alice', 'GET', "$CREATE/" . ('a' x 128) ], 404, err('SVCSTG.SWR.4040113')),
    # a real '/' is another path
    case([ 'alice', 'GET', "$CREATE/team%2Fapp" ], 404, err('SVCSTG.SWR.4040083')),
);

# ---- TEST 4: UpdateRepo ------------------------------------------------------

our @UPDATE = (
    # 3 needed, from either grant; 1 is not enough
    case([ 'alice', 'PATCH', $APP, '{"is_public":false,"category":"lang","description":"by alice"}' ], 201, $EMPTY),
    case([ 'alice', 'GET', $APP ], 200,
         show('ns1/app', category => 'lang', description => 'by alice', updated => undef)),
    case([ 'o1', 'PATCH', $APP, '{"is_public":true,"description":"by o1"}' ], 403, err('SVCSTG.SWR.4030170')),
    case([ 'r1', 'PATCH', $APP, '{"is_public":true,"description":"by r1"}' ], 403, err('SVCSTG.SWR.4030170')),
    case([ 'o3', 'PATCH', $APP, '{"is_public":false,"description":"by o3"}' ], 201, $EMPTY),
    case([ 'r1', 'GET', $APP ], 200,
         show('ns1/app', category => 'lang', description => 'by o3', updated => undef)),
    case([ 'r3', 'PATCH', $APP, '{"is_public":false,"category":"database","description":"by r3"}' ], 201, $EMPTY),
    case([ 'o7', 'PATCH', $APP, '{"is_public":false,"description":"by o7"}' ], 201, $EMPTY),
    case([ 'r7', 'PATCH', $APP, '{"is_public":false,"description":"by r7"}' ], 201, $EMPTY),
    case([ 'o1', 'GET', $APP ], 200,
         show('ns1/app', category => 'database', description => 'by r7', updated => undef)),
    (map { case([ $_, 'PATCH', $APP, '{"is_public":true}' ], 404, err('SVCSTG.SWR.4040058')) }
         qw(none bob carol dave)),
    case([ undef, 'PATCH', $APP, '{"is_public":true}' ], 401, err('SVCSTG.S2I.4019000')),
    # public: read by all, changed by those with 3
    case([ 'o3', 'PATCH', $APP, '{"is_public":true}' ], 201, $EMPTY),
    case([ 'none', 'GET', $APP ], 200,
         show('ns1/app', category => 'database', description => 'by r7', updated => undef, public => 1)),
    case([ 'none', 'PATCH', $APP, '{"is_public":false}' ], 403, err('SVCSTG.SWR.4030170')),
    case([ 'bob', 'PATCH', $APP, '{"is_public":false}' ], 403, err('SVCSTG.SWR.4030170')),
    case([ 'r3', 'PATCH', $APP, '{"is_public":false}' ], 201, $EMPTY),
    case([ 'none', 'GET', $APP ], 404, err('SVCSTG.SWR.4040058')),
    # shared and public repositories are read, not changed
    case([ 'bob', 'PATCH', '/v2/manage/namespaces/ns2/repos/shared', '{"is_public":true}' ], 403, err('SVCSTG.SWR.4030170')),
    case([ 'carol', 'PATCH', '/v2/manage/namespaces/ns2/repos/shared', '{"is_public":true}' ], 403, err('SVCSTG.SWR.4030170')),
    case([ 'dave', 'PATCH', '/v2/manage/namespaces/ns2/repos/shared', '{"is_public":true}' ], 404, err('SVCSTG.SWR.4040058')),
    case([ 'none', 'PATCH', '/v2/manage/namespaces/ns3/repos/pub', '{"is_public":false}' ], 403, err('SVCSTG.SWR.4030170')),
    case([ 'carol', 'PATCH', '/v2/manage/namespaces/ns3/repos/pub', '{"is_public":false}' ], 403, err('SVCSTG.SWR.4030170')),
    case([ 'alice', 'PATCH', '/v2/manage/namespaces/nsb/repos/tool', '{"is_public":true}' ], 403, err('SVCSTG.SWR.4030170')),
    case([ 'bob', 'PATCH', '/v2/manage/namespaces/nsb/repos/tool', '{"is_public":true,"category":"arms","description":""}' ], 201, $EMPTY),
    case([ 'carol', 'GET', '/v2/manage/namespaces/nsb/repos/tool' ], 200,
         show('nsb/tool', public => 1, category => 'arm', description => '', updated => undef)),
    case([ 'alice', 'PATCH', '/v2/manage/namespaces/ns3/repos/pub', '{"is_public":false}' ], 201, $EMPTY),
    case([ 'carol', 'GET', '/v2/manage/namespaces/ns3/repos/pub' ], 404, err('SVCSTG.SWR.4040058')),
    # is_public alone leaves the rest; '$' for '/'
    case([ 'o7', 'PATCH', "$CREATE/team\$app", '{"is_public":true,"category":"arms","description":"team"}' ], 201, $EMPTY),
    case([ 'o7', 'PATCH', "$CREATE/team%24app", '{"is_public":false}' ], 201, $EMPTY),
    case([ 'o1', 'GET', "$CREATE/team\$app" ], 200,
         show('ns1/team/app', category => 'arm', description => 'team', updated => undef)),
    # a repository the registry made
    case([ 'o3', 'PATCH', "$CREATE/pushed", '{"is_public":true,"description":"now managed"}' ], 201, $EMPTY),
    case([ 'carol', 'GET', "$CREATE/pushed" ], 200,
         show('ns1/pushed', public => 1, description => 'now managed')),
    # absent ones
    case([ 'alice', 'PATCH', "$CREATE/nothing", '{"is_public":true}' ], 404, err('SVCSTG.SWR.4040113')),
    case([ 'o3', 'PATCH', "$CREATE/team\$nothing", '{"is_public":true}' ], 404, err('SVCSTG.SWR.4040113')),
    case([ 'alice', 'PATCH', '/v2/manage/namespaces/nsx/repos/app', '{"is_public":true}' ], 404, err('SVCSTG.SWR.4040058')),
    # names: 4001029, before the body
    case([ 'alice', 'PATCH', "$CREATE/_app", '{"is_public":true}' ], 400, err('SVCSTG.SWR.4001029')),
    case([ 'alice', 'PATCH', "$CREATE/a___b", '{"is_public":true}' ], 400, err('SVCSTG.SWR.4001029')),
    case([ 'alice', 'PATCH', "$CREATE/team\$\$app", '{"is_public":true}' ], 400, err('SVCSTG.SWR.4001029')),
    case([ 'alice', 'PATCH', "$CREATE/" . ('a' x 129), '{"is_public":true}' ], 400, err('SVCSTG.SWR.4001029')),
    case([ 'alice', 'PATCH', "$CREATE/app\$", '{}' ], 400, err('SVCSTG.SWR.4001029')),
    # bodies: the body before who asks and what exists
    (map { case([ 'alice', 'PATCH', $APP, $_->[0] ], 400, err($_->[1])) }
         [ '', 'SVCSTG.SWR.4001018' ],
         [ 'is_public=true', 'SVCSTG.SWR.4001018' ],
         [ '{"is_public":true', 'SVCSTG.SWR.4001018' ],
         [ '[]', 'SVCSTG.SWR.4001018' ],
         [ '[{"is_public":true}]', 'SVCSTG.SWR.4001018' ],
         [ 'true', 'SVCSTG.SWR.4001018' ],
         [ 'null', 'SVCSTG.SWR.4001018' ],
         [ '{"is_public":true,"category":5}', 'SVCSTG.SWR.4001018' ],
         [ '{"is_public":true,"description":["x"]}', 'SVCSTG.SWR.4001018' ],
         [ '{"is_public":true,"is_public":false}', 'SVCSTG.SWR.4001018' ],
         [ qq{{"is_public":true,"description":"\xc3"}}, 'SVCSTG.SWR.4001018' ],
         [ '{"is_public":"true"}', 'SVCSTG.SWR.4001009' ],
         [ '{"is_public":0}', 'SVCSTG.SWR.4001009' ],
         [ '{"is_public":null}', 'SVCSTG.SWR.4001009' ],
         [ '{}', 'SVCSTG.SWR.4001014' ],
         [ '{"category":"linux","description":"x"}', 'SVCSTG.SWR.4001014' ],
         [ '{"is_public":true,"repository":"app"}', 'SVCSTG.SWR.4000014' ],
         [ '{"is_public":true,"name":"x"}', 'SVCSTG.SWR.4000014' ],
         [ '{"is_public":true,"category":"bad"}', 'SVCSTG.SWR.4000014' ],
         [ '{"is_public":true,"category":"ARM"}', 'SVCSTG.SWR.4000014' ]),
    case([ 'alice', 'PATCH', $APP, '{"is_public":true,"description":"' . ('d' x 1025) . '"}' ], 413, err('SVCSTG.SWR.4131012')),
    case([ 'alice', 'PATCH', $APP, '{"is_public":true,"description":"' . ('d' x 70000) . '"}' ], 413, err('SVCSTG.SWR.4131001')),
    case([ 'none', 'PATCH', $APP, '{}' ], 400, err('SVCSTG.SWR.4001014')),
    case([ 'alice', 'PATCH', "$CREATE/nothing", '{"is_public":"yes"}' ], 400, err('SVCSTG.SWR.4001009')),
    # the refusals changed nothing
    case([ 'alice', 'GET', $APP ], 200,
         show('ns1/app', category => 'database', description => 'by r7', updated => undef)),
    # the longest description, in bytes
    case([ 'alice', 'PATCH', $APP, '{"is_public":false,"description":"' . ('d' x 1024) . '"}' ], 201, $EMPTY),
    case([ 'r1', 'GET', $APP ], 200,
         show('ns1/app', category => 'database', description => 'd' x 1024, updated => undef)),
    # other methods
    case([ 'alice', 'PUT', $APP, '{"is_public":true}' ], 404, err('SVCSTG.SWR.4040083')),
    case([ 'alice', 'POST', $APP, '{"is_public":true}' ], 404, err('SVCSTG.SWR.4040083')),
);

# ---- TEST 5: DeleteRepo ------------------------------------------------------

# ns1/app after the push of TEST 5 and a pull of its manifest
our @APP_PUSHED = (tags => [ 'v1', 'v2', 'v3' ], size => 1234 + $PUSH_SIZE,
                   downloads => 8, updated => undef);

our @DELETE = (
    # ns1/app gets a pushed image besides its seeded tags
    push_cases('alice', 'ns1/app', 'v3'),
    rcase([ 'alice', 'GET /v2/ns1/app/tags/list' ], 200, tags_list('ns1/app', 'v1', 'v2', 'v3')),
    rcase([ 'r1', "GET /v2/ns1/app/manifests/$MDIGEST" ], 200, exact($MANIFEST)),
    rcase([ 'alice', 'GET /v2/_catalog' ], 200,
          catalog(qw(ns1/app ns1/pushed ns1/team/app ns2/shared ns3/pub ns3/secret nsb/tool))),
    case([ 'alice', 'GET', $APP ], 200, show('ns1/app', @APP_PUSHED)),
    # 7 needed
    (map { case([ $_, 'DELETE', $APP ], 403, err('SVCSTG.SWR.4030170')) }
         qw(o1 o3 r1 r3)),
    (map { case([ $_, 'DELETE', $APP ], 404, err('SVCSTG.SWR.4040058')) }
         qw(none bob carol dave)),
    case([ undef, 'DELETE', $APP ], 401, err('SVCSTG.S2I.4019000')),
    case([ 'r1', 'GET', $APP ], 200, show('ns1/app', @APP_PUSHED)),
    # a repository grant of 7; its tags, manifests, blob links, grants and
    # catalog entry go with it
    case([ 'r7', 'DELETE', $APP ], 204, $EMPTY),
    rcase([ 'alice', 'GET /v2/ns1/app/tags/list' ], 404, name_unknown('ns1/app')),
    rcase([ 'alice', "GET /v2/ns1/app/manifests/$MDIGEST" ], 404, name_unknown('ns1/app')),
    rcase([ 'alice', "GET /v2/ns1/app/manifests/v1" ], 404, name_unknown('ns1/app')),
    rcase([ 'alice', 'GET /v2/ns1/app/blobs/' . SwrTest::sha256($LAYER) ], 404,
          exact(SwrTest::err('BLOB_UNKNOWN', 'blob unknown to registry', SwrTest::sha256($LAYER)))),
    rcase([ 'alice', 'GET /v2/_catalog' ], 200,
          catalog(qw(ns1/pushed ns1/team/app ns2/shared ns3/pub ns3/secret nsb/tool))),
    case([ 'alice', 'GET', $APP ], 404, err('SVCSTG.SWR.4040113')),
    case([ 'r7', 'GET', $APP ], 404, err('SVCSTG.SWR.4040058')),
    case([ 'r7', 'DELETE', $APP ], 404, err('SVCSTG.SWR.4040058')),
    case([ 'alice', 'DELETE', $APP ], 404, err('SVCSTG.SWR.4040113')),
    case([ 'alice', 'GET', '/v2/manage/repos?namespace=ns1&order_column=name' ], 200,
         rows(0, r('ns1/pushed', id => 101), r('ns1/team/app')), '0-2/2'),
    # made again: empty, no grants, another id
    case([ 'alice', 'POST', $CREATE, '{"repository":"app","is_public":false}' ], 200, $EMPTY),
    case([ 'alice', 'GET', $APP ], 200,
         show('ns1/app', id => 102, category => 'other', description => '',
              created => undef, updated => undef, downloads => 0, size => 0,
              tags => [])),
    case([ 'r7', 'GET', $APP ], 404, err('SVCSTG.SWR.4040058')),
    rcase([ 'alice', 'GET /v2/ns1/app/tags/list' ], 404, name_unknown('ns1/app')),
    rcase([ 'alice', "GET /v2/ns1/app/manifests/$MDIGEST" ], 404, name_unknown('ns1/app')),
    # an organization grant of 7; '$' for '/'
    case([ 'o7', 'DELETE', "$CREATE/team\$app" ], 204, $EMPTY),
    case([ 'o7', 'GET', "$CREATE/team%24app" ], 404, err('SVCSTG.SWR.4040113')),
    # shared: the shares go with it
    case([ 'bob', 'DELETE', '/v2/manage/namespaces/ns2/repos/shared' ], 403, err('SVCSTG.SWR.4030170')),
    case([ 'carol', 'DELETE', '/v2/manage/namespaces/ns2/repos/shared' ], 403, err('SVCSTG.SWR.4030170')),
    case([ 'dave', 'DELETE', '/v2/manage/namespaces/ns2/repos/shared' ], 404, err('SVCSTG.SWR.4040058')),
    case([ 'alice', 'DELETE', '/v2/manage/namespaces/ns2/repos/shared' ], 204, $EMPTY),
    case([ 'carol', 'GET', '/v2/manage/shared-repositories?center=thirdparty' ], 200, exact('[]'), '0-0/0'),
    case([ 'alice', 'POST', '/v2/manage/namespaces/ns2/repos', '{"repository":"shared","is_public":false}' ], 200, $EMPTY),
    case([ 'carol', 'GET', '/v2/manage/namespaces/ns2/repos/shared' ], 404, err('SVCSTG.SWR.4040058')),
    case([ 'alice', 'GET', '/v2/manage/shared-repositories?center=self' ], 200, exact('[]'), '0-0/0'),
    # public: read by all, deleted by 7
    case([ 'none', 'DELETE', '/v2/manage/namespaces/ns3/repos/pub' ], 403, err('SVCSTG.SWR.4030170')),
    case([ 'carol', 'DELETE', '/v2/manage/namespaces/ns3/repos/pub' ], 403, err('SVCSTG.SWR.4030170')),
    case([ 'alice', 'DELETE', '/v2/manage/namespaces/ns3/repos/pub' ], 204, $EMPTY),
    case([ 'none', 'GET', '/v2/manage/namespaces/ns3/repos/pub' ], 404, err('SVCSTG.SWR.4040058')),
    # shared with acct-a: bob's to delete
    case([ 'alice', 'DELETE', '/v2/manage/namespaces/nsb/repos/tool' ], 403, err('SVCSTG.SWR.4030170')),
    case([ 'bob', 'DELETE', '/v2/manage/namespaces/nsb/repos/tool' ], 204, $EMPTY),
    case([ 'alice', 'GET', '/v2/manage/namespaces/nsb/repos/tool' ], 404, err('SVCSTG.SWR.4040058')),
    # the registry's own
    rcase([ 'o1', 'GET /v2/ns1/pushed/tags/list' ], 200, tags_list('ns1/pushed', 'latest')),
    case([ 'o7', 'DELETE', "$CREATE/pushed" ], 204, $EMPTY),
    rcase([ 'o1', 'GET /v2/ns1/pushed/tags/list' ], 404, name_unknown('ns1/pushed')),
    # names and absent organizations
    case([ 'alice', 'DELETE', "$CREATE/a___b" ], 400, err('SVCSTG.SWR.4001029')),
    case([ 'alice', 'DELETE', "$CREATE/\$app" ], 400, err('SVCSTG.SWR.4001029')),
    case([ 'alice', 'DELETE', '/v2/manage/namespaces/nsx/repos/app' ], 404, err('SVCSTG.SWR.4040058')),
    # what is left
    rcase([ 'alice', 'GET /v2/_catalog' ], 200, catalog(qw(ns1/app ns2/shared ns3/secret))),
    case([ 'alice', 'GET', '/v2/manage/repos?order_column=name&order_type=desc' ], 200,
         rows(0, r('ns2/shared', id => 103, category => 'other', description => '',
                   created => undef, updated => undef, downloads => 0, size => 0,
                   creator => 'u-alice'),
              r('ns3/secret'),
              r('ns1/app', id => 102, category => 'other', description => '',
                created => undef, updated => undef, downloads => 0, size => 0,
                tags => [])),
         '0-3/3'),
);

# ---- TEST 6: ListReposDetails ------------------------------------------------

# alice's whole list, newest first (ns1/pushed was seen now)
our @ALL = (r('ns1/pushed'), r('nsb/tool'), r('ns3/secret'), r('ns2/shared'),
            r('ns1/app'), r('ns3/pub'), r('ns1/team/app'));

sub lcase {
    my ($who, $query, $status, $like, $range) = @_;
    return case([ $who, 'GET', "/v2/manage/repos$query" ], $status, $like,
                $range);
}

our @LIST = (
    # what each caller may read, newest first
    lcase('alice', '', 200, rows(0, @ALL), '0-7/7'),
    lcase('o1', '', 200, rows(0, r('ns1/pushed'), r('nsb/tool'), r('ns1/app'), r('ns3/pub'), r('ns1/team/app')), '0-5/5'),
    lcase('o7', '', 200, rows(0, r('ns1/pushed'), r('nsb/tool'), r('ns1/app'), r('ns3/pub'), r('ns1/team/app')), '0-5/5'),
    lcase('r1', '', 200, rows(0, r('nsb/tool'), r('ns1/app'), r('ns3/pub')), '0-3/3'),
    lcase('r7', '', 200, rows(0, r('nsb/tool'), r('ns1/app'), r('ns3/pub')), '0-3/3'),
    lcase('none', '', 200, rows(0, r('nsb/tool'), r('ns3/pub')), '0-2/2'),
    lcase('bob', '', 200, rows(0, r('nsb/tool'), r('ns2/shared'), r('ns3/pub')), '0-3/3'),
    lcase('carol', '', 200, rows(0, r('ns2/shared'), r('ns3/pub')), '0-2/2'),
    lcase('dave', '', 200, rows(0, r('ns3/pub')), '0-1/1'),
    lcase(undef, '', 401, err('SVCSTG.S2I.4019000')),
    # namespace and name: parts of them
    lcase('alice', '?namespace=ns1', 200, rows(0, r('ns1/pushed'), r('ns1/app'), r('ns1/team/app')), '0-3/3'),
    lcase('alice', '?namespace=s3', 200, rows(0, r('ns3/secret'), r('ns3/pub')), '0-2/2'),
    lcase('alice', '?namespace=nsx', 200, exact('[]'), '0-0/0'),
    lcase('alice', '?name=app', 200, rows(0, r('ns1/app'), r('ns1/team/app')), '0-2/2'),
    lcase('alice', '?name=team$app', 200, rows(0, r('ns1/team/app')), '0-1/1'),
    lcase('alice', '?name=team%24app', 200, rows(0, r('ns1/team/app')), '0-1/1'),
    lcase('alice', '?name=team/app', 200, rows(0, r('ns1/team/app')), '0-1/1'),
    lcase('alice', '?name=m$', 200, rows(0, r('ns1/team/app')), '0-1/1'),
    lcase('alice', '?name=ns1', 200, exact('[]'), '0-0/0'),
    lcase('alice', '?name=p', 200, rows(0, r('ns1/pushed'), r('ns1/app'), r('ns3/pub'), r('ns1/team/app')), '0-4/4'),
    lcase('alice', '?namespace=ns1&name=p', 200, rows(0, r('ns1/pushed'), r('ns1/app'), r('ns1/team/app')), '0-3/3'),
    # category (arms is arm), is_public
    lcase('alice', '?category=linux', 200, rows(0, r('ns1/app')), '0-1/1'),
    lcase('alice', '?category=arm', 200, rows(0, r('ns1/team/app')), '0-1/1'),
    lcase('alice', '?category=arms', 200, rows(0, r('ns1/team/app')), '0-1/1'),
    lcase('alice', '?category=other', 200, rows(0, r('ns1/pushed'), r('ns3/secret')), '0-2/2'),
    lcase('alice', '?category=framework_app', 200, exact('[]'), '0-0/0'),
    lcase('alice', '?is_public=true', 200, rows(0, r('ns3/pub')), '0-1/1'),
    lcase('alice', '?is_public=false&namespace=ns3', 200, rows(0, r('ns3/secret')), '0-1/1'),
    lcase('bob', '?is_public=false', 200, rows(0, r('nsb/tool'), r('ns2/shared')), '0-2/2'),
    # tag: the repositories that have it
    lcase('alice', '?tag=v1', 200, rows(0, r('ns1/app')), '0-1/1'),
    lcase('alice', '?tag=latest', 200, rows(0, r('ns1/pushed')), '0-1/1'),
    lcase('alice', '?filter=tag::1.0', 200, rows(0, r('ns3/pub')), '0-1/1'),
    lcase('dave', '?tag=v1', 200, exact('[]'), '0-0/0'),
    lcase('alice', '?tag=nothing', 200, exact('[]'), '0-0/0'),
    lcase('alice', '?tag=-x', 400, err('SVCSTG.SWR.4009021')),
    # order
    lcase('alice', '?order_column=name&order_type=asc', 200,
          rows(0, map { r($_) } qw(ns1/app ns3/pub ns1/pushed ns3/secret ns2/shared ns1/team/app nsb/tool)), '0-7/7'),
    lcase('alice', '?order_column=name', 200,
          rows(0, map { r($_) } qw(ns1/app ns3/pub ns1/pushed ns3/secret ns2/shared ns1/team/app nsb/tool)), '0-7/7'),
    lcase('alice', '?order_column=name&order_type=desc', 200,
          rows(0, map { r($_) } qw(nsb/tool ns1/team/app ns2/shared ns3/secret ns1/pushed ns3/pub ns1/app)), '0-7/7'),
    lcase('alice', '?order_column=namespace&order_type=desc', 200,
          rows(0, map { r($_) } qw(nsb/tool ns3/secret ns3/pub ns2/shared ns1/team/app ns1/pushed ns1/app)), '0-7/7'),
    lcase('alice', '?order_column=tag_count&order_type=asc', 200,
          rows(0, map { r($_) } qw(ns1/team/app ns2/shared ns3/secret nsb/tool ns1/pushed ns3/pub ns1/app)), '0-7/7'),
    lcase('alice', '?order_column=tag_count&order_type=desc', 200,
          rows(0, map { r($_) } qw(ns1/app ns3/pub ns1/pushed nsb/tool ns3/secret ns2/shared ns1/team/app)), '0-7/7'),
    lcase('alice', '?order_column=is_public&order_type=desc&namespace=ns', 200,
          rows(0, map { r($_) } qw(ns3/pub nsb/tool ns3/secret ns2/shared ns1/team/app ns1/pushed ns1/app)), '0-7/7'),
    lcase('alice', '?order_column=updated_time&order_type=asc', 200, rows(0, reverse @ALL), '0-7/7'),
    lcase('alice', '?order_column=updated_at&order_type=asc', 200, rows(0, reverse @ALL), '0-7/7'),
    lcase('alice', '?order_column=updated_at&order_type=desc', 200, rows(0, @ALL), '0-7/7'),
    # pages: offset-count/total
    lcase('alice', '?limit=2', 200, page_of(0, 7, @ALL[0, 1]), '0-2/7'),
    lcase('alice', '?limit=2&offset=1', 200, page_of(0, 7, @ALL[1, 2]), '1-2/7'),
    lcase('alice', '?limit=3&offset=5', 200, page_of(0, 7, @ALL[5, 6]), '5-2/7'),
    lcase('alice', '?offset=6', 200, page_of(0, 7, $ALL[6]), '6-1/7'),
    lcase('alice', '?limit=5&offset=7', 200, exact('[]'), '7-0/7'),
    lcase('alice', '?limit=1&offset=100', 200, exact('[]'), '100-0/7'),
    lcase('alice', '?limit=0', 200, exact('[]'), '0-0/7'),
    lcase('alice', '?limit=1000', 200, rows(0, @ALL), '0-7/7'),
    lcase('alice', '?limit=1&offset=0&order_column=name&order_type=asc&namespace=ns3', 200,
          page_of(0, 2, r('ns3/pub')), '0-1/2'),
    # filter, which wins over the parameters
    lcase('alice', '?filter=namespace%3A%3Ans1%7Ccategory%3A%3Alinux', 200, rows(0, r('ns1/app')), '0-1/1'),
    lcase('alice', '?filter=namespace::ns1|category::arms', 200, rows(0, r('ns1/team/app')), '0-1/1'),
    lcase('alice', '?filter=name::team$app', 200, rows(0, r('ns1/team/app')), '0-1/1'),
    lcase('alice', '?filter=name::team%24app', 200, rows(0, r('ns1/team/app')), '0-1/1'),
    lcase('alice', '?filter=is_public::true', 200, rows(0, r('ns3/pub')), '0-1/1'),
    lcase('alice', '?namespace=ns3&filter=namespace::ns2', 200, rows(0, r('ns2/shared')), '0-1/1'),
    lcase('alice', '?limit=1&filter=namespace::ns', 200, rows(0, @ALL), '0-7/7'),
    lcase('alice', '?filter=limit::2|offset::1|order_column::name|order_type::asc', 200,
          page_of(0, 7, r('ns3/pub'), r('ns1/pushed')), '1-2/7'),
    lcase('alice', '?filter=', 200, rows(0, @ALL), '0-7/7'),
    lcase('alice', '?unknown=1&namespace=ns2', 200, rows(0, r('ns2/shared')), '0-1/1'),
    # bad filters: 4001035
    (map { lcase('alice', "?filter=$_", 400, err('SVCSTG.SWR.4001035')) }
         'center::self', 'domain_name::acme', 'status::true',
         'namespace', 'namespace:ns1', 'namespace::ns1|', '|namespace::ns1',
         'namespace::ns1|namespace::ns2', 'Namespace::ns1', 'namespace::ns1%7Cx'),
    # bad pages: 4000056
    (map { lcase('alice', "?$_", 400, err('SVCSTG.SWR.4000056')) }
         'limit=abc', 'limit=-1', 'limit=1001', 'limit=1.5', 'limit=', 'limit=%201',
         'offset=x', 'offset=-1', 'offset=', 'limit=10&offset=1e3',
         'filter=limit::x', 'filter=offset::-2'),
    # bad values: 4000014; is_public: 4001009
    (map { lcase('alice', "?$_", 400, err('SVCSTG.SWR.4000014')) }
         'category=bad', 'category=Linux', 'category=', 'order_type=up',
         'order_type=asc', 'order_type=desc', 'order_column=size',
         'order_column=created_at', 'order_column=Name&order_type=asc',
         'order_column=name&order_type=ASC', 'filter=category::bad',
         'filter=order_type::desc'),
    (map { lcase('alice', "?$_", 400, err('SVCSTG.SWR.4001009')) }
         'is_public=yes', 'is_public=1', 'is_public=TRUE', 'is_public=',
         'filter=is_public::maybe'),
    lcase(undef, '?filter=center::self', 401, err('SVCSTG.S2I.4019000')),
    # other methods
    case([ 'alice', 'POST', '/v2/manage/repos', '{}' ], 404, err('SVCSTG.SWR.4040083')),
    case([ 'alice', 'DELETE', '/v2/manage/repos' ], 404, err('SVCSTG.SWR.4040083')),
);

# ---- TEST 7: ListSharedReposDetails -----------------------------------------

sub scase {
    my ($who, $query, $status, $like, $range) = @_;
    return case([ $who, 'GET', "/v2/manage/shared-repositories$query" ],
                $status, $like, $range);
}

our @SHARED = (
    # center=self: what the caller's account shares and he may read
    scase('alice', '?center=self', 200, rows(0, r('ns2/shared')), '0-1/1'),
    scase('bob', '?center=self', 200, rows(0, r('nsb/tool')), '0-1/1'),
    scase('carol', '?center=self', 200, exact('[]'), '0-0/0'),
    scase('o7', '?center=self', 200, exact('[]'), '0-0/0'),
    scase('none', '?center=self', 200, exact('[]'), '0-0/0'),
    scase('dave', '?center=self', 200, exact('[]'), '0-0/0'),
    # center=thirdparty: what other accounts share with his; status: still
    # valid
    scase('alice', '?center=thirdparty', 200, rows(1, r('nsb/tool')), '0-1/1'),
    scase('none', '?center=thirdparty', 200, rows(1, r('nsb/tool')), '0-1/1'),
    scase('r1', '?center=thirdparty', 200, rows(1, r('nsb/tool')), '0-1/1'),
    scase('bob', '?center=thirdparty', 200, rows(1, r('ns2/shared')), '0-1/1'),
    scase('carol', '?center=thirdparty', 200, rows(1, r('ns2/shared')), '0-1/1'),
    scase('dave', '?center=thirdparty', 200, rows(0, r('ns2/shared')), '0-1/1'),
    scase(undef, '?center=thirdparty', 401, err('SVCSTG.S2I.4019000')),
    # the other parameters
    scase('carol', '?center=thirdparty&namespace=ns2&name=sha', 200, rows(1, r('ns2/shared')), '0-1/1'),
    scase('carol', '?center=thirdparty&namespace=ns1', 200, exact('[]'), '0-0/0'),
    scase('carol', '?center=thirdparty&name=tool', 200, exact('[]'), '0-0/0'),
    scase('dave', '?center=thirdparty&domain_name=acme', 200, rows(0, r('ns2/shared')), '0-1/1'),
    scase('dave', '?center=thirdparty&domain_name=bravo', 200, exact('[]'), '0-0/0'),
    scase('dave', '?center=thirdparty&status=false', 200, rows(0, r('ns2/shared')), '0-1/1'),
    scase('dave', '?center=thirdparty&status=true', 200, exact('[]'), '0-0/0'),
    scase('carol', '?center=thirdparty&status=true', 200, rows(1, r('ns2/shared')), '0-1/1'),
    scase('carol', '?center=thirdparty&limit=1&offset=0', 200, rows(1, r('ns2/shared')), '0-1/1'),
    scase('carol', '?center=thirdparty&limit=1&offset=1', 200, exact('[]'), '1-0/1'),
    scase('carol', '?center=thirdparty&order_column=domain_name&order_type=desc', 200, rows(1, r('ns2/shared')), '0-1/1'),
    # filter (center inside it)
    scase('bob', '?filter=center::self', 200, rows(0, r('nsb/tool')), '0-1/1'),
    scase('bob', '?filter=center%3A%3Athirdparty%7Cnamespace%3A%3Ans2', 200, rows(1, r('ns2/shared')), '0-1/1'),
    scase('bob', '?center=self&filter=center::thirdparty', 200, rows(1, r('ns2/shared')), '0-1/1'),
    scase('bob', '?filter=center::thirdparty|name::team$app', 200, exact('[]'), '0-0/0'),
    # center is mandatory, self or thirdparty
    scase('alice', '', 400, err('SVCSTG.SWR.4001014')),
    scase('alice', '?namespace=ns2', 400, err('SVCSTG.SWR.4001014')),
    scase('alice', '?center=self&filter=namespace::ns2', 400, err('SVCSTG.SWR.4001014')),
    scase('alice', '?center=other', 400, err('SVCSTG.SWR.4000014')),
    scase('alice', '?center=SELF', 400, err('SVCSTG.SWR.4000014')),
    scase('alice', '?center=', 400, err('SVCSTG.SWR.4000014')),
    scase('alice', '?filter=center::all', 400, err('SVCSTG.SWR.4000014')),
    # the rest as ListReposDetails
    scase('alice', '?filter=center::self|category::linux', 400, err('SVCSTG.SWR.4001035')),
    scase('alice', '?filter=center::self|is_public::true', 400, err('SVCSTG.SWR.4001035')),
    scase('alice', '?filter=center::self|center::self', 400, err('SVCSTG.SWR.4001035')),
    scase('alice', '?filter=center:self', 400, err('SVCSTG.SWR.4001035')),
    scase('alice', '?center=self&limit=x', 400, err('SVCSTG.SWR.4000056')),
    scase('alice', '?center=self&offset=-1', 400, err('SVCSTG.SWR.4000056')),
    scase('alice', '?center=self&limit=1001', 400, err('SVCSTG.SWR.4000056')),
    scase('alice', '?center=self&order_column=size', 400, err('SVCSTG.SWR.4000014')),
    scase('alice', '?center=self&order_type=asc', 400, err('SVCSTG.SWR.4000014')),
    scase('alice', '?center=self&status=maybe', 400, err('SVCSTG.SWR.4000014')),
    case([ 'alice', 'POST', '/v2/manage/shared-repositories?center=self', '{}' ], 404, err('SVCSTG.SWR.4040083')),
);

# ---- TEST 8: a repository the registry made ---------------------------------

our @PUSHED = (
    push_cases('o3', 'ns1/fresh', '1.0'),
    case([ 'o1', 'GET', "$CREATE/fresh" ], 200,
         show('ns1/fresh', id => 101, tags => [ '1.0' ], @PUSHED_BY_O3)),
    case([ 'alice', 'GET', "$CREATE/fresh" ], 200,
         show('ns1/fresh', id => 101, tags => [ '1.0' ], @PUSHED_BY_O3)),
    case([ 'alice', 'GET', '/v2/manage/repos?namespace=ns1&order_column=name' ], 200,
         rows(0, r('ns1/app'), r('ns1/fresh', id => 101, tags => [ '1.0' ], @PUSHED_BY_O3),
              r('ns1/pushed', id => 102), r('ns1/team/app')), '0-4/4'),
    case([ 'alice', 'GET', "$CREATE/pushed" ], 200, show('ns1/pushed', id => 102)),
    case([ 'none', 'GET', "$CREATE/fresh" ], 404, err('SVCSTG.SWR.4040058')),
    case([ 'alice', 'POST', $CREATE, '{"repository":"fresh","is_public":false}' ], 409, err('SVCSTG.SWR.4090006')),
    case([ 'o3', 'PATCH', "$CREATE/fresh", '{"is_public":true,"category":"linux"}' ], 201, $EMPTY),
    case([ 'none', 'GET', "$CREATE/fresh" ], 200,
         show('ns1/fresh', id => 101, tags => [ '1.0' ], @PUSHED_BY_O3, public => 1, category => 'linux')),
    case([ 'none', 'GET', '/v2/manage/repos' ], 200,
         rows(0, r('ns1/fresh', id => 101, tags => [ '1.0' ], @PUSHED_BY_O3, public => 1, category => 'linux'),
              r('nsb/tool'), r('ns3/pub')), '0-3/3'),
    case([ 'o3', 'DELETE', "$CREATE/fresh" ], 403, err('SVCSTG.SWR.4030170')),
    case([ 'o7', 'DELETE', "$CREATE/fresh" ], 204, $EMPTY),
    rcase([ 'o3', 'GET /v2/ns1/fresh/tags/list' ], 404, name_unknown('ns1/fresh')),
    case([ 'none', 'GET', "$CREATE/fresh" ], 404, err('SVCSTG.SWR.4040058')),
    # pushed again: a new one
    push_cases('o3', 'ns1/fresh', '2.0'),
    case([ 'o3', 'GET', "$CREATE/fresh" ], 200,
         show('ns1/fresh', id => 103, tags => [ '2.0' ], @PUSHED_BY_O3)),
);

# ---- TEST 9: swr_auth off: no identity --------------------------------------

our @NO_AUTH = (
    case([ 'alice', 'POST', $CREATE, '{"repository":"abc","is_public":false}' ], 401, err('SVCSTG.S2I.4019000')),
    case([ 'alice', 'GET', $APP ], 401, err('SVCSTG.S2I.4019000')),
    case([ 'alice', 'PATCH', $APP, '{"is_public":true}' ], 401, err('SVCSTG.S2I.4019000')),
    case([ 'alice', 'DELETE', $APP ], 401, err('SVCSTG.S2I.4019000')),
    case([ 'alice', 'GET', '/v2/manage/repos' ], 401, err('SVCSTG.S2I.4019000')),
    case([ 'alice', 'GET', '/v2/manage/shared-repositories?center=self' ], 401, err('SVCSTG.S2I.4019000')),
);

# ---- TEST 12: the repository quota (swr_quota 10 7 300) ----------------------

# acct-a holds 6 repositories (the usage counters seeded: ns1 3, ns2 1,
# ns3 2), acct-b 1; DeleteRepo gives one back
our @QUOTA = (
    case([ 'alice', 'POST', $CREATE, '{"repository":"q1","is_public":false}' ], 200, $EMPTY),
    case([ 'alice', 'POST', $CREATE, '{"repository":"q2","is_public":false}' ], 400, err('SVCSTG.SWR.4000098')),
    case([ 'o7', 'POST', '/v2/manage/namespaces/ns3/repos', '{"repository":"q2","is_public":false}' ], 404, err('SVCSTG.SWR.4040058')),
    case([ 'alice', 'POST', '/v2/manage/namespaces/ns3/repos', '{"repository":"q2","is_public":false}' ], 400, err('SVCSTG.SWR.4000098')),
    # names taken and levels come first
    case([ 'alice', 'POST', $CREATE, '{"repository":"app","is_public":false}' ], 409, err('SVCSTG.SWR.4090006')),
    case([ 'o1', 'POST', $CREATE, '{"repository":"q2","is_public":false}' ], 403, err('SVCSTG.SWR.4030170')),
    # another account's
    case([ 'bob', 'POST', '/v2/manage/namespaces/nsb/repos', '{"repository":"b1","is_public":false}' ], 200, $EMPTY),
    case([ 'o7', 'DELETE', "$CREATE/q1" ], 204, $EMPTY),
    case([ 'o3', 'POST', $CREATE, '{"repository":"q2","is_public":false}' ], 200, $EMPTY),
    case([ 'o3', 'POST', $CREATE, '{"repository":"q3","is_public":false}' ], 400, err('SVCSTG.SWR.4000098')),
    case([ 'alice', 'GET', "$CREATE/q2" ], 200, show('ns1/q2', id => 103, creator => 'u-o3')),
    case([ 'alice', 'GET', "$CREATE/q3" ], 404, err('SVCSTG.SWR.4040113')),
);

# ---- TEST 10: names refused before the operation's script -------------------

# The module refuses names with characters no name has (and organization
# names over 64 bytes, repository names over 255) before it runs the
# operation's script, and does not run it then (once it did, and the
# script answered a second time: "[alert] ... header already sent").
our @C_NAMES = (
    case([ 'alice', 'POST', '/v2/manage/namespaces/NS1/repos', '{"repository":"app","is_public":false}' ], 400, err('SVCSTG.SWR.4001028')),
    case([ 'alice', 'POST', '/v2/manage/namespaces/' . ('n' x 65) . '/repos', '{"repository":"app","is_public":false}' ], 400, err('SVCSTG.SWR.4001028')),
    case([ 'alice', 'GET', '/v2/manage/namespaces/NS1/repos/app' ], 400, err('SVCSTG.SWR.4001028')),
    (map { case([ 'alice', 'GET', "$CREATE/$_" ], 400, err('SVCSTG.SWR.4001029')) }
         'App', 'a%20b', 'a:b', 'a+b', 'a' x 256, 'gr%C3%BCn'),
    case([ 'o3', 'PATCH', "$CREATE/App", '{"is_public":true}' ], 400, err('SVCSTG.SWR.4001029')),
    case([ 'o7', 'PATCH', '/v2/manage/namespaces/Ns1/repos/app', '{"is_public":true}' ], 400, err('SVCSTG.SWR.4001028')),
    case([ 'o7', 'DELETE', '/v2/manage/namespaces/Ns1/repos/app' ], 400, err('SVCSTG.SWR.4001028')),
    case([ 'o7', 'DELETE', "$CREATE/APP" ], 400, err('SVCSTG.SWR.4001029')),
    case([ undef, 'GET', "$CREATE/App" ], 401, err('SVCSTG.S2I.4019000')),
    # nothing changed
    case([ 'alice', 'GET', $APP ], 200, show('ns1/app')),
);

# ---- TEST 11: an organization where the caller reads only a repository

# A caller who may read a repository of an organization (a repository
# grant, a public repository, a share) but holds no level on the
# organization gets 404 4040058 for anything else in it: CreateRepo there,
# and the repositories he may not read (docs/authorization.md).
our @KNOWN = (
    # r1 r3 r7 read ns1/app
    (map { case([ $_, 'POST', $CREATE, '{"repository":"by-r","is_public":false}' ], 404, err('SVCSTG.SWR.4040058')) }
         qw(r1 r3 r7)),
    case([ 'r1', 'GET', "$CREATE/team\$app" ], 404, err('SVCSTG.SWR.4040058')),
    case([ 'r7', 'GET', "$CREATE/nothing" ], 404, err('SVCSTG.SWR.4040058')),
    case([ 'r7', 'DELETE', "$CREATE/pushed" ], 404, err('SVCSTG.SWR.4040058')),
    # everyone reads ns3/pub
    case([ 'none', 'POST', '/v2/manage/namespaces/ns3/repos', '{"repository":"x","is_public":false}' ], 404, err('SVCSTG.SWR.4040058')),
    case([ 'bob', 'GET', '/v2/manage/namespaces/ns3/repos/secret' ], 404, err('SVCSTG.SWR.4040058')),
    # carol reads ns2/shared, alice nsb/tool
    case([ 'carol', 'POST', '/v2/manage/namespaces/ns2/repos', '{"repository":"x","is_public":false}' ], 404, err('SVCSTG.SWR.4040058')),
    case([ 'alice', 'GET', '/v2/manage/namespaces/nsb/repos/nothing' ], 404, err('SVCSTG.SWR.4040058')),
);

# ---- the SDK as a client -------------------------------------------------------

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
            $body =~ s{"127\.0\.0\.1:\d+/}{"HOST/}g;
            # times the module took from the clock (not seeded ones)
            $body =~ s{"(?!2023-11-14T)\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"}
                      {"<now>"}g;

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

# per request: status, Content-Range, body, [error], [alert]; the SDK's
# report: status, body, [error], [alert]
plan tests => repeat_each() * (5 * (@CREATE_WHO + @CREATE_BODY_CASES + @SHOW
                                    + @UPDATE + @DELETE + @LIST + @SHARED
                                    + @PUSHED + @NO_AUTH + @QUOTA + @C_NAMES
                                    + @KNOWN)
                               + 4);

no_long_string();
no_shuffle();
run_tests();

__DATA__

=== TEST 1: CreateRepo: 200 for the account's administrator and organization grants of 3 and 7 (the creator, the time, arms stored as arm); 403 with 1; 404 4040058 for callers who read nothing in the organization and for unknown ones; 409 4090006 for names taken (also by the registry); 401 without credentials; other methods 404
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
[map { $_->[0][0] } @main::CREATE_WHO]
--- more_headers eval
[map { $_->[0][1] } @main::CREATE_WHO]
--- error_code eval
[map { $_->[1] } @main::CREATE_WHO]
--- response_headers eval
[map { main::range_of($_->[3]) } @main::CREATE_WHO]
--- response_body_like eval
[map { $_->[2] } @main::CREATE_WHO]
--- no_error_log
[error]
[alert]



=== TEST 2: CreateRepo bodies: not JSON, not an object, wrong types, a field twice, bad UTF-8 (4001018); is_public not a boolean (4001009); missing fields (4001014); other fields, categories outside the list (4000014); descriptions over 1024 bytes (413 4131012); bodies over 64 KiB (413 4131001); names outside swr-api.md 1.6 (4001029) and inside it (200)
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
[map { $_->[0][0] } @main::CREATE_BODY_CASES]
--- more_headers eval
[map { $_->[0][1] } @main::CREATE_BODY_CASES]
--- error_code eval
[map { $_->[1] } @main::CREATE_BODY_CASES]
--- response_headers eval
[map { main::range_of($_->[3]) } @main::CREATE_BODY_CASES]
--- response_body_like eval
[map { $_->[2] } @main::CREATE_BODY_CASES]
--- no_error_log
[error]
[alert]



=== TEST 3: ShowRepository: every level reads (organization and repository grants, shares until their deadline, public); 404 4040058 for callers who read nothing in the organization, 4040113 for absent repositories; '$' for '/'; an id for a repository the registry made; 400 4001029 for names no repository has
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
[map { $_->[0][0] } @main::SHOW]
--- more_headers eval
[map { $_->[0][1] } @main::SHOW]
--- error_code eval
[map { $_->[1] } @main::SHOW]
--- response_headers eval
[map { main::range_of($_->[3]) } @main::SHOW]
--- response_body_like eval
[map { $_->[2] } @main::SHOW]
--- no_error_log
[error]
[alert]



=== TEST 4: UpdateRepo: 201 with 3 from either grant (is_public mandatory, category and description kept when absent); 403 with 1, for public and shared repositories; 404 for callers who read nothing; the name, then the body before anything else (4001018, 4001009, 4001014, 4000014, 413)
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
[map { $_->[0][0] } @main::UPDATE]
--- more_headers eval
[map { $_->[0][1] } @main::UPDATE]
--- error_code eval
[map { $_->[1] } @main::UPDATE]
--- response_headers eval
[map { main::range_of($_->[3]) } @main::UPDATE]
--- response_body_like eval
[map { $_->[2] } @main::UPDATE]
--- no_error_log
[error]
[alert]



=== TEST 5: DeleteRepo: 7 needed (403 with 1 or 3, public or shared; 404 for callers who read nothing); the registry's tags, manifests and blob links, the grants, the shares and the catalog entry go; made again it starts empty
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
        swr_registry;
        swr_auth on;
    }
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
--- response_headers eval
[map { main::range_of($_->[3]) } @main::DELETE]
--- response_body_like eval
[map { $_->[2] } @main::DELETE]
--- no_error_log
[error]
[alert]



=== TEST 6: ListReposDetails: what each caller may read; namespace and name (parts, '$' for '/'), category (arms is arm), is_public, tag; orders; pages and Content-Range offset-count/total; filter (wins); 4001035, 4000056, 4000014, 4001009
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
--- response_headers eval
[map { main::range_of($_->[3]) } @main::LIST]
--- response_body_like eval
[map { $_->[2] } @main::LIST]
--- no_error_log
[error]
[alert]



=== TEST 7: ListSharedReposDetails: center=self (what the account shares, that the caller reads) and thirdparty (what is shared with it; status false once expired); the other parameters, filter; center mandatory (4001014), self or thirdparty (4000014)
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
[map { $_->[0][0] } @main::SHARED]
--- more_headers eval
[map { $_->[0][1] } @main::SHARED]
--- error_code eval
[map { $_->[1] } @main::SHARED]
--- response_headers eval
[map { main::range_of($_->[3]) } @main::SHARED]
--- response_body_like eval
[map { $_->[2] } @main::SHARED]
--- no_error_log
[error]
[alert]



=== TEST 8: a repository pushed through the registry: shown and listed (category other, private, its pusher, the pushed size, an id on first sight), taken for CreateRepo, updated, deleted with its registry data, pushed again as a new one
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
        swr_registry;
        swr_auth on;
    }
    location /v2/manage/ {
        swr_manage_api;
        swr_auth on;
    }
--- request eval
[map { $_->[0][0] } @main::PUSHED]
--- more_headers eval
[map { $_->[0][1] } @main::PUSHED]
--- error_code eval
[map { $_->[1] } @main::PUSHED]
--- response_headers eval
[map { main::range_of($_->[3]) } @main::PUSHED]
--- response_body_like eval
[map { $_->[2] } @main::PUSHED]
--- no_error_log
[error]
[alert]



=== TEST 9: swr_auth off: no identity, every repository operation is 401 SVCSTG.S2I.4019000
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
--- response_headers eval
[map { main::range_of($_->[3]) } @main::NO_AUTH]
--- response_body_like eval
[map { $_->[2] } @main::NO_AUTH]
--- no_error_log
[error]
[alert]



=== TEST 10: names with characters no name has, organization names over 64 bytes, repository names over 255: 400 4001028 / 4001029 before the operation, which does not run (one answer, nothing changes)
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
[map { $_->[0][0] } @main::C_NAMES]
--- more_headers eval
[map { $_->[0][1] } @main::C_NAMES]
--- error_code eval
[map { $_->[1] } @main::C_NAMES]
--- response_headers eval
[map { main::range_of($_->[3]) } @main::C_NAMES]
--- response_body_like eval
[map { $_->[2] } @main::C_NAMES]
--- no_error_log
[error]
[alert]



=== TEST 11: a caller who reads only a repository of an organization (a repository grant, a public or shared repository) gets 404 4040058 for anything else in it, CreateRepo included
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
[map { $_->[0][0] } @main::KNOWN]
--- more_headers eval
[map { $_->[0][1] } @main::KNOWN]
--- error_code eval
[map { $_->[1] } @main::KNOWN]
--- response_headers eval
[map { main::range_of($_->[3]) } @main::KNOWN]
--- response_body_like eval
[map { $_->[2] } @main::KNOWN]
--- no_error_log
[error]
[alert]



=== TEST 12: the repository quota: CreateRepo past swr_quota's repositories per account is 400 4000098 (after the name and level checks); DeleteRepo gives one back
--- init
main::seed();
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_secret_key_file $TEST_NGINX_SWR_KEYS/secret.hex;
    swr_quota 10 7 300;
--- config
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
--- response_headers eval
[map { main::range_of($_->[3]) } @main::QUOTA]
--- response_body_like eval
[map { $_->[2] } @main::QUOTA]
--- no_error_log
[error]
[alert]



=== TEST 13: Huawei's SWR SDK for Node: each repository operation, what it parsed of each answer and of each error
--- init
main::seed();
main::sdk_report('sdk',
    ['alice', 'alice', 'CreateRepo', '{"namespace":"ns1","body":{"repository":"sdk/app","is_public":false,"category":"arms","description":"by the SDK"}}'],
    ['again', 'alice', 'CreateRepo', '{"namespace":"ns1","body":{"repository":"sdk/app","is_public":false}}'],
    ['bad name', 'alice', 'CreateRepo', '{"namespace":"ns1","body":{"repository":"Sdk","is_public":false}}'],
    ['no is_public', 'alice', 'CreateRepo', '{"namespace":"ns1","body":{"repository":"sdk2"}}'],
    ['o1', 'o1', 'CreateRepo', '{"namespace":"ns1","body":{"repository":"sdk2","is_public":false}}'],
    ['nsx', 'alice', 'CreateRepo', '{"namespace":"nsx","body":{"repository":"sdk2","is_public":false}}'],
    ['now', 'alice', 'ShowRepository', '{"namespace":"ns1","repository":"sdk$app"}'],
    ['r1', 'r1', 'ShowRepository', '{"namespace":"ns1","repository":"app"}'],
    ['bob', 'bob', 'ShowRepository', '{"namespace":"ns1","repository":"app"}'],
    ['nothing', 'alice', 'ShowRepository', '{"namespace":"ns1","repository":"nothing"}'],
    ['o3', 'o3', 'UpdateRepo', '{"namespace":"ns1","repository":"sdk$app","body":{"is_public":true,"category":"linux","description":"changed"}}'],
    ['o1', 'o1', 'UpdateRepo', '{"namespace":"ns1","repository":"sdk$app","body":{"is_public":false}}'],
    ['bad is_public', 'o3', 'UpdateRepo', '{"namespace":"ns1","repository":"sdk$app","body":{"is_public":"no"}}'],
    ['now', 'none', 'ShowRepository', '{"namespace":"ns1","repository":"sdk$app"}'],
    ['carol', 'carol', 'ListReposDetails', ''],
    ['page', 'alice', 'ListReposDetails', '{"namespace":"ns","order_column":"name","order_type":"asc","limit":"2","offset":"1"}'],
    ['filter', 'alice', 'ListReposDetails', '{"filter":"name::team$app|category::arms"}'],
    ['bad limit', 'alice', 'ListReposDetails', '{"limit":"1001"}'],
    ['thirdparty', 'carol', 'ListSharedReposDetails', '{"center":"thirdparty"}'],
    ['self', 'alice', 'ListSharedReposDetails', '{"center":"self","limit":"1","offset":"0"}'],
    ['filter', 'dave', 'ListSharedReposDetails', '{"center":"self","filter":"center::thirdparty|status::false"}'],
    ['bad center', 'alice', 'ListSharedReposDetails', '{"center":"both"}'],
    ['o3', 'o3', 'DeleteRepo', '{"namespace":"ns1","repository":"sdk$app"}'],
    ['o7', 'o7', 'DeleteRepo', '{"namespace":"ns1","repository":"sdk$app"}'],
    ['gone', 'o7', 'DeleteRepo', '{"namespace":"ns1","repository":"sdk$app"}'],
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
CreateRepo alice -> 200 {}
CreateRepo again -> 409 SVCSTG.SWR.4090006 Image already exists
CreateRepo bad name -> 400 SVCSTG.SWR.4001029 Invalid image name
CreateRepo no is_public -> 400 SVCSTG.SWR.4001014 A mandatory parameter is missing
CreateRepo o1 -> 403 SVCSTG.SWR.4030170 Insufficient permissions
CreateRepo nsx -> 404 SVCSTG.SWR.4040058 Organization not found
ShowRepository now -> 200 {"category":"arm","created":"<now>","creator_id":"u-alice","creator_name":"alice","description":"by the SDK","domain_id":"acct-a","id":101,"internal_path":"HOST/ns1/sdk/app","is_public":false,"name":"sdk/app","ns_id":11,"num_download":0,"num_images":0,"path":"HOST/ns1/sdk/app","priority":0,"size":0,"updated":"<now>","url":""}
ShowRepository r1 -> 200 {"category":"linux","created":"2023-11-14T22:13:20Z","creator_id":"u-alice","creator_name":"alice","description":"the \"app\"","domain_id":"acct-a","id":1,"internal_path":"HOST/ns1/app","is_public":false,"name":"app","ns_id":11,"num_download":7,"num_images":2,"path":"HOST/ns1/app","priority":0,"size":1234,"updated":"2023-11-14T22:18:20Z","url":""}
ShowRepository bob -> 404 SVCSTG.SWR.4040058 Organization not found
ShowRepository nothing -> 404 SVCSTG.SWR.4040113 Image not found
UpdateRepo o3 -> 201 {}
UpdateRepo o1 -> 403 SVCSTG.SWR.4030170 Insufficient permissions
UpdateRepo bad is_public -> 400 SVCSTG.SWR.4001009 Invalid is_public
ShowRepository now -> 200 {"category":"linux","created":"<now>","creator_id":"u-alice","creator_name":"alice","description":"changed","domain_id":"acct-a","id":101,"internal_path":"HOST/ns1/sdk/app","is_public":true,"name":"sdk/app","ns_id":11,"num_download":0,"num_images":0,"path":"HOST/ns1/sdk/app","priority":0,"size":0,"updated":"<now>","url":""}
ListReposDetails carol -> 200 {"0":{"category":"linux","created_at":"<now>","description":"changed","domain_name":"acme","internal_path":"HOST/ns1/sdk/app","is_public":true,"logo":"","name":"sdk/app","namespace":"ns1","num_download":0,"num_images":0,"path":"HOST/ns1/sdk/app","size":0,"status":false,"tags":[],"total_range":3,"updated_at":"<now>","url":""},"1":{"category":"lang","created_at":"2023-11-14T22:13:20Z","description":"shared","domain_name":"acme","internal_path":"HOST/ns2/shared","is_public":false,"logo":"","name":"shared","namespace":"ns2","num_download":2,"num_images":0,"path":"HOST/ns2/shared","size":10,"status":false,"tags":[],"total_range":3,"updated_at":"2023-11-14T22:20:00Z","url":""},"2":{"category":"database","created_at":"2023-11-14T22:13:20Z","description":"public","domain_name":"acme","internal_path":"HOST/ns3/pub","is_public":true,"logo":"","name":"pub","namespace":"ns3","num_download":9,"num_images":1,"path":"HOST/ns3/pub","size":20,"status":false,"tags":["1.0"],"total_range":3,"updated_at":"2023-11-14T22:16:40Z","url":""},"Content-Range":"0-3/3"}
ListReposDetails page -> 200 {"0":{"category":"database","created_at":"2023-11-14T22:13:20Z","description":"public","domain_name":"acme","internal_path":"HOST/ns3/pub","is_public":true,"logo":"","name":"pub","namespace":"ns3","num_download":9,"num_images":1,"path":"HOST/ns3/pub","size":20,"status":false,"tags":["1.0"],"total_range":8,"updated_at":"2023-11-14T22:16:40Z","url":""},"1":{"category":"other","created_at":"<now>","description":"","domain_name":"acme","internal_path":"HOST/ns1/pushed","is_public":false,"logo":"","name":"pushed","namespace":"ns1","num_download":0,"num_images":1,"path":"HOST/ns1/pushed","size":0,"status":false,"tags":["latest"],"total_range":8,"updated_at":"<now>","url":""},"Content-Range":"1-2/8"}
ListReposDetails filter -> 200 {"0":{"category":"arm","created_at":"2023-11-14T22:13:20Z","description":"","domain_name":"acme","internal_path":"HOST/ns1/team/app","is_public":false,"logo":"","name":"team/app","namespace":"ns1","num_download":0,"num_images":0,"path":"HOST/ns1/team/app","size":0,"status":false,"tags":[],"total_range":1,"updated_at":"2023-11-14T22:15:00Z","url":""},"Content-Range":"0-1/1"}
ListReposDetails bad limit -> 400 SVCSTG.SWR.4000056 Invalid page size
ListSharedReposDetails thirdparty -> 200 {"0":{"category":"lang","created_at":"2023-11-14T22:13:20Z","description":"shared","domain_name":"acme","internal_path":"HOST/ns2/shared","is_public":false,"logo":"","name":"shared","namespace":"ns2","num_download":2,"num_images":0,"path":"HOST/ns2/shared","size":10,"status":true,"tags":[],"total_range":1,"updated_at":"2023-11-14T22:20:00Z","url":""},"Content-Range":"0-1/1"}
ListSharedReposDetails self -> 200 {"0":{"category":"lang","created_at":"2023-11-14T22:13:20Z","description":"shared","domain_name":"acme","internal_path":"HOST/ns2/shared","is_public":false,"logo":"","name":"shared","namespace":"ns2","num_download":2,"num_images":0,"path":"HOST/ns2/shared","size":10,"status":false,"tags":[],"total_range":1,"updated_at":"2023-11-14T22:20:00Z","url":""},"Content-Range":"0-1/1"}
ListSharedReposDetails filter -> 200 {"0":{"category":"lang","created_at":"2023-11-14T22:13:20Z","description":"shared","domain_name":"acme","internal_path":"HOST/ns2/shared","is_public":false,"logo":"","name":"shared","namespace":"ns2","num_download":2,"num_images":0,"path":"HOST/ns2/shared","size":10,"status":false,"tags":[],"total_range":1,"updated_at":"2023-11-14T22:20:00Z","url":""},"Content-Range":"0-1/1"}
ListSharedReposDetails bad center -> 400 SVCSTG.SWR.4000014 Invalid API parameters
DeleteRepo o3 -> 403 SVCSTG.SWR.4030170 Insufficient permissions
DeleteRepo o7 -> 204 {}
DeleteRepo gone -> 404 SVCSTG.SWR.4040113 Image not found
--- no_error_log
[error]
[alert]
