package Test::Nginx::Server;

# ngx_http_swr_module project: our own implementation of the nginx side of
# the Test::Nginx `.t` format -- runner settings, `$TEST_NGINX_*`
# substitution, the generated nginx.conf, the server root, starting and
# stopping nginx, and reading its logs.  Written from the project's format
# description (docs/test-nginx-format.md, sections 3, 4, 9 and 10); no code
# was taken from Test::Nginx.

use strict;
use warnings;

use Config ();
use File::Glob qw(bsd_glob);
use File::Path qw(make_path remove_tree);
use File::Spec ();
use IO::Socket::INET ();
use POSIX qw(WNOHANG);
use Test::More ();
use Time::HiRes qw(sleep time);
use Time::Local qw(timegm);

our $VERSION = '1.00';

# ---------------------------------------------------------------------------
# Settings.  Environment first; the preamble functions of
# Test::Nginx::Socket change some of them before run_tests().
# ---------------------------------------------------------------------------

our %Cfg = (
    binary             => $ENV{TEST_NGINX_BINARY} || 'nginx',
    workers            => 1,
    worker_connections => 64,
    log_level          => $ENV{TEST_NGINX_LOG_LEVEL} || 'debug',
    master_process     => $ENV{TEST_NGINX_MASTER_PROCESS} || 'off',
    server_port        => $ENV{TEST_NGINX_SERVER_PORT} || $ENV{TEST_NGINX_PORT} || 1984,
    client_port        => undef,    # filled in below
    server_addr        => '127.0.0.1',
    server_name        => 'localhost',
    no_root_location   => 0,
    config_preamble    => '',
    env_to_nginx       => [],
    sleep              => $ENV{TEST_NGINX_SLEEP} || 0.015,
    timeout            => $ENV{TEST_NGINX_TIMEOUT} || 3,
    event_type         => $ENV{TEST_NGINX_EVENT_TYPE},
    reuse_port         => $ENV{TEST_NGINX_REUSE_PORT},
    worker_user        => $ENV{TEST_NGINX_WORKER_USER},
    load_modules       => $ENV{TEST_NGINX_LOAD_MODULES},
    no_clean           => $ENV{TEST_NGINX_NO_CLEAN},
    fast_shutdown      => $ENV{TEST_NGINX_FAST_SHUTDOWN},
    verbose            => $ENV{TEST_NGINX_VERBOSE},
    check_accum        => $ENV{TEST_NGINX_CHECK_ACCUM_ERR_LOG},
    randomize          => $ENV{TEST_NGINX_RANDOMIZE},
    force_restart      => defined $ENV{TEST_NGINX_FORCE_RESTART_ON_TEST}
                              ? $ENV{TEST_NGINX_FORCE_RESTART_ON_TEST} : 1,
    servroot           => undef,    # filled in below
);

if (defined $Cfg{worker_user}
    && $Cfg{worker_user} !~ /^\w[-\w]+(?:\s+\w[-\w]+)?$/)
{
    die "Bad value in the env TEST_NGINX_WORKER_USER: $Cfg{worker_user}\n";
}

srand($$ ^ int(time * 1000));

if ($Cfg{randomize}) {
    # A random free listen port and a server root named after it, so that
    # several test files can run in parallel (prove -jN).
    my $port = gen_rand_port({});
    defined $port
        or die "Cannot find an available listening port number\n";
    $Cfg{server_port} = $port;
    $Cfg{servroot}    = File::Spec->rel2abs("t/servroot_$port");
}
else {
    $Cfg{servroot} = $ENV{TEST_NGINX_SERVROOT}
                     || File::Spec->rel2abs('t/servroot');
}
$Cfg{client_port} = $ENV{TEST_NGINX_CLIENT_PORT} || $Cfg{server_port};
$Cfg{servroot} =~ s{/+\z}{} if $Cfg{servroot} ne '/';
$ENV{TEST_NGINX_SERVER_ROOT} = $Cfg{servroot};

# Paths inside the server root.
sub servroot   { return $Cfg{servroot} }
sub log_dir    { return "$Cfg{servroot}/logs" }
sub error_log  { return "$Cfg{servroot}/logs/error.log" }
sub access_log { return "$Cfg{servroot}/logs/access.log" }
sub pid_file   { return "$Cfg{servroot}/logs/nginx.pid" }
sub html_dir   { return "$Cfg{servroot}/html" }
sub conf_dir   { return "$Cfg{servroot}/conf" }
sub conf_file  { return "$Cfg{servroot}/conf/nginx.conf" }

# ---------------------------------------------------------------------------
# Diagnostics, bail-out and cleanup of helper processes.
# ---------------------------------------------------------------------------

sub verbose {
    return unless $Cfg{verbose};
    my $msg = join '', @_;
    chomp $msg;
    warn "# [runner] $msg\n";
    return;
}

our @CleanupHandlers;       # run by cleanup() (bail-out, end of file)

sub add_cleanup_handler { unshift @CleanupHandlers, $_[0]; return }

sub cleanup {
    for my $handler (@CleanupHandlers) {
        eval { $handler->(); 1 } or warn "cleanup handler failed: $@";
    }
    return;
}

# Abort the whole test run (prove stops with "FAILED--Further testing
# stopped").  END blocks still stop nginx.
sub bail_out {
    my $msg = join '', @_;
    cleanup();
    $msg =~ s/\s+\z//;
    Test::More::BAIL_OUT($msg);
    exit 255;    # not reached
}

# ---------------------------------------------------------------------------
# $TEST_NGINX_* substitution (format doc section 4).
# ---------------------------------------------------------------------------

# Is a TCP port free on the loopback address?
sub port_is_free {
    my ($port) = @_;
    my $sock = IO::Socket::INET->new(
        LocalAddr => $Cfg{server_addr},
        LocalPort => $port,
        Proto     => 'tcp',
        Listen    => 5,
        ReuseAddr => 1,
    );
    return 0 unless $sock;
    close $sock;
    return 1;
}

# A random free port in 1988..65534 that is not in %$used.
sub gen_rand_port {
    my ($used) = @_;
    for (1 .. 1000) {
        my $port = 1988 + int rand(65535 - 1988);
        next if $used->{$port};
        return $port if port_is_free($port);
        verbose("port $port is in use, trying another one");
    }
    return;
}

# Replace $TEST_NGINX_NAME by the environment value; $TEST_NGINX_RAND_PORT_n
# by a free port chosen once per block (kept in %$rand_ports).  Unknown
# names abort the run.  Non-string values (array refs, regexes) are returned
# untouched.
sub expand_env {
    my ($text, $name, $rand_ports) = @_;

    return $text if !defined $text || ref $text;

    $text =~ s{\$(TEST_NGINX_[_A-Z0-9]+)}{_expand_one($1, $name, $rand_ports)}ge;
    return $text;
}

sub _expand_one {
    my ($var, $name, $rand_ports) = @_;

    if ($var =~ /^TEST_NGINX_RAND_PORT_[0-9]+$/) {
        $rand_ports ||= {};
        if (!defined $rand_ports->{$var}) {
            my %used = ($Cfg{server_port} => 1,
                        map { $_ => 1 } values %$rand_ports);
            my $port = gen_rand_port(\%used);
            defined $port
                or bail_out("$name - Cannot find an available listening port number for $var.");
            $rand_ports->{$var} = $port;
        }
        return $rand_ports->{$var};
    }

    if (!defined $ENV{$var}) {
        bail_out("$name - No environment $var defined.");
    }
    return $ENV{$var};
}

# ---------------------------------------------------------------------------
# The nginx binary and its version.
# ---------------------------------------------------------------------------

my %NginxInfo;    # path, version (canonical number), raw_version, openssl, V

# Absolute path of an executable (searched in PATH when it has no slash).
sub find_executable {
    my ($cmd) = @_;
    if ($cmd =~ m{/}) {
        return (-f $cmd && -x _) ? $cmd : undef;
    }
    for my $dir (split /\Q$Config::Config{path_sep}\E/, $ENV{PATH} // '') {
        next if $dir eq '';
        my $abs = "$dir/$cmd";
        return $abs if -f $abs && -x _;
    }
    return;
}

sub canon_version { return sprintf '%d.%03d%03d', @_[0 .. 2] }

# Run `nginx -V` once; returns a hash ref with what we need from it.
sub nginx_info {
    return \%NginxInfo if %NginxInfo;

    my $path = find_executable($Cfg{binary})
        or bail_out("Cannot find the nginx executable \"$Cfg{binary}\" "
                    . "(set TEST_NGINX_BINARY or PATH)");
    my $out = qx{"$path" -V 2>&1};
    if ($? != 0) {
        bail_out("Failed to get the version of the nginx at $path: $out");
    }

    %NginxInfo = (path => $path, V => $out);
    if ($out =~ m{nginx version: \S*?/(\d+)\.(\d+)\.(\d+)}
        || $out =~ m{\w+/(\d+)\.(\d+)\.(\d+)})
    {
        $NginxInfo{raw_version} = "$1.$2.$3";
        $NginxInfo{version}     = canon_version($1, $2, $3);
    }
    else {
        bail_out("Failed to parse the output of \"$path -V\": $out");
    }
    if ($out =~ m{built with OpenSSL (\d+)\.(\d+)\.(\d+)([a-z])?}) {
        # "x.y.z" -> x.yyyzzz; with a letter "x.y.zL" -> x.yyyzzzLLL
        $NginxInfo{openssl} = defined $4
            ? sprintf('%d.%03d%03d%03d', $1, $2, $3, ord($4) - ord('a'))
            : canon_version($1, $2, $3);
    }
    return \%NginxInfo;
}

# ---------------------------------------------------------------------------
# Server root, user files and nginx.conf.
# ---------------------------------------------------------------------------

# Recreate an empty server root: conf/, html/ (with index.html), logs/.
sub setup_server_root {
    my $root = $Cfg{servroot};

    if ($root eq '' || $root eq '/' || !File::Spec->file_name_is_absolute($root)) {
        bail_out("Refusing to use \"$root\" as the nginx server root");
    }

    if (-d $root) {
        # Only remove what the runner itself creates; anything else left in
        # the server root makes the rmdir fail (protects a mis-set
        # TEST_NGINX_SERVROOT from being wiped).
        remove_tree(conf_dir(), html_dir(), log_dir(), "$root/cache",
                    bsd_glob("$root/*_cache"), bsd_glob("$root/*_temp"));
        rmdir $root
            or bail_out("Can't remove $root (not empty?): $!");
    }

    for my $dir ($root, log_dir(), html_dir(), conf_dir()) {
        mkdir $dir or bail_out("Failed to do mkdir $dir: $!");
    }

    my $index = html_dir() . '/index.html';
    open my $out, '>', $index or bail_out("Can't open $index for writing: $!");
    print {$out} '<html><head><title>It works!</title></head>'
                 . '<body>It works!</body></html>';
    close $out;
    return;
}

# `touch -t` style stamp ([[CC]YY]MMDDhhmm[.ss], GMT) -> epoch seconds.
sub _touch_stamp {
    my ($stamp) = @_;
    my ($digits, $sec) = $stamp =~ /^\s*(\d{8}|\d{10}|\d{12})(?:\.(\d\d))?\s*$/
        or return;
    $sec //= 0;
    my $year;
    if (length $digits == 12) {
        $year = substr $digits, 0, 4, '';
    }
    elsif (length $digits == 10) {
        my $yy = substr $digits, 0, 2, '';
        $year = $yy >= 69 ? 1900 + $yy : 2000 + $yy;
    }
    else {
        $year = (gmtime)[5] + 1900;
    }
    my ($mon, $day, $hour, $min) = unpack 'A2 A2 A2 A2', $digits;
    return timegm($sec, $min, $hour, $day, $mon - 1, $year);
}

# Write the files of `--- user_files` (">>> path [stamp]" + content lines,
# or an eval'd array of [name, body, stamp]) under html/.
sub write_user_files {
    my ($block, $name, $rand_ports) = @_;

    my $files = $block->value('user_files');
    return unless $files;

    if (!ref $files) {
        my @list;
        my ($fname, $body, $stamp);
        for my $line (split /^/, $files) {
            if ($line =~ />>> (\S+)(?:\s+(.+))?/) {
                push @list, [$fname, $body, $stamp] if $fname;
                ($fname, $stamp, $body) = ($1, $2, undef);
            }
            else {
                $body .= $line;
            }
        }
        push @list, [$fname, $body, $stamp] if $fname;
        $files = \@list;
    }
    elsif (ref $files ne 'ARRAY') {
        bail_out("$name - wrong value type: ", ref $files,
                 ", only scalar or ARRAY are accepted in --- user_files");
    }

    for my $file (@$files) {
        my ($fname, $body, $stamp) = @$file;
        $body = '' unless defined $body;
        my $path = $fname =~ m{^/} ? $fname : html_dir() . "/$fname";

        if ($path =~ m{(.*)/}) {
            my $dir = $1;
            if (!-d $dir) {
                make_path($dir)
                    or bail_out("$name - Cannot create directory $dir");
            }
        }

        $body = expand_env($body, $name, $rand_ports);

        open my $out, '>', $path
            or bail_out("$name - Cannot open $path for writing: $!");
        binmode $out;
        print {$out} $body;
        close $out;

        if ($stamp) {
            my $t = _touch_stamp($stamp);
            defined $t
                or bail_out("$name - bad time stamp \"$stamp\" for $fname "
                            . "in --- user_files (want [[CC]YY]MMDDhhmm[.ss])");
            utime $t, $t, $path
                or bail_out("$name - cannot set the time of $path: $!");
        }
    }
    return;
}

# Write conf/nginx.conf for a block (format doc section 3).
sub write_config {
    my ($block, $name, $config, $rand_ports) = @_;

    my $info = nginx_info();
    my $root = $Cfg{servroot};

    $config = '' unless defined $config;

    my $http_config = expand_env($block->value('http_config'), $name, $rand_ports);
    $http_config = '' unless defined $http_config;

    my $main_config = $block->value('main_config');
    $main_config = '' unless defined $main_config;
    if ($Cfg{load_modules}) {
        my @load = map { "load_module $_;" } grep { length } split /\s+/, $Cfg{load_modules};
        $main_config = join ' ', @load, $main_config if @load;
    }
    $main_config = expand_env($main_config, $name, $rand_ports);

    my $post_main_config = expand_env($block->value('post_main_config'), $name, $rand_ports);
    $post_main_config = '' unless defined $post_main_config;

    my $err_log_file = $block->value('error_log_file') || error_log();
    $err_log_file = expand_env($err_log_file, $name, $rand_ports);

    my $server_name = $block->value('server_name');
    $server_name = $Cfg{server_name} unless defined $server_name;
    (my $quoted_name = $server_name) =~ s/\\/\\\\/g;
    $quoted_name =~ s/'/\\'/g;

    # Temp paths go under the server root unless the module is compiled out
    # or the test sets them itself.
    my @temp_paths;
    push @temp_paths, "client_body_temp_path $root/client_body_temp;"
        unless $http_config =~ /\bclient_body_temp_path\b/;
    push @temp_paths, "proxy_temp_path $root/proxy_temp;"
        unless $http_config =~ /\bproxy_temp_path\b/;
    for my $m (qw(fastcgi scgi uwsgi)) {
        push @temp_paths, "${m}_temp_path $root/${m}_temp;"
            unless $info->{V} =~ /--without-http_${m}_module/;
    }

    my $listen = $Cfg{server_port} . ($Cfg{reuse_port} ? ' reuseport' : '');

    my $conf = '';
    $conf .= "# nginx.conf generated by the project's Test::Nginx::Socket runner\n"
           . "# for: $name\n\n";
    $conf .= <<"EOC";
worker_processes  $Cfg{workers};
daemon on;
master_process $Cfg{master_process};
error_log $err_log_file $Cfg{log_level};
pid       @{[ pid_file() ]};
env MOCKEAGAIN_VERBOSE;
env MOCKEAGAIN;
env MOCKEAGAIN_WRITE_TIMEOUT_PATTERN;
env LD_PRELOAD;
env LD_LIBRARY_PATH;
env DYLD_INSERT_LIBRARIES;
env DYLD_FORCE_FLAT_NAMESPACE;
EOC

    for my $v (@{ $Cfg{env_to_nginx} }) {
        my $item = $v =~ /\s/ ? "'$v'" : $v;
        $conf .= "env $item;\n";
    }

    my $access_log = access_log();
    $conf .= <<"EOC";

$main_config

http {
    access_log $access_log;
    @{[ join "\n    ", @temp_paths ]}

    default_type text/plain;
    keepalive_timeout  68000ms;

$http_config
    server {
        listen          $listen;
        server_name     '$quoted_name';
        client_max_body_size 30M;

        # Begin preamble config...
$Cfg{config_preamble}
        # End preamble config...

        # Begin test case config...
$config
        # End test case config.

EOC

    if (!$Cfg{no_root_location}) {
        my $html = html_dir();
        $conf .= <<"EOC";
        location / {
            root $html;
            index index.html index.htm;
        }
EOC
    }

    $conf .= <<"EOC";
    }
}

$post_main_config

events {
    accept_mutex off;
    worker_connections  $Cfg{worker_connections};
EOC
    $conf .= "    use $Cfg{event_type};\n" if $Cfg{event_type};
    $conf .= "}\n";
    $conf .= "env ASAN_OPTIONS;\nenv MOCKNOEAGAIN_VERBOSE;\nenv MOCKNOEAGAIN;\n";

    if (defined $Cfg{worker_user}) {
        $conf .= "user $Cfg{worker_user};\n";
    }
    elsif ($> == 0) {
        $conf .= "user root;\n";
    }

    my $file = conf_file();
    open my $out, '>', $file or bail_out("Can't open $file for writing: $!");
    print {$out} $conf;
    close $out or bail_out("Can't write $file: $!");
    return;
}

# ---------------------------------------------------------------------------
# Processes.
# ---------------------------------------------------------------------------

# Become a "child subreaper" (Linux prctl PR_SET_CHILD_SUBREAPER) so that the
# daemonised nginx is re-parented to us and can be reaped with waitpid()
# the moment it exits.  Without it an exited nginx may stay a zombie for a
# long time when PID 1 does not reap; process_gone() copes with that too.
{
    my %prctl_nr = (x86_64 => 157, aarch64 => 167, i386 => 172, i686 => 172,
                    arm => 172, s390x => 172, ppc64 => 171, ppc64le => 171,
                    riscv64 => 167);
    my $nr = eval {
        local $SIG{__WARN__} = sub { };
        require 'syscall.ph';    # h2ph output; defines main::SYS_prctl
        main::SYS_prctl();
    };
    if (!$nr && $^O eq 'linux') {
        my ($arch) = $Config::Config{archname} =~ /^([^-]+)/;
        $nr = $prctl_nr{$arch} if $arch;
    }
    syscall($nr, 36, 1, 0, 0, 0) if $nr && $^O eq 'linux';
}

# True when the process no longer exists (or is a zombie, or we reaped it).
sub process_gone {
    my ($pid) = @_;
    return 1 if !$pid || $pid !~ /^\d+$/;

    my $r = waitpid($pid, WNOHANG);
    return 1 if $r == $pid;

    if (!kill 0, $pid) {
        return 1 if $!{ESRCH};
    }
    if (open my $fh, '<', "/proc/$pid/stat") {
        my $stat = <$fh> // '';
        return 1 if $stat =~ /\)\s+[ZX]\s/;
    }
    return 0;
}

# Wait (polling) until a process is gone; returns true if it is.
sub wait_gone {
    my ($pid, $seconds) = @_;
    my $deadline = time + $seconds;
    my $step = 0.001;
    while (!process_gone($pid)) {
        return 0 if time > $deadline;
        sleep $step;
        $step *= 1.5 if $step < 0.02;
    }
    return 1;
}

# Stop a process: $signal (QUIT/TERM), wait up to timeout(), then KILL.
sub stop_process {
    my ($pid, $name, $signal) = @_;
    return if process_gone($pid);

    verbose("sending $signal to $pid");
    kill $signal, $pid;
    return if wait_gone($pid, $Cfg{timeout});

    warn "WARNING: $name - process $pid did not exit within "
         . "$Cfg{timeout}s after SIG$signal; sending SIGKILL\n";
    kill 'KILL', $pid;
    return if wait_gone($pid, 10);
    warn "WARNING: $name - process $pid survived SIGKILL\n";
    return;
}

# The pid recorded in logs/nginx.pid, or undef.
sub read_pid_file {
    open my $in, '<', pid_file() or return;
    local $/;
    my $pid = <$in>;
    return unless defined $pid;
    $pid =~ s/\s+//g;
    return $pid =~ /^\d+$/ ? $pid : undef;
}

our $StartedPid;    # pid of the nginx we started last

# Stop the running nginx of this server root, if any, and make sure it is
# really gone (so that its port is free for the next start).
sub stop_nginx {
    my ($name) = @_;
    my $pid = read_pid_file();
    for my $p (grep { defined } $pid, $StartedPid) {
        stop_process($p, $name, $Cfg{fast_shutdown} ? 'TERM' : 'QUIT');
    }
    undef $StartedPid;
    unlink pid_file() if -f pid_file();
    return;
}

# The command line (for messages) and argument list that start nginx.
sub nginx_command {
    my $info = nginx_info();
    my $root = $Cfg{servroot};
    my @cmd = ($info->{path}, '-p', "$root/", '-c', conf_file());
    # -e (error log of the startup phase) exists since nginx 1.19.5
    push @cmd, '-e', error_log() if $info->{version} >= 1.019005;
    return @cmd;
}

# Run the nginx command once (it daemonises).  Returns ($status, $error)
# where $status is like $? and $error is set when exec itself failed.
sub run_nginx {
    my (%opt) = @_;
    my @cmd = nginx_command();
    verbose("starting: @cmd");

    pipe my $err_r, my $err_w or bail_out("pipe failed: $!");
    my $pid = fork;
    defined $pid or bail_out("fork failed: $!");

    if ($pid == 0) {
        close $err_r;
        open STDOUT, '>', '/dev/null';
        open STDERR, '>', '/dev/null' if $opt{suppress_stderr};
        if (defined $ENV{TEST_NGINX_LD_PRELOAD}) {
            $ENV{LD_PRELOAD} = join ' ', grep { defined && length }
                                   $ENV{TEST_NGINX_LD_PRELOAD}, $ENV{LD_PRELOAD};
        }
        { no warnings 'exec'; exec { $cmd[0] } @cmd; }
        print {$err_w} "exec $cmd[0] failed: $!";
        close $err_w;
        POSIX::_exit(127);
    }

    close $err_w;
    my $exec_error = do { local $/; <$err_r> };
    close $err_r;
    waitpid $pid, 0;
    my $status = $?;
    return ($status, (defined $exec_error && length $exec_error) ? $exec_error : undef);
}

# Wait for the pid file of a freshly started nginx; returns the pid.
sub wait_for_pid_file {
    my ($seconds) = @_;
    my $deadline = time + $seconds;
    my $step = 0.0005;
    while (1) {
        my $pid = read_pid_file();
        return $pid if defined $pid;
        return if time > $deadline;
        sleep $step;
        $step *= 1.5 if $step < 0.01;
    }
}

# Start nginx for a block.  Retries a start that failed because the port was
# still in use; any other failure aborts the run with nginx's own messages.
# Returns a "dry run" reason when TEST_NGINX_IGNORE_MISSING_DIRECTIVES lets
# an unknown directive turn the block's checks into skips, else 0.
sub start_nginx {
    my ($name, %opt) = @_;

    my $waited = 0;
    my $delay  = 0.05;
    while (1) {
        my ($status, $exec_error) = run_nginx(%opt);
        my $cmd = join ' ', nginx_command();
        if ($exec_error) {
            bail_out("$name - Cannot start nginx using command \"$cmd\": $exec_error");
        }

        if ($status == 0) {
            my $pid = wait_for_pid_file($Cfg{timeout} > 5 ? $Cfg{timeout} : 5);
            if (!defined $pid) {
                bail_out("$name - nginx started but wrote no pid file "
                         . pid_file() . "\n" . log_excerpt(qr/\[(?:emerg|alert|crit)\]/));
            }
            $StartedPid = $pid;
            # nginx binds before it daemonises, so this normally succeeds
            # at once; it never opens a connection (that would add lines
            # to the error log the block checks).
            if (!wait_listening($Cfg{server_port}, 5)) {
                warn "WARNING: $name - nginx (pid $pid) is not listening on "
                     . "port $Cfg{server_port}\n";
            }
            verbose("nginx running, pid $pid");
            return 0;
        }

        my $log = slurp(error_log()) // '';
        if ($ENV{TEST_NGINX_IGNORE_MISSING_DIRECTIVES}
            && $log =~ /\[emerg\] \S+?: unknown directive "([^"]+)"/)
        {
            return "the lack of directive $1";
        }

        # nginx already retries bind() for 2.5 s; give a port that is still
        # held by a dying process a few more seconds, nothing else.
        if ($log =~ /Address already in use/ && $waited < 10) {
            warn "WARNING: $name - port $Cfg{server_port} in use, retrying nginx start\n";
            sleep $delay;
            $waited += $delay;
            $delay *= 2 if $delay < 1;
            next;
        }

        bail_out("$name - Cannot start nginx using command \"$cmd\" "
                 . "(status code $status).\n"
                 . log_excerpt(qr/\[(?:emerg|alert|crit)\]/));
    }
}

# Is some socket listening on this TCP port?  Linux only (/proc/net/tcp*);
# elsewhere assume yes.
sub port_listening {
    my ($port) = @_;
    my $hex = sprintf '%04X', $port;
    my $seen_proc = 0;
    for my $table ('/proc/net/tcp', '/proc/net/tcp6') {
        open my $in, '<', $table or next;
        $seen_proc = 1;
        while (my $line = <$in>) {
            # "  sl  local_address rem_address   st ..."; st 0A = LISTEN
            return 1 if $line =~ /^\s*\d+:\s+[0-9A-F]+:$hex\s+[0-9A-F]+:[0-9A-F]+\s+0A\s/;
        }
    }
    return !$seen_proc;
}

# Poll until the port is listening (at most $seconds).
sub wait_listening {
    my ($port, $seconds) = @_;
    my $deadline = time + $seconds;
    until (port_listening($port)) {
        return 0 if time > $deadline;
        sleep 0.002;
    }
    return 1;
}

# Last matching lines of the error log, for messages.
sub log_excerpt {
    my ($re) = @_;
    my $log = slurp(error_log());
    return "(no error log)" unless defined $log;
    my @lines = grep { /$re/ } split /\n/, $log;
    @lines = (split /\n/, $log) unless @lines;
    @lines = @lines[-8 .. -1] if @lines > 8;
    return join '', map { "    error.log: $_\n" } @lines;
}

sub slurp {
    my ($file) = @_;
    open my $in, '<', $file or return;
    binmode $in;
    local $/;
    return scalar <$in>;
}

# ---------------------------------------------------------------------------
# Logs.
# ---------------------------------------------------------------------------

our $ErrLogPos = 0;    # read position for the incremental error log

sub reset_error_log_pos { $ErrLogPos = 0; return }

# New lines of logs/error.log since the previous call (all lines with
# check_accum_error_log).  Sleeps 3 x TEST_NGINX_SLEEP first so that lines
# from nginx's log phase are written.
sub error_log_lines {
    sleep $Cfg{sleep} * 3;
    open my $in, '<', error_log() or return [];
    if (!$Cfg{check_accum} && $ErrLogPos > 0) {
        seek $in, $ErrLogPos, 0;
    }
    my @lines = <$in>;
    $ErrLogPos = tell $in unless $Cfg{check_accum};
    close $in;
    return \@lines;
}

# All lines of logs/access.log.
sub access_log_lines {
    sleep $Cfg{sleep} * 3;
    open my $in, '<', access_log()
        or die "open " . access_log() . " failed: $!\n";
    my @lines = <$in>;
    close $in;
    return \@lines;
}

1;
