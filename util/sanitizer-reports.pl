#!/usr/bin/perl
# Reads the AddressSanitizer / LeakSanitizer / UBSan report files of a
# sanitizer test run and prints every finding that is not one of nginx's
# own exit-time leaks; exits 1 when there is one.
#
# nginx does not free, on exit, what it allocated for good: the event
# arrays of ngx_event_process_init(), and the init cycle's pool when the
# configuration is refused.  Those two are ignored, nothing else is.

use strict;
use warnings;

my @benign = (
    qr/\bngx_event_process_init\b/,
    qr/\bngx_create_pool\b[^\n]*\n[^\n]*\bin main src\/core\/nginx\.c/,
);

my $found = 0;

for my $file (@ARGV) {
    open my $fh, '<', $file or die "$file: $!\n";
    local $/;
    my $text = <$fh>;
    close $fh;

    # one chunk per finding: a leak, or any other error report
    my @chunks = split /\n(?=(?:Direct|Indirect) leak of |==\d+==ERROR|\S+:\d+:\d+: runtime error)/,
                       $text;

    for my $chunk (@chunks) {
        next unless $chunk =~ /leak of|ERROR:|runtime error/;
        next if $chunk =~ /^==\d+==ERROR: LeakSanitizer: detected memory leaks\s*$/;

        if ($chunk =~ /^(?:Direct|Indirect) leak of/) {
            next if grep { $chunk =~ $_ } @benign;
        }

        print "== $file\n$chunk\n";
        $found = 1;
    }
}

exit $found;
