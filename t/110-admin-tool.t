# vim:set ft= ts=4 sw=4 et fdm=marker:
# util/swr-admin, the administration tool: accounts, users, access keys,
# tokens, namespaces, grants and shares written to Redis exactly as
# docs/redis-schema.md ("Identity and grants") says, SKs encrypted with
# the key file (checked here by an independent decryption: Digest::SHA
# and the openssl command line), docker login's password for an AK.
#
# Each block runs the tool in --- init and writes what it printed (ids
# replaced by <1>, <2>... in order of appearance, Unix times of now by
# <now>, the server root by ROOT) and what Redis holds to html/x.txt,
# which the request then compares whole.

use Test::Nginx::Socket;
use SwrTest;

$ENV{TEST_NGINX_REDIS_PORT} ||= 6379;

our (%Ids, $Out, $Err);

repeat_each(1);

plan tests => repeat_each() * 2 * blocks();

no_long_string();
no_shuffle();
run_tests();

# shell quoting of one word
sub quote {
    my ($s) = @_;
    return $s if $s =~ m{\A[A-Za-z0-9_./:=\@-]+\z};
    $s =~ s/'/'\\''/g;
    return "'$s'";
}

# ids as <n>, times of now as <now>, the server root as ROOT (not named
# "norm": Test::Base, and our runner, would take a main::norm for their
# default filter of every section)
sub normalised {
    my ($s) = @_;
    my $root = $ENV{TEST_NGINX_SERVER_ROOT};
    my $now = time;

    $s =~ s/\Q$root\E/ROOT/g;
    $s =~ s/\b([0-9a-f]{32})\b/'<' . id_number($1) . '>'/ge;
    $s =~ s/\b(1\d{9})\b/abs($1 - $now) < 300 ? '<now>' : $1/ge;
    return $s;
}

# 1 for the first id seen in the block, 2 for the next...
sub id_number {
    my ($id) = @_;
    my $n = keys(%Ids) + 1;
    $Ids{$id} = $n unless exists $Ids{$id};
    return $Ids{$id};
}

# the block's own directory for key files and scratch files, where both
# runners clean up (*_temp)
sub dir {
    my $d = "$ENV{TEST_NGINX_SERVER_ROOT}/admin_temp";
    mkdir $d unless -d $d;
    return $d;
}

# util/swr-admin on the test Redis, the key file DIR/secret.key given by
# SWR_SECRET_KEY_FILE (or {key => file}), {stdin => line}, {env => {}}:
# "<arguments> => <exit status>", its output lines, its error lines
# ("! ..."), normalised; $Out and $Err keep what it printed
sub admin {
    my %o = ref $_[0] eq 'HASH' ? %{ shift @_ } : ();
    my @args = @_;
    my $dir = dir();
    my %env = (SWR_SECRET_KEY_FILE => exists $o{key} ? $o{key}
                                                      : "$dir/secret.key",
               %{ $o{env} || {} });

    my $cmd = join ' ', 'env -u SWR_REGION -u SWR_REGISTRY'
                        . ' -u SWR_REDIS_PASSWORD',
                        (map { "$_=" . quote($env{$_}) } sort keys %env),
                        'util/swr-admin', '--redis',
                        "127.0.0.1:$ENV{TEST_NGINX_REDIS_PORT}",
                        map { quote($_) } @args;
    $cmd = defined $o{stdin} ? "printf '%s\\n' " . quote($o{stdin}) . " | $cmd"
                             : "$cmd </dev/null";

    $Out = `$cmd 2>$dir/admin.err`;
    my $rc = $? >> 8;
    open my $fh, '<', "$dir/admin.err" or die "admin.err: $!\n";
    $Err = do { local $/; <$fh> };
    close $fh;

    my $s = join(' ', @args) . " => $rc\n" . $Out;
    $s .= "! $_\n" for split /\n/, $Err;
    return normalised($s);
}

# the first line $Out printed, without its newline
sub out { my ($l) = split /\n/, $Out; return $l // '' }

# a Redis key as "<key>: <contents>": a hash's fields (those in @skip
# left out) and a set's members, normalised, then sorted (ids numbered
# by then); "none" if it is not there
sub dump_key {
    my ($key, @skip) = @_;
    my %skip = map { $_ => 1 } @skip;
    my $type = SwrTest::command('TYPE', $key);
    my $s;

    if ($type eq 'hash') {
        my %h = @{ SwrTest::command('HGETALL', $key) };
        $s = join ' ', sort map { normalised("$_=$h{$_}") }
                            grep { !$skip{$_} } keys %h;
    } elsif ($type eq 'set') {
        $s = join ' ', sort map { normalised($_) }
                            @{ SwrTest::command('SMEMBERS', $key) };
    } else {
        $s = $type;
    }

    return normalised("$key: ") . "$s\n";
}

# runs $code->(\@lines) and writes the lines to html/x.txt; never dies
# (a die in --- init would end the whole run): an error ends the report
sub report {
    my ($code) = @_;
    my @out;

    %Ids = ();
    eval { $code->(\@out); 1 } or push @out, "died: $@";

    my $f = "$ENV{TEST_NGINX_SERVER_ROOT}/html/x.txt";
    open my $fh, '>', $f or die "$f: $!\n";
    print $fh map { /\n\z/ ? $_ : "$_\n" } @out;
    close $fh;
}

# AES-256-CTR by the openssl command line, for the independent decryption
sub aes_ctr {
    my ($key_hex, $iv_hex, $data) = @_;
    my $f = dir() . '/ct.bin';
    open my $fh, '>:raw', $f or die "$f: $!\n";
    print $fh $data;
    close $fh;
    open my $p, '-|', 'openssl', 'enc', '-d', '-aes-256-ctr', '-K', $key_hex,
                      '-iv', $iv_hex, '-nosalt', '-in', $f
        or die "openssl: $!\n";
    binmode $p;
    my $clear = do { local $/; <$p> } // '';
    close $p;
    return $clear;
}

__DATA__

=== TEST 1: accounts and users: created, listed, unique, disabled and enabled again
--- init
SwrTest::command('FLUSHALL');
main::report(sub {
    my ($o) = @_;
    push @$o, main::admin('account-create', 'acme');
    my $acme = main::out();
    push @$o, main::admin('account-create', 'acme');
    push @$o, main::admin('account-create', 'other');
    push @$o, main::admin('account-create', 'a/b');
    push @$o, main::admin('account-create', '0123456789abcdef0123456789abcdef');
    push @$o, main::admin('account-list');
    push @$o, main::admin('user-create', 'acme', 'alice', '--admin');
    push @$o, main::admin('user-create', 'acme', 'bob');
    my $bob = main::out();
    push @$o, main::admin('user-create', $acme, 'bob');
    push @$o, main::admin('user-create', 'other', 'bob');
    push @$o, main::admin('user-create', 'nosuch', 'carol');
    push @$o, main::admin('user-list');
    push @$o, main::admin('user-list', 'other');
    push @$o, main::admin('user-disable', 'acme/bob');
    push @$o, main::dump_key("swr:user:{$bob}");
    push @$o, main::admin('user-list', $acme);
    push @$o, main::admin('user-enable', $bob);
    push @$o, main::dump_key("swr:user:{$bob}");
    push @$o, main::admin('user-disable', 'acme/nobody');
    push @$o, main::admin('user-disable', 'nobody');
    push @$o, main::dump_key('swr:accounts');
    push @$o, main::dump_key("swr:account:{$acme}");
    push @$o, main::dump_key("swr:account:{$acme}:users");
});
--- config
    location = /x.txt {
        default_type text/plain;
    }
--- request
GET /x.txt
--- response_body
account-create acme => 0
<1>
account-create acme => 1
! swr-admin: account acme exists
account-create other => 0
<2>
account-create a/b => 1
! swr-admin: invalid account name "a/b": 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit
account-create <3> => 1
! swr-admin: invalid account name "<3>": 32 hex digits look like an id
account-list => 0
<1> acme
<2> other
user-create acme alice --admin => 0
<4>
user-create acme bob => 0
<5>
user-create <1> bob => 1
! swr-admin: user acme/bob exists
user-create other bob => 0
<6>
user-create nosuch carol => 1
! swr-admin: no account nosuch
user-list => 0
<4> acme/alice admin enabled
<5> acme/bob user enabled
<6> other/bob user enabled
user-list other => 0
<6> other/bob user enabled
user-disable acme/bob => 0
user acme/bob disabled
swr:user:{<5>}: account=<1> admin=0 created=<now> disabled=1 name=bob
user-list <1> => 0
<4> acme/alice admin enabled
<5> acme/bob user disabled
user-enable <5> => 0
user acme/bob enabled
swr:user:{<5>}: account=<1> admin=0 created=<now> disabled=0 name=bob
user-disable acme/nobody => 1
! swr-admin: no user nobody in account acme
user-disable nobody => 1
! swr-admin: user "nobody": give a user id or ACCOUNT/NAME
swr:accounts: acme=<1> other=<2>
swr:account:{<1>}: created=<now> name=acme
swr:account:{<1>}:users: alice=<4> bob=<5>



=== TEST 2: access keys: random and given, listed without their SK, disabled, enabled, deleted; the key file
--- init
SwrTest::command('FLUSHALL');
main::report(sub {
    my ($o) = @_;
    my $key = main::dir() . "/secret.key";
    unlink $key;
    push @$o, main::admin('key-gen-file', $key);
    my $text = do { local (@ARGV, $/) = ($key); <> };
    push @$o, sprintf "key file: mode %04o, 64 hex digits: %s",
                      (stat $key)[2] & 07777,
                      $text =~ /\A[0-9a-f]{64}\n\z/ ? 'yes' : "no: $text";
    push @$o, main::admin('key-gen-file', $key);
    my $again = do { local (@ARGV, $/) = ($key); <> };
    push @$o, 'key file unchanged: ' . ($again eq $text ? 'yes' : 'no');

    main::admin('account-create', 'acme');
    main::admin('user-create', 'acme', 'alice');
    my $alice = main::out();
    main::admin('user-create', 'acme', 'bob');

    main::admin('key-create', 'acme/alice');
    my ($ak) = $main::Out =~ /\AAK ([A-Z0-9]{20})\n/;
    my ($sk) = $main::Out =~ /\nSK ([A-Za-z0-9]{40})\n\z/;
    push @$o, 'random key: ' . ($ak && $sk ? 'AK 20 uppercase letters and'
                                . ' digits, SK 40 letters and digits'
                                : "unexpected output: $main::Out");
    push @$o, main::admin('key-list', 'acme/alice') =~ s/\Q$ak\E/<AK>/gr;
    push @$o, 'SK in key-list: ' . ($main::Out =~ /\Q$sk\E/ ? 'yes' : 'no');
    push @$o, main::dump_key("swr:user:{$alice}:aks") =~ s/\Q$ak\E/<AK>/gr;

    push @$o, main::admin('key-create', 'acme/bob', '--ak', 'AKTEST',
                          '--sk', 'SKTEST', '--expires', '4000000000');
    push @$o, main::admin('key-create', 'acme/bob', '--ak', 'AKTWO')
              =~ s/^SK [A-Za-z0-9]{40}$/SK <40 letters and digits>/mr;
    push @$o, main::admin('key-create', 'acme/alice', '--ak', 'AKTEST');
    push @$o, main::admin('key-create', 'acme/bob', '--ak', 'AK-BAD');
    push @$o, main::admin('key-create', 'acme/bob', '--expires', '1000');
    push @$o, main::admin('key-create', 'acme/nobody');
    push @$o, main::admin('key-list', 'acme/bob');
    push @$o, main::dump_key('swr:ak:{AKTEST}', 'sk');
    push @$o, main::admin('key-disable', 'AKTEST');
    push @$o, main::dump_key('swr:ak:{AKTEST}', 'sk');
    push @$o, main::admin('key-list', 'acme/bob');
    push @$o, main::admin('key-enable', 'AKTEST');
    push @$o, 'enabled: ' . SwrTest::command('HGET', 'swr:ak:{AKTEST}',
                                             'enabled');
    push @$o, main::admin('key-disable', 'NOSUCHAK');
    push @$o, main::admin('key-delete', 'AKTWO');
    push @$o, main::dump_key('swr:ak:{AKTWO}');
    push @$o, main::admin('key-delete', 'AKTWO');
    push @$o, main::admin('key-list', 'acme/bob');
    push @$o, main::dump_key('swr:user:{' . SwrTest::command('HGET',
        'swr:ak:{AKTEST}', 'user') . '}:aks');
});
--- config
    location = /x.txt {
        default_type text/plain;
    }
--- request
GET /x.txt
--- response_body
key-gen-file ROOT/admin_temp/secret.key => 0
ROOT/admin_temp/secret.key
key file: mode 0600, 64 hex digits: yes
key-gen-file ROOT/admin_temp/secret.key => 1
! swr-admin: ROOT/admin_temp/secret.key exists: not overwritten
key file unchanged: yes
random key: AK 20 uppercase letters and digits, SK 40 letters and digits
key-list acme/alice => 0
<AK> enabled created=<now> expires=never
SK in key-list: no
swr:user:{<2>}:aks: <AK>
key-create acme/bob --ak AKTEST --sk SKTEST --expires 4000000000 => 0
AK AKTEST
SK SKTEST
key-create acme/bob --ak AKTWO => 0
AK AKTWO
SK <40 letters and digits>
key-create acme/alice --ak AKTEST => 1
! swr-admin: AK AKTEST exists
key-create acme/bob --ak AK-BAD => 1
! swr-admin: invalid AK: 1 to 64 letters and digits
key-create acme/bob --expires 1000 => 1
! swr-admin: --expires is a Unix time in the future (or 0, never)
key-create acme/nobody => 1
! swr-admin: no user nobody in account acme
key-list acme/bob => 0
AKTEST enabled created=<now> expires=4000000000
AKTWO enabled created=<now> expires=never
swr:ak:{AKTEST}: created=<now> enabled=1 expires=4000000000 user=<3>
key-disable AKTEST => 0
AK AKTEST disabled
swr:ak:{AKTEST}: created=<now> enabled=0 expires=4000000000 user=<3>
key-list acme/bob => 0
AKTEST disabled created=<now> expires=4000000000
AKTWO enabled created=<now> expires=never
key-enable AKTEST => 0
AK AKTEST enabled
enabled: 1
key-disable NOSUCHAK => 1
! swr-admin: no AK NOSUCHAK
key-delete AKTWO => 0
AK AKTWO deleted
swr:ak:{AKTWO}: none
key-delete AKTWO => 1
! swr-admin: no AK AKTWO
key-list acme/bob => 0
AKTEST enabled created=<now> expires=4000000000
swr:user:{<3>}:aks: AKTEST



=== TEST 3: SKs at rest: v1:<iv>:<ct>:<tag>, never in clear in Redis, decrypted independently, a damaged record refused
--- init
SwrTest::command('FLUSHALL');
main::report(sub {
    my ($o) = @_;
    my $root = main::dir();
    unlink "$root/secret.key";
    main::admin('key-gen-file', "$root/secret.key");
    main::admin('account-create', 'acme');
    main::admin('user-create', 'acme', 'alice');

    main::admin('key-create', 'acme/alice', '--ak', 'AKONE');
    my ($sk) = $main::Out =~ /^SK (\S+)$/m;
    push @$o, main::admin({ stdin => 'Pass/w0rd!-with~punctuation' },
                          'key-create', 'acme/alice', '--ak', 'AKSTDIN',
                          '--sk', '-');
    push @$o, main::admin('key-create', 'acme/alice', '--ak', 'AKSAME',
                          '--sk', $sk) =~ s/\Q$sk\E/<the SK of AKONE>/gr;

    # the master key, the derived keys, as the schema says
    my $hex = do { local (@ARGV, $/) = ("$root/secret.key"); <> };
    chomp $hex;
    my $master = pack 'H*', $hex;
    my $enc = Digest::SHA::hmac_sha256('swr-sk-enc', $master);
    my $mac = Digest::SHA::hmac_sha256('swr-sk-mac', $master);

    my %clear = (AKONE => $sk, AKSTDIN => 'Pass/w0rd!-with~punctuation',
                 AKSAME => $sk);
    my %stored;

    for my $ak (sort keys %clear) {
        my $s = SwrTest::command('HGET', "swr:ak:{$ak}", 'sk');
        $stored{$ak} = $s;
        my ($body, $iv, $ct, $tag) =
            $s =~ /\A(v1:([0-9a-f]{32}):([0-9a-f]+)):([0-9a-f]{64})\z/
            or do { push @$o, "$ak: not v1:<iv>:<ct>:<tag>: $s"; next };
        my $clear = main::aes_ctr(unpack('H*', $enc), $iv, pack 'H*', $ct);
        push @$o, sprintf "%s: v1, %d ciphertext bytes, tag %s, decrypts"
                          . " to the SK: %s", $ak, length($ct) / 2,
                          Digest::SHA::hmac_sha256_hex($body, $mac) eq $tag
                          ? 'right' : 'wrong',
                          $clear eq $clear{$ak} ? 'yes' : "no ($clear)";
    }

    my @one = split /:/, $stored{AKONE};
    my @same = split /:/, $stored{AKSAME};
    push @$o, 'one SK twice, two ivs and ciphertexts: '
              . ($one[1] ne $same[1] && $one[2] ne $same[2] ? 'yes' : 'no');

    # no SK anywhere in Redis in clear
    my $found = 0;
    for my $key (@{ SwrTest::command('KEYS', '*') }) {
        my $type = SwrTest::command('TYPE', $key);
        my @v = $type eq 'hash' ? @{ SwrTest::command('HGETALL', $key) }
              : $type eq 'set'  ? @{ SwrTest::command('SMEMBERS', $key) }
              : ();
        for my $v (@v) {
            $found++ if grep { index($v, $_) >= 0 } values %clear;
        }
    }
    push @$o, "SKs in clear in Redis: $found";

    # the tool reads them back, and refuses a damaged record
    push @$o, main::admin('login-command', 'AKONE')
              =~ s/ -p [0-9a-f]{64} / -p <64 hex digits> /r;
    my $hmac = Digest::SHA::hmac_sha256_hex('AKONE', $sk);
    push @$o, 'login key is HMAC-SHA256(SK, AK): '
              . ($main::Out =~ / -p $hmac / ? 'yes' : 'no');
    (my $bad = $stored{AKONE})
        =~ s/\A(v1:[0-9a-f]{32}:)(.)/$1 . ($2 eq 'a' ? 'b' : 'a')/e;
    SwrTest::command('HSET', 'swr:ak:{AKONE}', 'sk', $bad);
    push @$o, main::admin('login-command', 'AKONE');
    SwrTest::command('HSET', 'swr:ak:{AKONE}', 'sk', 'plain');
    push @$o, main::admin('login-command', 'AKONE');
    push @$o, main::admin('--self-check');
});
--- config
    location = /x.txt {
        default_type text/plain;
    }
--- request
GET /x.txt
--- response_body
key-create acme/alice --ak AKSTDIN --sk - => 0
AK AKSTDIN
SK Pass/w0rd!-with~punctuation
key-create acme/alice --ak AKSAME --sk <the SK of AKONE> => 0
AK AKSAME
SK <the SK of AKONE>
AKONE: v1, 40 ciphertext bytes, tag right, decrypts to the SK: yes
AKSAME: v1, 40 ciphertext bytes, tag right, decrypts to the SK: yes
AKSTDIN: v1, 27 ciphertext bytes, tag right, decrypts to the SK: yes
one SK twice, two ivs and ciphertexts: yes
SKs in clear in Redis: 0
login-command AKONE => 0
docker login -u local@AKONE -p <64 hex digits> 127.0.0.1:5000
login key is HMAC-SHA256(SK, AK): yes
login-command AKONE => 1
! swr-admin: the stored SK of AK AKONE does not match the key file (a different key file, or a damaged record)
login-command AKONE => 1
! swr-admin: the stored SK of AK AKONE is not in the v1 format
--self-check => 0
self-check: AES-256-CTR (NIST SP 800-38A F.5.5): ok
self-check: stored SK test vector: ok
self-check: round trips, changed records and other key files refused: ok
self-check: login key (AKTEST, SKTEST): ok



=== TEST 4: login-command: the worked example (AKTEST, SKTEST), region and registry, a wrong or missing key file
--- init
SwrTest::command('FLUSHALL');
main::report(sub {
    my ($o) = @_;
    my $root = main::dir();
    unlink "$root/secret.key", "$root/other.key";
    main::admin('key-gen-file', "$root/secret.key");
    main::admin('key-gen-file', "$root/other.key");
    open my $fh, '>', "$root/short.key" or die $!;
    print $fh "0123456789abcdef\n";
    close $fh;
    main::admin('account-create', 'acme');
    main::admin('user-create', 'acme', 'alice');

    push @$o, main::admin('key-create', 'acme/alice', '--ak', 'AKTEST',
                          '--sk', 'SKTEST');
    push @$o, main::admin('login-command', 'AKTEST');
    push @$o, main::admin('login-command', 'AKTEST', '--region',
                          'cn-north-4', '--registry',
                          'swr.cn-north-4.myhuaweicloud.com');
    push @$o, main::admin({ env => { SWR_REGION => 'ap-southeast-1',
                                     SWR_REGISTRY => 'registry.test:5443' } },
                          'login-command', 'AKTEST');
    push @$o, main::admin({ key => '' }, '--key-file', "$root/secret.key",
                          'login-command', 'AKTEST', '--region', 'r1');
    push @$o, main::admin({ key => "$root/other.key" }, 'login-command',
                          'AKTEST');
    push @$o, main::admin({ key => "$root/nothere.key" }, 'login-command',
                          'AKTEST');
    push @$o, main::admin({ key => "$root/short.key" }, 'login-command',
                          'AKTEST');
    push @$o, main::admin({ key => '' }, 'login-command', 'AKTEST');
    push @$o, main::admin({ key => '' }, 'key-create', 'acme/alice');
    push @$o, main::admin('login-command', 'NOSUCH');
    push @$o, main::admin('login-command', 'AKTEST', '--region', 'a@b');
    main::admin('key-disable', 'AKTEST');
    push @$o, main::admin('login-command', 'AKTEST');
});
--- config
    location = /x.txt {
        default_type text/plain;
    }
--- request
GET /x.txt
--- response_body
key-create acme/alice --ak AKTEST --sk SKTEST => 0
AK AKTEST
SK SKTEST
login-command AKTEST => 0
docker login -u local@AKTEST -p 232888a70fce5f6b6d647f78c42f1c7ffb6923b14d964e2a9f4ee3a082e58002 127.0.0.1:5000
login-command AKTEST --region cn-north-4 --registry swr.cn-north-4.myhuaweicloud.com => 0
docker login -u cn-north-4@AKTEST -p 232888a70fce5f6b6d647f78c42f1c7ffb6923b14d964e2a9f4ee3a082e58002 swr.cn-north-4.myhuaweicloud.com
login-command AKTEST => 0
docker login -u ap-southeast-1@AKTEST -p 232888a70fce5f6b6d647f78c42f1c7ffb6923b14d964e2a9f4ee3a082e58002 registry.test:5443
--key-file ROOT/admin_temp/secret.key login-command AKTEST --region r1 => 0
docker login -u r1@AKTEST -p 232888a70fce5f6b6d647f78c42f1c7ffb6923b14d964e2a9f4ee3a082e58002 127.0.0.1:5000
login-command AKTEST => 1
! swr-admin: the stored SK of AK AKTEST does not match the key file (a different key file, or a damaged record)
login-command AKTEST => 1
! swr-admin: cannot read key file ROOT/admin_temp/nothere.key: No such file or directory
login-command AKTEST => 1
! swr-admin: key file ROOT/admin_temp/short.key: not 64 hex digits (make one with key-gen-file)
login-command AKTEST => 1
! swr-admin: this command needs the key file (swr_secret_key_file): --key-file FILE or SWR_SECRET_KEY_FILE
key-create acme/alice => 1
! swr-admin: this command needs the key file (swr_secret_key_file): --key-file FILE or SWR_SECRET_KEY_FILE
login-command NOSUCH => 1
! swr-admin: no AK NOSUCH
login-command AKTEST --region a@b => 1
! swr-admin: invalid region a@b
login-command AKTEST => 0
docker login -u local@AKTEST -p 232888a70fce5f6b6d647f78c42f1c7ffb6923b14d964e2a9f4ee3a082e58002 127.0.0.1:5000
! swr-admin: warning: AK AKTEST is disabled



=== TEST 5: tokens: 64 hex digits, user and expiry in the hash, the key's TTL set to the expiry; none for a disabled user
--- init
SwrTest::command('FLUSHALL');
main::report(sub {
    my ($o) = @_;
    main::admin('account-create', 'acme');
    main::admin('user-create', 'acme', 'alice');
    my $alice = main::out();
    main::admin('user-create', 'acme', 'bob');
    main::admin('user-disable', 'acme/bob');

    for my $ttl (600, undef) {
        my @a = ('token-create', 'acme/alice',
                 defined $ttl ? ('--ttl', $ttl) : ());
        my $t0 = time;
        my $r = main::admin(@a);
        my $token = main::out();
        my $want = $ttl // 86400;
        push @$o, $r =~ s/^[0-9a-f]{64}$/<64 hex digits>/mr;
        my %h = @{ SwrTest::command('HGETALL', "swr:token:{$token}") };
        my $ttl_now = SwrTest::command('TTL', "swr:token:{$token}");
        push @$o, sprintf "token: user %s, expires in %s, TTL %s,"
                          . " fields %s",
                          ($h{user} // '') eq $alice ? 'alice' : 'wrong',
                          ($h{expires} // 0) - $t0 >= $want
                          && ($h{expires} // 0) - time <= $want
                          ? 'the ttl' : 'wrong',
                          $ttl_now > $want - 10 && $ttl_now <= $want
                          ? 'the ttl' : "wrong ($ttl_now)",
                          join(',', sort keys %h);
    }

    main::admin('token-create', 'acme/alice');
    my $one = main::out();
    main::admin('token-create', 'acme/alice');
    push @$o, 'two tokens differ: ' . ($one ne main::out() ? 'yes' : 'no');
    push @$o, main::admin('token-create', 'acme/bob');
    push @$o, main::admin('token-create', 'acme/alice', '--ttl', '0');
    push @$o, 'tokens in Redis: '
              . scalar @{ SwrTest::command('KEYS', 'swr:token:*') };
});
--- config
    location = /x.txt {
        default_type text/plain;
    }
--- request
GET /x.txt
--- response_body
token-create acme/alice --ttl 600 => 0
<64 hex digits>
token: user alice, expires in the ttl, TTL the ttl, fields expires,user
token-create acme/alice => 0
<64 hex digits>
token: user alice, expires in the ttl, TTL the ttl, fields expires,user
two tokens differ: yes
token-create acme/bob => 1
! swr-admin: user acme/bob is disabled
token-create acme/alice --ttl 0 => 1
! swr-admin: --ttl is a number of seconds, at least 1
tokens in Redis: 4



=== TEST 6: namespaces, grants on namespaces and repositories, public repositories, shares with other accounts
--- init
SwrTest::command('FLUSHALL');
main::report(sub {
    my ($o) = @_;
    main::admin('account-create', 'acme');                  # <1>
    main::admin('account-create', 'other');                 # <2>
    my $other = main::out();
    main::admin('user-create', 'acme', 'alice', '--admin'); # <3>
    main::admin('user-create', 'acme', 'bob');              # <4>
    main::admin('user-create', 'other', 'carol');           # <5>

    push @$o, main::admin('ns-create', 'team', 'acme', '--creator',
                          'acme/alice');
    push @$o, main::dump_key('swr:ns:{team}');
    push @$o, main::dump_key('swr:ns:{team}:grants');
    push @$o, main::admin('ns-create', 'team', 'other');
    push @$o, main::admin('ns-create', 'lib', $other);
    push @$o, main::dump_key('swr:ns:{lib}');
    push @$o, main::dump_key('swr:ns:{lib}:grants');
    push @$o, main::admin('ns-create', 'Team', 'acme');
    push @$o, main::admin('ns-create', 'manage', 'acme');
    push @$o, main::admin('ns-create', 'x', 'acme', '--creator',
                          'other/carol');
    push @$o, main::admin('ns-list');

    push @$o, main::admin('grant-ns', 'team', 'acme/bob', '3');
    push @$o, main::dump_key('swr:ns:{team}:grants');
    push @$o, main::admin('grant-ns', 'team', 'acme/bob', '7');
    push @$o, main::admin('grant-ns', 'team', 'acme/bob', '0');
    push @$o, main::dump_key('swr:ns:{team}:grants');
    push @$o, main::admin('grant-ns', 'team', 'acme/bob', '0');
    push @$o, main::admin('grant-ns', 'team', 'acme/bob', '5');
    push @$o, main::admin('grant-ns', 'team', 'other/carol', '1');
    push @$o, main::admin('grant-ns', 'nosuch', 'acme/bob', '1');

    push @$o, main::admin('grant-repo', 'team/app/web', 'acme/bob', '1');
    push @$o, main::admin('grant-repo', 'team/app', 'acme/bob', '3');
    push @$o, main::dump_key('swr:{r:team/app/web}:grants');
    push @$o, main::dump_key('swr:{r:team/app}:grants');
    push @$o, main::admin('grant-repo', 'team/app', 'acme/bob', '0');
    push @$o, main::dump_key('swr:{r:team/app}:grants');
    push @$o, main::admin('grant-repo', 'team', 'acme/bob', '1');
    push @$o, main::admin('grant-repo', 'nosuch/app', 'acme/bob', '1');

    push @$o, main::admin('repo-public', 'team/app', 'on');
    push @$o, main::dump_key('swr:{r:team/app}:meta');
    push @$o, main::admin('repo-public', 'team/app', 'off');
    push @$o, main::dump_key('swr:{r:team/app}:meta');
    push @$o, main::admin('repo-public', 'team/app', 'yes');

    push @$o, main::admin('share', 'team/app', 'other', '--deadline',
                          '4000000000');
    push @$o, main::dump_key('swr:{r:team/app}:shares');
    push @$o, main::admin('share', 'team/app', $other);
    push @$o, main::dump_key('swr:{r:team/app}:shares');
    push @$o, main::admin('share', 'team/app', 'acme');
    push @$o, main::admin('share', 'team/app', 'other', '--deadline', '1');
    push @$o, main::admin('share', 'team/app', 'nosuch');
    push @$o, main::admin('unshare', 'team/app', 'other');
    push @$o, main::dump_key('swr:{r:team/app}:shares');
    push @$o, main::admin('unshare', 'team/app', 'other');
});
--- config
    location = /x.txt {
        default_type text/plain;
    }
--- request
GET /x.txt
--- response_body
ns-create team acme --creator acme/alice => 0
namespace team created
swr:ns:{team}: account=<1> created=<now> creator=<3> id=1
swr:ns:{team}:grants: <3>=7
ns-create team other => 1
! swr-admin: namespace team exists
ns-create lib <2> => 0
namespace lib created
swr:ns:{lib}: account=<2> created=<now> id=2
swr:ns:{lib}:grants: none
ns-create Team acme => 1
! swr-admin: invalid namespace "Team": lowercase letters and digits joined by '.', '_', '__' or '-', at most 64 characters
ns-create manage acme => 1
! swr-admin: the namespace "manage" is the management API's
ns-create x acme --creator other/carol => 1
! swr-admin: user other/carol is not of account acme
ns-list => 0
lib other -
team acme acme/alice
grant-ns team acme/bob 3 => 0
granted 3 on namespace team to acme/bob
swr:ns:{team}:grants: <3>=7 <4>=3
grant-ns team acme/bob 7 => 0
granted 7 on namespace team to acme/bob
grant-ns team acme/bob 0 => 0
revoked the grant of acme/bob on namespace team
swr:ns:{team}:grants: <3>=7
grant-ns team acme/bob 0 => 1
! swr-admin: user acme/bob has no grant on namespace team
grant-ns team acme/bob 5 => 2
! swr-admin: LEVEL is 1, 3, 7 or 0, not 5
! usage: swr-admin [--redis HOST:PORT] [--db N] [--password PW] [--key-file FILE]
!                  COMMAND [ARGUMENTS] [OPTIONS]
!        swr-admin --help (the commands)
grant-ns team other/carol 1 => 1
! swr-admin: user other/carol is not of account acme, which owns namespace team (share the repository with the account instead)
grant-ns nosuch acme/bob 1 => 1
! swr-admin: no namespace nosuch
grant-repo team/app/web acme/bob 1 => 0
granted 1 on repository team/app/web to acme/bob
grant-repo team/app acme/bob 3 => 0
granted 3 on repository team/app to acme/bob
swr:{r:team/app/web}:grants: <4>=1
swr:{r:team/app}:grants: <4>=3
grant-repo team/app acme/bob 0 => 0
revoked the grant of acme/bob on repository team/app
swr:{r:team/app}:grants: none
grant-repo team acme/bob 1 => 1
! swr-admin: invalid repository "team": NAMESPACE/NAME[/NAME...], each part lowercase letters and digits joined by '.', '_', '__' or '-', at most 255 characters
grant-repo nosuch/app acme/bob 1 => 1
! swr-admin: no namespace nosuch
repo-public team/app on => 0
repository team/app public
swr:{r:team/app}:meta: public=1
repo-public team/app off => 0
repository team/app private
swr:{r:team/app}:meta: public=0
repo-public team/app yes => 2
! swr-admin: repo-public takes on or off
! usage: swr-admin [--redis HOST:PORT] [--db N] [--password PW] [--key-file FILE]
!                  COMMAND [ARGUMENTS] [OPTIONS]
!        swr-admin --help (the commands)
share team/app other --deadline 4000000000 => 0
repository team/app shared with other until 4000000000
swr:{r:team/app}:shares: <2>=4000000000
share team/app <2> => 0
repository team/app shared with other
swr:{r:team/app}:shares: <2>=0
share team/app acme => 1
! swr-admin: account acme owns repository team/app
share team/app other --deadline 1 => 1
! swr-admin: --deadline is a Unix time in the future (or 0, none)
share team/app nosuch => 1
! swr-admin: no account nosuch
unshare team/app other => 0
repository team/app no longer shared with other
swr:{r:team/app}:shares: none
unshare team/app other => 1
! swr-admin: repository team/app is not shared with other



=== TEST 7: usage: exit status 2 for what cannot be run, --help lists every command
--- init
main::report(sub {
    my ($o) = @_;
    push @$o, main::admin() =~ s/\n! usage.*//sr;
    push @$o, main::admin('frobnicate') =~ s/\n! usage.*//sr;
    push @$o, main::admin('account-create') =~ s/\n! usage.*//sr;
    push @$o, main::admin('grant-ns', 'a', 'b') =~ s/\n! usage.*//sr;
    push @$o, main::admin('account-list', 'extra') =~ s/\n! usage.*//sr;
    push @$o, main::admin('account-list', '--ttl', '5') =~ s/\n! usage.*//sr;
    push @$o, main::admin('account-list', '--bogus') =~ s/\n! usage.*//sr;
    push @$o, main::admin('token-create', 'a/b', '--ttl', 'x')
              =~ s/\n! usage.*//sr;
    push @$o, main::admin('--self-check', 'account-list')
              =~ s/\n! usage.*//sr;
    my $help = main::admin('--help');
    my @missing = grep { $help !~ /^  \Q$_\E(?: |$)/m }
        qw(account-create account-list user-create user-list user-disable
           user-enable key-create key-list key-disable key-enable key-delete
           token-create login-command ns-create ns-list grant-ns grant-repo
           repo-public share unshare key-gen-file usage-rebuild audit);
    push @$o, ($help =~ /\A(.*\n)/)[0]
              . 'commands missing from --help: ' . (@missing ? "@missing" : 'none');
});
--- config
    location = /x.txt {
        default_type text/plain;
    }
--- request
GET /x.txt
--- response_body
 => 2
! swr-admin: no command
frobnicate => 2
! swr-admin: unknown command frobnicate
account-create => 2
! swr-admin: account-create takes 1 argument
grant-ns a b => 2
! swr-admin: grant-ns takes 3 arguments
account-list extra => 2
! swr-admin: account-list takes 0 arguments
account-list --ttl 5 => 2
! swr-admin: account-list takes no --ttl
account-list --bogus => 2
! Unknown option: bogus
token-create a/b --ttl x => 2
! Value "x" invalid for option ttl (number expected)
--self-check account-list => 2
! swr-admin: --self-check takes no command
--help => 0
commands missing from --help: none



=== TEST 8: usage-rebuild: organizations indexed with an id, repositories with content get a record, the counters recounted from the data (downflow kept)
--- init
main::report(sub {
    my ($o) = @_;
    SwrTest::command('FLUSHALL');
    push @$o, main::admin('account-create', 'acme');
    push @$o, main::admin('account-create', 'other');
    # an organization as an older swr-admin made it: no id, no index
    my $acme = SwrTest::command('HGET', 'swr:accounts', 'acme');
    my $other = SwrTest::command('HGET', 'swr:accounts', 'other');
    SwrTest::command('HSET', 'swr:ns:{old}', account => $acme);
    push @$o, main::admin('ns-create', 'team', 'acme');
    push @$o, main::admin('ns-create', 'oth', 'other');
    # team/a: two tags, two images of 100 and 250 bytes, a record of its
    # own; team/b: pushed before records were kept; team/empty: only a
    # catalog entry; old/x: one tag; counters all wrong
    SwrTest::command('ZADD', 'swr:repos', 0, $_)
        for qw(team/a team/b team/empty old/x);
    SwrTest::command('HSET', 'swr:{r:team/a}:tags', v1 => 'sha256:1',
                     v2 => 'sha256:2');
    SwrTest::command('HSET', 'swr:{r:team/a}:sizes', 'sha256:1' => 100,
                     'sha256:2' => 250);
    SwrTest::command('HSET', 'swr:{r:team/a}:meta', created => 5,
                     category => 'linux', size => 7);
    SwrTest::command('HSET', 'swr:{r:team/b}:manifests', 'sha256:3' => '2 x');
    SwrTest::command('HSET', 'swr:{r:team/b}:tags', latest => 'sha256:3');
    SwrTest::command('HSET', 'swr:{r:old/x}:tags', t => 'sha256:4');
    SwrTest::command('HSET', 'swr:{r:old/x}:sizes', 'sha256:4' => 1000);
    SwrTest::command('HSET', 'swr:ns:{team}:usage', repos => 9, images => 9,
                     size => 9, downflow => 4096);
    push @$o, main::admin('usage-rebuild');
    push @$o, main::dump_key('swr:ns:{team}:usage'),
              main::dump_key('swr:ns:{old}:usage'),
              main::dump_key('swr:ns:{oth}:usage'),
              main::dump_key('swr:{r:team/a}:meta'),
              main::dump_key('swr:{r:team/b}:meta'),
              main::dump_key('swr:{r:team/empty}:meta'),
              main::dump_key("swr:account:{$acme}:namespaces"),
              main::dump_key("swr:account:{$other}:namespaces");
    push @$o, 'old has an id: '
              . (SwrTest::command('HGET', 'swr:ns:{old}', 'id') =~ /^\d+$/
                 ? 'yes' : 'no');
    push @$o, 'index: ' . join(' ', @{ SwrTest::command('ZRANGE',
                                           'swr:namespaces', 0, -1) });
    # twice: the same
    push @$o, main::admin('usage-rebuild');
});
--- config
    location = /x.txt {
        default_type text/plain;
    }
--- request
GET /x.txt
--- response_body
account-create acme => 0
<1>
account-create other => 0
<2>
ns-create team acme => 0
namespace team created
ns-create oth other => 0
namespace oth created
usage-rebuild => 0
usage rebuilt: 3 organizations, 3 repositories, 4 images, 1350 bytes
swr:ns:{team}:usage: downflow=4096 images=3 repos=2 size=350
swr:ns:{old}:usage: images=1 repos=1 size=1000
swr:ns:{oth}:usage: images=0 repos=0 size=0
swr:{r:team/a}:meta: category=linux created=5 size=350
swr:{r:team/b}:meta: category=other created=<now> size=0 updated=<now>
swr:{r:team/empty}:meta: none
swr:account:{<1>}:namespaces: old team
swr:account:{<2>}:namespaces: oth
old has an id: yes
index: old oth team
usage-rebuild => 0
usage rebuilt: 3 organizations, 3 repositories, 4 images, 1350 bytes



=== TEST 9: audit: the trail from the stream and from a file, filtered by time, user (id or name), operation and resource, a line a record or the records themselves
--- init
main::report(sub {
    my ($o) = @_;
    SwrTest::command('FLUSHALL');
    my @recs = (
        [ 1700000000000, 'u-1', 'alice', 'CreateImageRepository', 'ns1/app', '200' ],
        [ 1700000060000, 'u-2', 'bob', 'UploadManifest', 'ns1/app:v1', '201' ],
        [ 1700086400000, 'u-1', 'alice', 'DeleteImageTag', 'ns2/web:old', '404' ],
    );
    my $file = main::dir() . '/audit.log';
    open my $fh, '>', $file or die "$file: $!\n";
    # the stream's entries as a worker with buffer= sends them: the first
    # two records in one entry (made when the second was), the third alone
    my $batch = '';
    for (@recs) {
        my ($t, $id, $name, $op, $res, $code) = @$_;
        my $rec = qq|{"time":$t,"user":{"id":"$id","name":"$name",|
                  . qq|"domain":{"id":"acct","name":"acme"}},"resource_name":"$res",|
                  . qq|"source_ip":"127.0.0.1","trace_name":"$op",|
                  . qq|"trace_rating":"| . ($code < 400 ? 'normal' : 'warning')
                  . qq|","code":"$code"}|;
        print $fh "$rec\n";
        $batch .= "$rec\n";
        next if $op eq 'CreateImageRepository';
        SwrTest::command('XADD', 'swr:audit', "$t-0", 'records', $batch);
        $batch = '';
    }
    print $fh "not json\n";
    close $fh;
    push @$o, main::admin('audit');
    push @$o, main::admin('audit', '--user', 'alice');
    push @$o, main::admin('audit', '--user', 'u-2', '--json');
    push @$o, main::admin('audit', '--op', 'DeleteImageTag');
    push @$o, main::admin('audit', '--resource', 'ns1/');
    push @$o, main::admin('audit', '--since', '2023-11-14T22:14:00', '--until', '1700086399');
    push @$o, main::admin('audit', '--since', '1700086400000');
    push @$o, main::admin('audit', '--limit', '1');
    push @$o, main::admin('audit', '--file', $file, '--op', 'UploadManifest');
    push @$o, main::admin('audit', '--stream', 'swr:other');
    push @$o, main::admin('audit', '--since', 'yesterday') =~ s/\n! usage.*//sr;
});
--- config
    location = /x.txt {
        default_type text/plain;
    }
--- request
GET /x.txt
--- response_body
audit => 0
2023-11-14T22:13:20Z CreateImageRepository 200 normal alice@acme ns1/app 127.0.0.1
2023-11-14T22:14:20Z UploadManifest 201 normal bob@acme ns1/app:v1 127.0.0.1
2023-11-15T22:13:20Z DeleteImageTag 404 warning alice@acme ns2/web:old 127.0.0.1
audit --user alice => 0
2023-11-14T22:13:20Z CreateImageRepository 200 normal alice@acme ns1/app 127.0.0.1
2023-11-15T22:13:20Z DeleteImageTag 404 warning alice@acme ns2/web:old 127.0.0.1
audit --user u-2 --json => 0
{"time":1700000060000,"user":{"id":"u-2","name":"bob","domain":{"id":"acct","name":"acme"}},"resource_name":"ns1/app:v1","source_ip":"127.0.0.1","trace_name":"UploadManifest","trace_rating":"normal","code":"201"}
audit --op DeleteImageTag => 0
2023-11-15T22:13:20Z DeleteImageTag 404 warning alice@acme ns2/web:old 127.0.0.1
audit --resource ns1/ => 0
2023-11-14T22:13:20Z CreateImageRepository 200 normal alice@acme ns1/app 127.0.0.1
2023-11-14T22:14:20Z UploadManifest 201 normal bob@acme ns1/app:v1 127.0.0.1
audit --since 2023-11-14T22:14:00 --until 1700086399 => 0
2023-11-14T22:14:20Z UploadManifest 201 normal bob@acme ns1/app:v1 127.0.0.1
audit --since 1700086400000 => 0
2023-11-15T22:13:20Z DeleteImageTag 404 warning alice@acme ns2/web:old 127.0.0.1
audit --limit 1 => 0
2023-11-14T22:13:20Z CreateImageRepository 200 normal alice@acme ns1/app 127.0.0.1
audit --file ROOT/admin_temp/audit.log --op UploadManifest => 0
2023-11-14T22:14:20Z UploadManifest 201 normal bob@acme ns1/app:v1 127.0.0.1
audit --stream swr:other => 0
audit --since yesterday => 2
! swr-admin: --since/--until: Unix time or YYYY-MM-DD[THH:MM:SS], not yesterday
