package SwrDocker;

# A Docker daemon of the test's own, for the client tests that drive the
# registry with the docker CLI (the daemon is Debian's docker.io, 20.10;
# the CLI whichever `docker` comes first in PATH: Docker's 28.2 in
# /usr/local/bin and Debian's 20.10 both pass).
#
#   SwrDocker::report('push', sub {
#       my $tar = SwrDocker::archive($img, 'swr-local/simple:v1');
#       SwrDocker::step('login', 'pusher', 'login', '-u', $user,
#                       '-p', $key, SwrSkopeo::registry());
#       SwrDocker::step('load', 'pusher', 'load', '-i', $tar);
#       ...
#       return "text appended to the report\n";
#   });
#
# report() is SwrSkopeo::report() (the block's report in html/<name>.txt,
# every command's output in html/<name>.log) around two daemons started
# for the block and stopped after it, whatever happened:
#
#   - a containerd (SwrContainerd::start: private root, state and socket,
#     no CRI, no `opt` plugin, the native snapshotter only), which dockerd
#     is given with --containerd instead of starting one of its own (that
#     one would load the `opt` plugin, which creates /opt/containerd);
#   - dockerd with its data root, exec root, pid file, socket
#     (--host unix://...) and configuration file (which moves its trust
#     key, /etc/docker/key.json otherwise) in a directory of the block's
#     scratch space, the vfs storage driver, and no networking of its own:
#     --bridge=none, --iptables=false, --ip6tables=false, --ip-masq=false
#     and --ip-forward=false (which would set net.ipv4.ip_forward);
#     127.0.0.0/8 registries are insecure (plain HTTP) for it by default.
#     No container is ever run.  The one thing it writes outside its
#     directories is the empty directory /run/docker/plugins (20.10 has
#     the managed plugins' exec root there, whatever --exec-root says),
#     which is left alone;
#   - both stopped by their PIDs (TERM, then KILL after 15 seconds),
#     dockerd first, and by an END block should the test die in between.
#
# Each actor of a block (pusher, reader, anonymous) runs the CLI with a
# configuration directory of his own (DOCKER_CONFIG, an empty
# config.json: no credential helper), so that a login is his alone; all
# share the daemon's image store, so a block removes the images it loaded
# or pulled (`docker rmi`) before another actor pulls them from the
# registry.  The CLI runs with --host of that daemon, no proxy, under
# SwrSkopeo::run()'s time limit.

use strict;
use warnings;

use POSIX ();
use Time::HiRes ();

use SwrSkopeo ();
use SwrTest ();
use SwrContainerd ();

our $START_TIMEOUT = 30;    # seconds for the daemon to answer
our $STOP_TIMEOUT = 15;     # seconds between TERM and KILL

my $Pid;        # the dockerd we started
my $Owner;      # the process that started it
my $Dir;        # its directory
my $Socket;     # its API socket
my %Config;     # actor -> his DOCKER_CONFIG


# 127.0.0.1:<port>/<name>, as docker names images of the registry
sub name { return SwrSkopeo::registry() . "/$_[0]" }

sub report {
    my ($name, $code) = @_;

    return SwrSkopeo::report($name, sub {
        my @r = eval {
            start();
            $code->();
        };
        my $err = $@;
        my $stopped = join '; ', grep { $_ } stop(), SwrContainerd::stop();
        die $err if $err;
        die "$stopped\n" if $stopped;
        return $r[0];
    });
}

sub start {
    die "a dockerd of this test is running already\n" if $Pid;

    for my $prog (qw(dockerd docker)) {
        die "no $prog; util/deps.sh installs Debian's docker.io\n"
            unless grep { -x "$_/$prog" } split /:/, $ENV{PATH} // '';
    }

    my $containerd = SwrContainerd::start();

    $Dir = SwrSkopeo::scratch('docker');
    $Socket = "$Dir/docker.sock";
    %Config = ();

    die "docker socket path too long: $Socket\n" if length($Socket) > 100;

    open my $fh, '>', "$Dir/daemon.json"
        or die "cannot write $Dir/daemon.json: $!\n";
    print $fh qq({"deprecated-key-path": "$Dir/key.json"}\n);
    close $fh;

    my @cmd = ('dockerd',
               '--config-file', "$Dir/daemon.json",
               '--containerd', $containerd,
               '--data-root', "$Dir/root",
               '--exec-root', "$Dir/exec",
               '--pidfile', "$Dir/docker.pid",
               '--host', "unix://$Socket",
               '--storage-driver', 'vfs',
               '--bridge', 'none',
               '--iptables=false', '--ip6tables=false',
               '--ip-masq=false', '--ip-forward=false');

    my $pid = fork();
    die "fork: $!\n" unless defined $pid;

    if (!$pid) {
        delete @ENV{qw(http_proxy https_proxy HTTP_PROXY HTTPS_PROXY
                       all_proxy ALL_PROXY DOCKER_HOST DOCKER_CONFIG)};
        open STDIN, '<', '/dev/null';
        open STDOUT, '>', "$Dir/dockerd.log" or POSIX::_exit(126);
        open STDERR, '>&', \*STDOUT or POSIX::_exit(126);
        exec(@cmd) or do {
            print STDERR "cannot run dockerd: $!\n";
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
            die "dockerd exited at start (status " . ($status >> 8)
                . "): " . _log_tail() . "\n";
        }

        if (-S $Socket) {
            my ($status, $out) = docker('daemon', 'version', '--format',
                                        '{{.Server.Version}}');
            last if $status == 0;
        }

        if (Time::HiRes::time() - $t0 > $START_TIMEOUT) {
            my $tail = _log_tail();
            stop();
            die "dockerd did not answer within ${START_TIMEOUT}s: $tail\n";
        }

        Time::HiRes::sleep(0.1);
    }

    return $Socket;
}

# Stops the dockerd we started; a message when it would not stop, or ''.
sub stop {
    return '' unless $Pid;
    return '' unless $Owner == $$;

    my $pid = $Pid;
    undef $Pid;

    return SwrTest::stop_daemon($pid, 'dockerd', $STOP_TIMEOUT);
}

END {
    my $rc = $?;
    stop();
    $? = $rc;
}

# docker($actor, @args) -> ($exit_code, $output): the CLI against our
# daemon, with $actor's configuration directory
sub docker {
    my ($actor, @args) = @_;

    die "no dockerd running\n" unless $Socket;

    my $config = $Config{$actor} ||= do {
        my $dir = "$Dir/cli-$actor";
        mkdir $dir or die "cannot create $dir: $!\n";
        open my $fh, '>', "$dir/config.json"
            or die "cannot write $dir/config.json: $!\n";
        print $fh "{}\n";
        close $fh;
        $dir;
    };

    local $ENV{DOCKER_CONFIG} = $config;
    delete local @ENV{qw(http_proxy https_proxy HTTP_PROXY HTTPS_PROXY
                         all_proxy ALL_PROXY DOCKER_HOST DOCKER_CONTEXT
                         DOCKER_TLS_VERIFY DOCKER_CERT_PATH)};

    my ($status, $out) = SwrSkopeo::run('docker', '--host', "unix://$Socket",
                                        @args);
    return ($status >> 8, $out);
}

# step($what, $actor, @args): runs the CLI, adds to the report "$what ok",
# "$what denied or unauthorized" (when the registry refused it for want
# of credentials or rights), or "$what failed: <the error>"; returns
# docker's output when it succeeded, undef otherwise.
sub step {
    my ($what, $actor, @args) = @_;

    my ($code, $out) = docker($actor, @args);

    if ($code == 0) {
        SwrSkopeo::add("$what ok");
        return $out;
    }

    SwrSkopeo::add("$what " . refusal($code, $out));
    return undef;
}

# "denied or unauthorized", or "failed: <the error>".  The daemon words
# every pull error of the registry (a missing manifest too) as "pull
# access denied for <name>, repository does not exist or may require
# 'docker login': <the registry's error>", so only the registry's error
# counts.
sub refusal {
    my ($code, $out) = @_;

    return "failed: timed out" if $code == 124 || $code == 137;

    my @lines = grep { /\S/ && !/^WARNING!/ } split /\n/, $out;
    my $last = @lines ? $lines[-1] : "exit status $code";
    (my $cause = $last) =~ s/^.*may require 'docker login': //;
    $cause =~ s/^Error response from daemon: //;
    $cause =~ s/^[A-Za-z]+ "[^"]*": //;    # the request that was refused

    return 'denied or unauthorized'
        if $cause =~ /^(?:denied|unauthorized|insufficient.scope)\b
                      |\b(?:401\x20Unauthorized|403\x20Forbidden)\b/xi;

    return "failed: $last";
}

# archive($img, $name): a docker-archive (`docker load` input) of SwrImage
# fixture $img, its image named $name ("repo:tag"), made by skopeo
sub archive {
    my ($img, $name) = @_;

    (my $file = $name) =~ s/[^\w.-]+/-/g;
    my $tar = SwrSkopeo::scratch("archive-$file") . '/image.tar';
    my ($status, $out) = SwrSkopeo::run('skopeo', '--insecure-policy',
                                        'copy', '--retry-times', '0',
                                        "oci:$img->{dir}:v1",
                                        "docker-archive:$tar:$name");
    die "skopeo copy to docker-archive: $out\n" if $status != 0;
    return $tar;
}

# The image $ref as the daemon has it: "<id> <repo digests>", or
# "no image" when it has none of that name.
sub image {
    my ($actor, $ref) = @_;

    my ($code, $out) = docker($actor, 'image', 'inspect', '--format',
                              '{{.Id}}{{range .RepoDigests}} {{.}}{{end}}', $ref);
    if ($code != 0) {
        return 'no image' if $out =~ /No such image/i;
        die "docker image inspect $ref: $out\n";
    }

    $out =~ s/\s+\z//;
    return $out;
}

# The digest `docker push` printed for $tag ("<tag>: digest: sha256:...
# size: N"), or ''.
sub pushed_digest {
    my ($out, $tag) = @_;

    return '' unless defined $out;
    return $out =~ /^\Q$tag\E: digest: (sha256:[0-9a-f]{64}) size: \d+$/m
           ? $1 : '';
}

sub _log_tail { return SwrTest::log_tail("$Dir/dockerd.log") }

1;
