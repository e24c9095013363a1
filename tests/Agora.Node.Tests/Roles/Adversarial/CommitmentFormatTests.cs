using Agora.Node.Roles;

namespace Agora.Node.Tests.Roles.Adversarial;

/// <summary>
/// The validator commitment, version 3: the selection digests it carries round-trip; versions 1 and 2 still read (with
/// no selections); malformed selection lists from a hostile validator are refused; a long store URI never makes the
/// commitment too large to post.
/// </summary>
[Trait("Category", "Adversarial")]
public sealed class CommitmentFormatTests
{
    private static byte[] D(byte seed) => [.. Enumerable.Range(0, 32).Select(i => (byte)(i + seed))];

    [Fact]
    public void A_version_3_validator_commitment_round_trips_its_checkpoint_and_selection_digests()
    {
        var c = RoleCommitment.ForValidator("file:///stores/v", (10UL, D(1)), [(8UL, D(2)), (9UL, D(3))]);
        var bytes = c.Encode();
        Assert.Equal(3, bytes[4]);
        var back = RoleCommitment.TryDecode(bytes)!;
        Assert.Equal(10UL, back.VouchedCheckpoint!.Value.Window);
        Assert.Equal(D(1), back.VouchedCheckpoint!.Value.Digest);
        Assert.Equal(D(2), back.SelectionDigest(8));
        Assert.Equal(D(3), back.SelectionDigest(9));
        Assert.Null(back.SelectionDigest(7));
        Assert.Equal(bytes, back.Encode());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Version_1_and_2_validator_commitments_still_read_and_commit_no_selection(byte version)
    {
        // Versions 1 and 2 are version 3 without the selection count byte.
        var v3 = RoleCommitment.ForValidator("file:///stores/v", 5, D(4)).Encode();
        var old = v3[..^1];
        old[4] = version;
        var back = RoleCommitment.TryDecode(old)!;
        Assert.Equal("file:///stores/v", back.Store);
        Assert.Equal(5UL, back.VouchedCheckpoint!.Value.Window);
        Assert.Equal(D(4), back.VouchedCheckpoint!.Value.Digest);
        Assert.Empty(back.Selections);
        Assert.Null(back.SelectionDigest(5));
    }

    [Theory]
    [InlineData("windows-not-increasing")]
    [InlineData("too-many")]
    [InlineData("miner-with-selections")]
    [InlineData("count-beyond-the-bytes")]
    [InlineData("trailing-byte")]
    public void A_hostile_commitment_with_a_malformed_selection_list_is_refused(string attack)
    {
        var bytes = RoleCommitment.ForValidator("s", (0UL, new byte[32]), [(1UL, D(1)), (2UL, D(2))]).Encode();
        var countAt = bytes.Length - 1 - (2 * 40);
        switch (attack)
        {
            case "windows-not-increasing":
                bytes[countAt + 1 + 40] = 1; // the second entry's window becomes 1, equal to the first's
                break;
            case "too-many":
                bytes[countAt] = RoleCommitment.MaxSelections + 1;
                bytes = [.. bytes, .. new byte[40 * (RoleCommitment.MaxSelections - 1)]];
                break;
            case "miner-with-selections":
                bytes[5] = (byte)RoleKind.Miner;
                break;
            case "count-beyond-the-bytes":
                bytes[countAt] = 3;
                break;
            case "trailing-byte":
                bytes = [.. bytes, 0];
                break;
        }

        Assert.Null(RoleCommitment.TryDecode(bytes));
    }

    [Fact]
    public void A_long_store_uri_drops_the_oldest_selection_digests_instead_of_exceeding_the_board_limit()
    {
        var store = "file:///" + new string('x', 700);
        var selections = Enumerable.Range(1, RoleCommitment.MaxSelections).Select(w => ((ulong)w, D((byte)w))).ToList();
        var bytes = RoleCommitment.ForValidator(store, null, selections).Encode();
        Assert.True(bytes.Length <= ICommitmentBoard.MaxDataBytes);
        var back = RoleCommitment.TryDecode(bytes)!;
        Assert.NotEmpty(back.Selections);
        Assert.True(back.Selections.Count < RoleCommitment.MaxSelections);
        Assert.Equal(D(RoleCommitment.MaxSelections), back.SelectionDigest(RoleCommitment.MaxSelections));
        Assert.Null(back.SelectionDigest(1));
    }
}
