package SwrSkopeo;

# Drives the skopeo client against the nginx under test, from a .t file's
# --- init section, and turns the outcome into a small text report that
# the block then GETs from the server's html/ directory:
#
#   --- init
#   SwrSkopeo::report('oci-image', sub {
#       SwrSkopeo::copy('push', "oci:$dir:v1", SwrSkopeo::docker('ns/repo:v1'));
#       ...
#       return "text appended to the report\n";
#   });
#
# Every copy() adds "<step> ok" to the report, or ends it with
# "<step> failed: <skopeo's error message>"; a die in the code ends it with
# the message.  report() never dies (a die in --- init aborts the whole
# run), and skopeo runs with no retries and under a time limit ($TIMEOUT
# seconds a run), so a registry that answers errors fails the block at
# once, and one that hangs fails it without stalling the suite.
#
# The full output of every skopeo run, with timings, goes to
# html/<name>.log next to the report, for debugging (and is appended to
# the file $SWR_SKOPEO_LOG names, if set, as the next block wipes html/).
#
# skopeo keeps a cache of where it has seen which blob ("blob info
# cache"), and uses it to mount blobs across repositories.  report() gives
# every block a cache of its own in a temporary directory, so that no block
# depends on what earlier blocks or earlier runs pushed, and the
# system-wide cache of root is left alone.

use strict;
use warnings;

use File::Path ();
use File::Temp ();
use POSIX ();
use Time::HiRes ();

use SwrImage ();

our $TIMEOUT = 60;    # seconds for one skopeo run

my $Log;        # file handle of the current block's log
my @Report;     # lines of the current block's report
my $Scratch;    # temporary directory of the current block

sub registry {
    my $port = $ENV{TEST_NGINX_SERVER_PORT}
        or die "TEST_NGINX_SERVER_PORT unset\n";
    return "127.0.0.1:$port";
}

# docker://127.0.0.1:<port>/<name>
sub docker { return 'docker://' . registry() . "/$_[0]" }

# A new empty directory for this block (pulled images and the like).
sub scratch {
    my ($name) = @_;
    $Scratch ||= File::Temp::tempdir('swr-skopeo-XXXXXX', TMPDIR => 1,
                                     CLEANUP => 1);
    my $dir = "$Scratch/$name";
    die "scratch directory $name used twice\n" if -e $dir;
    mkdir $dir or die "cannot create $dir: $!\n";
    return $dir;
}

sub html_dir {
    my $root = $ENV{TEST_NGINX_SERVER_ROOT}
        or die "TEST_NGINX_SERVER_ROOT unset\n";
    return "$root/html";
}

sub report {
    my ($name, $code) = @_;

    @Report = ();
    File::Path::remove_tree($Scratch) if $Scratch;    # the previous block's
    $Scratch = undef;

    my $html = eval { html_dir() } || '.';

    open $Log, '>', "$html/$name.log" or undef $Log;
    _log("== $name\n");

    my $cache = eval { scratch('blob-info-cache') };

    local $ENV{XDG_DATA_HOME} = $cache if $cache;
    # skopeo run by root uses the system-wide cache whatever XDG_DATA_HOME
    # says, unless _CONTAINERS_ROOTLESS_UID makes it believe it is rootless
    local $ENV{_CONTAINERS_ROOTLESS_UID} = $> || 65534 if $cache;

    my $t0 = Time::HiRes::time();

    my $tail = eval { $code->() };
    if ($@) {
        my $err = $@;
        $err =~ s/\s+\z//;
        push @Report, $err;
    } elsif (defined $tail && length $tail) {
        push @Report, split /\n/, $tail;
    }

    _log(sprintf "== %s: %.2fs in all\n", $name, Time::HiRes::time() - $t0);
    close $Log if $Log;
    undef $Log;

    if (open my $fh, '>', "$html/$name.txt") {
        print $fh map { "$_\n" } @Report;
        close $fh;
    }

    return 1;
}

# copy($step, $from, $to, @options): skopeo copy; "$step ok" or dies with
# "$step failed: ...".
sub copy {
    my ($step, $from, $to, @opt) = @_;

    # --override-os, --override-arch, --override-variant: global options
    my @global;
    for (my $i = 0; $i < @opt; $i++) {
        next unless $opt[$i] =~ /^--override-/;
        my $n = $opt[$i] =~ /=/ ? 1 : 2;
        push @global, splice @opt, $i--, $n;
    }

    my @cmd = ('skopeo', '--insecure-policy',
               '--command-timeout', "${TIMEOUT}s", @global,
               'copy', '--retry-times', '0',
               '--src-tls-verify=false', '--dest-tls-verify=false',
               @opt, $from, $to);

    my ($status, $out) = run(@cmd);

    if ($status != 0) {
        die "$step failed: " . _error($status, $out) . "\n";
    }

    push @Report, "$step ok";
    return 1;
}

# Adds lines to the report.
sub add { push @Report, map { split /\n/ } @_ }

# run(@cmd) -> ($status, $output): the command with stdout and stderr
# captured, killed when it outlives $TIMEOUT (plus a grace period).
sub run {
    my (@cmd) = @_;

    my $out = File::Temp->new(TEMPLATE => 'swr-skopeo-out-XXXXXX',
                              TMPDIR => 1);
    my $t0 = Time::HiRes::time();

    _log("\$ @cmd\n");

    my $pid = fork();
    die "fork: $!\n" unless defined $pid;

    if (!$pid) {
        open STDIN, '<', '/dev/null';
        open STDOUT, '>', $out->filename or POSIX::_exit(126);
        open STDERR, '>&', \*STDOUT or POSIX::_exit(126);
        exec('timeout', '-k', '5', $TIMEOUT + 5, @cmd) or do {
            print STDERR "cannot run $cmd[0]: $!\n";
            POSIX::_exit(127);
        };
    }

    waitpid $pid, 0;
    my $status = $?;

    open my $fh, '<', $out->filename;
    my $text = do { local $/; <$fh> } // '';
    close $fh;

    _log($text);
    _log(sprintf "-> status %d, %.2fs\n", $status >> 8,
         Time::HiRes::time() - $t0);

    return ($status, $text);
}

# The message of skopeo's fatal log line, or the last line it printed.
sub _error {
    my ($status, $out) = @_;

    my $code = $status >> 8;
    return "timed out after ${TIMEOUT}s" if $code == 124 || $code == 137;

    if ($out =~ /level=fatal msg="((?:[^"\\]|\\.)*)"/) {
        (my $msg = $1) =~ s/\\(.)/$1/g;
        return $msg;
    }

    my @lines = grep { /\S/ } split /\n/, $out;
    return @lines ? $lines[-1] : "exit status $code";
}

sub _log {
    print $Log @_ if $Log;

    if ($ENV{SWR_SKOPEO_LOG} && open my $fh, '>>', $ENV{SWR_SKOPEO_LOG}) {
        print $fh @_;
        close $fh;
    }
}


# ---- reading nginx's access log ----------------------------------------

# What happened to each blob of $img in repository $repo, according to
# the access log of the server under test (default "combined" format):
# one line a blob, in manifest order, e.g.
#   "config sha256:... uploaded"
#   "layer sha256:... mounted from a/x"
sub blob_writes {
    my ($img, $repo) = @_;

    my $log = ($ENV{TEST_NGINX_SERVER_ROOT} || '.') . '/logs/access.log';
    open my $fh, '<', $log or die "cannot read $log: $!\n";

    my %done;
    while (my $line = <$fh>) {
        my ($method, $uri, $status) =
            $line =~ m{"(\w+) (/v2/\S+) HTTP/[\d.]+" (\d{3}) } or next;
        next unless $status =~ /^2/;

        my ($path, $query) = split /\?/, $uri, 2;
        next unless $path =~ m{^/v2/\Q$repo\E/blobs/uploads/};

        my %q;
        for (split /&/, $query // '') {
            my ($k, $v) = split /=/, $_, 2;
            next unless defined $v;
            $v =~ s/%([0-9A-Fa-f]{2})/chr hex $1/ge;
            $q{$k} = $v;
        }

        if ($method eq 'POST' && $status eq '201' && $q{mount}) {
            push @{ $done{ $q{mount} } }, "mounted from " . ($q{from} // '?');
        } elsif ($method eq 'POST' && $status eq '202' && $q{mount}) {
            push @{ $done{ $q{mount} } }, "mount refused";
        } elsif ($method eq 'PUT' && $status eq '201' && $q{digest}) {
            push @{ $done{ $q{digest} } }, 'uploaded';
        }
    }
    close $fh;

    my @lines;
    for ([ config => $img->{config} ],
         map { [ layer => $_ ] } @{ $img->{layers} })
    {
        my $d = $_->[1]{digest};
        my $what = $done{$d} || [ 'not written' ];
        push @lines, "$_->[0] $d " . join(', ', @$what);
    }

    return join '', map { "$_\n" } @lines;
}

1;
