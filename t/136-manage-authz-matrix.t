# vim:set ft= ts=4 sw=4 et fdm=marker:
# The authorization matrix of the management API (/v2/manage/), the half
# t/120 (the registry's matrix) leaves: every management operation that
# takes an organization or a repository, tried by each of 14 principals
# on a private and on a public repository of one organization (or on the
# organization itself), the status each gets compared with the one the
# documented rules give (docs/authorization.md, swr-api.md 1.8):
#
#   organizations (TEST 1): ShowNamespace, DeleteNamespaces, CreateRepo,
#       ShowNamespaceAuth, Create/Update/DeleteNamespaceAuth
#   repositories and tags (TEST 2): ShowRepository, UpdateRepo,
#       DeleteRepo, ListRepositoryTags, CreateRepoTag, DeleteRepoTag
#   repository permissions (TEST 3): Show/Create/Update/Delete
#       UserRepositoryAuth
#   sharing (TEST 4): ListRepoDomains, ShowAccessDomain,
#       Create/Update/DeleteRepoDomains
#   lists (TEST 5): whether the organization (ListNamespaces, without and
#       with mode::visible) or the repository (ListReposDetails,
#       ListSharedReposDetails center=thirdparty and center=self) is
#       listed for each principal
#
# The rules (the sub `expected` below; levels 1 read, 3 write, 7 manage):
# a caller's level on the organization is 7 for an administrator of the
# account owning it, else his grant on it; on a repository the highest of
# that, his grant on the repository, 1 if it is public, 1 if it is shared
# with his account and the deadline is ahead.  No credentials: 401
# SVCSTG.S2I.4019000 for everything.  An operation on the organization
# (ns_need in prelude.lua) without a level on it: 404 SVCSTG.SWR.4040058
# (a repository one reads in it does not show it: t/131 TEST 11); below
# the level it needs: 403 SVCSTG.SWR.4030170.  An operation on a
# repository (repo_need) one cannot read: 404 SVCSTG.SWR.4040058 (the
# organization is unknown to him too); readable but below the level: 403
# SVCSTG.SWR.4030170.  Repository grants are changed with 3 on the
# organization or 7 on the repository (and 1 to see it).  Needs:
# ShowNamespace, ShowNamespaceAuth 1 on the organization; CreateRepo 3 on
# it; DeleteNamespaces, Create/Update/DeleteNamespaceAuth 7 on it;
# ShowRepository, ListRepositoryTags, ShowUserRepositoryAuth,
# ListRepoDomains, ShowAccessDomain 1; UpdateRepo, CreateRepoTag 3;
# DeleteRepo, DeleteRepoTag, Create/Update/DeleteRepoDomains 7.  Lists
# show what one may read (1); mode::visible adds the organizations where
# one holds a repository grant (not a public or shared repository);
# center=thirdparty lists what is shared with one's account (status
# false once the deadline passed), center=self what one's account
# shares, that one may read.
#
# Each block's --- init runs its operations (operation by operation,
# principal by principal, private then public) and writes one line a
# case, "<principal> <operation> <target> -> <status>[ <error code>]"
# (plus the level shown, "auth=N", where the answer says it, and for the
# lists "listed"/"not listed"), to html/<block>.txt; the block compares
# that file whole with the report written out in it.  The file ends with
# "rules: agree" when every line is the one the rules give, else with a
# "rules say: <line>" for each line that is not: so the literal report,
# what the module answers and the rules all agree when a block passes.
# A line also says "(Redis changed)" when a refusal or a read changed
# anything in Redis, and "(Redis unchanged)" when an accepted change did
# not change it.
#
# Every case starts from the same Redis (written afresh, FLUSHALL first,
# whenever the case before changed anything), so a principal's delete
# does not spoil the next one's case:
#
#   account acct1 "acme" owns organizations t136 (id 11: t136/priv,
#     private, and t136/pub, public, each with tag v1) and t136e (id 12,
#     empty); nogrant, ns1 ns3 ns7 (grants 1, 3, 7 on both
#     organizations), repo1 repo3 repo7 (grants 1, 3, 7 on both
#     repositories), admin (the account's administrator) are its users,
#     and target (no grant) and grantee (grant 1 on t136, t136/priv and
#     t136/pub), whom the permission operations change
#   account acct9 "xeno": xadmin (administrator), xuser; nothing shared
#   account acct2 "bravo": shared (a user), sadmin (administrator); both
#     repositories shared with it for ever
#   account acct4 "delta": share_gone; both repositories shared with it
#     until 1970 (expired)
#   account acct-p "partner": both repositories shared with it for ever
#     (the share Show/Update/DeleteRepoDomains work on)
#   account acct-t "tango": nothing (CreateRepoDomains shares with it)
#   anon: no credentials
#
# Requests authenticate with X-Auth-Token (tok-<principal>).

use Test::Nginx::Socket;
use SwrTest;
use SwrAuth;

use IO::Socket::INET ();
use JSON::PP ();
use POSIX ();

$ENV{TEST_NGINX_REDIS_PORT} ||= 6379;

SwrAuth::key_dir();

repeat_each(1);

# per block: status, body, [error], [alert]
plan tests => repeat_each() * 5 * 4;

no_long_string();
no_shuffle();


# ---- the principals and the rules --------------------------------------------

our @PRINCIPALS = (
    [ anon       => undef ],
    [ nogrant    => { account => 'acct1' } ],
    [ ns1        => { account => 'acct1', ns => 1 } ],
    [ ns3        => { account => 'acct1', ns => 3 } ],
    [ ns7        => { account => 'acct1', ns => 7 } ],
    [ repo1      => { account => 'acct1', repo => 1 } ],
    [ repo3      => { account => 'acct1', repo => 3 } ],
    [ repo7      => { account => 'acct1', repo => 7 } ],
    [ admin      => { account => 'acct1', admin => 1 } ],
    [ xadmin     => { account => 'acct9', admin => 1 } ],
    [ xuser      => { account => 'acct9' } ],
    [ shared     => { account => 'acct2' } ],
    [ sadmin     => { account => 'acct2', admin => 1 } ],
    [ share_gone => { account => 'acct4' } ],
);

our %P = map { @$_ } @PRINCIPALS;

our %ACCOUNT = (acct1 => 'acme', acct9 => 'xeno', acct2 => 'bravo',
                acct4 => 'delta', 'acct-p' => 'partner',
                'acct-t' => 'tango');

# the accounts both repositories are shared with: deadline (0: for ever)
our %SHARE = (acct2 => 0, acct4 => 1000, 'acct-p' => 0);

our $OWNER = 'acct1';

sub share_valid {
    my ($account) = @_;
    my $d = $SHARE{$account};
    return defined $d && ($d == 0 || $d > time);
}

# the level on the organizations (t136 and t136e alike)
sub ns_level {
    my ($p) = @_;
    my $d = $P{$p};
    return 7 if $d->{admin} && $d->{account} eq $OWNER;
    return $d->{ns} // 0;
}

# the level on t136/priv ('private') or t136/pub ('public')
sub repo_level {
    my ($p, $t) = @_;
    my $d = $P{$p};
    my $l = ns_level($p);
    $l = $d->{repo} if ($d->{repo} // 0) > $l;
    $l = 1 if $l < 1 && $t eq 'public';
    $l = 1 if $l < 1 && share_valid($d->{account});
    return $l;
}

our $NO_ID = '401 SVCSTG.S2I.4019000';
our $UNKNOWN = '404 SVCSTG.SWR.4040058';
our $DENIED = '403 SVCSTG.SWR.4030170';

# The operations: name => [what the level is taken on, level needed,
# targets, mutating].  'ns': the organization (ns_need), 'repo': the
# repository (repo_need), 'grants': the repository's grants (1 to see it,
# then 3 on the organization or 7 on it), 'list': see list_expected.
our %OP = (
    ShowNamespace            => [ 'ns', 1, ['org'] ],
    DeleteNamespaces         => [ 'ns', 7, ['org', 'empty'], 1 ],
    CreateRepo               => [ 'ns', 3, ['private', 'public'], 1 ],
    ShowNamespaceAuth        => [ 'ns', 1, ['org'] ],
    CreateNamespaceAuth      => [ 'ns', 7, ['org'], 1 ],
    UpdateNamespaceAuth      => [ 'ns', 7, ['org'], 1 ],
    DeleteNamespaceAuth      => [ 'ns', 7, ['org'], 1 ],

    ShowRepository           => [ 'repo', 1, ['private', 'public'] ],
    UpdateRepo               => [ 'repo', 3, ['private', 'public'], 1 ],
    DeleteRepo               => [ 'repo', 7, ['private', 'public'], 1 ],
    ListRepositoryTags       => [ 'repo', 1, ['private', 'public'] ],
    CreateRepoTag            => [ 'repo', 3, ['private', 'public'], 1 ],
    DeleteRepoTag            => [ 'repo', 7, ['private', 'public'], 1 ],

    ShowUserRepositoryAuth   => [ 'repo', 1, ['private', 'public'] ],
    CreateUserRepositoryAuth => [ 'grants', 0, ['private', 'public'], 1 ],
    UpdateUserRepositoryAuth => [ 'grants', 0, ['private', 'public'], 1 ],
    DeleteUserRepositoryAuth => [ 'grants', 0, ['private', 'public'], 1 ],

    ListRepoDomains          => [ 'repo', 1, ['private', 'public'] ],
    ShowAccessDomain         => [ 'repo', 1, ['private', 'public'] ],
    CreateRepoDomains        => [ 'repo', 7, ['private', 'public'], 1 ],
    UpdateRepoDomains        => [ 'repo', 7, ['private', 'public'], 1 ],
    DeleteRepoDomains        => [ 'repo', 7, ['private', 'public'], 1 ],

    'ListNamespaces'                    => [ 'list', 0, ['org', 'empty'] ],
    'ListNamespaces:visible'            => [ 'list', 0, ['org', 'empty'] ],
    'ListReposDetails'                  => [ 'list', 0, ['private', 'public'] ],
    'ListSharedReposDetails:thirdparty' => [ 'list', 0, ['private', 'public'] ],
    'ListSharedReposDetails:self'       => [ 'list', 0, ['private', 'public'] ],
);

# what an allowed operation answers
sub allowed {
    my ($op, $p, $t) = @_;
    my %ok = (
        ShowNamespace => '200 auth=' . ns_level($p),
        DeleteNamespaces => $t eq 'org' ? '406 SVCSTG.SWR.4060074' : '204',
        CreateRepo => '200',
        ShowNamespaceAuth => '200 auth=' . ns_level($p),
        CreateNamespaceAuth => '200',
        UpdateNamespaceAuth => '201',
        DeleteNamespaceAuth => '204',
        ShowRepository => '200',
        UpdateRepo => '201',
        DeleteRepo => '204',
        ListRepositoryTags => '200',
        CreateRepoTag => '201',
        DeleteRepoTag => '204',
        ShowUserRepositoryAuth => '200 auth=' . repo_level($p, $t),
        CreateUserRepositoryAuth => '201',
        UpdateUserRepositoryAuth => '201',
        DeleteUserRepositoryAuth => '204',
        ListRepoDomains => '200',
        ShowAccessDomain => '200',
        CreateRepoDomains => '201',
        UpdateRepoDomains => '201',
        DeleteRepoDomains => '204',
    );
    return $ok{$op} // die "no answer for $op\n";
}

sub list_expected {
    my ($op, $p, $t) = @_;
    my $d = $P{$p};
    my $nl = ns_level($p);

    if ($op eq 'ListNamespaces') {
        return $nl >= 1 ? "200 listed auth=$nl" : '200 not listed';
    }

    if ($op eq 'ListNamespaces:visible') {
        return "200 listed auth=$nl" if $nl >= 1;
        return '200 listed auth=1' if $t eq 'org' && ($d->{repo} // 0) >= 1;
        return '200 not listed';
    }

    if ($op eq 'ListReposDetails') {
        return repo_level($p, $t) >= 1 ? '200 listed' : '200 not listed';
    }

    if ($op eq 'ListSharedReposDetails:thirdparty') {
        return '200 not listed'
            if $d->{account} eq $OWNER || !defined $SHARE{$d->{account}};
        return '200 listed status='
               . (share_valid($d->{account}) ? 'true' : 'false');
    }

    if ($op eq 'ListSharedReposDetails:self') {
        return $d->{account} eq $OWNER && repo_level($p, $t) >= 1
               ? '200 listed status=false' : '200 not listed';
    }

    die "no list $op\n";
}

# the line the rules give
sub expected {
    my ($op, $p, $t) = @_;
    my ($kind, $need) = @{ $OP{$op} };

    return $NO_ID unless $P{$p};

    return list_expected($op, $p, $t) if $kind eq 'list';

    my $nl = ns_level($p);

    if ($kind eq 'ns') {
        return $UNKNOWN if $nl < 1;
        return $DENIED if $nl < $need;
        return allowed($op, $p, $t);
    }

    my $rl = repo_level($p, $t);

    return $UNKNOWN if $rl < 1;

    if ($kind eq 'grants') {
        return $DENIED if $nl < 3 && $rl < 7;
        return allowed($op, $p, $t);
    }

    return $DENIED if $rl < $need;
    return allowed($op, $p, $t);
}


# ---- Redis -----------------------------------------------------------------

# commands sent on one connection, the replies in order
sub redis_batch {
    my @cmds = @_;

    my $sock = IO::Socket::INET->new(PeerAddr => '127.0.0.1',
                                     PeerPort => $ENV{TEST_NGINX_REDIS_PORT},
                                     Proto => 'tcp', Timeout => 5)
        or die "cannot connect to redis: $!\n";

    my $req = '';
    for my $c (@cmds) {
        $req .= '*' . scalar(@$c) . "\r\n";
        $req .= '$' . length($_) . "\r\n$_\r\n" for @$c;
    }

    print $sock $req;
    my @out = map { SwrTest::read_reply($sock) } @cmds;
    close $sock;

    return \@out;
}

our $CREATED = 1700000000;

our $MANIFEST = SwrTest::manifest('t136 config', ['t136 layer']);
our $DIGEST = SwrTest::sha256($MANIFEST);

our @SEED;

sub seed_commands {
    my @c = (['FLUSHALL']);

    for my $a (sort keys %ACCOUNT) {
        push @c, ['HSET', "swr:account:{$a}", 'name', $ACCOUNT{$a},
                  'created', $CREATED],
                 ['HSET', 'swr:accounts', $ACCOUNT{$a}, $a];
    }

    my @users = ((map { [ $_->[0], $_->[1]{account}, $_->[1]{admin} ] }
                  grep { $_->[1] } @PRINCIPALS),
                 [ 'target', $OWNER, 0 ], [ 'grantee', $OWNER, 0 ]);

    for (@users) {
        my ($name, $account, $admin) = @$_;
        push @c, ['HSET', "swr:user:{u-$name}", 'account', $account,
                  'name', $name, 'admin', $admin ? '1' : '0',
                  'disabled', '0'],
                 ['HSET', "swr:account:{$account}:users", $name, "u-$name"],
                 ['HSET', "swr:token:{tok-$name}", 'user', "u-$name",
                  'expires', '0'];
    }

    for ([ 't136', 11 ], [ 't136e', 12 ]) {
        my ($ns, $id) = @$_;
        push @c, ['HSET', "swr:ns:{$ns}", 'account', $OWNER,
                  'creator', 'u-admin', 'created', $CREATED, 'id', $id],
                 ['ZADD', 'swr:namespaces', 0, $ns],
                 ['SADD', "swr:account:{$OWNER}:namespaces", $ns];

        for my $p (map { $_->[0] } grep { $_->[1] && $_->[1]{ns} }
                   @PRINCIPALS)
        {
            push @c, ['HSET', "swr:ns:{$ns}:grants", "u-$p", $P{$p}{ns}];
        }
    }

    push @c, ['HSET', 'swr:ns:{t136}:grants', 'u-grantee', 1],
             ['HSET', 'swr:ns:{t136}:usage', 'repos', 2, 'images', 2];

    for ([ 'priv', 0, 1 ], [ 'pub', 1, 2 ]) {
        my ($r, $public, $id) = @$_;
        my $k = "swr:{r:t136/$r}";

        push @c, ['HSET', "$k:meta", 'id', $id, 'public', $public,
                  'category', 'other', 'description', '',
                  'created', $CREATED, 'updated', $CREATED,
                  'creator', 'u-admin', 'downloads', 0, 'size', 0],
                 ['ZADD', 'swr:repos', 0, "t136/$r"],
                 ['HSET', "$k:tags", 'v1', $DIGEST],
                 ['ZADD', "$k:taglist", 0, 'v1'],
                 ['HSET', "$k:manifests", $DIGEST,
                  length($MANIFEST) . ' ' . SwrTest::MT_OCI_MANIFEST],
                 ['HSET', "$k:bodies", $DIGEST, $MANIFEST],
                 ['HSET', "$k:tagmeta", 'v1', "1 $CREATED $CREATED"],
                 ['HSET', "$k:meta", 'tagseq', 1],
                 ['HSET', "$k:grants", 'u-grantee', 1];

        for my $p (map { $_->[0] } grep { $_->[1] && $_->[1]{repo} }
                   @PRINCIPALS)
        {
            push @c, ['HSET', "$k:grants", "u-$p", $P{$p}{repo}];
        }

        for my $a (sort keys %SHARE) {
            my $deadline = $SHARE{$a} ? POSIX::strftime('%Y-%m-%dT%H:%M:%SZ',
                                                       gmtime $SHARE{$a})
                                      : 'forever';
            push @c, ['HSET', "$k:shares", $a, $SHARE{$a}],
                     ['HSET', "$k:sharedoc", $a, SwrAuth::json({
                         permit => 'read', deadline => $deadline,
                         description => '', creator_id => 'u-admin',
                         creator_name => 'admin', created => $CREATED,
                         updated => $CREATED })];
        }
    }

    push @c, ['SET', 'swr:repo:seq', 100], ['SET', 'swr:ns:seq', 100];

    return @c;
}

sub seed {
    @SEED = seed_commands() unless @SEED;
    redis_batch(@SEED);
}

# everything Redis holds, to tell whether a request changed it
sub fingerprint {
    my @keys = sort @{ redis_batch(['KEYS', '*'])->[0] };
    my $dumps = redis_batch(map { ['DUMP', $_] } @keys);
    return join "\n", map { "$keys[$_] " . unpack('H*', $dumps->[$_] // '') }
                      0 .. $#keys;
}


# ---- running the cases -----------------------------------------------------

sub request_of {
    my ($op, $t) = @_;

    my $ns = $t eq 'empty' ? 't136e' : 't136';
    my $r = $t eq 'public' ? 'pub' : 'priv';
    my $pub = $t eq 'public' ? 'true' : 'false';
    my $N = "/v2/manage/namespaces/$ns";
    my $R = "/v2/manage/namespaces/t136/repos/$r";
    my $D = "/v2/manage/namespaces/t136/repositories/$r/access-domains";
    my $grant = sub { qq{[{"user_id":"u-$_[0]","user_name":"$_[0]","auth":$_[1]}]} };

    my %req = (
        ShowNamespace => [ 'GET', $N ],
        DeleteNamespaces => [ 'DELETE', $N ],
        CreateRepo => [ 'POST', "$N/repos",
                        qq{{"repository":"made","is_public":$pub}} ],
        ShowNamespaceAuth => [ 'GET', "$N/access" ],
        CreateNamespaceAuth => [ 'POST', "$N/access", $grant->('target', 1) ],
        UpdateNamespaceAuth => [ 'PATCH', "$N/access", $grant->('grantee', 3) ],
        DeleteNamespaceAuth => [ 'DELETE', "$N/access", '["u-grantee"]' ],

        ShowRepository => [ 'GET', $R ],
        UpdateRepo => [ 'PATCH', $R, qq{{"is_public":$pub}} ],
        DeleteRepo => [ 'DELETE', $R ],
        ListRepositoryTags => [ 'GET', "$R/tags" ],
        CreateRepoTag => [ 'POST', "$R/tags",
                           '{"source_tag":"v1","destination_tag":"v2"}' ],
        DeleteRepoTag => [ 'DELETE', "$R/tags/v1" ],

        ShowUserRepositoryAuth => [ 'GET', "$R/access" ],
        CreateUserRepositoryAuth => [ 'POST', "$R/access",
                                      $grant->('target', 1) ],
        UpdateUserRepositoryAuth => [ 'PATCH', "$R/access",
                                      $grant->('grantee', 3) ],
        DeleteUserRepositoryAuth => [ 'DELETE', "$R/access",
                                      '["u-grantee"]' ],

        ListRepoDomains => [ 'GET', $D ],
        ShowAccessDomain => [ 'GET', "$D/partner" ],
        CreateRepoDomains => [ 'POST', $D, '{"access_domain":"tango",'
                               . '"permit":"read","deadline":"forever"}' ],
        UpdateRepoDomains => [ 'PATCH', "$D/partner",
                               '{"permit":"read","deadline":"forever"}' ],
        DeleteRepoDomains => [ 'DELETE', "$D/partner" ],

        'ListNamespaces' => [ 'GET', '/v2/manage/namespaces' ],
        'ListNamespaces:visible' =>
            [ 'GET', '/v2/manage/namespaces?filter=mode%3A%3Avisible' ],
        'ListReposDetails' => [ 'GET', '/v2/manage/repos' ],
        'ListSharedReposDetails:thirdparty' =>
            [ 'GET', '/v2/manage/shared-repositories?center=thirdparty' ],
        'ListSharedReposDetails:self' =>
            [ 'GET', '/v2/manage/shared-repositories?center=self' ],
    );

    return @{ $req{$op} or die "no request for $op\n" };
}

# the error body of swr-api.md 1.5.1 (old and new layout), its code
our $ERR = qr/^\{"errors":\[\{"errorCode":"([^"]+)","errorMessage":"[^"]+","detail":"[^"]*"\}\],"error_code":"\1","error_msg":"[^"]+","details":\[\{"error_code":"\1","error_msg":"[^"]*"\}\]\}$/;

# what the answer says, in the words of `expected`
sub outcome {
    my ($op, $t, $res) = @_;
    my $s = $res->{status};

    if ($s !~ /^2/) {
        my ($code) = $res->{body} =~ $ERR;
        return defined $code ? "$s $code" : "$s (body: $res->{body})";
    }

    my $kind = $OP{$op}[0];

    return $s unless $kind eq 'list'
                     || $op =~ /^Show(Namespace|NamespaceAuth|UserRepositoryAuth)$/;

    my $j = eval { JSON::PP::decode_json($res->{body}) };
    return "$s (not JSON: $res->{body})" unless ref $j;

    return "$s auth=" . ($j->{auth} // '(none)') if $op eq 'ShowNamespace';
    return "$s auth=" . ($j->{self_auth}{auth} // '(none)')
        if $op =~ /Auth$/;

    if ($op =~ /^ListNamespaces/) {
        my $ns = $t eq 'empty' ? 't136e' : 't136';
        my ($row) = grep { $_->{name} eq $ns } @{ $j->{namespaces} || [] };
        return $row ? "$s listed auth=$row->{auth}" : "$s not listed";
    }

    my $r = $t eq 'public' ? 'pub' : 'priv';
    my @rows = grep { ref $_ eq 'HASH' && $_->{namespace} eq 't136'
                      && $_->{name} eq $r } (ref $j eq 'ARRAY' ? @$j : ());

    return "$s not listed" unless @rows;
    return "$s listed " . scalar(@rows) . ' times' if @rows > 1;
    return "$s listed" if $op eq 'ListReposDetails';
    return "$s listed status="
           . ($rows[0]{status} ? 'true' : 'false');
}

sub run_case {
    my ($op, $p, $t) = @_;
    my ($method, $path, $body) = request_of($op, $t);

    return SwrTest::http($method, $path,
        headers => [ 'Content-Type: application/json',
                     $P{$p} ? ("X-Auth-Token: tok-$p") : () ],
        defined $body ? (body => $body) : ());
}

# Runs @ops (every principal, every target of each) and writes
# html/$name.txt: the lines, then "rules: agree" or the lines the rules
# give instead.
sub matrix_report {
    my ($name, @ops) = @_;
    my (@got, @want);

    my $ok = eval {
        seed();
        my $clean = fingerprint();

        for my $op (@ops) {
            for my $p (map { $_->[0] } @PRINCIPALS) {
                for my $t (@{ $OP{$op}[2] }) {
                    my $res = run_case($op, $p, $t);
                    my $line = "$p $op $t -> " . outcome($op, $t, $res);

                    my $changed = fingerprint() ne $clean;
                    my $change = $OP{$op}[3] && $res->{status} =~ /^2/;
                    $line .= ' (Redis changed)' if $changed && !$change;
                    $line .= ' (Redis unchanged)' if !$changed && $change;

                    push @got, $line;
                    push @want, "$p $op $t -> " . expected($op, $p, $t);

                    seed() if $changed;
                }
            }
        }
        1;
    };

    my $out = join '', map { "$_\n" } @got;
    $out .= "died: $@" unless $ok;

    my @differ = grep { ($got[$_] // '') ne $want[$_] } 0 .. $#want;
    $out .= @differ ? join('', map { "rules say: $want[$_]\n" } @differ)
                    : "rules: agree\n";

    SwrAuth::report($name, $out);
    return 1;
}

run_tests();

__DATA__

=== TEST 1: organizations: ShowNamespace, DeleteNamespaces (406 once allowed on the organization that holds images, 204 on the empty one), CreateRepo, Show/Create/Update/DeleteNamespaceAuth
--- init
main::matrix_report('org', qw(ShowNamespace DeleteNamespaces CreateRepo
    ShowNamespaceAuth CreateNamespaceAuth UpdateNamespaceAuth
    DeleteNamespaceAuth));
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_secret_key_file $TEST_NGINX_SWR_KEYS/secret.hex;
    swr_auth_cache 0;
    swr_quota 100 1000 1000;
--- config
    location /v2/manage/ {
        swr_manage_api;
        swr_auth on;
    }
--- request
GET /org.txt
--- response_body
anon ShowNamespace org -> 401 SVCSTG.S2I.4019000
nogrant ShowNamespace org -> 404 SVCSTG.SWR.4040058
ns1 ShowNamespace org -> 200 auth=1
ns3 ShowNamespace org -> 200 auth=3
ns7 ShowNamespace org -> 200 auth=7
repo1 ShowNamespace org -> 404 SVCSTG.SWR.4040058
repo3 ShowNamespace org -> 404 SVCSTG.SWR.4040058
repo7 ShowNamespace org -> 404 SVCSTG.SWR.4040058
admin ShowNamespace org -> 200 auth=7
xadmin ShowNamespace org -> 404 SVCSTG.SWR.4040058
xuser ShowNamespace org -> 404 SVCSTG.SWR.4040058
shared ShowNamespace org -> 404 SVCSTG.SWR.4040058
sadmin ShowNamespace org -> 404 SVCSTG.SWR.4040058
share_gone ShowNamespace org -> 404 SVCSTG.SWR.4040058
anon DeleteNamespaces org -> 401 SVCSTG.S2I.4019000
anon DeleteNamespaces empty -> 401 SVCSTG.S2I.4019000
nogrant DeleteNamespaces org -> 404 SVCSTG.SWR.4040058
nogrant DeleteNamespaces empty -> 404 SVCSTG.SWR.4040058
ns1 DeleteNamespaces org -> 403 SVCSTG.SWR.4030170
ns1 DeleteNamespaces empty -> 403 SVCSTG.SWR.4030170
ns3 DeleteNamespaces org -> 403 SVCSTG.SWR.4030170
ns3 DeleteNamespaces empty -> 403 SVCSTG.SWR.4030170
ns7 DeleteNamespaces org -> 406 SVCSTG.SWR.4060074
ns7 DeleteNamespaces empty -> 204
repo1 DeleteNamespaces org -> 404 SVCSTG.SWR.4040058
repo1 DeleteNamespaces empty -> 404 SVCSTG.SWR.4040058
repo3 DeleteNamespaces org -> 404 SVCSTG.SWR.4040058
repo3 DeleteNamespaces empty -> 404 SVCSTG.SWR.4040058
repo7 DeleteNamespaces org -> 404 SVCSTG.SWR.4040058
repo7 DeleteNamespaces empty -> 404 SVCSTG.SWR.4040058
admin DeleteNamespaces org -> 406 SVCSTG.SWR.4060074
admin DeleteNamespaces empty -> 204
xadmin DeleteNamespaces org -> 404 SVCSTG.SWR.4040058
xadmin DeleteNamespaces empty -> 404 SVCSTG.SWR.4040058
xuser DeleteNamespaces org -> 404 SVCSTG.SWR.4040058
xuser DeleteNamespaces empty -> 404 SVCSTG.SWR.4040058
shared DeleteNamespaces org -> 404 SVCSTG.SWR.4040058
shared DeleteNamespaces empty -> 404 SVCSTG.SWR.4040058
sadmin DeleteNamespaces org -> 404 SVCSTG.SWR.4040058
sadmin DeleteNamespaces empty -> 404 SVCSTG.SWR.4040058
share_gone DeleteNamespaces org -> 404 SVCSTG.SWR.4040058
share_gone DeleteNamespaces empty -> 404 SVCSTG.SWR.4040058
anon CreateRepo private -> 401 SVCSTG.S2I.4019000
anon CreateRepo public -> 401 SVCSTG.S2I.4019000
nogrant CreateRepo private -> 404 SVCSTG.SWR.4040058
nogrant CreateRepo public -> 404 SVCSTG.SWR.4040058
ns1 CreateRepo private -> 403 SVCSTG.SWR.4030170
ns1 CreateRepo public -> 403 SVCSTG.SWR.4030170
ns3 CreateRepo private -> 200
ns3 CreateRepo public -> 200
ns7 CreateRepo private -> 200
ns7 CreateRepo public -> 200
repo1 CreateRepo private -> 404 SVCSTG.SWR.4040058
repo1 CreateRepo public -> 404 SVCSTG.SWR.4040058
repo3 CreateRepo private -> 404 SVCSTG.SWR.4040058
repo3 CreateRepo public -> 404 SVCSTG.SWR.4040058
repo7 CreateRepo private -> 404 SVCSTG.SWR.4040058
repo7 CreateRepo public -> 404 SVCSTG.SWR.4040058
admin CreateRepo private -> 200
admin CreateRepo public -> 200
xadmin CreateRepo private -> 404 SVCSTG.SWR.4040058
xadmin CreateRepo public -> 404 SVCSTG.SWR.4040058
xuser CreateRepo private -> 404 SVCSTG.SWR.4040058
xuser CreateRepo public -> 404 SVCSTG.SWR.4040058
shared CreateRepo private -> 404 SVCSTG.SWR.4040058
shared CreateRepo public -> 404 SVCSTG.SWR.4040058
sadmin CreateRepo private -> 404 SVCSTG.SWR.4040058
sadmin CreateRepo public -> 404 SVCSTG.SWR.4040058
share_gone CreateRepo private -> 404 SVCSTG.SWR.4040058
share_gone CreateRepo public -> 404 SVCSTG.SWR.4040058
anon ShowNamespaceAuth org -> 401 SVCSTG.S2I.4019000
nogrant ShowNamespaceAuth org -> 404 SVCSTG.SWR.4040058
ns1 ShowNamespaceAuth org -> 200 auth=1
ns3 ShowNamespaceAuth org -> 200 auth=3
ns7 ShowNamespaceAuth org -> 200 auth=7
repo1 ShowNamespaceAuth org -> 404 SVCSTG.SWR.4040058
repo3 ShowNamespaceAuth org -> 404 SVCSTG.SWR.4040058
repo7 ShowNamespaceAuth org -> 404 SVCSTG.SWR.4040058
admin ShowNamespaceAuth org -> 200 auth=7
xadmin ShowNamespaceAuth org -> 404 SVCSTG.SWR.4040058
xuser ShowNamespaceAuth org -> 404 SVCSTG.SWR.4040058
shared ShowNamespaceAuth org -> 404 SVCSTG.SWR.4040058
sadmin ShowNamespaceAuth org -> 404 SVCSTG.SWR.4040058
share_gone ShowNamespaceAuth org -> 404 SVCSTG.SWR.4040058
anon CreateNamespaceAuth org -> 401 SVCSTG.S2I.4019000
nogrant CreateNamespaceAuth org -> 404 SVCSTG.SWR.4040058
ns1 CreateNamespaceAuth org -> 403 SVCSTG.SWR.4030170
ns3 CreateNamespaceAuth org -> 403 SVCSTG.SWR.4030170
ns7 CreateNamespaceAuth org -> 200
repo1 CreateNamespaceAuth org -> 404 SVCSTG.SWR.4040058
repo3 CreateNamespaceAuth org -> 404 SVCSTG.SWR.4040058
repo7 CreateNamespaceAuth org -> 404 SVCSTG.SWR.4040058
admin CreateNamespaceAuth org -> 200
xadmin CreateNamespaceAuth org -> 404 SVCSTG.SWR.4040058
xuser CreateNamespaceAuth org -> 404 SVCSTG.SWR.4040058
shared CreateNamespaceAuth org -> 404 SVCSTG.SWR.4040058
sadmin CreateNamespaceAuth org -> 404 SVCSTG.SWR.4040058
share_gone CreateNamespaceAuth org -> 404 SVCSTG.SWR.4040058
anon UpdateNamespaceAuth org -> 401 SVCSTG.S2I.4019000
nogrant UpdateNamespaceAuth org -> 404 SVCSTG.SWR.4040058
ns1 UpdateNamespaceAuth org -> 403 SVCSTG.SWR.4030170
ns3 UpdateNamespaceAuth org -> 403 SVCSTG.SWR.4030170
ns7 UpdateNamespaceAuth org -> 201
repo1 UpdateNamespaceAuth org -> 404 SVCSTG.SWR.4040058
repo3 UpdateNamespaceAuth org -> 404 SVCSTG.SWR.4040058
repo7 UpdateNamespaceAuth org -> 404 SVCSTG.SWR.4040058
admin UpdateNamespaceAuth org -> 201
xadmin UpdateNamespaceAuth org -> 404 SVCSTG.SWR.4040058
xuser UpdateNamespaceAuth org -> 404 SVCSTG.SWR.4040058
shared UpdateNamespaceAuth org -> 404 SVCSTG.SWR.4040058
sadmin UpdateNamespaceAuth org -> 404 SVCSTG.SWR.4040058
share_gone UpdateNamespaceAuth org -> 404 SVCSTG.SWR.4040058
anon DeleteNamespaceAuth org -> 401 SVCSTG.S2I.4019000
nogrant DeleteNamespaceAuth org -> 404 SVCSTG.SWR.4040058
ns1 DeleteNamespaceAuth org -> 403 SVCSTG.SWR.4030170
ns3 DeleteNamespaceAuth org -> 403 SVCSTG.SWR.4030170
ns7 DeleteNamespaceAuth org -> 204
repo1 DeleteNamespaceAuth org -> 404 SVCSTG.SWR.4040058
repo3 DeleteNamespaceAuth org -> 404 SVCSTG.SWR.4040058
repo7 DeleteNamespaceAuth org -> 404 SVCSTG.SWR.4040058
admin DeleteNamespaceAuth org -> 204
xadmin DeleteNamespaceAuth org -> 404 SVCSTG.SWR.4040058
xuser DeleteNamespaceAuth org -> 404 SVCSTG.SWR.4040058
shared DeleteNamespaceAuth org -> 404 SVCSTG.SWR.4040058
sadmin DeleteNamespaceAuth org -> 404 SVCSTG.SWR.4040058
share_gone DeleteNamespaceAuth org -> 404 SVCSTG.SWR.4040058
rules: agree
--- no_error_log
[error]
[alert]



=== TEST 2: repositories and tags: ShowRepository, UpdateRepo, DeleteRepo, ListRepositoryTags, CreateRepoTag, DeleteRepoTag
--- init
main::matrix_report('repo', qw(ShowRepository UpdateRepo DeleteRepo
    ListRepositoryTags CreateRepoTag DeleteRepoTag));
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_secret_key_file $TEST_NGINX_SWR_KEYS/secret.hex;
    swr_auth_cache 0;
    swr_quota 100 1000 1000;
--- config
    location /v2/manage/ {
        swr_manage_api;
        swr_auth on;
    }
--- request
GET /repo.txt
--- response_body
anon ShowRepository private -> 401 SVCSTG.S2I.4019000
anon ShowRepository public -> 401 SVCSTG.S2I.4019000
nogrant ShowRepository private -> 404 SVCSTG.SWR.4040058
nogrant ShowRepository public -> 200
ns1 ShowRepository private -> 200
ns1 ShowRepository public -> 200
ns3 ShowRepository private -> 200
ns3 ShowRepository public -> 200
ns7 ShowRepository private -> 200
ns7 ShowRepository public -> 200
repo1 ShowRepository private -> 200
repo1 ShowRepository public -> 200
repo3 ShowRepository private -> 200
repo3 ShowRepository public -> 200
repo7 ShowRepository private -> 200
repo7 ShowRepository public -> 200
admin ShowRepository private -> 200
admin ShowRepository public -> 200
xadmin ShowRepository private -> 404 SVCSTG.SWR.4040058
xadmin ShowRepository public -> 200
xuser ShowRepository private -> 404 SVCSTG.SWR.4040058
xuser ShowRepository public -> 200
shared ShowRepository private -> 200
shared ShowRepository public -> 200
sadmin ShowRepository private -> 200
sadmin ShowRepository public -> 200
share_gone ShowRepository private -> 404 SVCSTG.SWR.4040058
share_gone ShowRepository public -> 200
anon UpdateRepo private -> 401 SVCSTG.S2I.4019000
anon UpdateRepo public -> 401 SVCSTG.S2I.4019000
nogrant UpdateRepo private -> 404 SVCSTG.SWR.4040058
nogrant UpdateRepo public -> 403 SVCSTG.SWR.4030170
ns1 UpdateRepo private -> 403 SVCSTG.SWR.4030170
ns1 UpdateRepo public -> 403 SVCSTG.SWR.4030170
ns3 UpdateRepo private -> 201
ns3 UpdateRepo public -> 201
ns7 UpdateRepo private -> 201
ns7 UpdateRepo public -> 201
repo1 UpdateRepo private -> 403 SVCSTG.SWR.4030170
repo1 UpdateRepo public -> 403 SVCSTG.SWR.4030170
repo3 UpdateRepo private -> 201
repo3 UpdateRepo public -> 201
repo7 UpdateRepo private -> 201
repo7 UpdateRepo public -> 201
admin UpdateRepo private -> 201
admin UpdateRepo public -> 201
xadmin UpdateRepo private -> 404 SVCSTG.SWR.4040058
xadmin UpdateRepo public -> 403 SVCSTG.SWR.4030170
xuser UpdateRepo private -> 404 SVCSTG.SWR.4040058
xuser UpdateRepo public -> 403 SVCSTG.SWR.4030170
shared UpdateRepo private -> 403 SVCSTG.SWR.4030170
shared UpdateRepo public -> 403 SVCSTG.SWR.4030170
sadmin UpdateRepo private -> 403 SVCSTG.SWR.4030170
sadmin UpdateRepo public -> 403 SVCSTG.SWR.4030170
share_gone UpdateRepo private -> 404 SVCSTG.SWR.4040058
share_gone UpdateRepo public -> 403 SVCSTG.SWR.4030170
anon DeleteRepo private -> 401 SVCSTG.S2I.4019000
anon DeleteRepo public -> 401 SVCSTG.S2I.4019000
nogrant DeleteRepo private -> 404 SVCSTG.SWR.4040058
nogrant DeleteRepo public -> 403 SVCSTG.SWR.4030170
ns1 DeleteRepo private -> 403 SVCSTG.SWR.4030170
ns1 DeleteRepo public -> 403 SVCSTG.SWR.4030170
ns3 DeleteRepo private -> 403 SVCSTG.SWR.4030170
ns3 DeleteRepo public -> 403 SVCSTG.SWR.4030170
ns7 DeleteRepo private -> 204
ns7 DeleteRepo public -> 204
repo1 DeleteRepo private -> 403 SVCSTG.SWR.4030170
repo1 DeleteRepo public -> 403 SVCSTG.SWR.4030170
repo3 DeleteRepo private -> 403 SVCSTG.SWR.4030170
repo3 DeleteRepo public -> 403 SVCSTG.SWR.4030170
repo7 DeleteRepo private -> 204
repo7 DeleteRepo public -> 204
admin DeleteRepo private -> 204
admin DeleteRepo public -> 204
xadmin DeleteRepo private -> 404 SVCSTG.SWR.4040058
xadmin DeleteRepo public -> 403 SVCSTG.SWR.4030170
xuser DeleteRepo private -> 404 SVCSTG.SWR.4040058
xuser DeleteRepo public -> 403 SVCSTG.SWR.4030170
shared DeleteRepo private -> 403 SVCSTG.SWR.4030170
shared DeleteRepo public -> 403 SVCSTG.SWR.4030170
sadmin DeleteRepo private -> 403 SVCSTG.SWR.4030170
sadmin DeleteRepo public -> 403 SVCSTG.SWR.4030170
share_gone DeleteRepo private -> 404 SVCSTG.SWR.4040058
share_gone DeleteRepo public -> 403 SVCSTG.SWR.4030170
anon ListRepositoryTags private -> 401 SVCSTG.S2I.4019000
anon ListRepositoryTags public -> 401 SVCSTG.S2I.4019000
nogrant ListRepositoryTags private -> 404 SVCSTG.SWR.4040058
nogrant ListRepositoryTags public -> 200
ns1 ListRepositoryTags private -> 200
ns1 ListRepositoryTags public -> 200
ns3 ListRepositoryTags private -> 200
ns3 ListRepositoryTags public -> 200
ns7 ListRepositoryTags private -> 200
ns7 ListRepositoryTags public -> 200
repo1 ListRepositoryTags private -> 200
repo1 ListRepositoryTags public -> 200
repo3 ListRepositoryTags private -> 200
repo3 ListRepositoryTags public -> 200
repo7 ListRepositoryTags private -> 200
repo7 ListRepositoryTags public -> 200
admin ListRepositoryTags private -> 200
admin ListRepositoryTags public -> 200
xadmin ListRepositoryTags private -> 404 SVCSTG.SWR.4040058
xadmin ListRepositoryTags public -> 200
xuser ListRepositoryTags private -> 404 SVCSTG.SWR.4040058
xuser ListRepositoryTags public -> 200
shared ListRepositoryTags private -> 200
shared ListRepositoryTags public -> 200
sadmin ListRepositoryTags private -> 200
sadmin ListRepositoryTags public -> 200
share_gone ListRepositoryTags private -> 404 SVCSTG.SWR.4040058
share_gone ListRepositoryTags public -> 200
anon CreateRepoTag private -> 401 SVCSTG.S2I.4019000
anon CreateRepoTag public -> 401 SVCSTG.S2I.4019000
nogrant CreateRepoTag private -> 404 SVCSTG.SWR.4040058
nogrant CreateRepoTag public -> 403 SVCSTG.SWR.4030170
ns1 CreateRepoTag private -> 403 SVCSTG.SWR.4030170
ns1 CreateRepoTag public -> 403 SVCSTG.SWR.4030170
ns3 CreateRepoTag private -> 201
ns3 CreateRepoTag public -> 201
ns7 CreateRepoTag private -> 201
ns7 CreateRepoTag public -> 201
repo1 CreateRepoTag private -> 403 SVCSTG.SWR.4030170
repo1 CreateRepoTag public -> 403 SVCSTG.SWR.4030170
repo3 CreateRepoTag private -> 201
repo3 CreateRepoTag public -> 201
repo7 CreateRepoTag private -> 201
repo7 CreateRepoTag public -> 201
admin CreateRepoTag private -> 201
admin CreateRepoTag public -> 201
xadmin CreateRepoTag private -> 404 SVCSTG.SWR.4040058
xadmin CreateRepoTag public -> 403 SVCSTG.SWR.4030170
xuser CreateRepoTag private -> 404 SVCSTG.SWR.4040058
xuser CreateRepoTag public -> 403 SVCSTG.SWR.4030170
shared CreateRepoTag private -> 403 SVCSTG.SWR.4030170
shared CreateRepoTag public -> 403 SVCSTG.SWR.4030170
sadmin CreateRepoTag private -> 403 SVCSTG.SWR.4030170
sadmin CreateRepoTag public -> 403 SVCSTG.SWR.4030170
share_gone CreateRepoTag private -> 404 SVCSTG.SWR.4040058
share_gone CreateRepoTag public -> 403 SVCSTG.SWR.4030170
anon DeleteRepoTag private -> 401 SVCSTG.S2I.4019000
anon DeleteRepoTag public -> 401 SVCSTG.S2I.4019000
nogrant DeleteRepoTag private -> 404 SVCSTG.SWR.4040058
nogrant DeleteRepoTag public -> 403 SVCSTG.SWR.4030170
ns1 DeleteRepoTag private -> 403 SVCSTG.SWR.4030170
ns1 DeleteRepoTag public -> 403 SVCSTG.SWR.4030170
ns3 DeleteRepoTag private -> 403 SVCSTG.SWR.4030170
ns3 DeleteRepoTag public -> 403 SVCSTG.SWR.4030170
ns7 DeleteRepoTag private -> 204
ns7 DeleteRepoTag public -> 204
repo1 DeleteRepoTag private -> 403 SVCSTG.SWR.4030170
repo1 DeleteRepoTag public -> 403 SVCSTG.SWR.4030170
repo3 DeleteRepoTag private -> 403 SVCSTG.SWR.4030170
repo3 DeleteRepoTag public -> 403 SVCSTG.SWR.4030170
repo7 DeleteRepoTag private -> 204
repo7 DeleteRepoTag public -> 204
admin DeleteRepoTag private -> 204
admin DeleteRepoTag public -> 204
xadmin DeleteRepoTag private -> 404 SVCSTG.SWR.4040058
xadmin DeleteRepoTag public -> 403 SVCSTG.SWR.4030170
xuser DeleteRepoTag private -> 404 SVCSTG.SWR.4040058
xuser DeleteRepoTag public -> 403 SVCSTG.SWR.4030170
shared DeleteRepoTag private -> 403 SVCSTG.SWR.4030170
shared DeleteRepoTag public -> 403 SVCSTG.SWR.4030170
sadmin DeleteRepoTag private -> 403 SVCSTG.SWR.4030170
sadmin DeleteRepoTag public -> 403 SVCSTG.SWR.4030170
share_gone DeleteRepoTag private -> 404 SVCSTG.SWR.4040058
share_gone DeleteRepoTag public -> 403 SVCSTG.SWR.4030170
rules: agree
--- no_error_log
[error]
[alert]



=== TEST 3: repository permissions: ShowUserRepositoryAuth (1), Create/Update/DeleteUserRepositoryAuth (3 on the organization or 7 on the repository)
--- init
main::matrix_report('grants', qw(ShowUserRepositoryAuth
    CreateUserRepositoryAuth UpdateUserRepositoryAuth
    DeleteUserRepositoryAuth));
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_secret_key_file $TEST_NGINX_SWR_KEYS/secret.hex;
    swr_auth_cache 0;
    swr_quota 100 1000 1000;
--- config
    location /v2/manage/ {
        swr_manage_api;
        swr_auth on;
    }
--- request
GET /grants.txt
--- response_body
anon ShowUserRepositoryAuth private -> 401 SVCSTG.S2I.4019000
anon ShowUserRepositoryAuth public -> 401 SVCSTG.S2I.4019000
nogrant ShowUserRepositoryAuth private -> 404 SVCSTG.SWR.4040058
nogrant ShowUserRepositoryAuth public -> 200 auth=1
ns1 ShowUserRepositoryAuth private -> 200 auth=1
ns1 ShowUserRepositoryAuth public -> 200 auth=1
ns3 ShowUserRepositoryAuth private -> 200 auth=3
ns3 ShowUserRepositoryAuth public -> 200 auth=3
ns7 ShowUserRepositoryAuth private -> 200 auth=7
ns7 ShowUserRepositoryAuth public -> 200 auth=7
repo1 ShowUserRepositoryAuth private -> 200 auth=1
repo1 ShowUserRepositoryAuth public -> 200 auth=1
repo3 ShowUserRepositoryAuth private -> 200 auth=3
repo3 ShowUserRepositoryAuth public -> 200 auth=3
repo7 ShowUserRepositoryAuth private -> 200 auth=7
repo7 ShowUserRepositoryAuth public -> 200 auth=7
admin ShowUserRepositoryAuth private -> 200 auth=7
admin ShowUserRepositoryAuth public -> 200 auth=7
xadmin ShowUserRepositoryAuth private -> 404 SVCSTG.SWR.4040058
xadmin ShowUserRepositoryAuth public -> 200 auth=1
xuser ShowUserRepositoryAuth private -> 404 SVCSTG.SWR.4040058
xuser ShowUserRepositoryAuth public -> 200 auth=1
shared ShowUserRepositoryAuth private -> 200 auth=1
shared ShowUserRepositoryAuth public -> 200 auth=1
sadmin ShowUserRepositoryAuth private -> 200 auth=1
sadmin ShowUserRepositoryAuth public -> 200 auth=1
share_gone ShowUserRepositoryAuth private -> 404 SVCSTG.SWR.4040058
share_gone ShowUserRepositoryAuth public -> 200 auth=1
anon CreateUserRepositoryAuth private -> 401 SVCSTG.S2I.4019000
anon CreateUserRepositoryAuth public -> 401 SVCSTG.S2I.4019000
nogrant CreateUserRepositoryAuth private -> 404 SVCSTG.SWR.4040058
nogrant CreateUserRepositoryAuth public -> 403 SVCSTG.SWR.4030170
ns1 CreateUserRepositoryAuth private -> 403 SVCSTG.SWR.4030170
ns1 CreateUserRepositoryAuth public -> 403 SVCSTG.SWR.4030170
ns3 CreateUserRepositoryAuth private -> 201
ns3 CreateUserRepositoryAuth public -> 201
ns7 CreateUserRepositoryAuth private -> 201
ns7 CreateUserRepositoryAuth public -> 201
repo1 CreateUserRepositoryAuth private -> 403 SVCSTG.SWR.4030170
repo1 CreateUserRepositoryAuth public -> 403 SVCSTG.SWR.4030170
repo3 CreateUserRepositoryAuth private -> 403 SVCSTG.SWR.4030170
repo3 CreateUserRepositoryAuth public -> 403 SVCSTG.SWR.4030170
repo7 CreateUserRepositoryAuth private -> 201
repo7 CreateUserRepositoryAuth public -> 201
admin CreateUserRepositoryAuth private -> 201
admin CreateUserRepositoryAuth public -> 201
xadmin CreateUserRepositoryAuth private -> 404 SVCSTG.SWR.4040058
xadmin CreateUserRepositoryAuth public -> 403 SVCSTG.SWR.4030170
xuser CreateUserRepositoryAuth private -> 404 SVCSTG.SWR.4040058
xuser CreateUserRepositoryAuth public -> 403 SVCSTG.SWR.4030170
shared CreateUserRepositoryAuth private -> 403 SVCSTG.SWR.4030170
shared CreateUserRepositoryAuth public -> 403 SVCSTG.SWR.4030170
sadmin CreateUserRepositoryAuth private -> 403 SVCSTG.SWR.4030170
sadmin CreateUserRepositoryAuth public -> 403 SVCSTG.SWR.4030170
share_gone CreateUserRepositoryAuth private -> 404 SVCSTG.SWR.4040058
share_gone CreateUserRepositoryAuth public -> 403 SVCSTG.SWR.4030170
anon UpdateUserRepositoryAuth private -> 401 SVCSTG.S2I.4019000
anon UpdateUserRepositoryAuth public -> 401 SVCSTG.S2I.4019000
nogrant UpdateUserRepositoryAuth private -> 404 SVCSTG.SWR.4040058
nogrant UpdateUserRepositoryAuth public -> 403 SVCSTG.SWR.4030170
ns1 UpdateUserRepositoryAuth private -> 403 SVCSTG.SWR.4030170
ns1 UpdateUserRepositoryAuth public -> 403 SVCSTG.SWR.4030170
ns3 UpdateUserRepositoryAuth private -> 201
ns3 UpdateUserRepositoryAuth public -> 201
ns7 UpdateUserRepositoryAuth private -> 201
ns7 UpdateUserRepositoryAuth public -> 201
repo1 UpdateUserRepositoryAuth private -> 403 SVCSTG.SWR.4030170
repo1 UpdateUserRepositoryAuth public -> 403 SVCSTG.SWR.4030170
repo3 UpdateUserRepositoryAuth private -> 403 SVCSTG.SWR.4030170
repo3 UpdateUserRepositoryAuth public -> 403 SVCSTG.SWR.4030170
repo7 UpdateUserRepositoryAuth private -> 201
repo7 UpdateUserRepositoryAuth public -> 201
admin UpdateUserRepositoryAuth private -> 201
admin UpdateUserRepositoryAuth public -> 201
xadmin UpdateUserRepositoryAuth private -> 404 SVCSTG.SWR.4040058
xadmin UpdateUserRepositoryAuth public -> 403 SVCSTG.SWR.4030170
xuser UpdateUserRepositoryAuth private -> 404 SVCSTG.SWR.4040058
xuser UpdateUserRepositoryAuth public -> 403 SVCSTG.SWR.4030170
shared UpdateUserRepositoryAuth private -> 403 SVCSTG.SWR.4030170
shared UpdateUserRepositoryAuth public -> 403 SVCSTG.SWR.4030170
sadmin UpdateUserRepositoryAuth private -> 403 SVCSTG.SWR.4030170
sadmin UpdateUserRepositoryAuth public -> 403 SVCSTG.SWR.4030170
share_gone UpdateUserRepositoryAuth private -> 404 SVCSTG.SWR.4040058
share_gone UpdateUserRepositoryAuth public -> 403 SVCSTG.SWR.4030170
anon DeleteUserRepositoryAuth private -> 401 SVCSTG.S2I.4019000
anon DeleteUserRepositoryAuth public -> 401 SVCSTG.S2I.4019000
nogrant DeleteUserRepositoryAuth private -> 404 SVCSTG.SWR.4040058
nogrant DeleteUserRepositoryAuth public -> 403 SVCSTG.SWR.4030170
ns1 DeleteUserRepositoryAuth private -> 403 SVCSTG.SWR.4030170
ns1 DeleteUserRepositoryAuth public -> 403 SVCSTG.SWR.4030170
ns3 DeleteUserRepositoryAuth private -> 204
ns3 DeleteUserRepositoryAuth public -> 204
ns7 DeleteUserRepositoryAuth private -> 204
ns7 DeleteUserRepositoryAuth public -> 204
repo1 DeleteUserRepositoryAuth private -> 403 SVCSTG.SWR.4030170
repo1 DeleteUserRepositoryAuth public -> 403 SVCSTG.SWR.4030170
repo3 DeleteUserRepositoryAuth private -> 403 SVCSTG.SWR.4030170
repo3 DeleteUserRepositoryAuth public -> 403 SVCSTG.SWR.4030170
repo7 DeleteUserRepositoryAuth private -> 204
repo7 DeleteUserRepositoryAuth public -> 204
admin DeleteUserRepositoryAuth private -> 204
admin DeleteUserRepositoryAuth public -> 204
xadmin DeleteUserRepositoryAuth private -> 404 SVCSTG.SWR.4040058
xadmin DeleteUserRepositoryAuth public -> 403 SVCSTG.SWR.4030170
xuser DeleteUserRepositoryAuth private -> 404 SVCSTG.SWR.4040058
xuser DeleteUserRepositoryAuth public -> 403 SVCSTG.SWR.4030170
shared DeleteUserRepositoryAuth private -> 403 SVCSTG.SWR.4030170
shared DeleteUserRepositoryAuth public -> 403 SVCSTG.SWR.4030170
sadmin DeleteUserRepositoryAuth private -> 403 SVCSTG.SWR.4030170
sadmin DeleteUserRepositoryAuth public -> 403 SVCSTG.SWR.4030170
share_gone DeleteUserRepositoryAuth private -> 404 SVCSTG.SWR.4040058
share_gone DeleteUserRepositoryAuth public -> 403 SVCSTG.SWR.4030170
rules: agree
--- no_error_log
[error]
[alert]



=== TEST 4: sharing: ListRepoDomains, ShowAccessDomain (1), Create/Update/DeleteRepoDomains (7)
--- init
main::matrix_report('sharing', qw(ListRepoDomains ShowAccessDomain
    CreateRepoDomains UpdateRepoDomains DeleteRepoDomains));
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_secret_key_file $TEST_NGINX_SWR_KEYS/secret.hex;
    swr_auth_cache 0;
    swr_quota 100 1000 1000;
--- config
    location /v2/manage/ {
        swr_manage_api;
        swr_auth on;
    }
--- request
GET /sharing.txt
--- response_body
anon ListRepoDomains private -> 401 SVCSTG.S2I.4019000
anon ListRepoDomains public -> 401 SVCSTG.S2I.4019000
nogrant ListRepoDomains private -> 404 SVCSTG.SWR.4040058
nogrant ListRepoDomains public -> 200
ns1 ListRepoDomains private -> 200
ns1 ListRepoDomains public -> 200
ns3 ListRepoDomains private -> 200
ns3 ListRepoDomains public -> 200
ns7 ListRepoDomains private -> 200
ns7 ListRepoDomains public -> 200
repo1 ListRepoDomains private -> 200
repo1 ListRepoDomains public -> 200
repo3 ListRepoDomains private -> 200
repo3 ListRepoDomains public -> 200
repo7 ListRepoDomains private -> 200
repo7 ListRepoDomains public -> 200
admin ListRepoDomains private -> 200
admin ListRepoDomains public -> 200
xadmin ListRepoDomains private -> 404 SVCSTG.SWR.4040058
xadmin ListRepoDomains public -> 200
xuser ListRepoDomains private -> 404 SVCSTG.SWR.4040058
xuser ListRepoDomains public -> 200
shared ListRepoDomains private -> 200
shared ListRepoDomains public -> 200
sadmin ListRepoDomains private -> 200
sadmin ListRepoDomains public -> 200
share_gone ListRepoDomains private -> 404 SVCSTG.SWR.4040058
share_gone ListRepoDomains public -> 200
anon ShowAccessDomain private -> 401 SVCSTG.S2I.4019000
anon ShowAccessDomain public -> 401 SVCSTG.S2I.4019000
nogrant ShowAccessDomain private -> 404 SVCSTG.SWR.4040058
nogrant ShowAccessDomain public -> 200
ns1 ShowAccessDomain private -> 200
ns1 ShowAccessDomain public -> 200
ns3 ShowAccessDomain private -> 200
ns3 ShowAccessDomain public -> 200
ns7 ShowAccessDomain private -> 200
ns7 ShowAccessDomain public -> 200
repo1 ShowAccessDomain private -> 200
repo1 ShowAccessDomain public -> 200
repo3 ShowAccessDomain private -> 200
repo3 ShowAccessDomain public -> 200
repo7 ShowAccessDomain private -> 200
repo7 ShowAccessDomain public -> 200
admin ShowAccessDomain private -> 200
admin ShowAccessDomain public -> 200
xadmin ShowAccessDomain private -> 404 SVCSTG.SWR.4040058
xadmin ShowAccessDomain public -> 200
xuser ShowAccessDomain private -> 404 SVCSTG.SWR.4040058
xuser ShowAccessDomain public -> 200
shared ShowAccessDomain private -> 200
shared ShowAccessDomain public -> 200
sadmin ShowAccessDomain private -> 200
sadmin ShowAccessDomain public -> 200
share_gone ShowAccessDomain private -> 404 SVCSTG.SWR.4040058
share_gone ShowAccessDomain public -> 200
anon CreateRepoDomains private -> 401 SVCSTG.S2I.4019000
anon CreateRepoDomains public -> 401 SVCSTG.S2I.4019000
nogrant CreateRepoDomains private -> 404 SVCSTG.SWR.4040058
nogrant CreateRepoDomains public -> 403 SVCSTG.SWR.4030170
ns1 CreateRepoDomains private -> 403 SVCSTG.SWR.4030170
ns1 CreateRepoDomains public -> 403 SVCSTG.SWR.4030170
ns3 CreateRepoDomains private -> 403 SVCSTG.SWR.4030170
ns3 CreateRepoDomains public -> 403 SVCSTG.SWR.4030170
ns7 CreateRepoDomains private -> 201
ns7 CreateRepoDomains public -> 201
repo1 CreateRepoDomains private -> 403 SVCSTG.SWR.4030170
repo1 CreateRepoDomains public -> 403 SVCSTG.SWR.4030170
repo3 CreateRepoDomains private -> 403 SVCSTG.SWR.4030170
repo3 CreateRepoDomains public -> 403 SVCSTG.SWR.4030170
repo7 CreateRepoDomains private -> 201
repo7 CreateRepoDomains public -> 201
admin CreateRepoDomains private -> 201
admin CreateRepoDomains public -> 201
xadmin CreateRepoDomains private -> 404 SVCSTG.SWR.4040058
xadmin CreateRepoDomains public -> 403 SVCSTG.SWR.4030170
xuser CreateRepoDomains private -> 404 SVCSTG.SWR.4040058
xuser CreateRepoDomains public -> 403 SVCSTG.SWR.4030170
shared CreateRepoDomains private -> 403 SVCSTG.SWR.4030170
shared CreateRepoDomains public -> 403 SVCSTG.SWR.4030170
sadmin CreateRepoDomains private -> 403 SVCSTG.SWR.4030170
sadmin CreateRepoDomains public -> 403 SVCSTG.SWR.4030170
share_gone CreateRepoDomains private -> 404 SVCSTG.SWR.4040058
share_gone CreateRepoDomains public -> 403 SVCSTG.SWR.4030170
anon UpdateRepoDomains private -> 401 SVCSTG.S2I.4019000
anon UpdateRepoDomains public -> 401 SVCSTG.S2I.4019000
nogrant UpdateRepoDomains private -> 404 SVCSTG.SWR.4040058
nogrant UpdateRepoDomains public -> 403 SVCSTG.SWR.4030170
ns1 UpdateRepoDomains private -> 403 SVCSTG.SWR.4030170
ns1 UpdateRepoDomains public -> 403 SVCSTG.SWR.4030170
ns3 UpdateRepoDomains private -> 403 SVCSTG.SWR.4030170
ns3 UpdateRepoDomains public -> 403 SVCSTG.SWR.4030170
ns7 UpdateRepoDomains private -> 201
ns7 UpdateRepoDomains public -> 201
repo1 UpdateRepoDomains private -> 403 SVCSTG.SWR.4030170
repo1 UpdateRepoDomains public -> 403 SVCSTG.SWR.4030170
repo3 UpdateRepoDomains private -> 403 SVCSTG.SWR.4030170
repo3 UpdateRepoDomains public -> 403 SVCSTG.SWR.4030170
repo7 UpdateRepoDomains private -> 201
repo7 UpdateRepoDomains public -> 201
admin UpdateRepoDomains private -> 201
admin UpdateRepoDomains public -> 201
xadmin UpdateRepoDomains private -> 404 SVCSTG.SWR.4040058
xadmin UpdateRepoDomains public -> 403 SVCSTG.SWR.4030170
xuser UpdateRepoDomains private -> 404 SVCSTG.SWR.4040058
xuser UpdateRepoDomains public -> 403 SVCSTG.SWR.4030170
shared UpdateRepoDomains private -> 403 SVCSTG.SWR.4030170
shared UpdateRepoDomains public -> 403 SVCSTG.SWR.4030170
sadmin UpdateRepoDomains private -> 403 SVCSTG.SWR.4030170
sadmin UpdateRepoDomains public -> 403 SVCSTG.SWR.4030170
share_gone UpdateRepoDomains private -> 404 SVCSTG.SWR.4040058
share_gone UpdateRepoDomains public -> 403 SVCSTG.SWR.4030170
anon DeleteRepoDomains private -> 401 SVCSTG.S2I.4019000
anon DeleteRepoDomains public -> 401 SVCSTG.S2I.4019000
nogrant DeleteRepoDomains private -> 404 SVCSTG.SWR.4040058
nogrant DeleteRepoDomains public -> 403 SVCSTG.SWR.4030170
ns1 DeleteRepoDomains private -> 403 SVCSTG.SWR.4030170
ns1 DeleteRepoDomains public -> 403 SVCSTG.SWR.4030170
ns3 DeleteRepoDomains private -> 403 SVCSTG.SWR.4030170
ns3 DeleteRepoDomains public -> 403 SVCSTG.SWR.4030170
ns7 DeleteRepoDomains private -> 204
ns7 DeleteRepoDomains public -> 204
repo1 DeleteRepoDomains private -> 403 SVCSTG.SWR.4030170
repo1 DeleteRepoDomains public -> 403 SVCSTG.SWR.4030170
repo3 DeleteRepoDomains private -> 403 SVCSTG.SWR.4030170
repo3 DeleteRepoDomains public -> 403 SVCSTG.SWR.4030170
repo7 DeleteRepoDomains private -> 204
repo7 DeleteRepoDomains public -> 204
admin DeleteRepoDomains private -> 204
admin DeleteRepoDomains public -> 204
xadmin DeleteRepoDomains private -> 404 SVCSTG.SWR.4040058
xadmin DeleteRepoDomains public -> 403 SVCSTG.SWR.4030170
xuser DeleteRepoDomains private -> 404 SVCSTG.SWR.4040058
xuser DeleteRepoDomains public -> 403 SVCSTG.SWR.4030170
shared DeleteRepoDomains private -> 403 SVCSTG.SWR.4030170
shared DeleteRepoDomains public -> 403 SVCSTG.SWR.4030170
sadmin DeleteRepoDomains private -> 403 SVCSTG.SWR.4030170
sadmin DeleteRepoDomains public -> 403 SVCSTG.SWR.4030170
share_gone DeleteRepoDomains private -> 404 SVCSTG.SWR.4040058
share_gone DeleteRepoDomains public -> 403 SVCSTG.SWR.4030170
rules: agree
--- no_error_log
[error]
[alert]



=== TEST 5: lists: the organizations (ListNamespaces, mode::visible) and the repositories (ListReposDetails, ListSharedReposDetails thirdparty and self) each principal is shown
--- init
main::matrix_report('lists', 'ListNamespaces', 'ListNamespaces:visible',
    'ListReposDetails', 'ListSharedReposDetails:thirdparty',
    'ListSharedReposDetails:self');
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_secret_key_file $TEST_NGINX_SWR_KEYS/secret.hex;
    swr_auth_cache 0;
    swr_quota 100 1000 1000;
--- config
    location /v2/manage/ {
        swr_manage_api;
        swr_auth on;
    }
--- request
GET /lists.txt
--- response_body
anon ListNamespaces org -> 401 SVCSTG.S2I.4019000
anon ListNamespaces empty -> 401 SVCSTG.S2I.4019000
nogrant ListNamespaces org -> 200 not listed
nogrant ListNamespaces empty -> 200 not listed
ns1 ListNamespaces org -> 200 listed auth=1
ns1 ListNamespaces empty -> 200 listed auth=1
ns3 ListNamespaces org -> 200 listed auth=3
ns3 ListNamespaces empty -> 200 listed auth=3
ns7 ListNamespaces org -> 200 listed auth=7
ns7 ListNamespaces empty -> 200 listed auth=7
repo1 ListNamespaces org -> 200 not listed
repo1 ListNamespaces empty -> 200 not listed
repo3 ListNamespaces org -> 200 not listed
repo3 ListNamespaces empty -> 200 not listed
repo7 ListNamespaces org -> 200 not listed
repo7 ListNamespaces empty -> 200 not listed
admin ListNamespaces org -> 200 listed auth=7
admin ListNamespaces empty -> 200 listed auth=7
xadmin ListNamespaces org -> 200 not listed
xadmin ListNamespaces empty -> 200 not listed
xuser ListNamespaces org -> 200 not listed
xuser ListNamespaces empty -> 200 not listed
shared ListNamespaces org -> 200 not listed
shared ListNamespaces empty -> 200 not listed
sadmin ListNamespaces org -> 200 not listed
sadmin ListNamespaces empty -> 200 not listed
share_gone ListNamespaces org -> 200 not listed
share_gone ListNamespaces empty -> 200 not listed
anon ListNamespaces:visible org -> 401 SVCSTG.S2I.4019000
anon ListNamespaces:visible empty -> 401 SVCSTG.S2I.4019000
nogrant ListNamespaces:visible org -> 200 not listed
nogrant ListNamespaces:visible empty -> 200 not listed
ns1 ListNamespaces:visible org -> 200 listed auth=1
ns1 ListNamespaces:visible empty -> 200 listed auth=1
ns3 ListNamespaces:visible org -> 200 listed auth=3
ns3 ListNamespaces:visible empty -> 200 listed auth=3
ns7 ListNamespaces:visible org -> 200 listed auth=7
ns7 ListNamespaces:visible empty -> 200 listed auth=7
repo1 ListNamespaces:visible org -> 200 listed auth=1
repo1 ListNamespaces:visible empty -> 200 not listed
repo3 ListNamespaces:visible org -> 200 listed auth=1
repo3 ListNamespaces:visible empty -> 200 not listed
repo7 ListNamespaces:visible org -> 200 listed auth=1
repo7 ListNamespaces:visible empty -> 200 not listed
admin ListNamespaces:visible org -> 200 listed auth=7
admin ListNamespaces:visible empty -> 200 listed auth=7
xadmin ListNamespaces:visible org -> 200 not listed
xadmin ListNamespaces:visible empty -> 200 not listed
xuser ListNamespaces:visible org -> 200 not listed
xuser ListNamespaces:visible empty -> 200 not listed
shared ListNamespaces:visible org -> 200 not listed
shared ListNamespaces:visible empty -> 200 not listed
sadmin ListNamespaces:visible org -> 200 not listed
sadmin ListNamespaces:visible empty -> 200 not listed
share_gone ListNamespaces:visible org -> 200 not listed
share_gone ListNamespaces:visible empty -> 200 not listed
anon ListReposDetails private -> 401 SVCSTG.S2I.4019000
anon ListReposDetails public -> 401 SVCSTG.S2I.4019000
nogrant ListReposDetails private -> 200 not listed
nogrant ListReposDetails public -> 200 listed
ns1 ListReposDetails private -> 200 listed
ns1 ListReposDetails public -> 200 listed
ns3 ListReposDetails private -> 200 listed
ns3 ListReposDetails public -> 200 listed
ns7 ListReposDetails private -> 200 listed
ns7 ListReposDetails public -> 200 listed
repo1 ListReposDetails private -> 200 listed
repo1 ListReposDetails public -> 200 listed
repo3 ListReposDetails private -> 200 listed
repo3 ListReposDetails public -> 200 listed
repo7 ListReposDetails private -> 200 listed
repo7 ListReposDetails public -> 200 listed
admin ListReposDetails private -> 200 listed
admin ListReposDetails public -> 200 listed
xadmin ListReposDetails private -> 200 not listed
xadmin ListReposDetails public -> 200 listed
xuser ListReposDetails private -> 200 not listed
xuser ListReposDetails public -> 200 listed
shared ListReposDetails private -> 200 listed
shared ListReposDetails public -> 200 listed
sadmin ListReposDetails private -> 200 listed
sadmin ListReposDetails public -> 200 listed
share_gone ListReposDetails private -> 200 not listed
share_gone ListReposDetails public -> 200 listed
anon ListSharedReposDetails:thirdparty private -> 401 SVCSTG.S2I.4019000
anon ListSharedReposDetails:thirdparty public -> 401 SVCSTG.S2I.4019000
nogrant ListSharedReposDetails:thirdparty private -> 200 not listed
nogrant ListSharedReposDetails:thirdparty public -> 200 not listed
ns1 ListSharedReposDetails:thirdparty private -> 200 not listed
ns1 ListSharedReposDetails:thirdparty public -> 200 not listed
ns3 ListSharedReposDetails:thirdparty private -> 200 not listed
ns3 ListSharedReposDetails:thirdparty public -> 200 not listed
ns7 ListSharedReposDetails:thirdparty private -> 200 not listed
ns7 ListSharedReposDetails:thirdparty public -> 200 not listed
repo1 ListSharedReposDetails:thirdparty private -> 200 not listed
repo1 ListSharedReposDetails:thirdparty public -> 200 not listed
repo3 ListSharedReposDetails:thirdparty private -> 200 not listed
repo3 ListSharedReposDetails:thirdparty public -> 200 not listed
repo7 ListSharedReposDetails:thirdparty private -> 200 not listed
repo7 ListSharedReposDetails:thirdparty public -> 200 not listed
admin ListSharedReposDetails:thirdparty private -> 200 not listed
admin ListSharedReposDetails:thirdparty public -> 200 not listed
xadmin ListSharedReposDetails:thirdparty private -> 200 not listed
xadmin ListSharedReposDetails:thirdparty public -> 200 not listed
xuser ListSharedReposDetails:thirdparty private -> 200 not listed
xuser ListSharedReposDetails:thirdparty public -> 200 not listed
shared ListSharedReposDetails:thirdparty private -> 200 listed status=true
shared ListSharedReposDetails:thirdparty public -> 200 listed status=true
sadmin ListSharedReposDetails:thirdparty private -> 200 listed status=true
sadmin ListSharedReposDetails:thirdparty public -> 200 listed status=true
share_gone ListSharedReposDetails:thirdparty private -> 200 listed status=false
share_gone ListSharedReposDetails:thirdparty public -> 200 listed status=false
anon ListSharedReposDetails:self private -> 401 SVCSTG.S2I.4019000
anon ListSharedReposDetails:self public -> 401 SVCSTG.S2I.4019000
nogrant ListSharedReposDetails:self private -> 200 not listed
nogrant ListSharedReposDetails:self public -> 200 listed status=false
ns1 ListSharedReposDetails:self private -> 200 listed status=false
ns1 ListSharedReposDetails:self public -> 200 listed status=false
ns3 ListSharedReposDetails:self private -> 200 listed status=false
ns3 ListSharedReposDetails:self public -> 200 listed status=false
ns7 ListSharedReposDetails:self private -> 200 listed status=false
ns7 ListSharedReposDetails:self public -> 200 listed status=false
repo1 ListSharedReposDetails:self private -> 200 listed status=false
repo1 ListSharedReposDetails:self public -> 200 listed status=false
repo3 ListSharedReposDetails:self private -> 200 listed status=false
repo3 ListSharedReposDetails:self public -> 200 listed status=false
repo7 ListSharedReposDetails:self private -> 200 listed status=false
repo7 ListSharedReposDetails:self public -> 200 listed status=false
admin ListSharedReposDetails:self private -> 200 listed status=false
admin ListSharedReposDetails:self public -> 200 listed status=false
xadmin ListSharedReposDetails:self private -> 200 not listed
xadmin ListSharedReposDetails:self public -> 200 not listed
xuser ListSharedReposDetails:self private -> 200 not listed
xuser ListSharedReposDetails:self public -> 200 not listed
shared ListSharedReposDetails:self private -> 200 not listed
shared ListSharedReposDetails:self public -> 200 not listed
sadmin ListSharedReposDetails:self private -> 200 not listed
sadmin ListSharedReposDetails:self public -> 200 not listed
share_gone ListSharedReposDetails:self private -> 200 not listed
share_gone ListSharedReposDetails:self public -> 200 not listed
rules: agree
--- no_error_log
[error]
[alert]
