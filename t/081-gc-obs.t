# vim:set ft= ts=4 sw=4 et fdm=marker:
# util/swr-gc --obs on a real S3 store (the Ceph RGW util/test.sh
# starts): unlinked blobs, the staging objects of abandoned uploads and
# stale multipart uploads go, everything else stays; the grace period is
# measured by the store's clock; --dry-run and failures (a wrong key,
# Redis down or failing half-way) remove nothing.
#
# The objects and the Redis state are made here directly (SwrRgw,
# SwrTest::command), in the layout the module's OBS driver uses, so the
# test does not need that driver.  swr-gc sweeps the whole bucket: each
# block starts and ends with nothing under blobs/ or _uploads/ and no
# multipart upload in progress there (nor under gc-obs/, this file's own
# prefix).

use Test::Nginx::Socket;
use Digest::SHA ();
use IO::Socket::INET ();
use POSIX ();
use SwrRgw;
use SwrTest;

# SwrRgw finds the store through $TEST_NGINX_RGW_* (util/test.sh sets
# them); swr-gc takes its keys from the environment, as from cron
$ENV{TEST_NGINX_REDIS_PORT} ||= 6379;
$ENV{SWR_OBS_ACCESS_KEY} = $ENV{TEST_NGINX_RGW_ACCESS_KEY} // '';
$ENV{SWR_OBS_SECRET_KEY} = $ENV{TEST_NGINX_RGW_SECRET_KEY} // '';

# The helpers below are called as main::name() from --- init sections.

my %Label;    # sha256 hex of a blob made here -> its name in the report

# the key of a blob with $content, named <$name> in the report
sub blob_key {
    my ($name, $content) = @_;
    my $hex = Digest::SHA::sha256_hex($content);
    $Label{$hex} = $name;
    return 'blobs/sha256/' . substr($hex, 0, 2) . "/$hex";
}

# puts that blob in the store; returns its digest
sub blob {
    my ($name, $content) = @_;
    my $key = blob_key($name, $content);
    SwrRgw::put($key, $content);
    return 'sha256:' . ($key =~ m{([0-9a-f]+)$})[0];
}

# a multipart upload in progress at $key
sub initiate {
    my ($key) = @_;
    my $r = SwrRgw::request('POST', $key, query => { uploads => '' });
    die "initiate $key: $r->{status}\n" unless $r->{status} == 200;
}

# removes what the blocks make, in Redis and in the store
sub clean_store {
    SwrTest::command('FLUSHALL');

    my $s3 = SwrRgw::s3();
    for my $prefix (qw(blobs/ _uploads/ gc-obs/)) {
        SwrRgw::del($_) for SwrRgw::list($prefix);
    }
    for my $u ($s3->uploads) {
        next unless $u->{key} =~ m{^(?:blobs|_uploads|gc-obs)/};
        $s3->request('DELETE', $u->{key},
                     query => { uploadId => $u->{upload_id} });
    }
}

# one line a key in the bucket, then one a multipart upload in progress
sub store_state {
    SwrTest::note(map { "  object " . shown($_) } SwrRgw::list(''));
    SwrTest::note(map { "  multipart " . shown($_->{key}) }
                  SwrRgw::s3()->uploads);
}

# runs swr-gc --obs on the test store with @args; notes "exit <code>"
# and what it printed (stdout, then stderr)
sub gc {
    my (@args) = @_;
    my $cmd = join ' ', $^X, 'util/swr-gc', '--obs',
        '--endpoint', SwrRgw::endpoint(), '--bucket', SwrRgw::bucket(),
        '--redis', "127.0.0.1:$ENV{TEST_NGINX_REDIS_PORT}", @args;
    my $out = `$cmd 2>&1`;
    SwrTest::note('exit ' . ($? >> 8), map { shown($_) } split /\n/, $out);
}

# the report's view of a line: blob digests by name, the bucket, ports
# and multipart upload ids replaced (upload ids by SwrTest::note)
sub shown {
    my ($s) = @_;
    $s =~ s{(?:[0-9a-f]{2}/)?([0-9a-f]{64})}
           { exists $Label{$1} ? "<$Label{$1}>" : $& }ge;
    my $bucket = SwrRgw::bucket();
    $s =~ s{\Q$bucket\E/}{<bucket>/}g;
    $s =~ s{127\.0\.0\.1:\d+}{127.0.0.1:<port>}g;
    $s =~ s{^((?:would abort|aborted) multipart upload of \S+) \(.*\)$}
           {$1 (<multipart id>)};
    return $s;
}

# A Redis stand-in on a free port for one run of swr-gc: it accepts one
# connection for each array of @conns and answers each command read with
# the next reply of that array, then closes the connection; it gives up
# after 10 s without a connection.  Returns the port and the child's pid.
sub fake_redis {
    my (@conns) = @_;

    my $srv = IO::Socket::INET->new(Listen => 5, LocalAddr => '127.0.0.1',
                                    LocalPort => 0, ReuseAddr => 1,
                                    Timeout => 10)
        or die "fake redis: $!\n";
    my $pid = fork;
    die "fork: $!\n" unless defined $pid;

    if ($pid == 0) {
        for my $replies (@conns) {
            my $c = $srv->accept or last;
            for my $reply (@$replies) {
                my $n = <$c> // last;
                ($n) = $n =~ /^\*(\d+)/ or last;
                for (1 .. $n) { <$c>; <$c> }    # $<len>, then the bytes
                print $c $reply;
            }
            close $c;
        }
        POSIX::_exit(0);
    }

    my $port = $srv->sockport;
    close $srv;
    return ($port, $pid);
}

repeat_each(1);

plan tests => repeat_each() * 3 * 2;

no_long_string();
no_shuffle();
run_tests();

__DATA__

=== TEST 1: unlinked blobs, abandoned staging objects and stale multipart uploads go; the rest stays
--- init
SwrTest::flow('gc-obs', sub {
    main::clean_store();
    my $live = '1e0a77e5-0000-4000-8000-000000000001';
    my $gone = '90e0a0d0-0000-4000-8000-000000000002';

    my $linked = main::blob('linked', 'gc-obs blob linked by a');
    my $shared = main::blob('shared', 'gc-obs blob linked by a and b');
    main::blob('unlinked', 'gc-obs blob nobody links');
    main::blob('unlinked-2', 'gc-obs another blob nobody links');
    main::blob('unlinked-3', 'gc-obs a third blob nobody links');
    SwrRgw::put('blobs/sha256/not-a-blob', 'not of the layout');
    SwrTest::command('HSET', 'swr:{r:gc-obs/a}:blobs', $linked, 23,
                     $shared, 29);
    SwrTest::command('HSET', 'swr:{r:gc-obs/b}:blobs', $shared, 29);

    SwrTest::command('HSET', "swr:upload:{$live}", 'repo', 'gc-obs/a',
                     'offset', 5);
    SwrTest::command('EXPIRE', "swr:upload:{$live}", 86400);
    SwrRgw::put("_uploads/$live/p0", 'hello');
    SwrRgw::put("_uploads/$live/s5", 'world');
    SwrRgw::put("_uploads/$gone/p0", 'abc');
    SwrRgw::put("_uploads/$gone/p3", 'defg');
    SwrRgw::put('_uploads/not-an-upload', 'not of the layout');
    SwrRgw::put('gc-obs/other', 'not the registry\'s');

    main::initiate(main::blob_key('completing',
                                  'gc-obs a blob being completed'));
    main::initiate("_uploads/$gone/p7");
    main::initiate('gc-obs/other-multipart');

    SwrTest::note('dry run, grace 0:');
    main::gc('--grace', 0, '--dry-run');
    main::store_state();
    SwrTest::note('grace 3600:');
    main::gc('--grace', 3600);
    SwrTest::note('grace 0, 2 keys a page:');
    main::gc('--grace', 0, '--page', 2);
    main::store_state();
    main::clean_store();
});
--- config
    location = /gc-obs.txt {
        root $TEST_NGINX_SERVER_ROOT/html;
    }
--- request
GET /gc-obs.txt
--- response_body
dry run, grace 0:
exit 0
would remove sha256:<unlinked-2> (32 bytes)
would remove sha256:<unlinked> (24 bytes)
would remove sha256:<unlinked-3> (32 bytes)
would remove upload object _uploads/<id1>/p0 (3 bytes)
would remove upload object _uploads/<id1>/p3 (4 bytes)
would abort multipart upload of _uploads/<id1>/p7 (<multipart id>)
would abort multipart upload of blobs/sha256/<completing> (<multipart id>)
swr-gc: 2 repositories, 2 blobs linked; 2 objects kept, 0 unlinked but younger than 0s, 3 to remove (88 bytes); staging objects: 2 kept, 2 to remove (7 bytes); multipart uploads: 0 kept, 2 to abort
  object _uploads/<id2>/p0
  object _uploads/<id2>/s5
  object _uploads/<id1>/p0
  object _uploads/<id1>/p3
  object _uploads/not-an-upload
  object blobs/sha256/<unlinked-2>
  object blobs/sha256/<unlinked>
  object blobs/sha256/<linked>
  object blobs/sha256/<shared>
  object blobs/sha256/<unlinked-3>
  object blobs/sha256/not-a-blob
  object gc-obs/other
  multipart _uploads/<id1>/p7
  multipart blobs/sha256/<completing>
  multipart gc-obs/other-multipart
grace 3600:
exit 0
swr-gc: 2 repositories, 2 blobs linked; 2 objects kept, 3 unlinked but younger than 3600s, 0 removed (0 bytes); staging objects: 4 kept, 0 removed (0 bytes); multipart uploads: 2 kept, 0 aborted
grace 0, 2 keys a page:
exit 0
removed sha256:<unlinked-2> (32 bytes)
removed sha256:<unlinked> (24 bytes)
removed sha256:<unlinked-3> (32 bytes)
removed upload object _uploads/<id1>/p0 (3 bytes)
removed upload object _uploads/<id1>/p3 (4 bytes)
aborted multipart upload of _uploads/<id1>/p7 (<multipart id>)
aborted multipart upload of blobs/sha256/<completing> (<multipart id>)
swr-gc: 2 repositories, 2 blobs linked; 2 objects kept, 0 unlinked but younger than 0s, 3 removed (88 bytes); staging objects: 2 kept, 2 removed (7 bytes); multipart uploads: 0 kept, 2 aborted
  object _uploads/<id2>/p0
  object _uploads/<id2>/s5
  object _uploads/not-an-upload
  object blobs/sha256/<linked>
  object blobs/sha256/<shared>
  object blobs/sha256/not-a-blob
  object gc-obs/other
  multipart gc-obs/other-multipart



=== TEST 2: a wrong key, or Redis down or failing half-way, removes nothing
--- init
SwrTest::flow('gc-obs', sub {
    main::clean_store();
    my $gone = '90e0a0d0-0000-4000-8000-000000000003';
    main::blob('unlinked', 'gc-obs an orphan blob');
    SwrRgw::put("_uploads/$gone/p0", 'abc');
    main::initiate(main::blob_key('completing', 'gc-obs a stale completion'));

    SwrTest::note('wrong secret key:');
    main::gc('--grace', 0, '--secret-key', 'not-the-secret');

    SwrTest::note('Redis down:');
    my ($port, $pid) = main::fake_redis();
    waitpid $pid, 0;
    main::gc('--grace', 0, '--redis', "127.0.0.1:$port");

    SwrTest::note('Redis gone in the middle of the mark:');
    ($port, $pid) = main::fake_redis(["*2\r\n\$1\r\n7\r\n*0\r\n"]);
    main::gc('--grace', 0, '--redis', "127.0.0.1:$port");
    waitpid $pid, 0;

    SwrTest::note('Redis failing after the listings:');
    ($port, $pid) = main::fake_redis(["*2\r\n\$1\r\n0\r\n*0\r\n"],
                                     ["-ERR injected failure\r\n"]);
    main::gc('--grace', 0, '--redis', "127.0.0.1:$port");
    waitpid $pid, 0;

    SwrTest::note('no keys:');
    delete local @ENV{qw(SWR_OBS_ACCESS_KEY SWR_OBS_SECRET_KEY)};
    main::gc('--grace', 0, '--dry-run');
    main::store_state();

    SwrTest::note('keys on the command line:');
    main::gc('--grace', 0, '--access-key', SwrRgw::access_key(),
             '--secret-key', SwrRgw::secret_key());
    main::store_state();
    main::clean_store();
});
--- config
    location = /gc-obs.txt {
        root $TEST_NGINX_SERVER_ROOT/html;
    }
--- request
GET /gc-obs.txt
--- response_body
wrong secret key:
exit 1
swr-gc: S3 list of <bucket>/blobs/: 403 Forbidden: SignatureDoesNotMatch
Redis down:
exit 1
swr-gc: cannot connect to Redis at 127.0.0.1:<port>: Connection refused
Redis gone in the middle of the mark:
exit 1
swr-gc: Redis closed the connection
Redis failing after the listings:
exit 1
swr-gc: Redis error: ERR injected failure
no keys:
exit 2
swr-gc: --obs needs --access-key
usage: swr-gc --storage DIR [COMMON]
       swr-gc --obs --endpoint URL --bucket NAME [--access-key AK]
              [--secret-key SK] [--region REGION] [--page N] [COMMON]
COMMON: [--redis HOST:PORT] [--db N] [--password PW] [--grace SECONDS]
        [--dry-run]
The keys may come from SWR_OBS_ACCESS_KEY and SWR_OBS_SECRET_KEY instead.
  object _uploads/<id1>/p0
  object blobs/sha256/<unlinked>
  multipart blobs/sha256/<completing>
keys on the command line:
exit 0
removed sha256:<unlinked> (21 bytes)
removed upload object _uploads/<id1>/p0 (3 bytes)
aborted multipart upload of blobs/sha256/<completing> (<multipart id>)
swr-gc: 0 repositories, 0 blobs linked; 0 objects kept, 0 unlinked but younger than 0s, 1 removed (21 bytes); staging objects: 0 kept, 1 removed (3 bytes); multipart uploads: 0 kept, 1 aborted



=== TEST 3: the grace period is measured by the store's clock
--- init
SwrTest::flow('gc-obs', sub {
    main::clean_store();
    my $old = '01d0a0d0-0000-4000-8000-000000000004';
    my $young = '10a90000-0000-4000-8000-000000000005';
    main::blob('old', 'gc-obs an old orphan');
    SwrRgw::put("_uploads/$old/p0", 'old');
    main::initiate(main::blob_key('old-completion', 'gc-obs old completion'));
    select undef, undef, undef, 3.5;
    main::blob('young', 'gc-obs a young orphan');
    SwrRgw::put("_uploads/$young/p0", 'young');
    main::initiate(main::blob_key('young-completion',
                                  'gc-obs young completion'));

    main::gc('--grace', 3);
    main::store_state();
    main::clean_store();
});
--- config
    location = /gc-obs.txt {
        root $TEST_NGINX_SERVER_ROOT/html;
    }
--- request
GET /gc-obs.txt
--- response_body
exit 0
removed sha256:<old> (20 bytes)
removed upload object _uploads/<id1>/p0 (3 bytes)
aborted multipart upload of blobs/sha256/<old-completion> (<multipart id>)
swr-gc: 0 repositories, 0 blobs linked; 0 objects kept, 1 unlinked but younger than 3s, 1 removed (20 bytes); staging objects: 1 kept, 1 removed (3 bytes); multipart uploads: 1 kept, 1 aborted
  object _uploads/<id2>/p0
  object blobs/sha256/<young>
  multipart blobs/sha256/<young-completion>
