namespace Agora.Tensors;

/// <summary>Softmax cross-entropy over the vocabulary. Threads split rows; the mean is summed in double in row order.</summary>
public static class CrossEntropy
{
    /// <summary>logits (N,V), targets (N) → mean loss; probs (N,V) = softmax(logits) saved for backward.</summary>
    public static unsafe float Forward(ReadOnlySpan<float> logits, ReadOnlySpan<int> targets, Span<float> probs, int n, int v, int threads = 1)
    {
        LossArgs.Forward(logits, targets, probs, n, v);
        Check.Threads(threads);
        if (n == 0)
        {
            return 0f;
        }

        var losses = new double[n];
        fixed (float* pl = logits, pp = probs)
        fixed (int* pt = targets)
        {
            nint il = (nint)pl, ip = (nint)pp, it = (nint)pt;
            Workers.For(n, threads, (start, end) =>
            {
                for (int row = start; row < end; row++)
                {
                    losses[row] = Row((float*)il + (long)row * v, (float*)ip + (long)row * v, v, ((int*)it)[row]);
                }
            });
        }

        double total = 0;
        for (int row = 0; row < n; row++)
        {
            total += losses[row];
        }

        return (float)(total / n);
    }

    /// <summary>dlogits (N,V) = (probs − onehot(target)) · scale  (scale = 1/N for a mean loss; the caller passes it).</summary>
    public static unsafe void Backward(ReadOnlySpan<float> probs, ReadOnlySpan<int> targets, Span<float> dlogits, int n, int v, float scale, int threads = 1)
    {
        LossArgs.Backward(probs, targets, dlogits, n, v, scale);
        Check.Threads(threads);
        fixed (float* pp = probs, pd = dlogits)
        fixed (int* pt = targets)
        {
            nint ip = (nint)pp, id = (nint)pd, it = (nint)pt;
            Workers.For(n, threads, (start, end) =>
            {
                for (int row = start; row < end; row++)
                {
                    float* p = (float*)ip + (long)row * v;
                    float* d = (float*)id + (long)row * v;
                    VectorMath.ScaleTo(p, d, v, scale);
                    int target = ((int*)it)[row];
                    d[target] = (p[target] - 1f) * scale;
                }
            });
        }
    }

    /// <summary>Writes softmax of one row and returns its loss, logsumexp − logit[target], in double.</summary>
    private static unsafe double Row(float* logits, float* probs, int v, int target)
    {
        float max = VectorMath.Max(logits, v);
        float sum = VectorMath.ExpSum(logits, probs, v, 1f, max);
        VectorMath.Scale(probs, v, 1f / sum);
        return max + Math.Log(sum) - logits[target];
    }
}
