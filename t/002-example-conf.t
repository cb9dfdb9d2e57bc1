# vim:set ft= ts=4 sw=4 et fdm=marker:
# The configurations shipped in conf/examples/ are valid: each one, with
# its machine-specific paths and host names pointed at this test's own
# (the module that was built, a scratch directory, 127.0.0.1), passes
# "nginx -t"; the store's proxy location includes conf/swr_obs_proxy.conf
# as shipped.

use Test::Nginx::Socket;
use File::Path ();

repeat_each(1);

plan tests => repeat_each() * 2;

no_long_string();
no_shuffle();
run_tests();

__DATA__

=== TEST 1: every example configuration passes nginx -t
--- init
my $root = $ENV{TEST_NGINX_SERVER_ROOT};
my $top = $ENV{TEST_NGINX_SWR_CONF} ? "$ENV{TEST_NGINX_SWR_CONF}/.." : '.';
my $nginx = $ENV{TEST_NGINX_BINARY} || 'nginx';
my $module = $ENV{TEST_NGINX_LOAD_MODULES}
    or die "TEST_NGINX_LOAD_MODULES unset\n";
my @out;
for my $example (sort glob "$top/conf/examples/*.conf") {
    my ($name) = $example =~ m{([^/]+)$};
    my $dir = "$root/examples_temp/$name";
    File::Path::make_path("$dir/conf", "$dir/logs", "$dir/var");
    open my $in, '<', $example or die "$example: $!";
    local $/;
    my $c = <$in>;
    close $in;
    $c =~ s{^load_module \S+;}{load_module $module;}m;
    $c =~ s{/var/lib/swr/}{$dir/var/}g;
    $c =~ s{/var/log/nginx/}{$dir/logs/}g;
    $c =~ s{(server\s+)[a-z][\w.-]*\.[a-z]+(:\d+)}{${1}127.0.0.1$2}g;
    open my $o, '>', "$dir/conf/nginx.conf" or die $!;
    print $o $c;
    close $o;
    system("cp $top/conf/swr_obs_proxy.conf $dir/conf/") == 0 or die;
    # "nginx -t" exits without freeing what it loaded, on purpose: that is
    # no leak for the sanitizer build to report
    local $ENV{ASAN_OPTIONS} = 'detect_leaks=0,detect_odr_violation=0';
    my $t = `$nginx -t -q -e stderr -p $dir -c $dir/conf/nginx.conf 2>&1`;
    $t =~ s/^.*\[warn\].*\n//mg;
    push @out, "$name: " . ($? == 0 ? 'ok' : "failed: $t");
}
open my $fh, '>', "$root/html/examples.txt" or die $!;
print $fh join("\n", @out), "\n";
close $fh;
--- config
    location = /examples.txt {
    }
--- request
GET /examples.txt
--- response_body
registry-obs.conf: ok
registry.conf: ok
