using Agora.SparseLoCo.Wire;

namespace Agora.Gauntlet.Acceptance;

/// <summary>
/// Applies the acceptance rules: committed inside the deadline, committed hash equals the payload's digest, and the
/// payload decodes under the SparseLoCo decoder (size cap, signature by the UID's hotkey, shapes, exactly k in-range
/// indices per chunk, finite quantization with scale in [1e-12, 1e4]). Never throws on bad input.
/// </summary>
public sealed class PayloadAcceptor
{
    private readonly PayloadExpectation _expectation;

    public PayloadAcceptor(PayloadExpectation expectation)
    {
        ArgumentNullException.ThrowIfNull(expectation);
        _expectation = expectation;
    }

    public AcceptanceResult Check(MinerEntry miner, PayloadSubmission? submission, WindowInfo window)
    {
        ArgumentNullException.ThrowIfNull(miner);
        ArgumentNullException.ThrowIfNull(window);
        if (submission is null || submission.Payload is null || submission.CommittedDigest is null)
        {
            return Reject(miner.Uid, RejectionReason.Missing, "no payload was committed and uploaded for this window.", submission);
        }

        if (submission.Uid != miner.Uid)
        {
            return Reject(miner.Uid, RejectionReason.WrongWindowOrUid, $"the submission is filed under UID {submission.Uid}.", submission);
        }

        if (submission.CommitBlock > window.DeadlineBlock)
        {
            return Reject(miner.Uid, RejectionReason.Late,
                $"committed at block {submission.CommitBlock}, after the deadline block {window.DeadlineBlock}.", submission);
        }

        DecodedPayload decoded;
        try
        {
            decoded = PayloadDecoder.Decode(submission.Payload, _expectation with { Window = window.Window, Uid = miner.Uid }, miner.Hotkey);
        }
        catch (PayloadException e)
        {
            return Reject(miner.Uid, Classify(e.Error), $"{e.Error}: {e.Message}", submission);
        }

        if (!decoded.Digest.AsSpan().SequenceEqual(submission.CommittedDigest))
        {
            return Reject(miner.Uid, RejectionReason.CommitmentMismatch,
                $"the payload's digest {Convert.ToHexString(decoded.Digest)} is not the committed {Convert.ToHexString(submission.CommittedDigest)}.", submission);
        }

        return new AcceptanceResult(miner.Uid, RejectionReason.None, "accepted", decoded, submission.CommitBlock);
    }

    private static AcceptanceResult Reject(uint uid, RejectionReason reason, string message, PayloadSubmission? submission) =>
        new(uid, reason, message, null, submission?.CommitBlock ?? long.MaxValue);

    private static RejectionReason Classify(PayloadError error) => error switch
    {
        PayloadError.Oversized or PayloadError.TrailingBytes => RejectionReason.Oversized,
        PayloadError.BadSignature => RejectionReason.BadSignature,
        PayloadError.DigestMismatch => RejectionReason.CommitmentMismatch,
        PayloadError.WrongShape or PayloadError.WrongTensorCount or PayloadError.WrongTensorIndex
            or PayloadError.WrongChunkGeometry or PayloadError.ConfigHashMismatch => RejectionReason.WrongShape,
        PayloadError.IndexOutOfRange or PayloadError.DuplicateIndex or PayloadError.IndexNotAscending
            or PayloadError.WrongCountPerChunk => RejectionReason.BadIndices,
        PayloadError.NonFiniteQuantization or PayloadError.TableOutOfRange or PayloadError.ShiftOutOfRange => RejectionReason.NonFinite,
        PayloadError.ScaleOutOfRange => RejectionReason.ScaleOutOfRange,
        PayloadError.WrongWindow or PayloadError.WrongUid => RejectionReason.WrongWindowOrUid,
        _ => RejectionReason.Malformed,
    };
}
