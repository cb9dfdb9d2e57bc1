# vim:set ft= ts=4 sw=4 et fdm=marker:
# The audit trail (docs/audit.md; the record of the project's reference
# audit-records.md, sections 1-5 and 7): one CTS trace record a mutating
# request, in swr_audit_log's file.
#
#   TEST 1  every mutating registry step (upload start, monolithic and
#           mount, chunk, finish, cancel, manifest PUT by tag and by
#           digest, manifest DELETE, blob DELETE): a success, a refusal
#           (403), no credentials and a wrong login key (401), bad input
#           (4xx)
#   TEST 2  every mutating management operation the same way, two of them
#           through Huawei's SWR SDK for Node as well
#   TEST 3  reads (registry and management GET/HEAD): no record
#   TEST 4  swr_audit_reads on: reads recorded, read_only true
#   TEST 5  a push that makes its repository: CreateImageRepository, then
#           UploadManifest; the next push only the latter
#   TEST 6  swr_audit_blobs off: no blob steps, the manifest ones kept
#   TEST 7  whole records, field by field, in the order of section 2
#   TEST 8  request_id and the X-Request-Id answered to management
#           successes
#
# How a block works: its --- init seeds Redis (FLUSHALL first; seed()),
# makes a few requests to set things up (User-Agent "setup", their records
# are not looked at), then runs the block's table of calls (run_calls()):
# each call is sent with a User-Agent of its own ("t140/<n>"), which is how
# its records are found in the file.  The report (html/<block>.txt) has,
# per call, "<label>: <METHOD> <path> -> <status>" and a line per record
# (trace name, resource type, resource name and id, who, code, rating,
# message); expected() writes the same from the table, and the block
# compares the two whole.  Every record is also checked against the rules
# below (check_record()); a broken rule adds a "  ! ..." line to the
# report, which the expected text never has:
#
#   - the fields of section 2 the module fills, in that order, "message"
#     only on failures (not 499: no error code was answered); time and
#     record_time 13-digit milliseconds, record_time >= time; trace_id a version 4 UUID; code a string;
#     request_id 32 hex digits, the X-Request-Id answered when there is
#     one; user_agent the one sent; content_length the bytes sent;
#     total_time about record_time - time; service_type SWR, event_type
#     system, tracker_name system, trace_type ApiCall, api_version v2,
#     read_only false (true for reads); project_id the X-Project-Id sent
#     to the management API, the region for the registry; source_ip the
#     client; domain_id the user's account; operation_id as %OPERATION
#   - user: id, name, user_name, domain {id, name}, account_id,
#     access_key_id (when an AK signed in), principal_urn, principal_id,
#     principal_is_root_user "false", type User; without an identity
#     {type Anonymous, name anonymous, access_key_id when one was offered}
#   - request: a management body compact (JSON without whitespace), ""
#     when none was read; the registry's summaries: {upload_uuid, digest,
#     range} for uploads, {tag, digest, mediaType, size} for a manifest
#     PUT; response: the body answered (errors, management answers), a
#     manifest PUT's {"Docker-Content-Digest"}, CreateSecret's "auth"
#     values as "******"
#
# and the whole file is searched for every secret the block used (SKs,
# login keys, Basic credentials, X-Auth-Token tokens, Bearer tokens, AK/SK
# signatures, the temporary login's password and auth value): the report
# ends with "secrets in the file: none".
#
# Identities (docs/redis-schema.md): account acct-a "alpha": alice
# (administrator), seven, three, one (grants 7, 3, 1 on ns1), two (none);
# account acct-b "beta": bob (administrator).  ns1 (acct-a, id 11), nsb
# (acct-b, id 21).  The registry signs in with Basic (the long-term login
# cn-north-4@AK) or a Bearer token of /_swr/token; the management API with
# X-Auth-Token (tok-<name>) or an AK/SK signature (signed_headers(),
# swr-api.md 2.1).
#
# What the tables settle besides (audit-records.md leaves it open):
#   - resource_id is the name (or digest, or upload id), not the
#     management API's numbers (docs/audit.md); a refused manifest PUT by
#     tag, whose body was never read, has the tag
#   - a request refused before its body was read (no credentials; a
#     token's refusal) has neither the body nor the name only the body
#     holds (CreateNamespace, CreateRepo, CreateRepoTag, CreateRepoDomains);
#     a signed one has both (the signature needs the body)
#   - a registry request refused for its name before authentication looked
#     at it: Anonymous with the AK its Basic login offered
#   - CreateSecret is open to every authenticated user: no 403 to show

use Test::Nginx::Socket;
use SwrTest;
use SwrAuth;
use SwrSdk;

use Digest::SHA ();
use File::Basename ();
use File::Spec ();
use IPC::Open3 ();
use JSON::PP ();
use POSIX ();
use Time::HiRes ();

$ENV{TEST_NGINX_REDIS_PORT} ||= 6379;

SwrAuth::key_dir();

our $PROJECT = '0123456789abcdef0123456789abcdef';
our $REGION = 'cn-north-4';
our $WRONG = 'wrong/secret+key';

our %ACCOUNT = ('acct-a' => 'alpha', 'acct-b' => 'beta');

# user id => [name, account, admin, AK]
our %USER = (
    'u-alice' => [ 'alice', 'acct-a', 1, 'AKALICE00000000001' ],
    'u-seven' => [ 'seven', 'acct-a', 0, 'AKSEVEN00000000001' ],
    'u-three' => [ 'three', 'acct-a', 0, 'AKTHREE00000000001' ],
    'u-one'   => [ 'one',   'acct-a', 0, 'AKONE0000000000001' ],
    'u-two'   => [ 'two',   'acct-a', 0, 'AKTWO0000000000001' ],
    'u-bob'   => [ 'bob',   'acct-b', 1, 'AKBOB0000000000001' ],
);

our %Saved;     # upload ids of the running block: <u1> => uuid
our @Secret;    # [label, text] of the running block, besides secrets()

sub sk_of { return "SK/$_[0]/secret+key" }
sub ak_of { return $USER{"u-$_[0]"}[3] }

my $JSON = JSON::PP->new->canonical(1)->allow_nonref(1);

sub seed {
    SwrTest::command('FLUSHALL');

    %Saved = ();

    for my $id (sort keys %ACCOUNT) {
        SwrTest::command('HSET', 'swr:accounts', $ACCOUNT{$id}, $id);
        SwrTest::command('HSET', "swr:account:{$id}", name => $ACCOUNT{$id},
                         created => 1700000000);
    }

    for my $uid (sort keys %USER) {
        my ($name, $account, $admin, $ak) = @{ $USER{$uid} };
        SwrAuth::identity(user => $uid, name => $name, account => $account,
                          admin => $admin, ak => $ak, sk => sk_of($name));
        SwrTest::command('HSET', "swr:account:{$account}:users", $name,
                         $uid);
        SwrTest::command('HSET', "swr:token:{tok-$name}", user => $uid,
                         expires => 0);
    }

    for ([ 'ns1', 'acct-a', 'u-alice', 11 ], [ 'nsb', 'acct-b', 'u-bob', 21 ])
    {
        my ($ns, $account, $creator, $id) = @$_;
        SwrTest::command('HSET', "swr:ns:{$ns}", account => $account,
                         created => 1700000000, id => $id,
                         creator => $creator);
        SwrAuth::ns_grant($ns, $creator, 7);
        SwrTest::command('ZADD', 'swr:namespaces', 0, $ns);
        SwrTest::command('SADD', "swr:account:{$account}:namespaces", $ns);
    }

    SwrAuth::ns_grant('ns1', 'u-seven', 7);
    SwrAuth::ns_grant('ns1', 'u-three', 3);
    SwrAuth::ns_grant('ns1', 'u-one', 1);

    SwrTest::command('SET', 'swr:ns:seq', 100);
    SwrTest::command('SET', 'swr:repo:seq', 100);

    return 1;
}

# ---- contents, and the names digests and upload ids are shown by --------

our $CFG = 'config of ns1/app';
our $L1 = 'layer one of ns1/app';
our $L2 = 'layer two, sent in a chunk';
our $B1 = 'a blob pushed at once';
our $NONE = 'a blob nobody pushed';
our $M1 = SwrTest::manifest($CFG, [$L1]);
our $M2 = SwrTest::manifest($CFG, [$L1, $L2]);
our $OCI = SwrTest::MT_OCI_MANIFEST;

sub d { return SwrTest::sha256($_[0]) }

our %NAME = (d($CFG) => '<cfg>', d($L1) => '<l1>', d($L2) => '<l2>',
             d($B1) => '<b1>', d($NONE) => '<none>', d($M1) => '<m1>', d($M2) => '<m2>');

sub names {
    my ($s) = @_;
    return $s unless defined $s;
    for my $d (keys %NAME) {
        $s =~ s/\Q$d\E/$NAME{$d}/g;
    }
    for my $k (keys %Saved) {
        $s =~ s/\Q$Saved{$k}\E/$k/g;
    }
    return $s;
}

# ---- signing (swr-api.md 2.1), as t/123 ----------------------------------

sub enc {
    my ($s) = @_;
    $s =~ s/([^A-Za-z0-9\-._~])/sprintf('%%%02X', ord $1)/ge;
    return $s;
}

sub canonical_uri {
    my $uri = join '/', map { enc($_) } split m{/}, $_[0], -1;
    return $uri =~ m{/\z} ? $uri : "$uri/";
}

sub canonical_query {
    my %v;
    for (grep { length } split /&/, $_[0] // '') {
        my ($k, $v) = split /=/, $_, 2;
        push @{ $v{$k} }, $v // '';
    }
    return join '&', map { my $n = $_; map { enc($n) . '=' . enc($_) }
                                          sort @{ $v{$n} } }
                     sort keys %v;
}

sub signed_headers {
    my ($ak, $sk, $method, $uri, $body) = @_;

    my ($path, $query) = split /\?/, $uri, 2;
    my $date = POSIX::strftime('%Y%m%dT%H%M%SZ', gmtime);
    my @h = ([ 'Content-Type' => 'application/json' ],
             [ 'Host' => 'localhost' ],
             [ 'X-Project-Id' => $PROJECT ],
             [ 'X-Sdk-Date' => $date ]);
    my $names = join ';', map { lc $_->[0] } @h;
    my $canonical = join "\n", $method, canonical_uri($path),
        canonical_query($query),
        join('', map { lc($_->[0]) . ":$_->[1]\n" } @h), $names,
        Digest::SHA::sha256_hex($body // '');
    my $sig = Digest::SHA::hmac_sha256_hex(
        "SDK-HMAC-SHA256\n$date\n" . Digest::SHA::sha256_hex($canonical),
        $sk);

    push @Secret, [ "the signature of $method $uri", $sig ];

    return ((map { "$_->[0]: $_->[1]" } @h),
            "Authorization: SDK-HMAC-SHA256 Access=$ak, "
            . "SignedHeaders=$names, Signature=$sig");
}

# ---- calls -----------------------------------------------------------------
#
# call(label, who, method, path, body, status, [records], options)
#
# who: undef (no credentials), "tok:<name>" (X-Auth-Token), "ak:<name>"
# (management: signed with the AK; registry: Basic with the long-term
# login), "bad:<name>" (the same with a wrong SK), "bearer:<name>" (a
# Bearer token for push and pull on the path's repository).
# options: headers => [...] more headers, ct => Content-Type (manifests),
# range => Content-Range, save => "<uN>" (keeps the answer's
# Docker-Upload-UUID, which later paths use as <uN>), sdk => [operation,
# params] (sent by the SDK as the AK's user instead), match => resource
# name (the SDK's records are found by it).
#
# rec(trace, type, resource_name, resource_id, options): a record the call
# must have.  options: user (default from who), code (default: the call's
# status), msg (the error code; no default), req, resp (default: the rules
# above), read_only.

sub call {
    my ($label, $who, $method, $path, $body, $status, $recs, %o) = @_;
    return { label => $label, who => $who, method => $method, path => $path,
             body => $body, status => $status, recs => $recs, %o };
}

sub rec {
    my ($trace, $type, $name, $id, %o) = @_;
    return { trace => $trace, type => $type, name => $name, id => $id, %o };
}

# the user, as the report shows it
sub user_of {
    my ($who) = @_;
    return 'anonymous' unless defined $who;
    my ($how, $n) = split /:/, $who;
    my ($name, $account, undef, $ak) = @{ $USER{"u-$n"} };
    return "anonymous ak=$ak" if $how eq 'bad';
    return "u-$n $name $account $ACCOUNT{$account}"
           . ($how eq 'ak' ? " ak=$ak" : '');
}

sub user_text {
    my ($u) = @_;
    return '(none)' unless ref $u eq 'HASH';
    my $ak = defined $u->{access_key_id} ? " ak=$u->{access_key_id}" : '';
    return "anonymous$ak" if ($u->{type} // '') eq 'Anonymous';
    return join(' ', map { $_ // '(none)' } $u->{id}, $u->{name},
                $u->{domain}{id}, $u->{domain}{name}) . $ak;
}

sub rating { return $_[0] < 400 ? 'normal' : 'warning' }

sub rec_line {
    my ($r) = @_;
    return "  $r->{trace_name} $r->{resource_type} name=$r->{resource_name}"
           . " id=$r->{resource_id} user=[$r->{user}] $r->{code}"
           . " $r->{trace_rating}"
           . (defined $r->{message} ? " msg=$r->{message}" : '')
           . ($r->{read_only} ? ' read_only' : '');
}

sub call_line {
    my ($c, $status) = @_;
    return "$c->{label}: $c->{method} " . names($c->{path}) . " -> $status";
}

# the text a block expects of its table
sub expected {
    my ($calls) = @_;
    my @out;

    for my $c (@$calls) {
        push @out, call_line($c, $c->{status});

        for my $r (@{ $c->{recs} }) {
            my $code = $r->{code} // $c->{status};
            push @out, rec_line({
                trace_name => $r->{trace}, resource_type => $r->{type},
                resource_name => $r->{name}, resource_id => $r->{id},
                user => $r->{user} // user_of($c->{who}), code => $code,
                trace_rating => rating($code), message => $r->{msg},
                read_only => $r->{read_only} });
        }

        push @out, '  (no record)' unless @{ $c->{recs} };
    }

    push @out, 'secrets in the file: none';

    return join '', map { "$_\n" } @out;
}

# ---- sending ---------------------------------------------------------------

my %Bearer;

sub bearer {
    my ($n, $repo) = @_;
    return $Bearer{"$n $repo"} //= do {
        my $t = SwrAuth::token(SwrAuth::basic(ak_of($n), sk_of($n)),
                               "repository:$repo:push,pull");
        my $token = $t->{json}{token}
            or die "no token for $n on $repo: $t->{status} $t->{body}\n";
        push @Secret, [ "the Bearer token of $n", $token ];
        $token;
    };
}

# the path with the upload ids it names
sub run_path {
    my ($path) = @_;
    $path =~ s/(<u\d+>)/$Saved{$1} \/\/ die "no upload $1\n"/ge;
    return $path;
}

sub send_call {
    my ($c, $n) = @_;

    my $path = run_path($c->{path});
    my $manage = $path =~ m{^/v2/manage/};
    my @h = ("User-Agent: t140/$n");
    my $who = $c->{who};

    if (defined $who) {
        my ($how, $name) = split /:/, $who;

        if ($how eq 'tok') {
            push @h, "X-Auth-Token: tok-$name";

        } elsif ($manage) {
            push @h, signed_headers(ak_of($name),
                                    $how eq 'bad' ? $WRONG : sk_of($name),
                                    $c->{method}, $path, $c->{body});

        } elsif ($how eq 'bearer') {
            my ($repo) = $path =~ m{^/v2/(.+?)/(?:blobs|manifests)/};
            push @h, SwrAuth::bearer(bearer($name, $repo));

        } else {
            push @h, SwrAuth::basic(ak_of($name),
                                    $how eq 'bad' ? $WRONG : sk_of($name));
        }
    }

    if ($manage) {
        push @h, 'Content-Type: application/json', "X-Project-Id: $PROJECT"
            unless grep { /^X-Project-Id:/ } @h;
    }

    push @h, "Content-Type: $c->{ct}" if defined $c->{ct};
    push @h, "Content-Range: $c->{range}" if defined $c->{range};
    push @h, @{ $c->{headers} || [] };

    my $r = SwrTest::http($c->{method}, $path, headers => \@h,
                          defined $c->{body} ? (body => $c->{body}) : ());

    if ($c->{save}) {
        $Saved{ $c->{save} } = $r->{headers}{'docker-upload-uuid'}
            // die "$c->{label}: no Docker-Upload-UUID\n";
    }

    if ($path =~ m{^/v2/manage/utils/secret} && $r->{status} == 200) {
        my ($pw) = ($r->{headers}{'x-swr-dockerlogin'} // '')
                   =~ / -p (\S+)$/;
        push @Secret, [ 'the temporary password', $pw ] if $pw;
        push @Secret, [ 'the temporary auth value', $1 ]
            while $r->{body} =~ /"auth":"([^"]+)"/g;
    }

    return { %$r, path => $path, ua => "t140/$n" };
}

# the SDK's call: {status, body}
sub send_sdk {
    my ($c) = @_;
    my ($op, $params) = @{ $c->{sdk} };
    my ($name) = (split /:/, $c->{who})[1];
    my $endpoint = "http://127.0.0.1:$ENV{TEST_NGINX_SERVER_PORT}";

    my $r = SwrSdk::call($endpoint, ak_of($name), sk_of($name), $PROJECT,
                         $op, $params);

    return { status => $r->{status}, headers => {}, body => '',
             path => $c->{path}, ua => 'sdk' };
}

# ---- reading the file ------------------------------------------------------

sub audit_file { return SwrTest::html_file('audit.log') }
sub read_lines { return SwrTest::file_lines($_[0]) }

# the User-Agent of the calls made through the SDK (t/lib/swr-sdk-call.js)
our $SDK_UA = qr/swr-sdk-call/;

# the records once $want of them came from calls (3 s at most), and
# a little while for more
sub wait_records {
    my ($want) = @_;
    SwrTest::wait_file_lines(audit_file(), $want,
                             qr{"user_agent":"(?:t140/|[^"]*$SDK_UA)});
    Time::HiRes::sleep(0.1);
    return read_lines(audit_file());
}

# [depth, parent key, key] of every key of a JSON text, in order
sub keys_in {
    my ($text) = @_;
    my (@out, @stack, $last);
    my $len = length $text;
    for (my $i = 0; $i < $len; $i++) {
        my $c = substr $text, $i, 1;
        if ($c eq '"') {
            my $j = $i + 1;
            while ($j < $len) {
                my $d = substr $text, $j, 1;
                if ($d eq '\\') { $j += 2; next }
                last if $d eq '"';
                $j++;
            }
            my $s = substr $text, $i + 1, $j - $i - 1;
            if (substr($text, $j + 1, 1) eq ':') {
                push @out, [ scalar @stack, $stack[-1], $s ];
                $last = $s;
            }
            $i = $j;
        } elsif ($c eq '{' || $c eq '[') {
            push @stack, $last // '';
            $last = undef;
        } elsif ($c eq '}' || $c eq ']') {
            pop @stack;
        }
    }
    return @out;
}

our @FIELDS = qw(time user request response service_type event_type
    project_id resource_type read_only tracker_name operation_id
    resource_name resource_id source_ip domain_id trace_name trace_rating
    trace_type api_version message record_time trace_id code request_id
    user_agent content_length total_time);

our %OPERATION = (
    CreateBlob => 'swr:repo:upload',
    UpdateImageLayerChunk => 'swr:repo:upload',
    UpdateImageLayer => 'swr:repo:upload',
    CancelImageLayerUpload => 'swr:repo:upload',
    DeleteBlob => 'swr:repo:deleteBlob',
    DownloadImageLayer => 'swr:repo:download',
    UploadManifest => 'swr:repo:upload',
    DeleteImageTag => 'swr:repo:deleteRepoTag',
    CreateImageRepository => 'swr:repo:createRepo',
    CreateUserNamespace => 'swr:namespace:createNamespace',
    DeleteUserNamesapce => 'swr:namespace:deleteNamespace',
    CreateUserNamespaceAuth => 'swr:namespace:createNamespaceAuth',
    UpdateUserNamespaceAuth => 'swr:namespace:updateNamespaceAuth',
    DeleteUserNamespaceAuth => 'swr:namespace:deleteNamespaceAuth',
    UpdateImageRepository => 'swr:repo:updateRepo',
    DeleteImageRepository => 'swr:repo:deleteRepo',
    CreateImageTag => 'swr:repo:createRepoTag',
    CreateUserRepositoryAuth => 'swr:repo:createUserRepositoryAuth',
    UpdateUserRepositoryAuth => 'swr:repo:updateUserRepositoryAuth',
    DeleteUserRepositoryAuth => 'swr:repo:deleteUserRepositoryAuth',
    CreateImageRepositoryAccessDomain => 'swr:repo:createRepoDomains',
    UpdateImageRepositoryAccessDomain => 'swr:repo:updateRepoDomains',
    DeleteImageRepositoryAccessDomain => 'swr:repo:deleteRepoDomains',
    CreateDockerConfig => 'swr::createLoginSecret',
    ListUserNamespaces => 'swr:namespace:listNamespaces',
    ShowUserNamespace => 'swr:namespace:getNamespace',
    ShowUserNamespaceAuth => 'swr:namespace:getNamespaceAccess',
    ListImageRepositories => 'swr:repo:listReposDetails',
    ShowImageRepository => 'swr:repo:getRepository',
    ListImageTags => 'swr:repo:listRepositoryTags',
    ShowUserRepositoryAuth => 'swr:repo:getUserRepositoryAuth',
    ListSharedReposDetails => 'swr:repo:listSharedReposDetails',
    ListImageRepositoryAccessDomain => 'swr:repo:listRepoDomains',
    ShowImageRepositoryAccessDomain => 'swr:repo:getAccessDomain',
    ListQuotas => 'swr::listQuotas',
    GetDomainOverview => 'swr::showDomainOverview',
    GetDomainResourceReports => 'swr::showDomainResourceReports',
);

# a JSON text without the whitespace between its tokens
sub compact {
    my ($s) = @_;
    return '' unless defined $s;
    return $s unless eval { JSON::PP->new->allow_nonref(1)->decode($s); 1 };
    my ($out, $in) = ('', 0);
    for (my $i = 0; $i < length $s; $i++) {
        my $c = substr $s, $i, 1;
        if ($in) {
            if ($c eq '\\') { $out .= substr $s, $i++, 2; next }
            $in = 0 if $c eq '"';
            $out .= $c;
            next;
        }
        next if $c =~ /[ \t\r\n]/;
        $in = 1 if $c eq '"';
        $out .= $c;
    }
    return $out;
}

# what a record's request and response must be (the rules above)
sub want_request {
    my ($c, $got, $spec) = @_;
    return $spec->{req} if $spec && defined $spec->{req};
    my ($path, $query) = split /\?/, $got->{path}, 2;
    return compact($c->{body}) if $path =~ m{^/v2/manage/};
    my %q = map { my ($k, $v) = split /=/, $_, 2; ($k => $v // '') }
            split /&/, $query // '';
    if ($path =~ m{/blobs/uploads/([^/]*)$}) {
        return qq[{"upload_uuid":"$1","digest":"] . ($q{digest} // '')
               . qq[","range":"] . ($c->{range} // '') . '"}';
    }
    if ($path =~ m{/manifests/([^/]+)$} && $c->{method} eq 'PUT') {
        my $ref = $1;
        my $digest = $got->{status} =~ /^2/ ? d($c->{body})
                     : $ref =~ /:/ ? $ref : '';
        return '{"tag":"' . ($ref =~ /:/ ? '' : $ref) . qq[","digest":"$digest",]
               . '"mediaType":"' . ($c->{ct} // '') . '","size":'
               . length($c->{body} // '') . '}';
    }
    return '';
}

sub want_response {
    my ($c, $got, $spec) = @_;
    return $spec->{resp} if $spec && defined $spec->{resp};
    return '' if $spec && $spec->{read_only};
    return $got->{body} if $got->{path} =~ m{^/v2/manage/}
                           || $got->{status} >= 400;
    return qq[{"Docker-Content-Digest":"] . d($c->{body}) . '"}'
        if $c->{method} eq 'PUT' && $got->{path} =~ m{/manifests/};
    return '';
}

sub uuid4 {
    return $_[0] =~ /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\z/;
}

# the rules every record keeps; a list of what it breaks
sub check_record {
    my ($line, $j, $c, $got, $spec) = @_;
    my @bad;
    my $bad = sub { push @bad, '  ! ' . names(join '', @_) };

    my @keys = keys_in($line);
    my @top = map { $_->[2] } grep { $_->[0] == 1 } @keys;
    # message: on failures, not when the client left before the answer
    my $failed = ($j->{code} // '') =~ /^[45]/ && $j->{code} ne '499';
    my @want = grep { $_ ne 'message' || $failed } @FIELDS;
    $bad->("fields: @top") unless "@top" eq "@want";

    $bad->("time: $1") unless $line =~ /^\{"time":(\d{13}),/;
    $bad->('record_time: ', $j->{record_time} // '(none)', ' for ',
           $j->{time} // '(none)')
        unless $line =~ /,"record_time":\d{13},/
               && $j->{record_time} >= $j->{time}
               && $j->{record_time} - $j->{time} < 60000;
    $bad->("trace_id: $j->{trace_id}") unless uuid4($j->{trace_id} // '');
    $bad->('code: not a string') unless $line =~ /,"code":"\d{3}",/;
    $bad->("code: $j->{code} for $got->{status}")
        unless $j->{code} eq $got->{status} || ($spec && $spec->{code});

    my $rid = $got->{headers}{'x-request-id'};
    $bad->("request_id: $j->{request_id}")
        unless ($j->{request_id} // '') =~ /^[0-9a-f]{32}\z/;
    $bad->("request_id: $j->{request_id}, X-Request-Id: $rid")
        if defined $rid && $rid ne $j->{request_id};

    # (user_agent: the records of a call are found by it, run_calls)
    my $length = $got->{ua} eq 'sdk' ? length compact($c->{body})
                                     : length($c->{body} // '');
    $bad->("content_length: $j->{content_length}, sent $length")
        unless $line =~ /,"content_length":(\d+),/ && $1 == $length;
    $bad->("total_time: ", $j->{total_time} // '(none)')
        unless $line =~ /,"total_time":(\d+)\}\z/
               && abs($1 - ($j->{record_time} - $j->{time})) <= 100;

    my %const = (service_type => 'SWR', event_type => 'system',
                 tracker_name => 'system', trace_type => 'ApiCall',
                 api_version => 'v2', source_ip => '127.0.0.1',
                 project_id => $got->{path} =~ m{^/v2/manage/} ? $PROJECT
                                                              : $REGION,
                 operation_id => $OPERATION{ $j->{trace_name} }
                                 // '(unknown trace name)');
    for my $k (sort keys %const) {
        $bad->("$k: ", $j->{$k} // '(none)')
            unless ($j->{$k} // '') eq $const{$k};
    }
    my $ro = $spec && $spec->{read_only} ? 'true' : 'false';
    $bad->('read_only: not ', $ro) unless $line =~ /,"read_only":$ro,/;

    my $u = $j->{user};
    my @uk = map { $_->[2] } grep { $_->[0] == 2 && $_->[1] eq 'user' }
                             @keys;
    my $ak = defined $u->{access_key_id} ? ' access_key_id' : '';
    if (($u->{type} // '') eq 'Anonymous') {
        $bad->("user: @uk") unless "@uk" eq "type name$ak";
        $bad->("user name: $u->{name}") unless $u->{name} eq 'anonymous';
        $bad->("domain_id: $j->{domain_id}") unless $j->{domain_id} eq '';
    } else {
        my $want = "id name user_name domain account_id$ak principal_urn"
                   . ' principal_id principal_is_root_user type';
        $bad->("user: @uk") unless "@uk" eq $want;
        my @dk = map { $_->[2] } grep { $_->[0] == 3 && $_->[1] eq 'domain' }
                                 @keys;
        $bad->("user.domain: @dk") unless "@dk" eq 'id name';
        my $d = $u->{domain}{id} // '';
        $bad->('user: ', JSON::PP->new->canonical->encode($u))
            unless $u->{user_name} eq $u->{name} && $u->{account_id} eq $d
                   && $u->{principal_id} eq $u->{id}
                   && $u->{principal_urn} eq "iam::$d:user:$u->{name}"
                   && $u->{principal_is_root_user} eq 'false'
                   && $u->{type} eq 'User';
        $bad->("domain_id: $j->{domain_id}") unless $j->{domain_id} eq $d;
    }

    my $req = want_request($c, $got, $spec);
    $bad->("request: $j->{request}, want $req") unless $j->{request} eq $req;
    my $resp = want_response($c, $got, $spec);
    $bad->("response: $j->{response}, want $resp")
        unless $j->{response} eq $resp;

    return @bad;
}

# the secrets of a block: every user's SK, login key, Basic credentials
# and token, the wrong SK, and what the calls added
sub secrets {
    my @s = ([ 'the wrong SK', $WRONG ]);
    for my $uid (sort keys %USER) {
        my ($name, undef, undef, $ak) = @{ $USER{$uid} };
        my $basic = SwrAuth::basic_value($ak, sk_of($name));
        $basic =~ s/^Basic //;
        push @s, [ "$name\'s SK", sk_of($name) ],
                 [ "$name\'s login key", SwrAuth::login_key($ak, sk_of($name)) ],
                 [ "$name\'s Basic credentials", $basic ],
                 [ "$name\'s token", "tok-$name" ];
    }
    return (@s, @Secret);
}

sub secrets_line {
    my $all = join "\n", read_lines(audit_file());
    my @found;
    for (secrets()) {
        my ($label, $text) = @$_;
        (my $escaped = $text) =~ s{/}{\\/}g;
        push @found, $label
            if index($all, $text) >= 0 || index($all, $escaped) >= 0;
    }
    return 'secrets in the file: ' . (@found ? join(', ', @found) : 'none');
}

# setup requests (User-Agent "setup"; their records are not looked at),
# as alice: Basic for the registry, her token for the management API
sub setup {
    my ($method, $path, $body, @h) = @_;
    my @auth = $path =~ m{^/v2/manage/}
        ? ('X-Auth-Token: tok-alice', 'Content-Type: application/json')
        : (SwrAuth::basic(ak_of('alice'), sk_of('alice')));
    my $r = SwrTest::http($method, $path, body => $body,
                          headers => [ 'User-Agent: setup', @auth, @h ]);
    die "setup $method $path: $r->{status} $r->{body}\n"
        unless $r->{status} =~ /^2/;
    return $r;
}

sub setup_push {
    my ($repo, $tag, $manifest, @blobs) = @_;
    setup('POST', "/v2/$repo/blobs/uploads/?digest=" . d($_), $_)
        for @blobs;
    setup('PUT', "/v2/$repo/manifests/$tag", $manifest,
          "Content-Type: $OCI");
}

# runs a block's calls and writes its report
sub run_calls {
    my ($name, $calls) = @_;
    my @out;

    @Secret = ();
    %Bearer = ();

    my $ok = eval {
        my @got;
        my $n = 0;
        for my $c (@$calls) {
            $n++;
            push @got, $c->{sdk} ? send_sdk($c) : send_call($c, $n);
        }

        my $want = 0;
        $want += @{ $_->{recs} } for @$calls;

        my (@recs, @bad);
        my $i = 0;
        for my $line (wait_records($want)) {
            $i++;
            my $j = eval { JSON::PP->new->decode($line) };
            if (!$j) {
                push @bad, "! line $i is not JSON: $line";
                next;
            }
            next if ($j->{user_agent} // '') eq 'setup';
            push @recs, [ $line, $j ];
        }

        my %used;
        $n = 0;
        for my $c (@$calls) {
            my $got = $got[$n++];
            push @out, call_line($c, $got->{status});

            my @mine = grep {
                !$used{$_} && ($got->{ua} eq 'sdk'
                    ? $recs[$_][1]{user_agent} =~ $SDK_UA
                      && $recs[$_][1]{resource_name} eq $c->{match}
                    : $recs[$_][1]{user_agent} eq $got->{ua})
            } 0 .. $#recs;
            @mine = @mine[0 .. $#{ $c->{recs} }]
                if $got->{ua} eq 'sdk' && @mine > @{ $c->{recs} };
            $used{$_} = 1 for @mine;

            my $k = 0;
            for (@mine) {
                my ($line, $j) = @{ $recs[$_] };
                my $spec = $c->{recs}[$k++];
                push @out, names(rec_line({ %$j,
                                            user => user_text($j->{user}),
                                            read_only => $j->{read_only} }));
                push @out, check_record($line, $j, $c, $got, $spec);
            }

            push @out, '  (no record)' unless @mine;
        }

        for (grep { !$used{$_} } 0 .. $#recs) {
            my $j = $recs[$_][1];
            push @out, "! a record of no call: $j->{trace_name} "
                       . "$j->{user_agent} $j->{code}";
        }

        push @out, @bad, secrets_line();
        1;
    };

    if (!$ok) {
        (my $err = $@) =~ s/\s+\z//;
        push @out, "died: $err";
    }

    SwrAuth::report($name, join '', map { "$_\n" } @out);

    return 1;
}

# ---- TEST 1: the registry -------------------------------------------------

our $UP = '/v2/ns1/app/blobs/uploads';
our $NOUP = '00000000-0000-4000-8000-000000000000';
our $DENIED = 'DENIED';
our $UNAUTH = 'UNAUTHORIZED';

sub blob { return rec('CreateBlob', 'blob', @_) }

our @REGISTRY = (
    # upload start
    call('start', 'ak:alice', 'POST', "$UP/", undef, 202,
         [ blob('ns1/app', '<u1>') ], save => '<u1>'),
    call('start, Bearer', 'bearer:alice', 'POST', "$UP/", undef, 202,
         [ blob('ns1/app', '<u2>') ], save => '<u2>'),
    call('start, grant 1', 'ak:one', 'POST', "$UP/", undef, 403,
         [ blob('ns1/app', '', msg => $DENIED) ]),
    call('start, no credentials', undef, 'POST', "$UP/", undef, 401,
         [ blob('ns1/app', '', msg => $UNAUTH) ]),
    call('start, wrong login key', 'bad:alice', 'POST', "$UP/", undef, 401,
         [ blob('ns1/app', '', msg => $UNAUTH) ]),
    # refused for its name before authentication: the AK offered
    call('start, bad name', 'ak:alice', 'POST', '/v2/ns1/Bad/blobs/uploads/',
         undef, 400, [ blob('ns1/Bad', '', msg => 'NAME_INVALID',
                            user => 'anonymous ak=' . ak_of('alice')) ]),
    # monolithic
    call('monolithic', 'ak:alice', 'POST', "$UP/?digest=" . d($B1), $B1, 201,
         [ blob('ns1/app', '<b1>') ]),
    call('monolithic, wrong digest', 'ak:alice', 'POST',
         "$UP/?digest=" . d($B1), 'not that blob', 400,
         [ blob('ns1/app', '<b1>', msg => 'DIGEST_INVALID') ]),
    call('monolithic, grant 1', 'ak:one', 'POST', "$UP/?digest=" . d($B1),
         $B1, 403, [ blob('ns1/app', '<b1>', msg => $DENIED) ]),
    call('monolithic, no credentials', undef, 'POST', "$UP/?digest=" . d($B1),
         $B1, 401, [ blob('ns1/app', '<b1>', msg => $UNAUTH) ]),
    # mount
    call('mount', 'ak:alice', 'POST',
         '/v2/ns1/web/blobs/uploads/?mount=' . d($L1) . '&from=ns1/app',
         undef, 201, [ blob('ns1/web', '<l1>') ]),
    call('mount, grant 1', 'ak:one', 'POST',
         '/v2/ns1/web/blobs/uploads/?mount=' . d($L1) . '&from=ns1/app',
         undef, 403, [ blob('ns1/web', '<l1>', msg => $DENIED) ]),
    call('mount, no credentials', undef, 'POST',
         '/v2/ns1/web/blobs/uploads/?mount=' . d($L1) . '&from=ns1/app',
         undef, 401, [ blob('ns1/web', '<l1>', msg => $UNAUTH) ]),
    # nothing to mount: an upload starts instead (the id: the digest asked)
    call('mount, unknown blob', 'ak:alice', 'POST',
         '/v2/ns1/web/blobs/uploads/?mount=' . d($NONE) . '&from=ns1/app',
         undef, 202, [ blob('ns1/web', '<none>') ]),
    # chunk
    call('chunk', 'ak:alice', 'PATCH', "$UP/<u1>", $L2, 202,
         [ rec('UpdateImageLayerChunk', 'blob', 'ns1/app', '<u1>') ],
         range => '0-' . (length($L2) - 1)),
    call('chunk, grant 1', 'ak:one', 'PATCH', "$UP/<u1>", 'more', 403,
         [ rec('UpdateImageLayerChunk', 'blob', 'ns1/app', '<u1>',
               msg => $DENIED) ]),
    call('chunk, no credentials', undef, 'PATCH', "$UP/<u1>", 'more', 401,
         [ rec('UpdateImageLayerChunk', 'blob', 'ns1/app', '<u1>',
               msg => $UNAUTH) ]),
    call('chunk, wrong range', 'ak:alice', 'PATCH', "$UP/<u1>", 'more', 416,
         [ rec('UpdateImageLayerChunk', 'blob', 'ns1/app', '<u1>',
               msg => 'BLOB_UPLOAD_INVALID') ], range => '100-103'),
    call('chunk, no such upload', 'ak:alice', 'PATCH', "$UP/$NOUP", 'more',
         404, [ rec('UpdateImageLayerChunk', 'blob', 'ns1/app', $NOUP,
                    msg => 'BLOB_UPLOAD_UNKNOWN') ]),
    # finish
    call('finish, grant 1', 'ak:one', 'PUT', "$UP/<u1>?digest=" . d($L2),
         undef, 403, [ rec('UpdateImageLayer', 'blob', 'ns1/app', '<l2>',
                           msg => $DENIED) ]),
    call('finish, no credentials', undef, 'PUT', "$UP/<u1>?digest=" . d($L2),
         undef, 401, [ rec('UpdateImageLayer', 'blob', 'ns1/app', '<l2>',
                           msg => $UNAUTH) ]),
    call('finish, wrong digest', 'ak:alice', 'PUT',
         "$UP/<u2>?digest=" . d($B1), undef, 400,
         [ rec('UpdateImageLayer', 'blob', 'ns1/app', '<b1>',
               msg => 'DIGEST_INVALID') ]),
    call('finish', 'ak:alice', 'PUT', "$UP/<u1>?digest=" . d($L2), undef, 201,
         [ rec('UpdateImageLayer', 'blob', 'ns1/app', '<l2>') ]),
    # cancel
    call('start another', 'ak:alice', 'POST', "$UP/", undef, 202,
         [ blob('ns1/app', '<u3>') ], save => '<u3>'),
    call('cancel, grant 1', 'ak:one', 'DELETE', "$UP/<u3>", undef, 403,
         [ rec('CancelImageLayerUpload', 'blob', 'ns1/app', '<u3>',
               msg => $DENIED) ]),
    call('cancel, no credentials', undef, 'DELETE', "$UP/<u3>", undef, 401,
         [ rec('CancelImageLayerUpload', 'blob', 'ns1/app', '<u3>',
               msg => $UNAUTH) ]),
    call('cancel', 'ak:alice', 'DELETE', "$UP/<u3>", undef, 204,
         [ rec('CancelImageLayerUpload', 'blob', 'ns1/app', '<u3>') ]),
    call('cancel again', 'ak:alice', 'DELETE', "$UP/<u3>", undef, 404,
         [ rec('CancelImageLayerUpload', 'blob', 'ns1/app', '<u3>',
               msg => 'BLOB_UPLOAD_UNKNOWN') ]),
    # manifest PUT
    call('manifest by tag', 'ak:alice', 'PUT', '/v2/ns1/app/manifests/v2',
         $M2, 201, [ rec('UploadManifest', 'manifest', 'ns1/app:v2', '<m2>') ],
         ct => $OCI),
    call('manifest by digest', 'ak:alice', 'PUT',
         '/v2/ns1/app/manifests/' . d($M2), $M2, 201,
         [ rec('UploadManifest', 'manifest', 'ns1/app@<m2>', '<m2>') ],
         ct => $OCI),
    call('manifest, Bearer', 'bearer:alice', 'PUT',
         '/v2/ns1/app/manifests/v3', $M2, 201,
         [ rec('UploadManifest', 'manifest', 'ns1/app:v3', '<m2>') ],
         ct => $OCI),
    call('manifest, grant 1', 'ak:one', 'PUT', '/v2/ns1/app/manifests/v4',
         $M2, 403, [ rec('UploadManifest', 'manifest', 'ns1/app:v4', 'v4',
                         msg => $DENIED) ], ct => $OCI),
    call('manifest by digest, grant 1', 'ak:one', 'PUT',
         '/v2/ns1/app/manifests/' . d($M2), $M2, 403,
         [ rec('UploadManifest', 'manifest', 'ns1/app@<m2>', '<m2>',
               msg => $DENIED) ], ct => $OCI),
    call('manifest, no credentials', undef, 'PUT', '/v2/ns1/app/manifests/v4',
         $M2, 401, [ rec('UploadManifest', 'manifest', 'ns1/app:v4', 'v4',
                         msg => $UNAUTH) ], ct => $OCI),
    call('manifest, wrong login key', 'bad:alice', 'PUT',
         '/v2/ns1/app/manifests/v4', $M2, 401,
         [ rec('UploadManifest', 'manifest', 'ns1/app:v4', 'v4',
               msg => $UNAUTH) ], ct => $OCI),
    call('manifest, invalid', 'ak:alice', 'PUT', '/v2/ns1/app/manifests/v4',
         '{"schemaVersion":1}', 400,
         [ rec('UploadManifest', 'manifest', 'ns1/app:v4', 'v4',
               msg => 'MANIFEST_INVALID') ], ct => $OCI),
    call('manifest, bad tag', 'ak:alice', 'PUT', '/v2/ns1/app/manifests/-v',
         $M2, 400, [ rec('UploadManifest', 'manifest', 'ns1/app:-v', '-v',
                         msg => 'TAG_INVALID') ], ct => $OCI),
    # manifest DELETE
    call('delete tag', 'ak:alice', 'DELETE', '/v2/ns1/app/manifests/v3',
         undef, 202, [ rec('DeleteImageTag', 'imagetag', 'ns1/app:v3', 'v3') ]),
    call('delete tag, grant 1', 'ak:one', 'DELETE',
         '/v2/ns1/app/manifests/v2', undef, 403,
         [ rec('DeleteImageTag', 'imagetag', 'ns1/app:v2', 'v2',
               msg => $DENIED) ]),
    call('delete tag, no credentials', undef, 'DELETE',
         '/v2/ns1/app/manifests/v2', undef, 401,
         [ rec('DeleteImageTag', 'imagetag', 'ns1/app:v2', 'v2',
               msg => $UNAUTH) ]),
    call('delete tag, unknown', 'ak:alice', 'DELETE',
         '/v2/ns1/app/manifests/v9', undef, 404,
         [ rec('DeleteImageTag', 'imagetag', 'ns1/app:v9', 'v9',
               msg => 'MANIFEST_UNKNOWN') ]),
    call('delete by digest', 'ak:alice', 'DELETE',
         '/v2/ns1/app/manifests/' . d($M1), undef, 202,
         [ rec('DeleteImageTag', 'imagetag', 'ns1/app@<m1>', '<m1>') ]),
    # blob DELETE
    call('delete blob, grant 1', 'ak:one', 'DELETE',
         '/v2/ns1/app/blobs/' . d($B1), undef, 403,
         [ rec('DeleteBlob', 'blob', 'ns1/app', '<b1>', msg => $DENIED) ]),
    call('delete blob, no credentials', undef, 'DELETE',
         '/v2/ns1/app/blobs/' . d($B1), undef, 401,
         [ rec('DeleteBlob', 'blob', 'ns1/app', '<b1>', msg => $UNAUTH) ]),
    call('delete blob', 'ak:alice', 'DELETE', '/v2/ns1/app/blobs/' . d($B1),
         undef, 202, [ rec('DeleteBlob', 'blob', 'ns1/app', '<b1>') ]),
    call('delete blob again', 'ak:alice', 'DELETE',
         '/v2/ns1/app/blobs/' . d($B1), undef, 404,
         [ rec('DeleteBlob', 'blob', 'ns1/app', '<b1>',
               msg => 'BLOB_UNKNOWN') ]),
    call('delete blob, bad digest', 'ak:alice', 'DELETE',
         '/v2/ns1/app/blobs/sha256:xyz', undef, 400,
         [ rec('DeleteBlob', 'blob', 'ns1/app', 'sha256:xyz',
               msg => 'DIGEST_INVALID') ]),
);

sub registry_init {
    seed();
    setup_push('ns1/app', 'v1', $M1, $CFG, $L1);
    return run_calls('registry', \@REGISTRY);
}

# ---- TEST 2: the management API -------------------------------------------

our $NS1 = '/v2/manage/namespaces/ns1';
our $REPOS = "$NS1/repos";
our $TAGS = "$NS1/repos/app/tags";
our $RA = "$NS1/repos/app/access";
our $AD = "$NS1/repositories/app/access-domains";
our $SECRET = '/v2/manage/utils/secret';

our $FORBIDDEN = 'SVCSTG.SWR.4030170';
our $NOBODY = 'SVCSTG.S2I.4019000';
our $SIGNATURE = 'APIGW.0301';
our $BODY = 'SVCSTG.SWR.4001018';

sub grants { return '[' . join(',', map { qq[{"user_id":"u-$_->[0]","user_name":"$_->[0]","auth":$_->[1]}] } @_) . ']' }
sub share { return qq[{"access_domain":"$_[0]","permit":"$_[1]","deadline":"forever"}] }

our $MASKED = '{"auths":{"localhost":{"auth":"******"}}}';

our @MANAGE = (
    # CreateNamespace
    call('create ns, AK', 'ak:alice', 'POST', '/v2/manage/namespaces',
         '{"namespace":"ns2"}', 201,
         [ rec('CreateUserNamespace', 'usernamespace', 'ns2', 'ns2') ]),
    call('create ns, spaced out', 'tok:alice', 'POST', '/v2/manage/namespaces',
         qq[ {\n  "namespace" : "ns3"\n} \n], 201,
         [ rec('CreateUserNamespace', 'usernamespace', 'ns3', 'ns3',
               req => '{"namespace":"ns3"}') ]),
    # refused before its body was read (a token needs no body to check):
    # neither the body nor the name it holds
    call('create ns, no administrator', 'tok:seven', 'POST',
         '/v2/manage/namespaces', '{"namespace":"ns4"}', 403,
         [ rec('CreateUserNamespace', 'usernamespace', '', '',
               msg => $FORBIDDEN, req => '') ]),
    # a signature needs the body: read, so it is there
    call('create ns, no administrator, AK', 'ak:seven', 'POST',
         '/v2/manage/namespaces', '{"namespace":"ns4"}', 403,
         [ rec('CreateUserNamespace', 'usernamespace', 'ns4', 'ns4',
               msg => $FORBIDDEN) ]),
    # no credentials: the body is not read, so no name either
    call('create ns, no credentials', undef, 'POST', '/v2/manage/namespaces',
         '{"namespace":"ns4"}', 401,
         [ rec('CreateUserNamespace', 'usernamespace', '', '', msg => $NOBODY,
               req => '') ]),
    call('create ns, wrong SK', 'bad:alice', 'POST', '/v2/manage/namespaces',
         '{"namespace":"ns4"}', 401,
         [ rec('CreateUserNamespace', 'usernamespace', 'ns4', 'ns4',
               msg => $SIGNATURE) ]),
    call('create ns, bad name', 'tok:alice', 'POST', '/v2/manage/namespaces',
         '{"namespace":"Ns4"}', 400,
         [ rec('CreateUserNamespace', 'usernamespace', 'Ns4', 'Ns4',
               msg => 'SVCSTG.SWR.4001028') ]),
    # not JSON: as received; the name as far as it goes
    call('create ns, not JSON', 'tok:alice', 'POST', '/v2/manage/namespaces',
         '{"namespace": "ns4"', 400,
         [ rec('CreateUserNamespace', 'usernamespace', 'ns4', 'ns4',
               msg => $BODY, req => '{"namespace": "ns4"') ]),
    call('create ns, not JSON at all', 'tok:alice', 'POST',
         '/v2/manage/namespaces', 'namespace = ns4', 400,
         [ rec('CreateUserNamespace', 'usernamespace', '', '', msg => $BODY,
               req => 'namespace = ns4') ]),
    # DeleteNamespaces
    call('delete ns', 'tok:alice', 'DELETE', '/v2/manage/namespaces/ns3',
         undef, 204,
         [ rec('DeleteUserNamesapce', 'usernamespace', 'ns3', 'ns3') ]),
    call('delete ns, grant 3', 'tok:three', 'DELETE', $NS1, undef, 403,
         [ rec('DeleteUserNamesapce', 'usernamespace', 'ns1', 'ns1',
               msg => $FORBIDDEN) ]),
    call('delete ns, no credentials', undef, 'DELETE', $NS1, undef, 401,
         [ rec('DeleteUserNamesapce', 'usernamespace', 'ns1', 'ns1',
               msg => $NOBODY) ]),
    call('delete ns, bad name', 'tok:alice', 'DELETE',
         '/v2/manage/namespaces/Ns1', undef, 400,
         [ rec('DeleteUserNamesapce', 'usernamespace', 'Ns1', 'Ns1',
               msg => 'SVCSTG.SWR.4001028') ]),
    call('delete ns, not empty', 'tok:alice', 'DELETE', $NS1, undef, 406,
         [ rec('DeleteUserNamesapce', 'usernamespace', 'ns1', 'ns1',
               msg => 'SVCSTG.SWR.4060074') ]),
    # CreateNamespaceAuth
    call('create ns grant', 'tok:alice', 'POST', "$NS1/access",
         grants([ 'two', 3 ]), 200,
         [ rec('CreateUserNamespaceAuth', 'usernamespaceauth', 'ns1', 'ns1') ]),
    call('create ns grant, grant 3', 'tok:three', 'POST', "$NS1/access",
         grants([ 'bob', 1 ]), 403,
         [ rec('CreateUserNamespaceAuth', 'usernamespaceauth', 'ns1', 'ns1',
               msg => $FORBIDDEN) ]),
    call('create ns grant, no credentials', undef, 'POST', "$NS1/access",
         grants([ 'two', 3 ]), 401,
         [ rec('CreateUserNamespaceAuth', 'usernamespaceauth', 'ns1', 'ns1',
               msg => $NOBODY, req => '') ]),
    call('create ns grant, level 5', 'tok:alice', 'POST', "$NS1/access",
         grants([ 'bob', 5 ]), 400,
         [ rec('CreateUserNamespaceAuth', 'usernamespaceauth', 'ns1', 'ns1',
               msg => 'SVCSTG.SWR.4001065') ]),
    # UpdateNamespaceAuth
    call('update ns grant', 'ak:alice', 'PATCH', "$NS1/access",
         grants([ 'two', 1 ]), 201,
         [ rec('UpdateUserNamespaceAuth', 'usernamespaceauth', 'ns1', 'ns1') ]),
    call('update ns grant, grant 3', 'tok:three', 'PATCH', "$NS1/access",
         grants([ 'two', 3 ]), 403,
         [ rec('UpdateUserNamespaceAuth', 'usernamespaceauth', 'ns1', 'ns1',
               msg => $FORBIDDEN) ]),
    call('update ns grant, no credentials', undef, 'PATCH', "$NS1/access",
         grants([ 'two', 3 ]), 401,
         [ rec('UpdateUserNamespaceAuth', 'usernamespaceauth', 'ns1', 'ns1',
               msg => $NOBODY, req => '') ]),
    call('update ns grant, an object', 'tok:alice', 'PATCH', "$NS1/access",
         '{}', 400,
         [ rec('UpdateUserNamespaceAuth', 'usernamespaceauth', 'ns1', 'ns1',
               msg => $BODY) ]),
    # DeleteNamespaceAuth
    call('delete ns grant', 'tok:alice', 'DELETE', "$NS1/access", '["u-two"]',
         204,
         [ rec('DeleteUserNamespaceAuth', 'usernamespaceauth', 'ns1', 'ns1') ]),
    call('delete ns grant, grant 3', 'tok:three', 'DELETE', "$NS1/access",
         '["u-one"]', 403,
         [ rec('DeleteUserNamespaceAuth', 'usernamespaceauth', 'ns1', 'ns1',
               msg => $FORBIDDEN) ]),
    call('delete ns grant, no credentials', undef, 'DELETE', "$NS1/access",
         '["u-one"]', 401,
         [ rec('DeleteUserNamespaceAuth', 'usernamespaceauth', 'ns1', 'ns1',
               msg => $NOBODY, req => '') ]),
    call('delete ns grant, a string', 'tok:alice', 'DELETE', "$NS1/access",
         '"u-one"', 400,
         [ rec('DeleteUserNamespaceAuth', 'usernamespaceauth', 'ns1', 'ns1',
               msg => $BODY) ]),
    # CreateRepo
    call('create repo', 'ak:alice', 'POST', $REPOS,
         '{"repository":"web","is_public":false,"category":"other"}', 200,
         [ rec('CreateImageRepository', 'imagerepository', 'ns1/web',
               'ns1/web') ]),
    call('create repo, grant 1', 'tok:one', 'POST', $REPOS,
         '{"repository":"web2","is_public":false}', 403,
         [ rec('CreateImageRepository', 'imagerepository', 'ns1/web2',
               'ns1/web2', msg => $FORBIDDEN) ]),
    call('create repo, no credentials', undef, 'POST', $REPOS,
         '{"repository":"web2","is_public":false}', 401,
         [ rec('CreateImageRepository', 'imagerepository', '', '',
               msg => $NOBODY, req => '') ]),
    call('create repo, bad name', 'tok:alice', 'POST', $REPOS,
         '{"repository":"Web2","is_public":false}', 400,
         [ rec('CreateImageRepository', 'imagerepository', 'ns1/Web2',
               'ns1/Web2', msg => 'SVCSTG.SWR.4001029') ]),
    # UpdateRepo
    call('update repo', 'tok:alice', 'PATCH', "$REPOS/web",
         '{"is_public":true,"description":"open"}', 201,
         [ rec('UpdateImageRepository', 'imagerepository', 'ns1/web',
               'ns1/web') ]),
    call('update repo, grant 1', 'tok:one', 'PATCH', "$REPOS/web",
         '{"is_public":false}', 403,
         [ rec('UpdateImageRepository', 'imagerepository', 'ns1/web',
               'ns1/web', msg => $FORBIDDEN) ]),
    call('update repo, no credentials', undef, 'PATCH', "$REPOS/web",
         '{"is_public":false}', 401,
         [ rec('UpdateImageRepository', 'imagerepository', 'ns1/web',
               'ns1/web', msg => $NOBODY, req => '') ]),
    call('update repo, not a boolean', 'tok:alice', 'PATCH', "$REPOS/web",
         '{"is_public":"yes"}', 400,
         [ rec('UpdateImageRepository', 'imagerepository', 'ns1/web',
               'ns1/web', msg => 'SVCSTG.SWR.4001009') ]),
    # CreateRepoTag
    call('create tag', 'tok:alice', 'POST', $TAGS,
         '{"source_tag":"v1","destination_tag":"v2"}', 201,
         [ rec('CreateImageTag', 'imagetag', 'ns1/app:v2', 'ns1/app:v2') ]),
    call('create tag, grant 1', 'tok:one', 'POST', $TAGS,
         '{"source_tag":"v1","destination_tag":"v3"}', 403,
         [ rec('CreateImageTag', 'imagetag', 'ns1/app:v3', 'ns1/app:v3',
               msg => $FORBIDDEN) ]),
    call('create tag, no credentials', undef, 'POST', $TAGS,
         '{"source_tag":"v1","destination_tag":"v3"}', 401,
         [ rec('CreateImageTag', 'imagetag', '', '', msg => $NOBODY,
               req => '') ]),
    call('create tag, bad tag', 'tok:alice', 'POST', $TAGS,
         '{"source_tag":"v1","destination_tag":"-v3"}', 400,
         [ rec('CreateImageTag', 'imagetag', 'ns1/app:-v3', 'ns1/app:-v3',
               msg => 'SVCSTG.SWR.4009021') ]),
    # DeleteRepoTag
    call('delete tag', 'ak:alice', 'DELETE', "$TAGS/v2", undef, 204,
         [ rec('DeleteImageTag', 'imagetag', 'ns1/app:v2', 'ns1/app:v2') ]),
    call('delete tag, grant 1', 'tok:one', 'DELETE', "$TAGS/v1", undef, 403,
         [ rec('DeleteImageTag', 'imagetag', 'ns1/app:v1', 'ns1/app:v1',
               msg => $FORBIDDEN) ]),
    call('delete tag, no credentials', undef, 'DELETE', "$TAGS/v1", undef,
         401, [ rec('DeleteImageTag', 'imagetag', 'ns1/app:v1', 'ns1/app:v1',
                    msg => $NOBODY) ]),
    call('delete tag, unknown', 'tok:alice', 'DELETE', "$TAGS/v9", undef, 404,
         [ rec('DeleteImageTag', 'imagetag', 'ns1/app:v9', 'ns1/app:v9',
               msg => 'SVCSTG.SWR.4040115') ]),
    # CreateUserRepositoryAuth
    call('create repo grant', 'tok:alice', 'POST', $RA, grants([ 'two', 3 ]),
         201, [ rec('CreateUserRepositoryAuth', 'userrepositoryauth',
                    'ns1/app', 'ns1/app') ]),
    call('create repo grant, grant 1', 'tok:one', 'POST', $RA,
         grants([ 'bob', 1 ]), 403,
         [ rec('CreateUserRepositoryAuth', 'userrepositoryauth', 'ns1/app',
               'ns1/app', msg => $FORBIDDEN) ]),
    call('create repo grant, no credentials', undef, 'POST', $RA,
         grants([ 'bob', 1 ]), 401,
         [ rec('CreateUserRepositoryAuth', 'userrepositoryauth', 'ns1/app',
               'ns1/app', msg => $NOBODY, req => '') ]),
    call('create repo grant, level 5', 'tok:alice', 'POST', $RA,
         grants([ 'bob', 5 ]), 400,
         [ rec('CreateUserRepositoryAuth', 'userrepositoryauth', 'ns1/app',
               'ns1/app', msg => 'SVCSTG.SWR.4001066') ]),
    # UpdateUserRepositoryAuth
    call('update repo grant', 'tok:alice', 'PATCH', $RA, grants([ 'two', 1 ]),
         201, [ rec('UpdateUserRepositoryAuth', 'userrepositoryauth',
                    'ns1/app', 'ns1/app') ]),
    call('update repo grant, grant 1', 'tok:one', 'PATCH', $RA,
         grants([ 'two', 7 ]), 403,
         [ rec('UpdateUserRepositoryAuth', 'userrepositoryauth', 'ns1/app',
               'ns1/app', msg => $FORBIDDEN) ]),
    call('update repo grant, no credentials', undef, 'PATCH', $RA,
         grants([ 'two', 7 ]), 401,
         [ rec('UpdateUserRepositoryAuth', 'userrepositoryauth', 'ns1/app',
               'ns1/app', msg => $NOBODY, req => '') ]),
    call('update repo grant, an object', 'tok:alice', 'PATCH', $RA, '{}', 400,
         [ rec('UpdateUserRepositoryAuth', 'userrepositoryauth', 'ns1/app',
               'ns1/app', msg => $BODY) ]),
    # DeleteUserRepositoryAuth
    call('delete repo grant', 'tok:alice', 'DELETE', $RA, '["u-two"]', 204,
         [ rec('DeleteUserRepositoryAuth', 'userrepositoryauth', 'ns1/app',
               'ns1/app') ]),
    call('delete repo grant, grant 1', 'tok:one', 'DELETE', $RA, '["u-two"]',
         403, [ rec('DeleteUserRepositoryAuth', 'userrepositoryauth',
                    'ns1/app', 'ns1/app', msg => $FORBIDDEN) ]),
    call('delete repo grant, no credentials', undef, 'DELETE', $RA,
         '["u-two"]', 401,
         [ rec('DeleteUserRepositoryAuth', 'userrepositoryauth', 'ns1/app',
               'ns1/app', msg => $NOBODY, req => '') ]),
    call('delete repo grant, a string', 'tok:alice', 'DELETE', $RA, '"u-two"',
         400, [ rec('DeleteUserRepositoryAuth', 'userrepositoryauth',
                    'ns1/app', 'ns1/app', msg => $BODY) ]),
    # CreateRepoDomains
    call('share', 'ak:alice', 'POST', $AD, share('beta', 'read'), 201,
         [ rec('CreateImageRepositoryAccessDomain',
               'imagerepositoryaccessdomain', 'beta', 'ns1/app/beta') ]),
    call('share, grant 1', 'tok:one', 'POST', $AD, share('beta', 'read'), 403,
         [ rec('CreateImageRepositoryAccessDomain',
               'imagerepositoryaccessdomain', 'beta', 'ns1/app/beta',
               msg => $FORBIDDEN) ]),
    call('share, no credentials', undef, 'POST', $AD, share('beta', 'read'),
         401, [ rec('CreateImageRepositoryAccessDomain',
                    'imagerepositoryaccessdomain', '', '', msg => $NOBODY,
                    req => '') ]),
    call('share, write', 'tok:alice', 'POST', $AD, share('beta', 'write'),
         400, [ rec('CreateImageRepositoryAccessDomain',
                    'imagerepositoryaccessdomain', 'beta', 'ns1/app/beta',
                    msg => 'SVCSTG.SWR.4001091') ]),
    # UpdateRepoDomains
    call('update share', 'tok:alice', 'PATCH', "$AD/beta",
         '{"permit":"read","deadline":"forever","description":"until later"}',
         201, [ rec('UpdateImageRepositoryAccessDomain',
                    'imagerepositoryaccessdomain', 'beta', 'ns1/app/beta') ]),
    call('update share, grant 1', 'tok:one', 'PATCH', "$AD/beta",
         '{"permit":"read","deadline":"forever"}', 403,
         [ rec('UpdateImageRepositoryAccessDomain',
               'imagerepositoryaccessdomain', 'beta', 'ns1/app/beta',
               msg => $FORBIDDEN) ]),
    call('update share, no credentials', undef, 'PATCH', "$AD/beta",
         '{"permit":"read","deadline":"forever"}', 401,
         [ rec('UpdateImageRepositoryAccessDomain',
               'imagerepositoryaccessdomain', 'beta', 'ns1/app/beta',
               msg => $NOBODY, req => '') ]),
    call('update share, bad deadline', 'tok:alice', 'PATCH', "$AD/beta",
         '{"permit":"read","deadline":"yesterday"}', 400,
         [ rec('UpdateImageRepositoryAccessDomain',
               'imagerepositoryaccessdomain', 'beta', 'ns1/app/beta',
               msg => 'SVCSTG.SWR.4000014') ]),
    # DeleteRepoDomains
    call('unshare', 'tok:alice', 'DELETE', "$AD/beta", undef, 204,
         [ rec('DeleteImageRepositoryAccessDomain',
               'imagerepositoryaccessdomain', 'beta', 'ns1/app/beta') ]),
    call('unshare, grant 1', 'tok:one', 'DELETE', "$AD/beta", undef, 403,
         [ rec('DeleteImageRepositoryAccessDomain',
               'imagerepositoryaccessdomain', 'beta', 'ns1/app/beta',
               msg => $FORBIDDEN) ]),
    call('unshare, no credentials', undef, 'DELETE', "$AD/beta", undef, 401,
         [ rec('DeleteImageRepositoryAccessDomain',
               'imagerepositoryaccessdomain', 'beta', 'ns1/app/beta',
               msg => $NOBODY) ]),
    call('unshare, not shared', 'tok:alice', 'DELETE', "$AD/beta", undef, 400,
         [ rec('DeleteImageRepositoryAccessDomain',
               'imagerepositoryaccessdomain', 'beta', 'ns1/app/beta',
               msg => 'SVCSTG.SWR.4001090') ]),
    # DeleteRepo
    call('delete repo, grant 1', 'tok:one', 'DELETE', "$REPOS/web", undef,
         403, [ rec('DeleteImageRepository', 'imagerepository', 'ns1/web',
                    'ns1/web', msg => $FORBIDDEN) ]),
    call('delete repo, no credentials', undef, 'DELETE', "$REPOS/web", undef,
         401, [ rec('DeleteImageRepository', 'imagerepository', 'ns1/web',
                    'ns1/web', msg => $NOBODY) ]),
    call('delete repo, bad name', 'tok:alice', 'DELETE', "$REPOS/a\$\$b",
         undef, 400, [ rec('DeleteImageRepository', 'imagerepository',
                           'ns1/a//b', 'ns1/a//b',
                           msg => 'SVCSTG.SWR.4001029') ]),
    call('delete repo', 'ak:alice', 'DELETE', "$REPOS/web", undef, 204,
         [ rec('DeleteImageRepository', 'imagerepository', 'ns1/web',
               'ns1/web') ]),
    # CreateSecret: anyone authenticated may; no refusal to show
    call('secret', 'tok:alice', 'POST', "$SECRET?projectname=cn-north-4",
         undef, 200, [ rec('CreateDockerConfig', 'dockerlogincmd',
                           'cn-north-4', 'u-alice', resp => $MASKED) ]),
    call('secret, AK', 'ak:two', 'POST', $SECRET, undef, 200,
         [ rec('CreateDockerConfig', 'dockerlogincmd', 'cn-north-4', 'u-two',
               resp => $MASKED) ]),
    call('secret, no credentials', undef, 'POST', $SECRET, undef, 401,
         [ rec('CreateDockerConfig', 'dockerlogincmd', 'cn-north-4', '',
               msg => $NOBODY) ]),
    call('secret, wrong SK', 'bad:alice', 'POST', $SECRET, undef, 401,
         [ rec('CreateDockerConfig', 'dockerlogincmd', 'cn-north-4', '',
               msg => $SIGNATURE) ]),
    call('secret, another region', 'tok:alice', 'POST',
         "$SECRET?projectname=cn-south-1", undef, 400,
         [ rec('CreateDockerConfig', 'dockerlogincmd', 'cn-south-1',
               'u-alice', msg => 'SVCSTG.SWR.4000014') ]),
    # Huawei's SDK (its own signature and User-Agent)
    call('SDK create ns', 'ak:alice', 'POST', '/v2/manage/namespaces',
         '{"namespace":"sdk-ns"}', 201,
         [ rec('CreateUserNamespace', 'usernamespace', 'sdk-ns', 'sdk-ns') ],
         sdk => [ 'CreateNamespace', '{"body":{"namespace":"sdk-ns"}}' ],
         match => 'sdk-ns'),
    call('SDK delete ns', 'ak:alice', 'DELETE', '/v2/manage/namespaces/sdk-ns',
         undef, 204,
         [ rec('DeleteUserNamesapce', 'usernamespace', 'sdk-ns', 'sdk-ns') ],
         sdk => [ 'DeleteNamespaces', '{"namespace":"sdk-ns"}' ],
         match => 'sdk-ns'),
);

sub manage_init {
    seed();
    setup_push('ns1/app', 'v1', $M1, $CFG, $L1);
    return run_calls('manage', \@MANAGE);
}

# ---- TEST 3, 4: reads -------------------------------------------------------
#
# read(label, who, method, path, status, [trace, type, name, id, msg]):
# no record with swr_audit_reads off (TEST 3), the record given with it on
# (TEST 4; none where the row has none).

our @READS_ROWS = (
    [ 'base', 'ak:alice', 'GET', '/v2/', 200 ],
    [ 'catalog', 'ak:alice', 'GET', '/v2/_catalog', 200 ],
    [ 'tags', 'ak:alice', 'GET', '/v2/ns1/app/tags/list', 200 ],
    [ 'manifest', 'ak:alice', 'GET', '/v2/ns1/app/manifests/v1', 200 ],
    [ 'manifest HEAD', 'ak:alice', 'HEAD', '/v2/ns1/app/manifests/v1', 200 ],
    [ 'manifest, unknown', 'ak:alice', 'GET', '/v2/ns1/app/manifests/v9',
      404 ],
    [ 'referrers', 'ak:alice', 'GET', '/v2/ns1/app/referrers/' . d($M1),
      200 ],
    [ 'upload status', 'ak:alice', 'GET', "$UP/<u1>", 204 ],
    [ 'blob', 'ak:alice', 'GET', '/v2/ns1/app/blobs/' . d($CFG), 200,
      [ 'DownloadImageLayer', 'blob', 'ns1/app', '<cfg>' ] ],
    [ 'blob, Bearer', 'bearer:alice', 'GET', '/v2/ns1/app/blobs/' . d($L1),
      200, [ 'DownloadImageLayer', 'blob', 'ns1/app', '<l1>' ] ],
    [ 'blob HEAD', 'ak:alice', 'HEAD', '/v2/ns1/app/blobs/' . d($CFG), 200 ],
    [ 'blob, unknown', 'ak:alice', 'GET', '/v2/ns1/app/blobs/' . d($B1), 404,
      [ 'DownloadImageLayer', 'blob', 'ns1/app', '<b1>', 'BLOB_UNKNOWN' ] ],
    [ 'blob, no credentials', undef, 'GET', '/v2/ns1/app/blobs/' . d($CFG),
      401, [ 'DownloadImageLayer', 'blob', 'ns1/app', '<cfg>', $UNAUTH ] ],
    [ 'ListNamespaces', 'tok:alice', 'GET', '/v2/manage/namespaces', 200,
      [ 'ListUserNamespaces', 'usernamespace', '', '' ] ],
    [ 'ListNamespaces, AK', 'ak:alice', 'GET', '/v2/manage/namespaces', 200,
      [ 'ListUserNamespaces', 'usernamespace', '', '' ] ],
    [ 'ListNamespaces, no credentials', undef, 'GET', '/v2/manage/namespaces',
      401, [ 'ListUserNamespaces', 'usernamespace', '', '', $NOBODY ] ],
    [ 'ShowNamespace', 'tok:alice', 'GET', $NS1, 200,
      [ 'ShowUserNamespace', 'usernamespace', 'ns1', 'ns1' ] ],
    [ 'ShowNamespaceAuth', 'tok:alice', 'GET', "$NS1/access", 200,
      [ 'ShowUserNamespaceAuth', 'usernamespaceauth', 'ns1', 'ns1' ] ],
    [ 'ListReposDetails', 'tok:alice', 'GET', '/v2/manage/repos', 200,
      [ 'ListImageRepositories', 'imagerepository', '', '' ] ],
    [ 'ShowRepository', 'tok:alice', 'GET', "$REPOS/app", 200,
      [ 'ShowImageRepository', 'imagerepository', 'ns1/app', 'ns1/app' ] ],
    [ 'ShowRepository, unknown', 'tok:alice', 'GET', "$REPOS/nothing", 404,
      [ 'ShowImageRepository', 'imagerepository', 'ns1/nothing',
        'ns1/nothing', 'SVCSTG.SWR.4040113' ] ],
    [ 'ListRepositoryTags', 'tok:alice', 'GET', $TAGS, 200,
      [ 'ListImageTags', 'imagetag', 'ns1/app', 'ns1/app' ] ],
    [ 'ShowUserRepositoryAuth', 'tok:alice', 'GET', $RA, 200,
      [ 'ShowUserRepositoryAuth', 'userrepositoryauth', 'ns1/app',
        'ns1/app' ] ],
    [ 'ListSharedReposDetails', 'tok:alice', 'GET',
      '/v2/manage/shared-repositories?center=self', 200,
      [ 'ListSharedReposDetails', 'userrepositoryauth', '', '' ] ],
    [ 'ListRepoDomains', 'tok:alice', 'GET', $AD, 200,
      [ 'ListImageRepositoryAccessDomain', 'imagerepositoryaccessdomain',
        'ns1/app', 'ns1/app' ] ],
    [ 'ShowAccessDomain', 'tok:alice', 'GET', "$AD/beta", 200,
      [ 'ShowImageRepositoryAccessDomain', 'imagerepositoryaccessdomain',
        'beta', 'ns1/app/beta' ] ],
    [ 'ListQuotas', 'tok:alice', 'GET',
      '/v2/manage/projects/cn-north-4/quotas', 200,
      [ 'ListQuotas', 'quota', '', '' ] ],
    [ 'ShowShareFeatureGates', 'tok:alice', 'GET',
      '/v2/manage/projects/cn-north-4/feature-gates', 200 ],
    [ 'ShowDomainOverview', 'tok:alice', 'GET', '/v2/manage/overview', 200,
      [ 'GetDomainOverview', 'overview', '', '' ] ],
    [ 'ShowDomainResourceReports', 'tok:alice', 'GET',
      '/v2/manage/reports/downflow/daily', 200,
      [ 'GetDomainResourceReports', 'overview', '', '' ] ],
);

sub reads {
    my ($on) = @_;
    return map {
        my ($label, $who, $method, $path, $status, $r) = @$_;
        my ($trace, $type, $name, $id, $msg) = @{ $r || [] };
        call($label, $who, $method, $path, undef, $status,
             [ $on && $r ? (rec($trace, $type, $name, $id,
                                defined $msg ? (msg => $msg) : (),
                                read_only => 1)) : () ]);
    } @READS_ROWS;
}

our @READS_OFF = reads(0);
our @READS_ON = reads(1);

sub reads_init {
    my ($name, $calls) = @_;
    seed();
    setup_push('ns1/app', 'v1', $M1, $CFG, $L1);
    setup('POST', $AD, share('beta', 'read'));
    $Saved{'<u1>'} = setup('POST', "$UP/")->{headers}{'docker-upload-uuid'};
    return run_calls($name, $calls);
}

# ---- TEST 5, 6: a push that makes its repository ---------------------------

sub pushes {
    my ($blobs) = @_;
    my $new = '/v2/ns1/new';
    my $b = sub { my ($label, $who, $method, $path, $body, $status, $rec,
                      %o) = @_;
                  call($label, $who, $method, $path, $body, $status,
                       [ $blobs ? ($rec) : () ], %o) };
    return (
        $b->('config', 'ak:alice', 'POST',
             "$new/blobs/uploads/?digest=" . d($CFG), $CFG, 201,
             blob('ns1/new', '<cfg>')),
        $b->('layer, start', 'ak:alice', 'POST', "$new/blobs/uploads/",
             undef, 202, blob('ns1/new', '<u1>'), save => '<u1>'),
        $b->('layer, chunk', 'ak:alice', 'PATCH', "$new/blobs/uploads/<u1>",
             $L1, 202, rec('UpdateImageLayerChunk', 'blob', 'ns1/new', '<u1>'),
             range => '0-' . (length($L1) - 1)),
        $b->('layer, finish', 'ak:alice', 'PUT',
             "$new/blobs/uploads/<u1>?digest=" . d($L1), undef, 201,
             rec('UpdateImageLayer', 'blob', 'ns1/new', '<l1>')),
        # refused: makes nothing, says nothing of a repository
        call('manifest, grant 1', 'ak:one', 'PUT', "$new/manifests/v1", $M1,
             403, [ rec('UploadManifest', 'manifest', 'ns1/new:v1', 'v1',
                        msg => $DENIED) ], ct => $OCI),
        call('manifest, makes the repository', 'ak:alice', 'PUT',
             "$new/manifests/v1", $M1, 201,
             [ rec('CreateImageRepository', 'imagerepository', 'ns1/new',
                   'ns1/new', req => '', resp => ''),
               rec('UploadManifest', 'manifest', 'ns1/new:v1', '<m1>') ],
             ct => $OCI),
        call('manifest again', 'ak:alice', 'PUT', "$new/manifests/v2", $M1,
             201, [ rec('UploadManifest', 'manifest', 'ns1/new:v2', '<m1>') ],
             ct => $OCI),
        # mounted, then by digest through a Bearer token, into another new
        # repository
        $b->('mount config', 'ak:alice', 'POST',
             '/v2/ns1/bydigest/blobs/uploads/?mount=' . d($CFG)
             . '&from=ns1/new', undef, 201, blob('ns1/bydigest', '<cfg>')),
        $b->('mount layer', 'ak:alice', 'POST',
             '/v2/ns1/bydigest/blobs/uploads/?mount=' . d($L1)
             . '&from=ns1/new', undef, 201, blob('ns1/bydigest', '<l1>')),
        call('manifest by digest, makes the repository', 'bearer:alice',
             'PUT', '/v2/ns1/bydigest/manifests/' . d($M1), $M1, 201,
             [ rec('CreateImageRepository', 'imagerepository',
                   'ns1/bydigest', 'ns1/bydigest', req => '', resp => ''),
               rec('UploadManifest', 'manifest', 'ns1/bydigest@<m1>',
                   '<m1>') ],
             ct => $OCI),
        # the rest of what changes
        $b->('cancel', 'ak:alice', 'DELETE', "$new/blobs/uploads/<u1>", undef,
             404, rec('CancelImageLayerUpload', 'blob', 'ns1/new', '<u1>',
                      msg => 'BLOB_UPLOAD_UNKNOWN')),
        call('delete tag', 'ak:alice', 'DELETE', "$new/manifests/v2", undef,
             202, [ rec('DeleteImageTag', 'imagetag', 'ns1/new:v2', 'v2') ]),
        $b->('delete blob', 'ak:alice', 'DELETE', "$new/blobs/" . d($CFG),
             undef, 202, rec('DeleteBlob', 'blob', 'ns1/new', '<cfg>')),
    );
}

our @PUSH = pushes(1);
our @PUSH_NO_BLOBS = pushes(0);

sub push_init {
    my ($name, $calls) = @_;
    seed();
    return run_calls($name, $calls);
}

# ---- TEST 7: whole records --------------------------------------------------
#
# The records of a few calls as written, in full, after what varies from
# run to run was checked and replaced: time (13 digits) by <time>,
# record_time (13 digits, not before time) by <record_time>, trace_id (a
# version 4 UUID) by <uuid4>, request_id (32 hex digits, the X-Request-Id
# answered if one was) by <request_id>, total_time (about record_time -
# time) by <total_time>; digests and upload ids by their names.  A value
# that breaks its rule stays as it is, and the comparison shows it.

sub normalized {
    my ($line, $j, $got) = @_;
    my $t = $j->{time};
    $line =~ s/^\{"time":\d{13},/{"time":<time>,/;
    $line =~ s/,"record_time":(\d{13}),/$1 >= $t ? ',"record_time":<record_time>,' : ",\"record_time\":$1,"/e;
    $line =~ s/,"trace_id":"([^"]*)",/uuid4($1) ? ',"trace_id":"<uuid4>",' : ",\"trace_id\":\"$1\","/e;
    my $rid = $got->{headers}{'x-request-id'};
    $line =~ s/,"request_id":"([0-9a-f]{32})",/!defined $rid || $rid eq $1 ? ',"request_id":"<request_id>",' : ",\"request_id\":\"$1\","/e;
    $line =~ s/,"total_time":(\d+)\}$/abs($1 - ($j->{record_time} - $t)) <= 100 ? ',"total_time":<total_time>}' : ",\"total_time\":$1}"/e;
    return names($line);
}

sub run_lines {
    my ($name, $calls) = @_;
    my @out;

    @Secret = ();
    %Bearer = ();

    my $ok = eval {
        my @got;
        my $n = 0;
        push @got, send_call($_, ++$n) for @$calls;

        my $want = 0;
        $want += @{ $_->{recs} } for @$calls;

        my @recs = map { [ $_, JSON::PP->new->decode($_) ] }
                   wait_records($want);

        for my $i (0 .. $#$calls) {
            my $got = $got[$i];
            push @out, call_line($calls->[$i], $got->{status});
            push @out, map { normalized(@$_, $got) }
                       grep { $_->[1]{user_agent} eq $got->{ua} } @recs;
        }

        push @out, secrets_line();
        1;
    };

    if (!$ok) {
        (my $err = $@) =~ s/\s+\z//;
        push @out, "died: $err";
    }

    SwrAuth::report($name, join '', map { "$_\n" } @out);

    return 1;
}

our @WHOLE = (
    call('CreateNamespace', 'ak:alice', 'POST', '/v2/manage/namespaces',
         qq[{ "namespace" : "whole",\n  "x" : [ 1, "a b" ] }], 400, [ 1 ]),
    call('CreateNamespace', 'ak:alice', 'POST', '/v2/manage/namespaces',
         qq[{ "namespace" : "whole" }\n], 201, [ 1 ]),
    call('push', 'ak:alice', 'PUT', '/v2/ns1/whole/manifests/1.0', $M1, 201,
         [ 1, 1 ], ct => $OCI),
    call('chunk', 'ak:alice', 'PATCH', "/v2/ns1/whole/blobs/uploads/<u1>",
         $L2, 202, [ 1 ], range => '0-' . (length($L2) - 1)),
    call('wrong login key', 'bad:seven', 'DELETE',
         '/v2/ns1/whole/manifests/1.0', undef, 401, [ 1 ]),
    call('CreateSecret', 'tok:two', 'POST', '/v2/manage/utils/secret', undef,
         200, [ 1 ]),
    call('DeleteRepo', 'tok:alice', 'DELETE',
         '/v2/manage/namespaces/ns1/repos/team$web', undef, 404, [ 1 ]),
);

sub whole_init {
    seed();
    setup('POST', '/v2/ns1/whole/blobs/uploads/?digest=' . d($_), $_)
        for $CFG, $L1;
    $Saved{'<u1>'} = setup('POST', '/v2/ns1/whole/blobs/uploads/')
                     ->{headers}{'docker-upload-uuid'};
    return run_lines('whole', \@WHOLE);
}

# ---- TEST 8: X-Request-Id of management successes ------------------------

our @RID = (
    call('CreateNamespace', 'tok:alice', 'POST', '/v2/manage/namespaces',
         '{"namespace":"rid"}', 201, [ 1 ]),
    call('CreateRepo', 'tok:alice', 'POST', "$NS1/repos",
         '{"repository":"rid","is_public":false}', 200, [ 1 ]),
    call('UpdateRepo', 'tok:alice', 'PATCH', "$NS1/repos/rid",
         '{"is_public":true}', 201, [ 1 ]),
    call('DeleteRepo', 'tok:alice', 'DELETE', "$NS1/repos/rid", undef, 204,
         [ 1 ]),
    call('CreateSecret', 'tok:alice', 'POST', '/v2/manage/utils/secret',
         undef, 200, [ 1 ]),
    call('DeleteNamespaces', 'tok:alice', 'DELETE',
         '/v2/manage/namespaces/rid', undef, 204, [ 1 ]),
);

sub rid_init {
    seed();
    my @out;
    my $n = 0;
    my $ok = eval {
        my @got = map { send_call($_, ++$n) } @RID;
        my @recs = map { JSON::PP->new->decode($_) } wait_records(scalar @RID);
        for my $got (@got) {
            my ($j) = grep { $_->{user_agent} eq $got->{ua} } @recs;
            my $rid = $got->{headers}{'x-request-id'};
            push @out, "$got->{status} X-Request-Id "
                       . (!defined $rid ? 'none'
                          : $j && $j->{request_id} eq $rid
                            ? 'the record\'s request_id' : 'another id');
        }
        1;
    };
    push @out, "died: $@" unless $ok;
    SwrAuth::report('rid', join '', map { "$_\n" } @out);
    return 1;
}

repeat_each(1);
plan tests => repeat_each() * 2 * blocks();

no_long_string();
no_shuffle();
run_tests();

__DATA__

=== TEST 1: registry: upload start (plain, Bearer, monolithic, mount), chunk, finish, cancel, manifest PUT by tag and by digest, manifest and blob DELETE: one record each for a success, a refusal (403), no credentials and a wrong login key (401, Anonymous with the AK offered), bad input (4xx, message the OCI code)
--- init
main::registry_init();
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_secret_key_file $TEST_NGINX_SWR_KEYS/secret.hex;
    swr_token_key $TEST_NGINX_SWR_KEYS/token.pem;
    swr_region cn-north-4;
    swr_auth_cache 0;
    swr_login_limit 1000 1000;
    swr_audit_log $TEST_NGINX_SERVER_ROOT/html/audit.log;
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
        swr_auth on;
    }
    location /v2/manage/ {
        swr_manage_api;
        swr_auth on;
    }
    location = /_swr/token {
        swr_token;
    }
--- request
GET /registry.txt
--- response_body eval
main::expected(\@main::REGISTRY)



=== TEST 2: management API: CreateNamespace, DeleteNamespaces, Create/Update/DeleteNamespaceAuth, CreateRepo, UpdateRepo, DeleteRepo, CreateRepoTag, DeleteRepoTag, Create/Update/DeleteUserRepositoryAuth, Create/Update/DeleteRepoDomains, CreateSecret: one record each for a success, a refusal (403), no credentials and a wrong SK (401), bad input (4xx, message the SWR code); bodies compact; CreateSecret's auth masked; two operations through the SDK
--- init
main::manage_init();
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_secret_key_file $TEST_NGINX_SWR_KEYS/secret.hex;
    swr_token_key $TEST_NGINX_SWR_KEYS/token.pem;
    swr_region cn-north-4;
    swr_auth_cache 0;
    swr_login_limit 1000 1000;
    swr_audit_log $TEST_NGINX_SERVER_ROOT/html/audit.log;
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
        swr_auth on;
    }
    location /v2/manage/ {
        swr_manage_api;
        swr_auth on;
    }
--- request
GET /manage.txt
--- response_body eval
main::expected(\@main::MANAGE)


=== TEST 3: reads make no record: registry GET/HEAD of manifests, blobs, tags, catalog, referrers, upload status; management GETs (lists, shows, quotas, feature gates, overview, reports), also when they fail
--- init
main::reads_init('reads-off', \@main::READS_OFF);
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_secret_key_file $TEST_NGINX_SWR_KEYS/secret.hex;
    swr_token_key $TEST_NGINX_SWR_KEYS/token.pem;
    swr_region cn-north-4;
    swr_login_limit 1000 1000;
    swr_audit_log $TEST_NGINX_SERVER_ROOT/html/audit.log;
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
        swr_auth on;
    }
    location /v2/manage/ {
        swr_manage_api;
        swr_auth on;
    }
    location = /_swr/token {
        swr_token;
    }
--- request
GET /reads-off.txt
--- response_body eval
main::expected(\@main::READS_OFF)



=== TEST 4: swr_audit_reads on: read_only records for blob GETs (DownloadImageLayer) and the management reads of audit-records.md 4.3 (ListUserNamespaces, ShowUserNamespace, ShowUserNamespaceAuth, ListImageRepositories, ShowImageRepository, ListImageTags, ShowUserRepositoryAuth, ListSharedReposDetails, ListImageRepositoryAccessDomain, ShowImageRepositoryAccessDomain, ListQuotas, GetDomainOverview, GetDomainResourceReports), failures too; none for the other reads
--- init
main::reads_init('reads-on', \@main::READS_ON);
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_secret_key_file $TEST_NGINX_SWR_KEYS/secret.hex;
    swr_token_key $TEST_NGINX_SWR_KEYS/token.pem;
    swr_region cn-north-4;
    swr_login_limit 1000 1000;
    swr_audit_log $TEST_NGINX_SERVER_ROOT/html/audit.log;
    swr_audit_reads on;
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
        swr_auth on;
    }
    location /v2/manage/ {
        swr_manage_api;
        swr_auth on;
    }
    location = /_swr/token {
        swr_token;
    }
--- request
GET /reads-on.txt
--- response_body eval
main::expected(\@main::READS_ON)



=== TEST 5: a push that makes its repository: CreateImageRepository just before UploadManifest, by tag and by digest (Bearer), one request each; the next push, a refused one: UploadManifest alone; the blob steps recorded (swr_audit_blobs on by default)
--- init
main::push_init('push', \@main::PUSH);
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_secret_key_file $TEST_NGINX_SWR_KEYS/secret.hex;
    swr_token_key $TEST_NGINX_SWR_KEYS/token.pem;
    swr_region cn-north-4;
    swr_audit_log $TEST_NGINX_SERVER_ROOT/html/audit.log;
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
        swr_auth on;
    }
    location = /_swr/token {
        swr_token;
    }
--- request
GET /push.txt
--- response_body eval
main::expected(\@main::PUSH)



=== TEST 6: swr_audit_blobs off: the same push without the blob steps (start, chunk, finish, monolithic, mount, cancel, blob DELETE); CreateImageRepository, UploadManifest and the manifest DELETE kept
--- init
main::push_init('push-no-blobs', \@main::PUSH_NO_BLOBS);
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_secret_key_file $TEST_NGINX_SWR_KEYS/secret.hex;
    swr_token_key $TEST_NGINX_SWR_KEYS/token.pem;
    swr_region cn-north-4;
    swr_audit_log $TEST_NGINX_SERVER_ROOT/html/audit.log;
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
        swr_auth on;
        swr_audit_blobs off;
    }
    location = /_swr/token {
        swr_token;
    }
--- request
GET /push-no-blobs.txt
--- response_body eval
main::expected(\@main::PUSH_NO_BLOBS)


=== TEST 7: whole records: the fields of audit-records.md 2 the module fills, in order, message only on failures; management bodies compact (not JSON: as received); a manifest PUT's summary and response; a push that makes its repository; a chunk's summary; Anonymous with the AK offered; CreateSecret's auth masked; an error body and its code
--- init
main::whole_init();
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_secret_key_file $TEST_NGINX_SWR_KEYS/secret.hex;
    swr_token_key $TEST_NGINX_SWR_KEYS/token.pem;
    swr_region cn-north-4;
    swr_login_limit 1000 1000;
    swr_audit_log $TEST_NGINX_SERVER_ROOT/html/audit.log;
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    location /v2/ {
        client_max_body_size 0;
        swr_registry;
        swr_auth on;
    }
    location /v2/manage/ {
        swr_manage_api;
        swr_auth on;
    }
--- request
GET /whole.txt
--- response_body
CreateNamespace: POST /v2/manage/namespaces -> 400
{"time":<time>,"user":{"id":"u-alice","name":"alice","user_name":"alice","domain":{"id":"acct-a","name":"alpha"},"account_id":"acct-a","access_key_id":"AKALICE00000000001","principal_urn":"iam::acct-a:user:alice","principal_id":"u-alice","principal_is_root_user":"false","type":"User"},"request":"{\"namespace\":\"whole\",\"x\":[1,\"a b\"]}","response":"{\"errors\":[{\"errorCode\":\"SVCSTG.SWR.4000014\",\"errorMessage\":\"Invalid API parameters\",\"detail\":\"unknown field x\"}],\"error_code\":\"SVCSTG.SWR.4000014\",\"error_msg\":\"Invalid API parameters\",\"details\":[{\"error_code\":\"SVCSTG.SWR.4000014\",\"error_msg\":\"unknown field x\"}]}","service_type":"SWR","event_type":"system","project_id":"0123456789abcdef0123456789abcdef","resource_type":"usernamespace","read_only":false,"tracker_name":"system","operation_id":"swr:namespace:createNamespace","resource_name":"whole","resource_id":"whole","source_ip":"127.0.0.1","domain_id":"acct-a","trace_name":"CreateUserNamespace","trace_rating":"warning","trace_type":"ApiCall","api_version":"v2","message":"SVCSTG.SWR.4000014","record_time":<record_time>,"trace_id":"<uuid4>","code":"400","request_id":"<request_id>","user_agent":"t140/1","content_length":47,"total_time":<total_time>}
CreateNamespace: POST /v2/manage/namespaces -> 201
{"time":<time>,"user":{"id":"u-alice","name":"alice","user_name":"alice","domain":{"id":"acct-a","name":"alpha"},"account_id":"acct-a","access_key_id":"AKALICE00000000001","principal_urn":"iam::acct-a:user:alice","principal_id":"u-alice","principal_is_root_user":"false","type":"User"},"request":"{\"namespace\":\"whole\"}","response":"","service_type":"SWR","event_type":"system","project_id":"0123456789abcdef0123456789abcdef","resource_type":"usernamespace","read_only":false,"tracker_name":"system","operation_id":"swr:namespace:createNamespace","resource_name":"whole","resource_id":"whole","source_ip":"127.0.0.1","domain_id":"acct-a","trace_name":"CreateUserNamespace","trace_rating":"normal","trace_type":"ApiCall","api_version":"v2","record_time":<record_time>,"trace_id":"<uuid4>","code":"201","request_id":"<request_id>","user_agent":"t140/2","content_length":26,"total_time":<total_time>}
push: PUT /v2/ns1/whole/manifests/1.0 -> 201
{"time":<time>,"user":{"id":"u-alice","name":"alice","user_name":"alice","domain":{"id":"acct-a","name":"alpha"},"account_id":"acct-a","access_key_id":"AKALICE00000000001","principal_urn":"iam::acct-a:user:alice","principal_id":"u-alice","principal_is_root_user":"false","type":"User"},"request":"","response":"","service_type":"SWR","event_type":"system","project_id":"cn-north-4","resource_type":"imagerepository","read_only":false,"tracker_name":"system","operation_id":"swr:repo:createRepo","resource_name":"ns1/whole","resource_id":"ns1/whole","source_ip":"127.0.0.1","domain_id":"acct-a","trace_name":"CreateImageRepository","trace_rating":"normal","trace_type":"ApiCall","api_version":"v2","record_time":<record_time>,"trace_id":"<uuid4>","code":"201","request_id":"<request_id>","user_agent":"t140/3","content_length":399,"total_time":<total_time>}
{"time":<time>,"user":{"id":"u-alice","name":"alice","user_name":"alice","domain":{"id":"acct-a","name":"alpha"},"account_id":"acct-a","access_key_id":"AKALICE00000000001","principal_urn":"iam::acct-a:user:alice","principal_id":"u-alice","principal_is_root_user":"false","type":"User"},"request":"{\"tag\":\"1.0\",\"digest\":\"<m1>\",\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"size\":399}","response":"{\"Docker-Content-Digest\":\"<m1>\"}","service_type":"SWR","event_type":"system","project_id":"cn-north-4","resource_type":"manifest","read_only":false,"tracker_name":"system","operation_id":"swr:repo:upload","resource_name":"ns1/whole:1.0","resource_id":"<m1>","source_ip":"127.0.0.1","domain_id":"acct-a","trace_name":"UploadManifest","trace_rating":"normal","trace_type":"ApiCall","api_version":"v2","record_time":<record_time>,"trace_id":"<uuid4>","code":"201","request_id":"<request_id>","user_agent":"t140/3","content_length":399,"total_time":<total_time>}
chunk: PATCH /v2/ns1/whole/blobs/uploads/<u1> -> 202
{"time":<time>,"user":{"id":"u-alice","name":"alice","user_name":"alice","domain":{"id":"acct-a","name":"alpha"},"account_id":"acct-a","access_key_id":"AKALICE00000000001","principal_urn":"iam::acct-a:user:alice","principal_id":"u-alice","principal_is_root_user":"false","type":"User"},"request":"{\"upload_uuid\":\"<u1>\",\"digest\":\"\",\"range\":\"0-25\"}","response":"","service_type":"SWR","event_type":"system","project_id":"cn-north-4","resource_type":"blob","read_only":false,"tracker_name":"system","operation_id":"swr:repo:upload","resource_name":"ns1/whole","resource_id":"<u1>","source_ip":"127.0.0.1","domain_id":"acct-a","trace_name":"UpdateImageLayerChunk","trace_rating":"normal","trace_type":"ApiCall","api_version":"v2","record_time":<record_time>,"trace_id":"<uuid4>","code":"202","request_id":"<request_id>","user_agent":"t140/4","content_length":26,"total_time":<total_time>}
wrong login key: DELETE /v2/ns1/whole/manifests/1.0 -> 401
{"time":<time>,"user":{"type":"Anonymous","name":"anonymous","access_key_id":"AKSEVEN00000000001"},"request":"","response":"{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\",\"detail\":\"wrong login key\"}]}","service_type":"SWR","event_type":"system","project_id":"cn-north-4","resource_type":"imagetag","read_only":false,"tracker_name":"system","operation_id":"swr:repo:deleteRepoTag","resource_name":"ns1/whole:1.0","resource_id":"1.0","source_ip":"127.0.0.1","domain_id":"","trace_name":"DeleteImageTag","trace_rating":"warning","trace_type":"ApiCall","api_version":"v2","message":"UNAUTHORIZED","record_time":<record_time>,"trace_id":"<uuid4>","code":"401","request_id":"<request_id>","user_agent":"t140/5","content_length":0,"total_time":<total_time>}
CreateSecret: POST /v2/manage/utils/secret -> 200
{"time":<time>,"user":{"id":"u-two","name":"two","user_name":"two","domain":{"id":"acct-a","name":"alpha"},"account_id":"acct-a","principal_urn":"iam::acct-a:user:two","principal_id":"u-two","principal_is_root_user":"false","type":"User"},"request":"","response":"{\"auths\":{\"localhost\":{\"auth\":\"******\"}}}","service_type":"SWR","event_type":"system","project_id":"0123456789abcdef0123456789abcdef","resource_type":"dockerlogincmd","read_only":false,"tracker_name":"system","operation_id":"swr::createLoginSecret","resource_name":"cn-north-4","resource_id":"u-two","source_ip":"127.0.0.1","domain_id":"acct-a","trace_name":"CreateDockerConfig","trace_rating":"normal","trace_type":"ApiCall","api_version":"v2","record_time":<record_time>,"trace_id":"<uuid4>","code":"200","request_id":"<request_id>","user_agent":"t140/6","content_length":0,"total_time":<total_time>}
DeleteRepo: DELETE /v2/manage/namespaces/ns1/repos/team$web -> 404
{"time":<time>,"user":{"id":"u-alice","name":"alice","user_name":"alice","domain":{"id":"acct-a","name":"alpha"},"account_id":"acct-a","principal_urn":"iam::acct-a:user:alice","principal_id":"u-alice","principal_is_root_user":"false","type":"User"},"request":"","response":"{\"errors\":[{\"errorCode\":\"SVCSTG.SWR.4040113\",\"errorMessage\":\"Image not found\",\"detail\":\"ns1/team/web\"}],\"error_code\":\"SVCSTG.SWR.4040113\",\"error_msg\":\"Image not found\",\"details\":[{\"error_code\":\"SVCSTG.SWR.4040113\",\"error_msg\":\"ns1/team/web\"}]}","service_type":"SWR","event_type":"system","project_id":"0123456789abcdef0123456789abcdef","resource_type":"imagerepository","read_only":false,"tracker_name":"system","operation_id":"swr:repo:deleteRepo","resource_name":"ns1/team/web","resource_id":"ns1/team/web","source_ip":"127.0.0.1","domain_id":"acct-a","trace_name":"DeleteImageRepository","trace_rating":"warning","trace_type":"ApiCall","api_version":"v2","message":"SVCSTG.SWR.4040113","record_time":<record_time>,"trace_id":"<uuid4>","code":"404","request_id":"<request_id>","user_agent":"t140/7","content_length":0,"total_time":<total_time>}
secrets in the file: none



=== TEST 8: management successes answer X-Request-Id, the record's request_id (docs/architecture.md: every response carries it; audit-records.md 2: request_id is the X-Request-Id returned)
--- init
main::rid_init();
--- http_config
    swr_redis 127.0.0.1:$TEST_NGINX_REDIS_PORT;
    swr_secret_key_file $TEST_NGINX_SWR_KEYS/secret.hex;
    swr_token_key $TEST_NGINX_SWR_KEYS/token.pem;
    swr_region cn-north-4;
    swr_audit_log $TEST_NGINX_SERVER_ROOT/html/audit.log;
--- config
    swr_storage local $TEST_NGINX_SERVER_ROOT/storage_temp;
    location /v2/manage/ {
        swr_manage_api;
        swr_auth on;
    }
--- request
GET /rid.txt
--- response_body
201 X-Request-Id the record's request_id
200 X-Request-Id the record's request_id
201 X-Request-Id the record's request_id
204 X-Request-Id the record's request_id
200 X-Request-Id the record's request_id
204 X-Request-Id the record's request_id
