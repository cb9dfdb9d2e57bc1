package Test::Nginx::Spec;

# ngx_http_swr_module project: our own implementation of the block/section
# grammar of Test::Nginx `.t` files (the grammar Test::Nginx inherits from
# Test::Base).  Written from the project's format description
# (docs/test-nginx-format.md, sections 2 and 12); no code was taken from
# Test::Base or Test::Nginx.
#
# A spec (the text after __DATA__) is a list of blocks:
#
#   === TEST 1: name
#   free description (ignored)
#   --- section filter filter
#   value lines ...
#   --- section: one-line value
#
# parse_spec() turns the text into Test::Nginx::Spec::Block objects (raw
# values, ONLY/SKIP/LAST applied); run_filters() then applies the default
# filters (norm, trim) and the filters named on each section line.

use strict;
use warnings;

use Carp ();

our $VERSION = '1.00';

# Filters applied to every section before the ones named on its line.
our @DEFAULT_FILTERS = qw(norm trim);

# Section names that Test::Base refuses ("reserved"): the methods of its
# block class, plus every name starting with an underscore.
my %RESERVED = map { $_ => 1 } qw(
    AUTOLOAD BEGIN DESTROY EXPORT ISA __ANON__ new
    block_accessor blocks_object description is_filtered name
    original_values run_filters seq_num set_value
);

# parse_spec($text) -> ($blocks_arrayref, $only_seen)
#
# Splits the spec into blocks and sections.  Dies (like Test::Base) on a
# reserved section name and on extra lines after a one-line section.
sub parse_spec {
    my ($spec) = @_;

    return ([], 0) unless defined $spec;

    # A spec may start with "<<< perl code >>>", run before anything else.
    if ($spec =~ s/\A\s*<<<(.*?)>>>\s*$//sm) {
        my $code = $1;

        eval "package main; $code; 1" or Carp::croak($@);
    }

    # Every line starting with "===" opens a block that runs up to the next
    # such line; anything before the first one is ignored.
    my @hunks = $spec =~ /^(===.*?(?=^===|\z))/msg;

    my @blocks;
    my $only = 0;
    for my $hunk (@hunks) {
        my $block = _make_block($hunk);

        if ($block->has('ONLY')) {
            @blocks = ($block);
            $only = 1;
            last;
        }
        next if $block->has('SKIP');
        push @blocks, $block;
        last if $block->has('LAST');
    }

    my $seq = 1;
    $_->{seq_num} = $seq++ for @blocks;

    return (\@blocks, $only);
}

# Build one block from its text (which starts with "===").
sub _make_block {
    my ($hunk) = @_;

    # The block name is the rest of the "===" line; the whitespace after it
    # (including blank lines) is dropped.
    $hunk =~ s/\A===[ \t]*(.*)\s+//
        or Carp::croak("malformed block header in spec: "
                       . substr($hunk, 0, 60));
    my $name = $1;

    # Section lines: "--- name rest-of-line".  split() with captures gives
    # (description, name1, rest1, value1, name2, rest2, value2, ...).
    my @parts = split /^--- +\(?(\w+)\)? *(.*)?\n/m, $hunk;
    shift @parts;    # free-form description, ignored

    my $block = Test::Nginx::Spec::Block->new($name);

    while (@parts) {
        my ($section, $filters, $value) = splice @parts, 0, 3;
        $value   = '' unless defined $value;
        $filters = '' unless defined $filters;

        if ($RESERVED{$section} || $section =~ /^_/) {
            Carp::croak("'$section' is a reserved name. Use something else.\n");
        }

        # One-line form: "--- name filters: value".
        if ($filters =~ /:(?:\s|\z)/) {
            if ($value =~ /\S/) {
                Carp::croak("Extra lines not allowed in '$section' section");
            }
            ($filters, $value) = split /\s*:(?:\s+|\z)/, $filters, 2;
            $value = '' unless defined $value;
            $value =~ s/\A\s+//;
            $value =~ s/\s+\z//;
        }

        $block->add_section($section, $filters, $value);
    }

    return $block;
}

# The filter chain of a section: defaults, then the names on the section
# line; "-name" removes an earlier filter, "+name" appends at the very end.
sub _filter_chain {
    my ($spec) = @_;

    $spec = '' unless defined $spec;
    $spec =~ s/\A\s+//;

    my (@chain, @tail);
    for my $f (@DEFAULT_FILTERS, split /\s+/, $spec) {
        last unless length $f;
        if ($f =~ s/^-//) {
            @chain = grep { $_ ne $f } @chain;
        }
        elsif ($f =~ s/^\+//) {
            push @tail, $f;
        }
        else {
            push @chain, $f;
        }
    }
    return (@chain, @tail);
}

# run_filters($block): apply every section's filter chain, in section order.
# Dies on an unknown filter name (before any test runs, as the real one).
sub run_filters {
    my ($block) = @_;

    return if $block->{filtered};

    for my $section (@{ $block->{order} }) {
        my @value = $block->values($section);
        for my $spec (_filter_chain($block->{filters}{$section})) {
            my ($filter, $arg) = $spec =~ /\A([^=]*)(?:=(.*))?\z/s;
            @value = _apply_filter($block, $section, $filter, $arg, @value);
            $block->set_value($section, @value);
        }
    }

    $block->{filtered} = 1;
    return;
}

# Apply one filter.  Like Test::Base, a function of that name defined in the
# test script (package main) wins over the built-in filters.
sub _apply_filter {
    my ($block, $section, $filter, $arg, @value) = @_;

    no strict 'refs';
    if (defined &{"main::$filter"}) {
        my $code = \&{"main::$filter"};
        local $Test::Nginx::Spec::Filter::Argument = $arg;
        local $_ = (@value == 1 && !defined $value[0]) ? undef
                                                      : join '', @value;
        my @out = $code->(@value);
        # Filters that only munge $_ return a number or nothing.
        if (!@out || (@out == 1 && defined $out[0] && $out[0] =~ /\A(\d+|)\z/)) {
            @out = ($_);
        }
        return @out;
    }
    use strict 'refs';

    my $method = Test::Nginx::Spec::Filter->can("f_$filter");
    if (!$method) {
        die "Can't find a function or method for '$filter' filter\n";
    }

    local $Test::Nginx::Spec::Filter::Argument = $arg;
    local $Test::Nginx::Spec::Filter::Block    = $block;
    return $method->($filter, @value);
}


package Test::Nginx::Spec::Filter;

# The filters.  Each f_NAME receives the filter name and the current value
# list and returns the new value list.

use strict;
use warnings;

our $Argument;    # text after "=" in "name=arg"
our $Block;       # block being filtered

sub _one {
    my ($name, @v) = @_;
    if (@v != 1) {
        Carp::croak("Input to the '$name' filter must be a scalar, not a list");
    }
    return $v[0];
}

# Argument with "\s" and "\t"-style escapes expanded (as Test::Base does).
sub _argument {
    return unless defined $Argument;
    my $a = $Argument;
    $a =~ s/\\s/ /g;
    $a =~ s/\\n/\n/g;
    $a =~ s/\\t/\t/g;
    $a =~ s/\\r/\r/g;
    return $a;
}

# norm: CRLF -> LF, then any remaining CR -> LF.
sub f_norm {
    my $text = _one(@_);
    $text = '' unless defined $text;
    $text =~ s/\r\n/\n/g;
    $text =~ s/\r/\n/g;
    return $text;
}

# trim: drop leading blank lines and all whitespace after the last newline.
sub f_trim {
    my (undef, @v) = @_;
    for (@v) {
        next unless defined && !ref;
        s/\A(?:[ \t]*\n)+//;
        s/(?<=\n)\s*\z//;
    }
    return @v;
}

sub f_chomp {
    my (undef, @v) = @_;
    for (@v) { chomp if defined && !ref }
    return @v;
}

sub f_chop {
    my (undef, @v) = @_;
    for (@v) { chop if defined && !ref }
    return @v;
}

sub f_unchomp {
    my (undef, @v) = @_;
    return map { "$_\n" } @v;
}

# eval: the text is Perl; its result list becomes the value.  A failing
# eval yields the error message as the value (as Test::Base does).
sub f_eval {
    my $code = _one(@_);
    my @ret = Test::Nginx::Spec::Eval::run($code);
    return $@ ? $@ : @ret;
}

# eval_stdout / eval_stderr: the value is what the code printed.
sub f_eval_stdout { return _eval_capture('STDOUT', _one(@_)) }
sub f_eval_stderr { return _eval_capture('STDERR', _one(@_)) }

sub _eval_capture {
    my ($which, $code) = @_;
    my $out = '';
    {
        no strict 'refs';
        local *{"main::$which"};
        open *{"main::$which"}, '>', \$out or die "cannot capture $which: $!";
        Test::Nginx::Spec::Eval::run($code);
        close *{"main::$which"};
    }
    return $out;
}

# escape: expand backslash escapes (\n, \t, \r, \\, ...), one escape
# character at a time, with Perl's double-quote rules.
sub f_escape {
    my $text = _one(@_);
    $text =~ s{(\\.)}{Test::Nginx::Spec::Eval::qq_escape($1)}ge;
    return $text;
}

sub f_lines {
    my $text = _one(@_);
    return () unless length $text;
    return $text =~ /^(.*\n?)/gm;
}

sub f_array { my (undef, @v) = @_; return [@v] }

sub f_hash { my (undef, @v) = @_; return {@v} }

sub f_join {
    my (undef, @v) = @_;
    my $sep = _argument();
    return join(defined $sep ? $sep : '', @v);
}

sub f_split {
    my $text = _one(@_);
    my $sep = _argument();
    if (defined $sep && $sep =~ m{\A/(.*)/\z}s) {
        $sep = qr/$1/;
    }
    elsif (!$sep) {
        $sep = qr/\s+/;
    }
    else {
        $sep = qr/\Q$sep\E/;
    }
    return split $sep, $text;
}

sub f_append  { my (undef, @v) = @_; my $s = _argument() // ''; return map { $_ . $s } @v }
sub f_prepend { my (undef, @v) = @_; my $s = _argument() // ''; return map { $s . $_ } @v }
sub f_reverse { my (undef, @v) = @_; return reverse @v }
sub f_sort    { my (undef, @v) = @_; return sort @v }

sub f_head { my (undef, @v) = @_; my $n = _argument() || 1; return splice @v, 0, $n }
sub f_tail { my (undef, @v) = @_; my $n = _argument() || 1; return splice @v, @v - $n, $n }

sub f_flatten {
    my $ref = _one(@_);
    return map { ($_, $ref->{$_}) } sort keys %$ref if ref $ref eq 'HASH';
    return @$ref if ref $ref eq 'ARRAY';
    die "Can only flatten a hash or array ref";
}

# regexp: the text becomes a qr//; multi-line text gets /xism by default.
sub f_regexp {
    my $text = _one(@_);
    my $flags = _argument();
    if ($text =~ /\n.*?\n/s) {
        $flags = 'xism' unless defined $flags;
    }
    else {
        chomp $text;
    }
    $flags ||= '';
    my $re = eval "qr{\$text}$flags";
    die $@ if $@;
    return $re;
}

sub f_strict {
    my $text = _one(@_);
    return "use strict;\nuse warnings;\n" . $text;
}

sub f_base64_decode {
    require MIME::Base64;
    return MIME::Base64::decode_base64(_one(@_));
}

sub f_base64_encode {
    require MIME::Base64;
    return MIME::Base64::encode_base64(_one(@_));
}

sub f_dumper {
    my (undef, @v) = @_;
    require Data::Dumper;
    no warnings 'once';
    local $Data::Dumper::Sortkeys = 1;
    local $Data::Dumper::Indent   = 1;
    local $Data::Dumper::Terse    = 1;
    return Data::Dumper::Dumper(@v);
}

sub f_read_file {
    my $file = _one(@_);
    chomp $file;
    open my $fh, '<', $file or die "Can't open '$file' for input:\n$!";
    local $/;
    return scalar <$fh>;
}


package Test::Nginx::Spec::Eval;

# Perl code from `eval` sections runs here, under strict and warnings, away
# from the runner's lexicals.

sub run {

    return eval "use strict; use warnings;\n#line 1 \"eval section\"\n$_[0]";
}

# "\X" -> the character Perl's qq{} makes of it.
sub qq_escape {
    my ($esc) = @_;
    my $r = eval "qq{$esc}";
    return defined $r ? $r : $esc;
}


package Test::Nginx::Spec::Block;

# One test block: a name plus named sections.  Each section holds a list of
# values (normally one string, or what an `eval` returned) and the filter
# text of its section line.  Accessors mimic Test::Base: in scalar context a
# section reads as its first value, in list context as all of them.

use strict;
use warnings;

sub new {
    my ($class, $name) = @_;
    return bless {
        name    => $name,
        values  => {},
        filters => {},
        order   => [],
    }, $class;
}

sub add_section {
    my ($self, $section, $filters, $value) = @_;
    push @{ $self->{order} }, $section unless exists $self->{values}{$section};
    $self->{filters}{$section} = $filters;
    $self->{values}{$section}  = [$value];
    return;
}

sub name {
    my $self = shift;
    return $self->{name};
}

sub seq_num { return $_[0]{seq_num} }

sub sections { return @{ $_[0]{order} } }

# Is the section present at all (even with an empty value)?
sub has { return exists $_[0]{values}{ $_[1] } }

# First value of a section (undef when absent).
sub value {
    my ($self, $section) = @_;
    my $v = $self->{values}{$section};
    return $v ? $v->[0] : undef;
}

sub values {
    my ($self, $section) = @_;
    my $v = $self->{values}{$section};
    return $v ? @$v : ();
}

sub set_value {
    my ($self, $section, @value) = @_;
    if ($section eq 'name') {
        $self->{name} = $value[0];
        return;
    }
    push @{ $self->{order} }, $section unless exists $self->{values}{$section};
    $self->{values}{$section} = [@value];
    return;
}

# $block->some_section: Test::Base-style accessor.
our $AUTOLOAD;
sub AUTOLOAD {
    my $self = shift;
    (my $section = $AUTOLOAD) =~ s/.*:://;
    return unless ref $self;
    my $v = $self->{values}{$section} or return;
    return wantarray ? @$v : $v->[0];
}

sub DESTROY { }

1;
