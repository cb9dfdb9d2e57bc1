# vim:set ft= ts=4 sw=4 et fdm=marker:
# What a worker holds of the audit trail when it exits (docs/audit.md
# "Where"): the records in its swr_audit_log buffer= and its
# swr_audit_redis buffer= are written when it exits, not lost.  A reload
# (SIGHUP to the master, so master_on) makes the old worker exit
# gracefully; flush=30s keeps the timers from writing first.
#
#   TEST 1  three refused management requests (401, no credentials):
#           nothing in the file or the stream while the worker runs;
#           after the reload the file has the three records and the
#           stream the same three, one entry
#
# The block's --- init makes the requests and writes a report
# (html/exit.txt) that the block GETs and compares whole.

use Test::Nginx::Socket;
use SwrTest;

use Time::HiRes ();

$ENV{TEST_NGINX_REDIS_PORT} ||= 6379;

sub file { return SwrTest::html_file($_[0]) }

# the stream's entries: the User-Agents of each one's records, joined by
# "|"
sub entries {
    my ($key) = @_;
    my (%ua, @order);
    for (SwrTest::audit_stream($key)) {
        push @order, $_->[0] unless $ua{ $_->[0] };
        push @{ $ua{ $_->[0] } },
            $_->[1] =~ /"user_agent":"([^"]*)"/ ? $1 : 'no user_agent';
    }
    return map { join '|', @{ $ua{$_} } } @order;
}

sub exit_init {
    SwrTest::redis_start();
    SwrTest::command('FLUSHALL');
    SwrTest::wait_health();
    my @out;
    push @out, 'answers: ' . join ' ', map {
        SwrTest::http('DELETE', "/v2/manage/namespaces/ns$_",
                      headers => [ "User-Agent: t142/$_" ])->{status}
    } 1 .. 3;
    Time::HiRes::sleep(0.3);
    push @out, 'before the reload: file '
               . SwrTest::file_lines(file('audit.log'))
               . ' records, stream ' . SwrTest::command('XLEN', 't142:audit')
               . ' entries';
    my $old = SwrTest::worker_pid();
    my $master = SwrTest::nginx_pid();
    kill 'HUP', $master or die "cannot signal nginx $master\n";
    my $gone = 0;
    for (1 .. 200) {
        if (SwrTest::gone($old)) {
            $gone = 1;
            last;
        }
        Time::HiRes::sleep(0.05);
    }
    push @out, 'the old worker exited: ' . ($gone ? 'yes' : 'no');
    my @e;
    for (1 .. 60) {
        @e = entries('t142:audit');
        last if @e;
        Time::HiRes::sleep(0.05);
    }
    push @out, 'file: ' . join ' ', map { /"user_agent":"([^"]*)"/ ? $1 : $_ }
                                     SwrTest::file_lines(file('audit.log'));
    push @out, 'stream: ' . join ' ', map { "[$_]" } @e;
    open my $fh, '>', file('exit.txt') or die $!;
    print $fh map { "$_\n" } @out;
    close $fh;
}

repeat_each(1);
master_on();
workers(1);

plan tests => repeat_each() * (2 * blocks() + 1);

no_long_string();
no_shuffle();
run_tests();

__DATA__

=== TEST 1: swr_audit_log and swr_audit_redis with buffer= and flush=30s: the records a worker holds are in the file and the stream once it exits (a reload)
--- init
main::exit_init();
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_region cn-north-4;
    swr_audit_log $TEST_NGINX_SERVER_ROOT/html/audit.log buffer=64k flush=30s;
    swr_audit_redis on stream=t142:audit buffer=64k flush=30s;
--- config
    location = /_swr/health {
        swr_health;
    }
    location /v2/manage/ {
        swr_manage_api;
        swr_auth on;
    }
--- request
GET /exit.txt
--- response_body
answers: 401 401 401
before the reload: file 0 records, stream 0 entries
the old worker exited: yes
file: t142/1 t142/2 t142/3
stream: [t142/1|t142/2|t142/3]
--- no_error_log
[alert]
