package SwrContainerd;

# A containerd daemon of the test's own, for the client tests that drive
# the registry with containerd's `ctr` (Debian's containerd, 1.6.x).
#
#   SwrContainerd::report('push', sub {
#       my $ref = SwrContainerd::name('ns/repo:v1');
#       SwrContainerd::step('import', 'pusher', 'images', 'import', ...);
#       SwrContainerd::step('push', 'pusher', 'images', 'push',
#                           '--plain-http', '--user', $creds, $ref);
#       ...
#       return "text appended to the report\n";
#   });
#
# report() is SwrSkopeo::report() (the block's report in html/<name>.txt,
# every command's output in html/<name>.log) around a daemon started for
# the block and stopped after it, whatever happened:
#
#   - its root, state, socket and configuration in a directory of the
#     block's scratch space (SwrSkopeo::scratch), nothing in /var/lib,
#     /run or /opt;
#   - the CRI plugin (and every snapshotter but `native`, and the `opt`
#     plugin, which would write to /opt/containerd) disabled, so that it
#     needs no overlayfs, no kernel modules and no CNI;
#   - content isolated between containerd namespaces
#     (content_sharing_policy "isolated"): each actor of a block (pusher,
#     reader, anonymous) gets a namespace of his own, and what he pulls
#     comes from the registry, not from what another one imported;
#   - stopped by its PID (TERM, then KILL after 10 seconds), and by an
#     END block should the test die in between.
#
# ctr runs with --address of that daemon, the given namespace,
# CONTAINERD_SNAPSHOTTER=native and no proxy, under SwrSkopeo::run()'s
# time limit.

use strict;
use warnings;

use POSIX ();
use Time::HiRes ();

use SwrSkopeo ();
use SwrTest ();

our $START_TIMEOUT = 15;    # seconds for the daemon to answer
our $STOP_TIMEOUT = 10;     # seconds between TERM and KILL

my $Pid;        # the daemon we started
my $Owner;      # the process that started it
my $Dir;        # its directory
my $Socket;     # its gRPC socket


# 127.0.0.1:<port>/<name>, as ctr names images
sub name { return SwrSkopeo::registry() . "/$_[0]" }

sub report {
    my ($name, $code) = @_;

    return SwrSkopeo::report($name, sub {
        start();
        my @r = eval { $code->() };
        my $err = $@;
        my $stopped = stop();
        die $err if $err;
        die "$stopped\n" if $stopped;
        return $r[0];
    });
}

sub start {
    die "a containerd of this test is running already\n" if $Pid;

    for my $prog (qw(containerd ctr)) {
        die "no $prog; util/deps.sh installs Debian's containerd\n"
            unless grep { -x "$_/$prog" } split /:/, $ENV{PATH} // '';
    }

    $Dir = SwrSkopeo::scratch('containerd');
    $Socket = "$Dir/containerd.sock";

    # sun_path holds 108 bytes, the ttrpc socket's name is longer
    die "containerd socket path too long: $Socket\n"
        if length("$Socket.ttrpc") > 100;

    my $config = <<"END";
version = 2
root = "$Dir/root"
state = "$Dir/state"
disabled_plugins = [
    "io.containerd.grpc.v1.cri",
    "io.containerd.internal.v1.opt",
    "io.containerd.snapshotter.v1.overlayfs",
    "io.containerd.snapshotter.v1.aufs",
    "io.containerd.snapshotter.v1.btrfs",
    "io.containerd.snapshotter.v1.devmapper",
    "io.containerd.snapshotter.v1.zfs",
]

[grpc]
  address = "$Socket"

[ttrpc]
  address = "$Socket.ttrpc"

[debug]
  address = ""

[metrics]
  address = ""

[plugins."io.containerd.metadata.v1.bolt"]
  content_sharing_policy = "isolated"
END

    open my $fh, '>', "$Dir/config.toml"
        or die "cannot write $Dir/config.toml: $!\n";
    print $fh $config;
    close $fh;

    my $pid = fork();
    die "fork: $!\n" unless defined $pid;

    if (!$pid) {
        open STDIN, '<', '/dev/null';
        open STDOUT, '>', "$Dir/containerd.log" or POSIX::_exit(126);
        open STDERR, '>&', \*STDOUT or POSIX::_exit(126);
        exec('containerd', '--config', "$Dir/config.toml") or do {
            print STDERR "cannot run containerd: $!\n";
            POSIX::_exit(127);
        };
    }

    $Pid = $pid;
    $Owner = $$;

    my $t0 = Time::HiRes::time();

    while (1) {
        if (waitpid($Pid, POSIX::WNOHANG()) == $Pid) {
            my $status = $?;
            undef $Pid;
            die "containerd exited at start (status " . ($status >> 8)
                . "): " . _log_tail() . "\n";
        }

        if (-S $Socket) {
            my ($status, $out) = ctr('default', 'version');
            last if $status == 0;
        }

        if (Time::HiRes::time() - $t0 > $START_TIMEOUT) {
            my $tail = _log_tail();
            stop();
            die "containerd did not answer within ${START_TIMEOUT}s: $tail\n";
        }

        Time::HiRes::sleep(0.1);
    }

    return $Socket;
}

# Stops the daemon we started; a message when it would not stop, or ''.
sub stop {
    return '' unless $Pid;
    return '' unless $Owner == $$;

    my $pid = $Pid;
    undef $Pid;

    return SwrTest::stop_daemon($pid, 'containerd', $STOP_TIMEOUT);
}

END {
    my $rc = $?;
    stop();
    $? = $rc;
}

# ctr($namespace, @args) -> ($exit_code, $output)
sub ctr {
    my ($ns, @args) = @_;

    die "no containerd running\n" unless $Socket;

    local $ENV{CONTAINERD_SNAPSHOTTER} = 'native';
    delete local @ENV{qw(http_proxy https_proxy HTTP_PROXY HTTPS_PROXY
                         all_proxy ALL_PROXY)};

    my ($status, $out) = SwrSkopeo::run('ctr', '--address', $Socket,
                                        '--namespace', $ns, @args);
    return ($status >> 8, $out);
}

# step($what, $namespace, @args): runs ctr, adds to the report "$what ok",
# "$what denied or unauthorized" (when ctr's error says it was refused
# for want of credentials or rights), or "$what failed: <ctr's error>";
# returns whether ctr succeeded.
sub step {
    my ($what, $ns, @args) = @_;

    my ($code, $out) = ctr($ns, @args);

    if ($code == 0) {
        SwrSkopeo::add("$what ok");
        return 1;
    }

    SwrSkopeo::add("$what " . refusal($code, $out));
    return 0;
}

# "denied or unauthorized", or "failed: <the error>"
sub refusal {
    my ($code, $out) = @_;

    return 'denied or unauthorized'
        if $out =~ /\b(?:401 Unauthorized|403 Forbidden|unauthorized
                       |denied|insufficient.scope)\b/xi;

    return "failed: timed out" if $code == 124 || $code == 137;

    my @lines = grep { /\S/ } split /\n/, $out;
    return 'failed: ' . (@lines ? $lines[-1] : "exit status $code");
}

# The image store of a namespace: "<name> <digest>" lines, sorted.
sub images {
    my ($ns) = @_;

    my ($code, $out) = ctr($ns, 'images', 'ls');
    die "ctr images ls failed: $out\n" if $code != 0;

    my @lines;
    for (split /\n/, $out) {
        next if /^REF\s/;
        my ($name, $type, $digest) = split ' ';
        push @lines, "$name $digest" if $digest;
    }

    return join '', map { "$_\n" } sort @lines;
}

sub _log_tail { return SwrTest::log_tail("$Dir/containerd.log") }

1;
