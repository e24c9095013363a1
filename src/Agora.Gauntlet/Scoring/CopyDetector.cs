using Agora.SparseLoCo.Codec;

namespace Agora.Gauntlet.Scoring;

/// <summary>A later committer whose kept indices overlap an earlier payload's.</summary>
public readonly record struct CopyFinding(uint Copier, uint Original, double Overlap);

/// <summary>
/// Detects copied updates by the overlap of kept indices: for two payloads, the fraction of kept entries whose
/// (tensor, chunk, index) both chose. Independent miners pick largely different coordinates; a re-sent or rescaled
/// update picks the same ones. Of each pair, the later committer (ties: the higher UID) is the suspect.
/// </summary>
public static class CopyDetector
{
    public static double Overlap(CompressedUpdate a, CompressedUpdate b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Tensors.Count != b.Tensors.Count)
        {
            throw new ArgumentException("Updates for different layouts cannot be compared.");
        }

        long shared = 0;
        long kept = 0;
        for (int t = 0; t < a.Tensors.Count; t++)
        {
            CompressedTensor x = a.Tensors[t];
            CompressedTensor y = b.Tensors[t];
            int k = x.KeepPerChunk;
            if (k != y.KeepPerChunk || x.KeptCount != y.KeptCount)
            {
                throw new ArgumentException($"Tensor {t} keeps a different number of entries in the two updates.");
            }

            for (int start = 0; start < x.KeptCount; start += k)
            {
                // Indices ascend within a chunk (the decoder enforces it), so a merge counts the intersection.
                int i = start;
                int j = start;
                while (i < start + k && j < start + k)
                {
                    int d = x.Indices[i] - y.Indices[j];
                    if (d == 0)
                    {
                        shared++;
                        i++;
                        j++;
                    }
                    else if (d < 0)
                    {
                        i++;
                    }
                    else
                    {
                        j++;
                    }
                }
            }

            kept += x.KeptCount;
        }

        return kept == 0 ? 0 : (double)shared / kept;
    }

    /// <summary>For every payload that overlaps an earlier-committed one at or above <paramref name="threshold"/>,
    /// the strongest such overlap. Results are in copier UID order.</summary>
    public static IReadOnlyList<CopyFinding> Find(IReadOnlyList<(uint Uid, long CommitBlock, CompressedUpdate Update)> payloads, double threshold)
    {
        ArgumentNullException.ThrowIfNull(payloads);
        var worst = new SortedDictionary<uint, CopyFinding>();
        for (int a = 0; a < payloads.Count; a++)
        {
            for (int b = a + 1; b < payloads.Count; b++)
            {
                double overlap = Overlap(payloads[a].Update, payloads[b].Update);
                if (overlap < threshold)
                {
                    continue;
                }

                bool aIsLater = payloads[a].CommitBlock > payloads[b].CommitBlock
                    || (payloads[a].CommitBlock == payloads[b].CommitBlock && payloads[a].Uid > payloads[b].Uid);
                var (copier, original) = aIsLater ? (payloads[a].Uid, payloads[b].Uid) : (payloads[b].Uid, payloads[a].Uid);
                if (!worst.TryGetValue(copier, out CopyFinding existing) || overlap > existing.Overlap)
                {
                    worst[copier] = new CopyFinding(copier, original, overlap);
                }
            }
        }

        return [.. worst.Values];
    }
}
