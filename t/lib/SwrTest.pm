package SwrTest;

# Helpers shared by the .t files of ngx_http_swr_module: control of the
# real redis-server that util/test.sh starts for the suite (stop, start,
# commands), so that tests can take Redis away and bring it back.
#
# The .t files call them as SwrTest::name(...) from --- init sections;
# they work the same under this project's runner and the real
# Test::Nginx, as both put t/lib on @INC through prove -I.

use strict;
use warnings;

use IO::Socket::INET;
use POSIX ();
use Time::HiRes qw(sleep);

sub port { $ENV{TEST_NGINX_REDIS_PORT} or die "TEST_NGINX_REDIS_PORT unset\n" }
sub dir  { $ENV{TEST_NGINX_REDIS_DIR}  or die "TEST_NGINX_REDIS_DIR unset\n" }

sub pidfile { dir() . '/redis.pid' }

sub redis_pid {
    open my $fh, '<', pidfile() or return undef;
    my $pid = <$fh>;
    close $fh;
    return undef unless defined $pid;
    chomp $pid;
    return $pid =~ /^\d+$/ ? $pid : undef;
}

# A process that exited but was not reaped yet (a zombie: its parent may
# be the test runner, made a subreaper, or an init that reaps late) counts
# as gone.
sub gone {
    my ($pid) = @_;

    return 1 if waitpid($pid, POSIX::WNOHANG()) == $pid;
    return 1 unless kill(0, $pid);

    if (open my $fh, '<', "/proc/$pid/stat") {
        my $stat = <$fh> // '';
        close $fh;
        return 1 if $stat =~ /\)\s+[ZX]\s/;
    }

    return 0;
}

sub redis_alive {
    my $pid = redis_pid();
    return $pid && !gone($pid);
}

# Starts the suite's redis-server (daemonised, nothing persisted) and
# waits until it answers PING.
sub redis_start {
    return 1 if redis_alive() && ping();

    my @cmd = ('redis-server', '--bind', '127.0.0.1', '--port', port(),
               '--dir', dir(), '--pidfile', pidfile(),
               '--logfile', dir() . '/redis.log', '--daemonize', 'yes',
               '--save', '', '--appendonly', 'no');

    system(@cmd) == 0 or die "cannot run redis-server: $?\n";

    for (1 .. 100) {
        return 1 if ping();
        sleep 0.05;
    }

    die "redis-server on port " . port() . " did not answer\n";
}

# Stops it (SIGTERM to the pid it wrote) and waits until it is gone.
sub redis_stop {
    my $pid = redis_pid() or return 1;

    kill 'TERM', $pid;

    for (1 .. 200) {
        return 1 if gone($pid);
        sleep 0.025;
    }

    die "redis-server $pid did not stop\n";
}

# Starts it again after $delay seconds, from a child of the test process,
# so that requests can be sent while it is still down.
sub redis_start_after {
    my ($delay) = @_;

    my $pid = fork();
    die "fork: $!\n" unless defined $pid;
    return $pid if $pid;

    sleep $delay;
    eval { redis_start() };
    POSIX::_exit($@ ? 1 : 0);
}

# Waits until the nginx under test reports a healthy Redis link on
# GET $path (default /_swr/health), for blocks that need the link up
# before their first request.
sub wait_health {
    my ($path) = @_;
    $path ||= '/_swr/health';

    my $port = $ENV{TEST_NGINX_SERVER_PORT}
        or die "TEST_NGINX_SERVER_PORT unset\n";

    for (1 .. 120) {
        my $sock = IO::Socket::INET->new(PeerAddr => '127.0.0.1',
                                         PeerPort => $port,
                                         Proto => 'tcp', Timeout => 1);
        if ($sock) {
            print $sock "GET $path HTTP/1.0\r\nHost: localhost\r\n\r\n";
            my $status = <$sock>;
            close $sock;
            return 1 if defined $status && $status =~ m{^HTTP/1\.\d 200 };
        }
        sleep 0.025;
    }

    die "GET $path on port $port never answered 200\n";
}

sub ping {
    my $r = eval { command('PING') };
    return defined $r && $r eq 'PONG';
}

# Sends one command, returns the reply: a string, an integer, undef for
# a nil, an array reference; dies on an error reply.
sub command {
    my @args = @_;

    my $sock = IO::Socket::INET->new(PeerAddr => '127.0.0.1',
                                     PeerPort => port(),
                                     Proto => 'tcp', Timeout => 2)
        or die "cannot connect to redis: $!\n";

    my $req = '*' . scalar(@args) . "\r\n";
    $req .= '$' . length($_) . "\r\n$_\r\n" for @args;

    print $sock $req;

    my $reply = read_reply($sock);
    close $sock;

    return $reply;
}

sub read_reply {
    my ($sock) = @_;

    my $line = <$sock>;
    die "redis closed the connection\n" unless defined $line;
    $line =~ s/\r\n$//;

    my ($type, $rest) = (substr($line, 0, 1), substr($line, 1));

    return $rest if $type eq '+';
    return $rest + 0 if $type eq ':';
    die "redis error: $rest\n" if $type eq '-';

    if ($type eq '$') {
        return undef if $rest < 0;
        my $buf = '';
        while (length($buf) < $rest + 2) {
            my $n = read($sock, $buf, $rest + 2 - length($buf), length($buf));
            die "short redis reply\n" unless $n;
        }
        return substr($buf, 0, $rest);
    }

    if ($type eq '*') {
        return undef if $rest < 0;
        return [ map { read_reply($sock) } 1 .. $rest ];
    }

    die "bad redis reply: $line\n";
}

1;
