package Test::Nginx::Client;

# ngx_http_swr_module project: our own implementation of the HTTP client side
# of the Test::Nginx `.t` format -- building requests from a block's
# sections, sending them over plain sockets and parsing the raw replies.
# Written from the project's format description
# (docs/test-nginx-format.md, sections 5.2, 6 and 7.2); no code was taken
# from Test::Nginx or libwww-perl.

use strict;
use warnings;

use Errno qw(EAGAIN EINTR EWOULDBLOCK);
use IO::Select ();
use IO::Socket::INET ();
use Time::HiRes qw(sleep time);

use Test::Nginx::Server ();
use Test::Nginx::Spec ();

our $VERSION = '1.00';

*bail_out = \&Test::Nginx::Server::bail_out;
*Cfg      = \%Test::Nginx::Server::Cfg;
our %Cfg;

# ---------------------------------------------------------------------------
# Building requests (format doc section 6).
# ---------------------------------------------------------------------------

# `--- more_headers` text -> ("Name: value\r\n"..., $is_chunked).
# Blank lines and lines starting with "#" are skipped.
sub parse_more_headers {
    my ($text) = @_;
    my ($out, $chunked) = ('', 0);
    for my $line (split /\n+/, $text // '') {
        next if $line =~ /^\s*#/;
        my ($key, $val) = split /:\s*/, $line, 2;
        $key = '' unless defined $key;
        $val = '' unless defined $val;
        $chunked = 1 if lc $key eq 'transfer-encoding' && $val eq 'chunked';
        $out .= "$key: $val\r\n";
    }
    return ($out, $chunked);
}

# Rewrite one request given as pieces (strings sent with separate writes):
# "METHOD [URI [VERSION]]" + body becomes a complete HTTP/1.x request with
# Host, Connection, the extra headers and Content-Length.  The result has
# as many pieces as the input; each boundary stays at the corresponding
# place of the original text.
sub build_request {
    my ($name, $headers, $chunked, $conn, $pieces) = @_;

    my $text = join '', map { defined ? $_ : '' } @$pieces;

    my ($first) = $text =~ /\A([^\n]*\n?)/;
    if (!length $first) {
        bail_out("$name - Request line should be non-empty");
    }

    # Request line: [blanks] METHOD [URI [VERSION]] [blanks]
    $first =~ /\A(\s*)(\S+)( *)(?:(\S+)( *))?(?:(\S+)( *))?(\s*)\z/
        or bail_out("$name - Request line is not valid. Should be "
                    . "'meth [url [version]]' but got \"$first\".");
    my @len = map { defined $_ ? length $_ : 0 } ($1, $2, $3, $4, $5, $6, $7, $8);
    my ($meth, $uri, $ver) = ($2, $4, $6);
    $uri = '/'        unless defined $uri;
    $ver = 'HTTP/1.1' unless defined $ver;

    my $body = substr $text, length $first;

    my $len_header = '';
    if (!$chunked && $body ne '' && $headers !~ /(?:^|\n)Content-Length:/) {
        $body =~ s/\A\s+//;
        $body =~ s/\s+\z//;
        $len_header = 'Content-Length: ' . length($body) . "\r\n";
    }

    my $head = '';
    $head .= "Host: $Cfg{server_name}\r\n"
        if $headers !~ /(?:^|\n)Host:/i;
    $head .= "Connection: $conn\r\n"
        if $headers !~ /(?:^|\n)Connection/i;
    $head .= $headers . $len_header . "\r\n";

    # The rewrite as regions of the original text and their replacements.
    my @regions;
    my $pos = 0;
    my @map = (
        [$len[0], ''],                    # blanks before the method
        [$len[1], "$meth "],
        [$len[2], ''],
        [$len[3], "$uri "],
        [$len[4], ''],
        [$len[5], "$ver\r\n"],
        [$len[6] + $len[7], ''],          # blanks and end of line
        [0, $head],                       # inserted headers
        [length($text) - length($first), $body],
    );
    for my $m (@map) {
        push @regions, [$pos, $pos + $m->[0], $m->[1]];
        $pos += $m->[0];
    }

    my $out = join '', map { $_->[2] } @regions;
    return [$out] if @$pieces <= 1;

    # Map each original piece boundary to the rewritten text: replacements
    # that end at or before it count fully, one that spans it counts for
    # the part before it (capped to its length).
    my @cuts;
    my $orig = 0;
    for my $i (0 .. $#$pieces - 1) {
        $orig += length($pieces->[$i] // '');
        my $at = 0;
        for my $r (@regions) {
            my ($s, $e, $rep) = @$r;
            if ($e <= $orig) {
                $at += length $rep;
            }
            elsif ($s < $orig) {
                my $part = $orig - $s;
                $at += $part < length $rep ? $part : length $rep;
            }
        }
        push @cuts, $at;
    }

    my @result;
    my $prev = 0;
    for my $cut (@cuts, length $out) {
        $cut = $prev if $cut < $prev;
        push @result, substr $out, $prev, $cut - $prev;
        $prev = $cut;
    }
    return \@result;
}

# All requests of a block: a list of requests, each a list of pieces
# { value => bytes, delay_before => seconds }.
sub requests_from_block {
    my ($block, $name, $rand_ports) = @_;

    my @reqs;

    if (defined $block->value('raw_request')) {
        my $raw = $block->value('raw_request');
        if (ref $raw eq 'ARRAY') {
            push @reqs, [ map { { value => $_ } } @$raw ];
        }
        else {
            push @reqs, [ { value => $raw } ];
        }
        return \@reqs;
    }

    my $request;
    if (defined $block->value('request_eval')) {
        Test::More::diag("$name - request_eval DEPRECATED. Use request eval instead.");
        $request = Test::Nginx::Spec::Eval::run($block->value('request_eval'));
        warn $@ if $@;
    }
    else {
        $request = $block->value('request');
        if (defined $request && !ref $request) {
            # leading blanks and "# comment" lines are dropped
            1 while $request =~ s/\A\s*#[^\n]+\s+|\A\s+//;
        }
    }

    my $more = $block->value('more_headers');
    $more = '' unless defined $more && (ref $more || length $more);

    # Headers for the i-th request: one string for all, or an array.
    my $headers_for = sub {
        my ($i, $what) = @_;
        if (ref $more eq 'ARRAY') {
            my $h = $more->[$i];
            defined $h
                or bail_out("$name - --- more_headers lacks data for the $what");
            return parse_more_headers($h);
        }
        return parse_more_headers($more);
    };

    my $pipelined = $block->value('pipelined_requests');
    if ($pipelined) {
        if (ref $pipelined ne 'ARRAY') {
            bail_out("$name - invalid entries in --- pipelined_requests");
        }
        my $all = '';
        for my $i (0 .. $#$pipelined) {
            my $one = Test::Nginx::Server::expand_env($pipelined->[$i], $name, $rand_ports);
            my ($hdr, $chunked) = $headers_for->($i, "pipelined request $i");
            my $conn = $i == $#$pipelined ? 'close' : 'keep-alive';
            $all .= build_request($name, $hdr, $chunked, $conn, [$one])->[0];
        }
        push @reqs, [ { value => $all } ];
        return \@reqs;
    }

    if (!ref $request) {
        my ($hdr, $chunked) = $headers_for->(0, 'request');
        push @reqs, [ { value => build_request($name, $hdr, $chunked, 'close', [$request])->[0] } ];
        return \@reqs;
    }

    if (ref $request ne 'ARRAY') {
        bail_out("$name - invalid --- request: MUST be string or array of requests");
    }

    for my $i (0 .. $#$request) {
        my $one = $request->[$i];
        my ($hdr, $chunked) = $headers_for->($i, "${i}th request");

        if (!ref $one) {
            push @reqs, [ { value => build_request($name, $hdr, $chunked, 'close', [$one])->[0] } ];
            next;
        }

        if (ref $one ne 'ARRAY') {
            bail_out("$name - Invalid syntax. $one should be a string or an array of packets.");
        }

        # A request written as pieces, each a string or
        # { value => ..., delay_before => ... }.
        my @texts;
        for my $piece (@$one) {
            if (!ref $piece) {
                push @texts, $piece;
            }
            elsif (ref $piece eq 'HASH') {
                push @texts, $piece->{value};
            }
            else {
                bail_out("$name - Invalid syntax. $piece should be a string or hash with value.");
            }
        }
        my $built = build_request($name, $hdr, $chunked, 'close', \@texts);
        my @pieces;
        for my $j (0 .. $#$built) {
            my %p = ref $one->[$j] eq 'HASH' ? %{ $one->[$j] } : ();
            $p{value} = $built->[$j];
            push @pieces, \%p;
        }
        push @reqs, \@pieces;
    }

    return \@reqs;
}

# ---------------------------------------------------------------------------
# Sending.
# ---------------------------------------------------------------------------

# Connect, with a few quick retries while the server is alive.
#   $alive: code ref telling whether nginx still runs (undef = unknown)
sub _connect {
    my (%a) = @_;

    my ($sock, $err);
    my $tries = $a{tries} || 20;
    for my $try (1 .. $tries) {
        $sock = IO::Socket::INET->new(
            PeerAddr => $a{addr},
            PeerPort => $a{port},
            Proto    => 'tcp',
            Timeout  => $a{timeout},
        );
        return ($sock, undef) if $sock;
        $err = $! || $@;

        last if $try == $tries;
        last if $a{alive} && !$a{alive}->();    # nginx is gone: no point

        my $s = $Cfg{sleep};
        my $wait = ($s + $s * $try) * $try / 2;
        $wait = 0.25 if $wait > 0.25;
        warn "$a{name} - Can't connect to $a{addr}:$a{port}: $err, "
             . "retrying in ${wait}s\n" if $wait >= 0.2;
        sleep $wait;
    }
    return (undef, $err);
}

# Send one request (a list of pieces) on a new connection and read until
# the server closes it.  Every wait for socket activity is bounded by
# $a{timeout}.  Returns a hash:
#   resp       bytes received (possibly partial)
#   head       true for a HEAD request
#   timed_out  true if a wait expired
#   connect_error  set when no connection could be made
sub send_request {
    my (%a) = @_;

    my @pieces = map { +{ %$_ } } @{ $a{pieces} };
    my $whole  = join '', map { $_->{value} // '' } @pieces;
    my %res = (resp => '', head => ($whole =~ /^\s*HEAD\s+/ ? 1 : 0), timed_out => 0);

    my ($sock, $err) = _connect(%a);
    if (!$sock) {
        $res{connect_error} = $err;
        return \%res;
    }
    $sock->blocking(0);

    local $SIG{PIPE} = 'IGNORE';

    my $piece    = shift @pieces;
    my $buf      = _bytes($piece->{value});
    my $off      = 0;
    my $writing  = 1;
    my $sel      = IO::Select->new($sock);

    while (1) {
        $! = 0;
        my ($r, $w) = IO::Select->select($sel, $writing ? $sel : undef, undef, $a{timeout});
        if (!$r && !$w) {
            next if $!{EINTR};    # a signal, not a timeout
            $res{timed_out} = 1;
            last;
        }

        if ($w && @$w) {
            while ($writing) {
                if ($off < length $buf) {
                    my $n = syswrite $sock, $buf, length($buf) - $off, $off;
                    if (!defined $n) {
                        last if $! == EAGAIN || $! == EWOULDBLOCK;
                        warn "WARNING: $a{name} - write failed: $!\n";
                        $writing = 0;    # keep reading what the server sent
                        last;
                    }
                    $off += $n;
                    next;
                }
                $piece = shift @pieces;
                if (!$piece) {
                    $writing = 0;
                    if (defined $a{shutdown}) {
                        shutdown $sock, $a{shutdown};
                    }
                    last;
                }
                my $delay = defined $piece->{delay_before} ? $piece->{delay_before}
                                                           : $a{middle_delay};
                sleep $delay if $delay;
                ($buf, $off) = (_bytes($piece->{value}), 0);
            }
        }

        if ($r && @$r) {
            my $eof = 0;
            while (1) {
                my $n = sysread $sock, my $chunk, 65536;
                if (!defined $n) {
                    last if $! == EAGAIN || $! == EWOULDBLOCK || $! == EINTR;
                    warn "WARNING: $a{name} - HTTP response read failure: $!\n";
                    $eof = 1;
                    last;
                }
                if ($n == 0) {
                    $eof = 1;
                    last;
                }
                $res{resp} .= $chunk;
            }
            last if $eof;
        }
    }

    close $sock;
    return \%res;
}

sub _bytes {
    my ($s) = @_;
    $s = '' unless defined $s;
    utf8::encode($s) if utf8::is_utf8($s);
    return $s;
}

# ---------------------------------------------------------------------------
# Parsing replies (format doc section 7.2).
# ---------------------------------------------------------------------------

# parse_response($raw, $is_head) -> ($response, $raw_headers, $left, $error)
#   $response     Test::Nginx::Client::Response (undef on a broken body)
#   $raw_headers  status line and header lines, as received
#   $left         bytes after the end of this response (pipelining)
#   $error        why a chunked body could not be decoded
#   $warning      e.g. a truncated body
sub parse_response {
    my ($raw, $is_head) = @_;

    $raw = '' unless defined $raw;

    my $raw_headers = $raw =~ /\A(.*?\r\n)\r\n/s ? $1 : '';

    # Status line: up to the first LF (or everything).
    my ($status_line, $rest);
    if ($raw =~ /\A(.*)\n/) {
        $status_line = $1;
        $rest = substr $raw, length($1) + 1;
    }
    else {
        ($status_line, $rest) = ($raw, '');
    }
    $status_line =~ s/\r\z//;

    # Header lines "Name: value", continuation lines, then one empty line.
    my @headers;
    while (1) {
        if ($rest =~ s/\A([^\s:]+)[ \t]*: ?(.*)\n?//) {
            my ($n, $v) = ($1, $2);
            $v =~ s/\r\z//;
            push @headers, [$n, $v];
        }
        elsif (@headers && $rest =~ s/\A([ \t].*)\n?//) {
            $headers[-1][1] .= "\n$1";
            $headers[-1][1] =~ s/\r\z//;
        }
        else {
            $rest =~ s/\A\r?\n//;
            last;
        }
    }

    my ($proto, $code, $message);
    if ($status_line =~ /^\d{3} /) {
        ($code, $message) = split ' ', $status_line, 2;
    }
    else {
        ($proto, $code, $message) = split ' ', $status_line, 3;
    }
    undef $code if defined $code && $code !~ /^\d+$/;

    my $res = Test::Nginx::Client::Response->new(
        code => $code, protocol => $proto, message => $message,
        headers => \@headers, content => $rest,
    );

    return ($res, $raw_headers) if $code && ($code == 304 || $code == 101);

    my $te  = $res->header('Transfer-Encoding');
    my $len = $res->header('Content-Length');
    my $left;
    my $warning;

    if (defined $te && $te eq 'chunked') {
        my @trailers = $res->header('Trailer');
        my ($body, $after, $err) = _dechunk($rest, \@trailers);
        return (undef, undef, undef, $err) if $err;
        $res->content($body);
        $left = $after;
    }
    elsif (defined $len && $len ne '' && $len =~ /^\s*\d+\s*$/) {
        if (length $rest < $len) {
            $warning = "response body truncated: $len expected, but got "
                       . length($rest) unless $is_head;
        }
        elsif (length $rest > $len) {
            $res->content(substr $rest, 0, $len);
            $left = substr $rest, $len;
        }
    }

    return ($res, $raw_headers, $left, undef, $warning);
}

# Decode a chunked body.  Returns ($body, $bytes_after, $error).
sub _dechunk {
    my ($raw, $trailers) = @_;

    my $body = '';
    pos($raw) = 0;
    while (1) {
        # last chunk
        if (!@$trailers && $raw =~ /\G0[ \t]*\r\n\r\n/gc) {
            my $after = $raw =~ /\G(.+)/gcs ? $1 : undef;
            return ($body, $after, undef);
        }
        if (@$trailers && $raw =~ /\G0[ \t]*\r\n/gc) {
            for my $t (@$trailers) {
                $raw =~ /\G\Q$t\E: [^\n]*\r\n/gc
                    or return (undef, undef,
                               "invalid trailer data received (expected $t).");
            }
            $raw =~ /\G\r\n/gc
                or return (undef, undef, 'invalid chunked data received (expected CRLF).');
            my $after = $raw =~ /\G(.+)/gcs ? $1 : undef;
            return ($body, $after, undef);
        }

        if ($raw =~ /\G[ \t]*([A-Fa-f0-9]+)[ \t]*\r\n/gc) {
            my $size = hex $1;
            my $start = pos $raw;
            if (length($raw) - $start < $size) {
                return (undef, undef, 'invalid chunked data received '
                                      . '(not enough octets for the data section)');
            }
            $body .= substr $raw, $start, $size;
            pos($raw) = $start + $size;
            $raw =~ /\G\r\n/gc
                or return (undef, undef, 'invalid chunked data received (expected CRLF).');
            next;
        }

        if ($raw =~ /\G(.+)/gcs) {
            my $bad = $1;
            $bad = substr($bad, 0, 200) . '...' if length $bad > 200;
            return (undef, undef, "invalid chunked body received: $bad");
        }
        return (undef, undef, "no last chunk found - $raw");
    }
}


package Test::Nginx::Client::Response;

# A parsed reply: status code, header list (names as received), body.

use strict;
use warnings;

sub new {
    my ($class, %a) = @_;
    return bless {
        code     => $a{code},
        protocol => $a{protocol},
        message  => $a{message},
        headers  => $a{headers} || [],
        content  => defined $a{content} ? $a{content} : '',
    }, $class;
}

sub code { return $_[0]{code} }

sub content {
    my $self = shift;
    $self->{content} = shift if @_;
    return $self->{content};
}

# Header lookup, case-insensitive, "_" in the asked name meaning "-".
# Several headers of that name: a list, or one value joined with ", ".
sub header {
    my ($self, $name) = @_;
    (my $want = lc $name) =~ tr/_/-/;
    my @v = map { $_->[1] } grep { lc $_->[0] eq $want } @{ $self->{headers} };
    return @v if wantarray;
    return @v ? join(', ', @v) : undef;
}

1;
