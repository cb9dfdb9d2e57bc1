# vim:set ft= ts=4 sw=4 et fdm=marker:
# swr_auth's decisions, operation by operation and principal by principal
# (TEST 1 and 2): every registry operation (the base, the catalog, tags,
# manifests, blobs, uploads, mounts, referrers, tag and manifest deletes)
# tried by anonymous, a user without grants, namespace grants 1/3/7,
# repository grants 1/3/7, the admin of the owning account, the admin of
# another account, users of other accounts with a share (no deadline, a
# deadline to come, a deadline passed) and without, on a private and on a
# public repository; the status each gets is compared with the one the
# rules give (the table below), first with Basic credentials (SWR's login
# key), then with Bearer tokens of the token endpoint, where a level too
# low is 401 insufficient_scope instead of 403.
#
# The rules (from the implementation's brief): pull (1) for GET/HEAD of
# manifests and blobs, tags and referrers; push (3) for every upload
# request and manifest PUT; manage (7) for DELETE of manifests and blobs;
# /v2/ and the catalog need any identity.  Level = max(7 for an admin of
# the account owning the namespace, the namespace grant, the repository
# grant, 1 if public, 1 if shared with the caller's account and the
# deadline not passed).  Anonymous lacking: 401 with the Bearer challenge;
# a known identity lacking: 403 DENIED.  A mount whose source the caller
# may not read becomes a plain upload (202 instead of 201).
#
# Each of those two blocks runs everything from --- init and writes one
# grid a repository (a line per principal, "op=status" per operation) to
# html/; the requests compare the grids with the ones the table gives, so
# a failure shows the cell that differs.  Every mismatch is also printed
# (warn) as "MISMATCH <pass> <repository> <principal> <op>: expected ...,
# got ...", and the 401 challenges and 403 bodies are checked too (the
# "problems:" line).  Fixtures (blobs, manifests, upload sessions) are
# made beforehand by the admin of the owning account, one set per
# principal and repository, so that no principal's DELETE takes away what
# another one reads.
#
# Then: an anonymous token on /v2/ and the catalog (TEST 3), credentials
# that are not good (TEST 4), grants that reach what they name and no
# further (TEST 5), an upload session used through another repository
# (TEST 6), odd spellings of URIs (TEST 7), failed logins past
# swr_login_limit (TEST 8; TEST 9: the token endpoint's 429 body).
#
# Keys (swr_secret_key_file, swr_token_key) are made once per run by
# t/lib/SwrAuth.pm in a temporary directory ($TEST_NGINX_SWR_KEYS).

use Test::Nginx::Socket;
use SwrTest;
use SwrAuth;
use MIME::Base64 ();

$ENV{TEST_NGINX_REDIS_PORT} ||= 6379;

SwrAuth::key_dir();

repeat_each(1);

# per request: status, body, the error log check; the todo blocks count
# what they would check (TEST 3: 2, TEST 9: 4)
plan tests => repeat_each() * (2 * 3 + 2 * 3 + 2 + 3 * 5 + 4);

no_long_string();
no_shuffle();


# ---- the principals and the table ----------------------------------------
#
# Namespace t120 belongs to account acct1; t120/priv is private, t120/pub
# public.  Namespace t120x belongs to acct9: t120x/open is public,
# t120x/secret private; they are the sources of the mounts.

our @PRINCIPALS = (
    [ anon         => undef ],
    [ nogrant      => { account => 'acct1' } ],
    [ ns1          => { account => 'acct1', ns => 1 } ],
    [ ns3          => { account => 'acct1', ns => 3 } ],
    [ ns7          => { account => 'acct1', ns => 7 } ],
    [ repo1        => { account => 'acct1', repo => 1 } ],
    [ repo3        => { account => 'acct1', repo => 3 } ],
    [ repo7        => { account => 'acct1', repo => 7 } ],
    [ admin        => { account => 'acct1', admin => 1 } ],
    [ xadmin       => { account => 'acct9', admin => 1 } ],
    [ shared       => { account => 'acct2', share => 0 } ],
    [ shared_until => { account => 'acct5', share => 3600 } ],
    [ share_gone   => { account => 'acct4', share => -60 } ],
    [ unshared     => { account => 'acct3' } ],
);

our %P = map { @$_ } @PRINCIPALS;

# the Bearer pass: a subset
our @BEARER = qw(anon nogrant ns1 ns3 repo1 repo7 admin shared share_gone
                 xadmin);

our %REPO = (priv => 't120/priv', pub => 't120/pub',
             xopen => 't120x/open', xsecret => 't120x/secret');

# the level the rules give principal $p on repository $r (a %REPO key)
sub level {
    my ($p, $r) = @_;
    my $d = $P{$p};
    my $public = ($r eq 'pub' || $r eq 'xopen');
    my $l = 0;

    if ($d) {
        if ($r eq 'priv' || $r eq 'pub') {
            $l = 7 if $d->{admin} && $d->{account} eq 'acct1';
            $l = $d->{ns} if ($d->{ns} // 0) > $l;
            $l = $d->{repo} if ($d->{repo} // 0) > $l;
            $l = 1 if $l < 1 && defined $d->{share} && $d->{share} >= 0;
        } else {
            $l = 7 if $d->{admin} && $d->{account} eq 'acct9';
        }
    }

    $l = 1 if $l < 1 && $public;

    return $l;
}

# The operations, in the order they run: name, level needed (0: any
# identity), status when allowed, and for mounts the source.
our @OPS = (
    [ 'v2',        0, 200 ],
    [ 'catalog',   0, 200 ],
    [ 'tags',      1, 200 ],
    [ 'm-get',     1, 200 ],
    [ 'm-head',    1, 200 ],
    [ 'b-get',     1, 200 ],
    [ 'b-head',    1, 200 ],
    [ 'referrers', 1, 200 ],
    [ 'm-put',     3, 201 ],
    [ 'u-post',    3, 202 ],
    [ 'u-patch',   3, 202 ],
    [ 'u-status',  3, 204 ],
    [ 'u-put',     3, 201 ],
    [ 'u-delete',  3, 204 ],
    [ 'mount-open', 3, 201, 'xopen' ],
    [ 'mount-secret', 3, 201, 'xsecret' ],
    [ 'mount-sibling', 3, 201, 'sibling' ],
    [ 'b-delete',  7, 202 ],
    [ 'tag-delete', 7, 202 ],
    [ 'm-delete',  7, 202 ],
);

sub sibling { return $_[0] eq 'priv' ? 'pub' : 'priv' }

# The status the table gives.  Bearer: the token asked for everything
# and got what the level allows, so the same, except that a token short
# of the actions is 401 (insufficient_scope) where Basic is 403.
sub expected {
    my ($pass, $p, $r, $op) = @_;
    my (undef, $need, $ok, $from) = @$op;
    my $anon = !$P{$p};

    if ($need == 0) {
        return $anon ? 401 : $ok;
    }

    if (level($p, $r) >= $need) {
        return $ok unless $from;
        $from = sibling($r) if $from eq 'sibling';
        return level($p, $from) >= 1 ? 201 : 202;
    }

    return 401 if $anon || $pass eq 'bearer';
    return 403;
}

sub principals { return $_[0] eq 'bearer' ? @BEARER
                                          : map { $_->[0] } @PRINCIPALS }

sub ops {
    my ($pass, $p) = @_;
    # an anonymous token on /v2/ and the catalog: TEST 3
    return grep { !($pass eq 'bearer' && !$P{$p} && $_->[1] == 0) } @OPS;
}

sub grid_line {
    my ($p, $cells) = @_;
    return sprintf("%-12s %s\n", $p, join ' ', @$cells);
}

sub expected_grid {
    my ($pass, $r) = @_;
    my $text = "$pass $REPO{$r}\n";
    for my $p (principals($pass)) {
        $text .= grid_line($p, [ map { "$_->[0]=" . expected($pass, $p, $r, $_) }
                                 ops($pass, $p) ]);
    }
    return $text . "problems: none\n";
}


# ---- Redis: identities, grants, shares ------------------------------------

sub ak_of { my $p = shift; (my $ak = uc "AK$p") =~ s/_//g; return $ak }
sub sk_of { return "SK-secret-of-$_[0]" }
sub uid_of { return "u-$_[0]" }

sub auth_of {
    my ($p) = @_;
    return () unless $P{$p};
    return (SwrAuth::basic(ak_of($p), sk_of($p)));
}

sub setup_redis {
    my $now = time;

    SwrTest::command('FLUSHALL');

    SwrAuth::namespace('t120', 'acct1', uid_of('admin'));
    SwrAuth::namespace('t120x', 'acct9', uid_of('xadmin'));
    SwrAuth::public('t120/pub');
    SwrAuth::public('t120x/open');

    for (@PRINCIPALS) {
        my ($p, $d) = @$_;
        next unless $d;

        SwrAuth::identity(user => uid_of($p), account => $d->{account},
                          admin => $d->{admin}, ak => ak_of($p),
                          sk => sk_of($p));

        SwrAuth::ns_grant('t120', uid_of($p), $d->{ns}) if $d->{ns};

        for my $r ('t120/priv', 't120/pub') {
            SwrAuth::repo_grant($r, uid_of($p), $d->{repo}) if $d->{repo};
            SwrAuth::share($r, $d->{account},
                           $d->{share} ? $now + $d->{share} : 0)
                if defined $d->{share};
        }
    }
}


# ---- fixtures ----------------------------------------------------------------

our %FIX;

sub must {
    my ($what, $res, @ok) = @_;
    die "setup: $what -> $res->{status} $res->{body}\n"
        unless grep { $res->{status} == $_ } @ok;
    return $res;
}

sub mount_blob { return "mount source blob of $_[0]" }

sub push_blob {
    my ($auth, $repo, $blob) = @_;
    must("push a blob to $repo",
         SwrTest::http('POST', "/v2/$repo/blobs/uploads/?digest="
                       . SwrTest::sha256($blob), body => $blob,
                       headers => [$auth]), 201);
}

# what one principal works on in one repository, made by the admin
sub make_fixtures {
    my ($pass, $r, $p) = @_;
    my $admin = SwrAuth::basic(ak_of('admin'), sk_of('admin'));
    my $repo = $REPO{$r};
    my %f;

    my $config = "config $pass $repo $p";
    my $layer = "layer $pass $repo $p";
    push_blob($admin, $repo, $_) for $config, $layer;

    $f{manifest} = SwrTest::manifest($config, [$layer]);
    $f{mdigest} = SwrTest::sha256($f{manifest});
    $f{tag} = "t-$pass-$p";
    must("manifest in $repo",
         SwrTest::http('PUT', "/v2/$repo/manifests/$f{tag}",
                       body => $f{manifest},
                       headers => [$admin, SwrTest::manifest_type($f{manifest})]),
         201);

    $f{blob} = "blob $pass $repo $p";
    $f{bdigest} = SwrTest::sha256($f{blob});
    push_blob($admin, $repo, $f{blob});

    for my $s (qw(patch put delete)) {
        $f{"s-$s"} = SwrTest::path_of(must("upload in $repo",
            SwrTest::http('POST', "/v2/$repo/blobs/uploads/",
                          headers => [$admin]), 202));
    }

    $FIX{$pass}{$r}{$p} = \%f;
}

sub setup_fixtures {
    my ($pass) = @_;
    my $xadmin = SwrAuth::basic(ak_of('xadmin'), sk_of('xadmin'));
    my $admin = SwrAuth::basic(ak_of('admin'), sk_of('admin'));

    push_blob($xadmin, $REPO{$_}, mount_blob('x')) for qw(xopen xsecret);
    push_blob($admin, $REPO{$_}, mount_blob('t120')) for qw(priv pub);

    for my $r (qw(priv pub)) {
        make_fixtures($pass, $r, $_) for principals($pass);
    }
}


# ---- running the operations ----------------------------------------------

sub run_op {
    my ($op, $r, $f, @auth) = @_;
    my $repo = $REPO{$r};
    my $name = $op->[0];

    my %req = (
        'v2'        => [ 'GET', '/v2/' ],
        'catalog'   => [ 'GET', '/v2/_catalog' ],
        'tags'      => [ 'GET', "/v2/$repo/tags/list" ],
        'm-get'     => [ 'GET', "/v2/$repo/manifests/$f->{tag}",
                         headers => [ 'Accept: ' . SwrTest::MT_OCI_MANIFEST ] ],
        'm-head'    => [ 'HEAD', "/v2/$repo/manifests/$f->{tag}",
                         headers => [ 'Accept: ' . SwrTest::MT_OCI_MANIFEST ] ],
        'b-get'     => [ 'GET', "/v2/$repo/blobs/$f->{bdigest}" ],
        'b-head'    => [ 'HEAD', "/v2/$repo/blobs/$f->{bdigest}" ],
        'referrers' => [ 'GET', "/v2/$repo/referrers/$f->{mdigest}" ],
        'm-put'     => [ 'PUT', "/v2/$repo/manifests/put-$f->{tag}",
                         body => $f->{manifest},
                         headers => [ SwrTest::manifest_type($f->{manifest}) ] ],
        'u-post'    => [ 'POST', "/v2/$repo/blobs/uploads/" ],
        'u-patch'   => [ 'PATCH', $f->{'s-patch'}, body => 'some bytes',
                         headers => [ 'Content-Type: application/octet-stream' ] ],
        'u-status'  => [ 'GET', $f->{'s-patch'} ],
        'u-put'     => [ 'PUT', "$f->{'s-put'}"
                                . ($f->{'s-put'} =~ /\?/ ? '&' : '?')
                                . 'digest=' . SwrTest::sha256("put $f->{tag}"),
                         body => "put $f->{tag}" ],
        'u-delete'  => [ 'DELETE', $f->{'s-delete'} ],
        'mount-open' => [ 'POST', "/v2/$repo/blobs/uploads/?mount="
                          . SwrTest::sha256(mount_blob('x'))
                          . "&from=$REPO{xopen}" ],
        'mount-secret' => [ 'POST', "/v2/$repo/blobs/uploads/?mount="
                            . SwrTest::sha256(mount_blob('x'))
                            . "&from=$REPO{xsecret}" ],
        'mount-sibling' => [ 'POST', "/v2/$repo/blobs/uploads/?mount="
                             . SwrTest::sha256(mount_blob('t120'))
                             . "&from=$REPO{sibling($r)}" ],
        'b-delete'  => [ 'DELETE', "/v2/$repo/blobs/$f->{bdigest}" ],
        'tag-delete' => [ 'DELETE', "/v2/$repo/manifests/put-$f->{tag}" ],
        'm-delete'  => [ 'DELETE', "/v2/$repo/manifests/$f->{mdigest}" ],
    );

    my ($method, $path, %o) = @{ $req{$name} or die "no op $name\n" };
    $o{headers} = [ @{ $o{headers} || [] }, @auth ];

    return SwrTest::http($method, $path, %o);
}

# The challenge of a 401 for $r and $op (Bearer realm on our token
# endpoint, the scope the operation needs), and the error code of a 403.
sub check_refusal {
    my ($pass, $p, $r, $op, $res) = @_;
    my ($name, $need) = @$op;
    my $repo = $REPO{$r};

    if ($res->{status} == 401) {
        my $want = 'Bearer realm="http://localhost/_swr/token",service="swr"';
        $want .= ",scope=\"repository:$repo:"
                 . ($need >= 7 ? 'delete' : $need >= 3 ? 'pull,push' : 'pull')
                 . '"' if $need;
        $want .= ',error="insufficient_scope"' if $pass eq 'bearer' && $need;
        my $got = $res->{headers}{'www-authenticate'} // '(none)';
        return "$name 401 challenge: got $got, want $want" if $got ne $want;
        return "$name 401 body: $res->{body}"
            unless $name =~ /head/ || $res->{body} =~ /"code":"UNAUTHORIZED"/;
    }

    if ($res->{status} == 403) {
        return "$name 403 body: $res->{body}"
            unless $name =~ /head/ || $res->{body} =~ /"code":"DENIED"/;
        return "$name 403 with a challenge"
            if exists $res->{headers}{'www-authenticate'};
    }

    return;
}

sub bearer_of {
    my ($p) = @_;
    my $t = SwrAuth::token(auth_of($p) ? (auth_of($p)) : (undef),
                           map({ "repository:$_:pull,push,delete" }
                               @REPO{qw(priv pub)}),
                           map({ "repository:$_:pull" }
                               @REPO{qw(xopen xsecret)}));
    die "token for $p: $t->{status} $t->{body}\n" unless $t->{status} == 200;
    return SwrAuth::bearer($t->{json}{token});
}

sub run_matrix {
    my ($pass) = @_;
    my (%problems, %grid);

    my $ok = eval {
        setup_redis();
        setup_fixtures($pass);

        for my $p (principals($pass)) {
            my @auth = $pass eq 'bearer' ? (bearer_of($p)) : (auth_of($p));

            for my $r (qw(priv pub)) {
                my $f = $FIX{$pass}{$r}{$p};
                my @cells;

                for my $op (ops($pass, $p)) {
                    my $res = run_op($op, $r, $f, @auth);
                    my $want = expected($pass, $p, $r, $op);

                    push @cells, "$op->[0]=$res->{status}";

                    if ($res->{status} != $want) {
                        my $m = "MISMATCH $pass $REPO{$r} $p $op->[0]: "
                                . "expected $want, got $res->{status}";
                        warn "$m\n";
                        push @{ $problems{$r} }, $m;
                    }

                    my $bad = check_refusal($pass, $p, $r, $op, $res);
                    if ($bad) {
                        warn "PROBLEM $pass $REPO{$r} $p $bad\n";
                        push @{ $problems{$r} }, "$p $bad";
                    }
                }

                $grid{$r} .= grid_line($p, \@cells);
            }
        }
        1;
    };

    unless ($ok) {
        warn "DIED $pass: $@";
        push @{ $problems{$_} }, "died: $@" for qw(priv pub);
    }

    for my $r (qw(priv pub)) {
        my @p = @{ $problems{$r} || [] };
        SwrAuth::report("$pass-$r", "$pass $REPO{$r}\n" . ($grid{$r} // '')
                        . 'problems: ' . (@p ? join("\n", @p) : 'none')
                        . "\n");
    }
}


# ---- TEST 3: an anonymous token ------------------------------------------

sub anon_token_report {
    my @out;

    eval {
        setup_redis();
        push_blob(auth_of('admin'), 't120/priv', 'a private blob');

        my $t = SwrAuth::token(undef, 'repository:t120/priv:pull');
        push @out, "anonymous token $t->{status}: "
                   . SwrAuth::access_text($t->{claims});

        for my $path ('/v2/', '/v2/_catalog') {
            my $r = SwrTest::http('GET', $path,
                                  headers => [SwrAuth::bearer($t->{json}{token})]);
            push @out, "GET $path with it -> $r->{status}"
                       . ($r->{status} == 200 ? " $r->{body}" : '');
        }

        my $r = SwrTest::http('GET', '/v2/_catalog');
        push @out, "GET /v2/_catalog without it -> $r->{status}";
        1;
    } or push @out, "died: $@";

    SwrAuth::report('anon-token', join('', map { "$_\n" } @out));
}


# ---- TEST 4: credentials that are not good ---------------------------------

our @CREDS;    # [case, header, expected v2 public private]

sub creds_cases {
    my $good = SwrAuth::login_key('AKGOOD', 'SKGOOD');
    my $b64 = sub { 'Authorization: Basic '
                    . MIME::Base64::encode_base64($_[0], '') };

    return (
        [ 'none (control)', undef, 401, 200, 401 ],
        [ 'good (control)', SwrAuth::basic('AKGOOD', 'SKGOOD'),
          200, 200, 200 ],
        [ 'login key in upper case', $b64->("cn-north-4\@AKGOOD:" . uc $good),
          200, 200, 200 ],
        [ 'sub-project region', SwrAuth::basic('AKGOOD', 'SKGOOD',
                                              'cn-north-4_proj'),
          200, 200, 200 ],
        [ 'AK expiring later', SwrAuth::basic('AKSOON', 'SKSOON'),
          200, 200, 200 ],
        [ 'wrong login key', SwrAuth::basic('AKGOOD', 'SKWRONG'),
          401, 401, 401 ],
        [ 'unknown AK', SwrAuth::basic('AKNOBODY', 'SKGOOD'), 401, 401, 401 ],
        [ 'disabled AK', SwrAuth::basic('AKOFF', 'SKOFF'), 401, 401, 401 ],
        [ 'expired AK', SwrAuth::basic('AKOLD', 'SKOLD'), 401, 401, 401 ],
        [ 'disabled user', SwrAuth::basic('AKUOFF', 'SKUOFF'),
          401, 401, 401 ],
        [ 'AK of no user', SwrAuth::basic('AKORPHAN', 'SKORPHAN'),
          401, 401, 401 ],
        [ 'SK under another key file', SwrAuth::basic('AKFOREIGN',
                                                      'SKFOREIGN'),
          401, 401, 401 ],
        [ 'another region', SwrAuth::basic('AKGOOD', 'SKGOOD', 'cn-south-1'),
          401, 401, 401 ],
        [ 'longer region', SwrAuth::basic('AKGOOD', 'SKGOOD', 'cn-north-44'),
          401, 401, 401 ],
        [ 'no region', $b64->("AKGOOD:$good"), 401, 401, 401 ],
        [ 'short login key', $b64->("cn-north-4\@AKGOOD:"
                                    . substr($good, 1)), 401, 401, 401 ],
        [ 'the SK as password', $b64->("cn-north-4\@AKGOOD:SKGOOD"),
          401, 401, 401 ],
        [ 'Basic garbage', 'Authorization: Basic !!!', 401, 401, 401 ],
        [ 'Bearer garbage', 'Authorization: Bearer a.b.c', 401, 401, 401 ],
        [ 'another scheme', 'Authorization: Digest username="x"',
          401, 401, 401 ],
    );
}

sub creds_expected {
    return join '', map {
        "$_->[0]: v2=$_->[2] public=$_->[3] private=$_->[4]\n"
    } creds_cases();
}

sub creds_report {
    my $out = '';
    my $now = time;

    eval {
        setup_redis();

        SwrAuth::identity(user => 'u-good', account => 'acct1',
                          ak => 'AKGOOD', sk => 'SKGOOD');
        SwrAuth::identity(user => 'u-good', account => 'acct1',
                          ak => 'AKSOON', sk => 'SKSOON',
                          expires => $now + 3600);
        SwrAuth::identity(user => 'u-good', account => 'acct1',
                          ak => 'AKOFF', sk => 'SKOFF', enabled => 0);
        SwrAuth::identity(user => 'u-good', account => 'acct1',
                          ak => 'AKOLD', sk => 'SKOLD', expires => $now - 5);
        SwrAuth::identity(user => 'u-uoff', account => 'acct1',
                          ak => 'AKUOFF', sk => 'SKUOFF', disabled => 1);
        SwrAuth::identity(user => 'u-missing', no_user => 1,
                          ak => 'AKORPHAN', sk => 'SKORPHAN');
        SwrAuth::identity(user => 'u-good', account => 'acct1',
                          ak => 'AKFOREIGN', sk_stored =>
                          SwrAuth::encrypt_sk('SKFOREIGN', 'ab' x 32));
        SwrAuth::repo_grant('t120/priv', $_, 1) for 'u-good', 'u-uoff',
                                                    'u-missing';

        my $admin = auth_of('admin');
        push_blob($admin, 't120/priv', 'private');
        push_blob($admin, 't120/pub', 'public');

        for my $c (creds_cases()) {
            my ($case, $h) = @$c;
            my @h = $h ? ($h) : ();
            my %st;

            for ([ v2 => '/v2/' ],
                 [ public => '/v2/t120/pub/blobs/'
                             . SwrTest::sha256('public') ],
                 [ private => '/v2/t120/priv/blobs/'
                              . SwrTest::sha256('private') ])
            {
                my $r = SwrTest::http('GET', $_->[1], headers => [@h]);
                $st{$_->[0]} = $r->{status};

                if ($r->{status} == 401
                    && ($r->{headers}{'www-authenticate'} // '')
                       !~ /^Bearer realm="http:\/\/localhost\/_swr\/token",service="swr"/)
                {
                    $st{$_->[0]} .= ' (challenge: '
                        . ($r->{headers}{'www-authenticate'} // 'none') . ')';
                }
            }

            $out .= "$case: v2=$st{v2} public=$st{public} "
                    . "private=$st{private}\n";
        }
        1;
    } or $out .= "died: $@";

    # the failed-login counters of 127.0.0.1 must not outlive the block
    eval { SwrTest::command('FLUSHALL') };

    SwrAuth::report('creds', $out);
}


# ---- TEST 5: grants reach what they name, no more ----------------------------

# [principal setup, method, repository, expected]: GET of the tags list
# for pull (404 NAME_UNKNOWN when allowed: the repository is empty), POST
# of an upload for push (202 when allowed)
our @REACH = (
    [ 'ns3', 'POST', 't120/deep/er', 202 ],
    # organizations that do not exist: a push says so
    [ 'ns3', 'POST', 't1200/x', 404 ],
    [ 'ns3', 'POST', 't12/x', 404 ],
    [ 'ns3', 'POST', 't120x/secret', 403 ],
    [ 'repo3', 'POST', 't120/priv', 202 ],
    [ 'repo3', 'POST', 't120/priv/sub', 403 ],
    [ 'repo3', 'POST', 't120/privx', 403 ],
    [ 'repo3', 'POST', 't120/pri', 403 ],
    [ 'repo3', 'GET', 't120/other', 403 ],
    [ 'admin', 'POST', 't120/new/deep/repo', 202 ],
    [ 'admin', 'POST', 't120x/secret', 403 ],
    [ 'admin', 'GET', 't120x/secret', 403 ],
    [ 'xadmin', 'POST', 't120x/new', 202 ],
    [ 'xadmin', 'GET', 't120/priv', 403 ],
    [ 'shared', 'GET', 't120/priv', 200 ],
    [ 'shared', 'GET', 't120/priv/sub', 403 ],
    [ 'shared', 'GET', 't120/privx', 403 ],
    [ 'shared', 'POST', 't120/priv', 403 ],
    [ 'anon', 'GET', 't120/pub', 200 ],
    [ 'anon', 'GET', 't120/pub/sub', 401 ],
    [ 'anon', 'GET', 't120/pubx', 401 ],
    [ 'anon', 'GET', 't120x/open', 404 ],
    [ 'anon', 'POST', 't120/pub', 401 ],
);

sub reach_expected {
    return join '', map { "$_->[0] $_->[1] $_->[2] -> $_->[3]\n" } @REACH;
}

sub reach_report {
    my $out = '';

    eval {
        setup_redis();
        push_blob(auth_of('admin'), $_, "in $_") for 't120/priv', 't120/pub';

        for (@REACH) {
            my ($p, $method, $repo) = @$_;
            my $r = SwrTest::http($method, $method eq 'GET'
                                           ? "/v2/$repo/tags/list"
                                           : "/v2/$repo/blobs/uploads/",
                                  headers => [auth_of($p)]);
            $out .= "$p $method $repo -> $r->{status}\n";
        }
        1;
    } or $out .= "died: $@";

    SwrAuth::report('reach', $out);
}


# ---- TEST 6: an upload session of another repository ------------------------

sub session_report {
    my @out;

    eval {
        setup_redis();
        SwrAuth::identity(user => 'u-pubpush', account => 'acct1',
                          ak => 'AKPUBPUSH', sk => 'SKPUBPUSH');
        SwrAuth::repo_grant('t120/pub', 'u-pubpush', 3);
        my $pusher = SwrAuth::basic('AKPUBPUSH', 'SKPUBPUSH');
        my $admin = auth_of('admin');

        my $r = must('a session in t120/priv',
                     SwrTest::http('POST', '/v2/t120/priv/blobs/uploads/',
                                   headers => [$admin]), 202);
        my ($id) = SwrTest::path_of($r) =~ m{/uploads/([^/?]+)};
        my $d = SwrTest::sha256('stolen');

        for (['PATCH', "/v2/t120/pub/blobs/uploads/$id", body => 'stolen',
              headers => ['Content-Type: application/octet-stream']],
             ['GET', "/v2/t120/pub/blobs/uploads/$id"],
             ['PUT', "/v2/t120/pub/blobs/uploads/$id?digest=$d",
              body => 'stolen'],
             ['DELETE', "/v2/t120/pub/blobs/uploads/$id"],
             ['PATCH', "/v2/t120/priv/blobs/uploads/$id", body => 'stolen',
              headers => ['Content-Type: application/octet-stream']])
        {
            my ($m, $path, %o) = @$_;
            $o{headers} = [ @{ $o{headers} || [] }, $pusher ];
            my $res = SwrTest::http($m, $path, %o);
            (my $shown = $path) =~ s/\Q$id\E/<id>/;
            $shown =~ s/\?.*//;
            my ($code) = $res->{body} =~ /"code":"(\w+)"/;
            push @out, "pusher $m $shown -> $res->{status} "
                       . ($code // '');
        }

        $r = SwrTest::http('GET', "/v2/t120/priv/blobs/uploads/$id",
                           headers => [$admin]);
        push @out, "admin GET t120/priv session -> $r->{status} Range: "
                   . ($r->{headers}{range} // '(none)');
        1;
    } or push @out, "died: $@";

    SwrAuth::report('session', join('', map { "$_\n" } @out));
}


# ---- TEST 7: odd spellings of a private repository's URIs --------------------

our @ODD = (
    '/v2//t120/priv/tags/list',
    '/v2/t120//priv/tags/list',
    '/v2/t120/priv//tags/list',
    '/v2/./t120/priv/tags/list',
    '/v2/t120/x/../priv/tags/list',
    '/v2/t120/pub/../priv/tags/list',
    '/v2/t120%2Fpriv/tags/list',
    '/v2/t120/priv/%74ags/list',
    '/v2/t120/priv/tags/list?n=1',
    '/v2/t120/priv/tags/list/',
    '/v2/t120/priv/manifests/v1/',
    '/v2/t120/priv/manifests/v1?x=/v2/',
    '/v2/t120/priv/blobs//<d>',
    '/v2/t120/priv/blobs/<d>/',
    '/v2/t120/priv/blobs/<d>%3F',
    '/v2/t120/priv/blobs/uploads',
    '/v2/T120/priv/tags/list',
    '/v2/t120/priv/referrers/<m>',
);

sub odd_report {
    my $out = '';

    eval {
        setup_redis();
        my $admin = auth_of('admin');
        push_blob($admin, 't120/priv', $_) for 'odd config', 'odd layer';
        my $m = SwrTest::manifest('odd config', ['odd layer']);
        must('manifest', SwrTest::http('PUT', '/v2/t120/priv/manifests/v1',
                                       body => $m,
                                       headers => [$admin,
                                                   SwrTest::manifest_type($m)]),
             201);

        SwrAuth::identity(user => 'u-pubonly', account => 'acct1',
                          ak => 'AKPUBONLY', sk => 'SKPUBONLY');
        SwrAuth::repo_grant('t120/pub', 'u-pubonly', 7);
        my $pubonly = SwrAuth::basic('AKPUBONLY', 'SKPUBONLY');

        for my $uri (@ODD) {
            (my $u = $uri) =~ s/<d>/SwrTest::sha256('odd layer')/e;
            $u =~ s/<m>/SwrTest::sha256($m)/e;

            my @st;
            for my $who ([anonymous => ()], [pubonly => $pubonly]) {
                my ($name, @h) = @$who;
                my $r = SwrTest::http('GET', $u, headers => [@h]);
                push @st, "$name " . ($r->{status} =~ /^40[13]$/ ? 'denied'
                                      : $r->{status} =~ /^40[04]$/ ? 'unknown'
                                      : "SERVED $r->{status}");
            }
            $out .= "$uri: " . join(', ', @st) . "\n";
        }
        1;
    } or $out .= "died: $@";

    SwrAuth::report('odd', $out);
}


# ---- TEST 8: failed logins past swr_login_limit ------------------------------

sub limit_report {
    my @out;

    eval {
        setup_redis();
        push_blob(auth_of('admin'), 't120/pub', 'limit blob');
        my $d = SwrTest::sha256('limit blob');

        SwrAuth::identity(user => 'u-la', account => 'acct1',
                          ak => 'AKLIMITA', sk => 'SKLIMITA');
        SwrAuth::identity(user => 'u-lb', account => 'acct1',
                          ak => 'AKLIMITB', sk => 'SKLIMITB');

        my %h = (
            'A wrong' => SwrAuth::basic('AKLIMITA', 'wrong'),
            'A right' => SwrAuth::basic('AKLIMITA', 'SKLIMITA'),
            'B wrong' => SwrAuth::basic('AKLIMITB', 'wrong'),
            'B right' => SwrAuth::basic('AKLIMITB', 'SKLIMITB'),
            'malformed' => 'Authorization: Basic '
                           . MIME::Base64::encode_base64('x:y', ''),
            'anonymous' => undef,
        );

        my $token;
        my $step = sub {
            my ($who, $what) = @_;
            my ($st, $r);

            if ($what eq 'token') {
                my $t = SwrAuth::token($h{$who}, 'repository:t120/pub:pull');
                $token = $t->{json}{token} if $t->{status} == 200;
                $r = $t;
            } elsif ($what eq 'bearer') {
                $r = SwrTest::http('GET', "/v2/t120/pub/blobs/$d",
                                   headers => [SwrAuth::bearer($token // 'x')]);
            } else {
                $r = SwrTest::http('GET', "/v2/t120/pub/blobs/$d",
                                   headers => [$h{$who} ? ($h{$who}) : ()]);
            }

            # (the body of the token endpoint's 429: TEST 9)
            my ($code) = ($r->{body} // '') =~ /"code":"(\w+)"/;
            push @out, "$who $what -> $r->{status}"
                       . ($r->{status} == 429 && $what ne 'token'
                          ? ' ' . ($code // '(no code)') : '')
                       . ($r->{status} == 429
                          ? ' Retry-After: '
                            . ($r->{headers}{'retry-after'} // '(none)')
                          : '');
        };

        $step->('A wrong', 'pull');        # client 1, A 1
        $step->('A wrong', 'pull');        # client 2, A 2: A is done
        $step->('A right', 'pull');
        $step->('B right', 'pull');
        $step->('B right', 'token');
        $step->('B wrong', 'pull');        # client 3: the client is done
        $step->('B right', 'pull');
        $step->('B right', 'token');
        $step->('malformed', 'pull');
        $step->('anonymous', 'pull');
        $step->('B right', 'bearer');

        my $fails = SwrTest::command('KEYS', 'swr:fail:*');
        push @out, 'counters: ' . join(' ', sort @$fails);

        SwrTest::command('DEL', @$fails) if @$fails;    # a minute later
        push @out, 'a minute later:';
        $step->('A right', 'pull');
        $step->('B right', 'pull');
        1;
    } or push @out, "died: $@";

    eval { SwrTest::command('FLUSHALL') };

    SwrAuth::report('limit', join('', map { "$_\n" } @out));
}

run_tests();

__DATA__

=== TEST 1: Basic credentials: every operation, every principal, both repositories
--- init
main::run_matrix('basic');
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
--- request eval
["GET /basic-priv.txt", "GET /basic-pub.txt"]
--- response_body eval
[main::expected_grid('basic', 'priv'), main::expected_grid('basic', 'pub')]
--- no_error_log
[error]



=== TEST 2: Bearer tokens of the token endpoint: 401 insufficient_scope where Basic is 403
--- init
main::run_matrix('bearer');
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
--- request eval
["GET /bearer-priv.txt", "GET /bearer-pub.txt"]
--- response_body eval
[main::expected_grid('bearer', 'priv'), main::expected_grid('bearer', 'pub')]
--- no_error_log
[error]



=== TEST 3: an anonymous token is no identity: /v2/ and the catalog stay 401
# The rules say /v2/ and the catalog need an identity, and anonymous
# requests get 401 there; but the token endpoint gives anyone without
# credentials a token (sub "", access empty or pull on public
# repositories), and ngx_http_swr_auth_bearer() accepts any valid token
# when the request needs no level (a->need == 0): with it, anonymous
# callers get 200 on /v2/ and read the whole catalog, private
# repositories included ({"repositories":["t120/priv"]}).
--- init
main::anon_token_report();
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
GET /anon-token.txt
--- response_body
anonymous token 200: t120/priv:
GET /v2/ with it -> 401
GET /v2/_catalog with it -> 401
GET /v2/_catalog without it -> 401



=== TEST 4: credentials that are wrong, unknown, disabled, expired or malformed are 401 everywhere, public repositories included
# (an SK stored under another swr_secret_key_file is logged; the block
# fails more than 20 logins, so swr_login_limit is raised: TEST 8 is
# about the limit)
--- init
main::creds_report();
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_secret_key_file $TEST_NGINX_SWR_KEYS/secret.hex;
    swr_token_key $TEST_NGINX_SWR_KEYS/token.pem;
    swr_region cn-north-4;
    swr_login_limit 1000 1000;
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
GET /creds.txt
--- response_body eval
main::creds_expected()
--- error_log
the secret key of AK "AKFOREIGN" does not decrypt with swr_secret_key_file



=== TEST 5: grants reach the namespace or repository they name, and no further
--- init
main::reach_report();
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
GET /reach.txt
--- response_body eval
main::reach_expected()
--- no_error_log
[error]



=== TEST 6: an upload session is unknown through another repository the caller may push to
--- init
main::session_report();
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
GET /session.txt
--- response_body
pusher PATCH /v2/t120/pub/blobs/uploads/<id> -> 404 BLOB_UPLOAD_UNKNOWN
pusher GET /v2/t120/pub/blobs/uploads/<id> -> 404 BLOB_UPLOAD_UNKNOWN
pusher PUT /v2/t120/pub/blobs/uploads/<id> -> 404 BLOB_UPLOAD_UNKNOWN
pusher DELETE /v2/t120/pub/blobs/uploads/<id> -> 404 BLOB_UPLOAD_UNKNOWN
pusher PATCH /v2/t120/priv/blobs/uploads/<id> -> 403 DENIED
admin GET t120/priv session -> 204 Range: 0-0
--- no_error_log
[error]



=== TEST 7: odd spellings of a private repository's URIs are refused or unknown, never served
# (nginx merges slashes and resolves dot segments before swr_auth and the
# router see the URI; a user with every right on t120/pub gets nothing
# of t120/priv through them either)
--- init
main::odd_report();
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
GET /odd.txt
--- response_body_unlike: SERVED|died
--- no_error_log
[error]



=== TEST 8: failed logins past swr_login_limit: 429 with Retry-After for the key, then for the client address; anonymous requests and tokens go on
# (swr_auth_cache 0: a decision remembered for the same verified
# credentials would not ask Redis, nor meet the limit)
--- init
main::limit_report();
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_secret_key_file $TEST_NGINX_SWR_KEYS/secret.hex;
    swr_token_key $TEST_NGINX_SWR_KEYS/token.pem;
    swr_region cn-north-4;
    swr_login_limit 3 2;
    swr_auth_cache 0;
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
GET /limit.txt
--- response_body
A wrong pull -> 401
A wrong pull -> 401
A right pull -> 429 TOOMANYREQUESTS Retry-After: 60
B right pull -> 200
B right token -> 200
B wrong pull -> 401
B right pull -> 429 TOOMANYREQUESTS Retry-After: 60
B right token -> 429 Retry-After: 60
malformed pull -> 401
anonymous pull -> 200
B right bearer -> 200
counters: swr:fail:{id:AKLIMITA} swr:fail:{id:AKLIMITB} swr:fail:{ip:127.0.0.1}
a minute later:
A right pull -> 200
B right pull -> 200
--- no_error_log
[error]



=== TEST 9: the token endpoint's 429 (too many failed logins) has the JSON error body of its other answers
# ngx_http_swr_token_reply() ends a "limited" answer of the AUTHZ script
# with ngx_http_finalize_request(r, ngx_http_swr_auth_limited(r)): the
# status and Retry-After are right, but the body is nginx's HTML page
# ("<html>...429 Too Many Requests...", Content-Type text/html), where
# the registry's own 429 (TEST 8) and every other refusal of the token
# endpoint (400, 401) carry {"errors":[{"code":...}]}.
# Only the AK is over its limit here, so no other file's logins from
# 127.0.0.1 are refused afterwards.
--- init
SwrTest::command('FLUSHALL');
SwrAuth::identity(user => 'u-lb', account => 'acct1', ak => 'AKLIMITB',
                  sk => 'SKLIMITB');
SwrTest::command('SET', 'swr:fail:{id:AKLIMITB}', 100, 'EX', 60);
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_secret_key_file $TEST_NGINX_SWR_KEYS/secret.hex;
    swr_token_key $TEST_NGINX_SWR_KEYS/token.pem;
    swr_region cn-north-4;
--- config
    location = /_swr/token {
        swr_token;
    }
--- request
GET /_swr/token?service=swr&scope=repository:t120/pub:pull
--- more_headers eval
SwrAuth::basic('AKLIMITB', 'SKLIMITB')
--- error_code: 429
--- response_headers
Retry-After: 60
Content-Type: application/json; charset=utf-8
--- response_body_like: "code":"TOOMANYREQUESTS"
