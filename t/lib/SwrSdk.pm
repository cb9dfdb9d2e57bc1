package SwrSdk;

# One call of the management API made by Huawei's SWR SDK for Node, through
# t/lib/swr-sdk-call.js (see its header): the answer the SDK parsed, as a
# hash ({status, body} or {status, error_code, error_msg, request_id}).
# Dies, with what the script printed, when the SDK got no HTTP answer.
#
#   my $r = SwrSdk::call($endpoint, $ak, $sk, $project, $op, $params_json);

use strict;
use warnings;

use File::Basename ();
use File::Spec ();
use IPC::Open3 ();
use JSON::PP ();

our $SCRIPT = File::Spec->rel2abs(
    File::Spec->catfile(File::Basename::dirname(__FILE__),
                        'swr-sdk-call.js'));

sub call {
    my ($endpoint, $ak, $sk, $project, $op, $params) = @_;

    my $pid = IPC::Open3::open3(my $in, my $fh, undef, 'node', $SCRIPT,
                                $endpoint, $ak, $sk, $project, $op,
                                $params // '');
    close $in;
    my @got = <$fh>;
    close $fh;
    waitpid $pid, 0;
    my $rc = $? >> 8;

    my ($json) = grep { /^\{/ } @got;
    my $r = $rc == 0 && $json ? eval { JSON::PP::decode_json($json) }
                              : undef;

    if (!$r) {
        chomp(my $why = join '', @got);
        die "swr-sdk-call.js $op exit $rc: $why\n";
    }

    return $r;
}

1;
