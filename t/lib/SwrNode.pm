package SwrNode;

# A second nginx for the tests that need two registry nodes on one Redis
# and one object store (scale-out): the block's own nginx (Test::Nginx's)
# is one node, this is another, with its own prefix, port, logs and
# workers, started from --- init and stopped by the pid it wrote.
#
#   my $b = SwrNode->start(http_config => $text, config => $text);
#   $b->port;                          # where it listens (127.0.0.1)
#   my $r = $b->http('GET', '/v2/');   # SwrTest::http against it
#   my @bad = $b->log_lines(qr/\[(?:alert|crit|error)\]/);
#   $b->stop;                          # QUIT, then TERM, then KILL
#
# $text is nginx configuration as in a block's --- http_config and
# --- config sections ($TEST_NGINX_* variables are replaced, as both
# runners do); a location "= /_swr/health" with swr_health is added to
# the server unless the configuration names /_swr/health, and start()
# returns once that answers 200 (the node's Redis link is up).  start()
# dies when nginx does not start (with the end of its error log); stop()
# never dies.
#
# The node runs with "daemon on" and a master process, from
# $ENV{TEST_NGINX_BINARY} with the modules of $ENV{TEST_NGINX_LOAD_MODULES},
# under a temporary directory of its own outside the server root (both
# runners wipe directories they do not know in the server root), removed
# when it stops unless $ENV{SWR_NODE_KEEP} is set.  An END block stops
# every node still running, so that a die in a test leaves none behind.
# This works the same under the project's runner and CPAN's Test::Nginx:
# only the environment both export is used.

use strict;
use warnings;

use File::Path ();
use File::Spec ();
use File::Temp ();
use IO::Socket::INET ();
use Time::HiRes qw(sleep);

use SwrTest ();

our $START_TIMEOUT = 10;    # seconds for nginx to answer after starting
our $STOP_TIMEOUT = 10;     # seconds for it to be gone after QUIT

my %Running;    # pid file => node, for the END block

sub start {
    my ($class, %o) = @_;

    my $binary = $ENV{TEST_NGINX_BINARY} || 'nginx';
    my $prefix = File::Temp::tempdir('swr-node-XXXXXX', TMPDIR => 1);

    # workers run as nobody when the master is root: they must reach the
    # temp paths below
    chmod 0755, $prefix;

    my $self = bless {
        prefix => $prefix,
        binary => $binary,
        owner => $$,
    }, $class;

    mkdir "$prefix/$_" for qw(conf logs html);

    my @cmd = ($binary, '-p', "$prefix/", '-c', "$prefix/conf/nginx.conf",
               '-e', "$prefix/logs/error.log");

    # a free port may be taken before nginx binds it: another, then
    for my $try (1 .. 3) {
        $self->{port} = $o{port} || free_port();

        my $conf = $self->conf(expand($o{http_config} // ''),
                               expand($o{config} // ''), $o{workers} || 1);

        open my $fh, '>', "$prefix/conf/nginx.conf"
            or die "cannot write $prefix/conf/nginx.conf: $!\n";
        print $fh $conf;
        close $fh or die "cannot write $prefix/conf/nginx.conf: $!\n";

        my $out = `@{[ join ' ', map { quotemeta } @cmd ]} 2>&1`;
        my $status = $?;
        last if $status == 0;

        next if $try < 3 && !$o{port} && $out =~ /Address already in use/;

        my $tail = $self->log_tail(20);
        File::Path::remove_tree($prefix) unless $ENV{SWR_NODE_KEEP};
        die "second nginx did not start (status $status): $out$tail\n";
    }

    $Running{ $self->pid_file } = $self;

    for (1 .. $START_TIMEOUT * 20) {
        my $r = eval { $self->http('GET', '/_swr/health') };
        return $self if $r && $r->{status} == 200;
        sleep 0.05;
    }

    my $tail = $self->log_tail(20);
    $self->stop;
    die "second nginx on port $self->{port}: GET /_swr/health never "
        . "answered 200\n$tail";
}

sub port   { $_[0]{port} }
sub prefix { $_[0]{prefix} }

sub pid_file  { "$_[0]{prefix}/logs/nginx.pid" }
sub error_log { "$_[0]{prefix}/logs/error.log" }

sub conf {
    my ($self, $http_config, $config, $workers) = @_;

    my $p = $self->{prefix};

    # relative paths would be taken from the prefix
    my $modules = join '', map { "load_module $_;\n" }
        map { File::Spec->rel2abs($_) }
        grep { length } split /\s+/, ($ENV{TEST_NGINX_LOAD_MODULES} // '');

    # Debian's nginx keeps its temp paths in /var/lib/nginx: here, the
    # node's own (the modules compiled out have no directive)
    my $v = `\Q$self->{binary}\E -V 2>&1`;
    my $temp = join "\n    ", map { "${_}_temp_path $p/${_}_temp;" }
        grep { $v !~ /--without-http_${_}_module/ }
        qw(client_body proxy fastcgi scgi uwsgi);

    # what start() waits for, unless the configuration has it already
    my $health = $config =~ m{/_swr/health\b} ? '' : <<'EOH';
        location = /_swr/health {
            swr_health;
        }
EOH

    my $events = $ENV{TEST_NGINX_EVENT_TYPE}
        ? "use $ENV{TEST_NGINX_EVENT_TYPE};" : '';

    return <<"EOC";
# the second node of a scale-out test (t/lib/SwrNode.pm)
$modules
worker_processes $workers;
daemon on;
master_process on;
error_log $p/logs/error.log info;
pid $p/logs/nginx.pid;

events {
    worker_connections 256;
    $events
}

http {
    access_log $p/logs/access.log;
    $temp

    default_type text/plain;

$http_config

    server {
        listen 127.0.0.1:$self->{port};
        server_name localhost;

$config
$health

        location / {
            root $p/html;
        }
    }
}
EOC
}

# $TEST_NGINX_<X> replaced by its value, as the runners do
sub expand {
    my ($text) = @_;
    $text =~ s{\$(TEST_NGINX_[_A-Z0-9]+)}{
        defined $ENV{$1} ? $ENV{$1} : die "$1 unset\n"
    }ge;
    return $text;
}

# SwrTest::http(...) sent to this node
sub http {
    my ($self, @args) = @_;
    local $ENV{TEST_NGINX_SERVER_PORT} = $self->{port};
    return SwrTest::http(@args);
}

sub master_pid {
    my ($self) = @_;
    open my $fh, '<', $self->pid_file or return undef;
    my $pid = <$fh>;
    close $fh;
    return undef unless defined $pid && $pid =~ /^(\d+)$/;
    return $1;
}

# The lines of its error log that match $re; dies if there is no log.
sub log_lines {
    my ($self, $re) = @_;
    open my $fh, '<', $self->error_log
        or die "cannot read " . $self->error_log . ": $!\n";
    my @lines = grep { $_ =~ $re } <$fh>;
    close $fh;
    chomp @lines;
    return @lines;
}

sub log_tail {
    my ($self, $n) = @_;
    open my $fh, '<', $self->error_log or return '';
    my @lines = <$fh>;
    close $fh;
    splice @lines, 0, @lines - $n if @lines > $n;
    return join '', @lines;
}

# Graceful stop (QUIT), then TERM, then KILL; waits until the master is
# gone, its workers with it.  True if it is gone.
sub stop {
    my ($self) = @_;

    return 1 if $self->{stopped} || $self->{owner} != $$;

    my $pid = $self->master_pid;
    my $gone = 1;

    if ($pid) {
        $gone = 0;
        SIGNAL: for my $sig ('QUIT', 'TERM', 'KILL') {
            kill $sig, $pid or do { $gone = 1; last };
            for (1 .. $STOP_TIMEOUT * 20) {
                if (SwrTest::gone($pid)) {
                    $gone = 1;
                    last SIGNAL;
                }
                sleep 0.05;
            }
        }
    }

    delete $Running{ $self->pid_file };
    $self->{stopped} = 1;

    File::Path::remove_tree($self->{prefix})
        if $gone && !$ENV{SWR_NODE_KEEP};

    return $gone;
}

# A free TCP port on 127.0.0.1 (not the server's own).
sub free_port {
    for (1 .. 20) {
        my $s = IO::Socket::INET->new(Listen => 1, LocalAddr => '127.0.0.1',
                                      LocalPort => 0, ReuseAddr => 1)
            or die "no free port: $!\n";
        my $port = $s->sockport;
        close $s;
        next if $ENV{TEST_NGINX_SERVER_PORT}
                && $port == $ENV{TEST_NGINX_SERVER_PORT};
        return $port;
    }
    die "no free port\n";
}

END {
    local ($?, $!, $@);
    for my $node (values %Running) {
        eval { $node->stop };
    }
}

1;
