namespace Agora.Tensors;

public static partial class Reference
{
    /// <summary>Mean cross-entropy of logits (N,V) against targets (N); probs (N,V) = softmax(logits).</summary>
    public static float CrossEntropyForward(ReadOnlySpan<float> logits, ReadOnlySpan<int> targets, Span<float> probs, int n, int v)
    {
        LossArgs.Forward(logits, targets, probs, n, v);
        double total = 0;
        for (int row = 0; row < n; row++)
        {
            ReadOnlySpan<float> lr = logits.Slice(row * v, v);
            double max = double.NegativeInfinity;
            for (int j = 0; j < v; j++)
            {
                max = Math.Max(max, lr[j]);
            }

            double sum = 0;
            for (int j = 0; j < v; j++)
            {
                sum += Math.Exp(lr[j] - max);
            }

            for (int j = 0; j < v; j++)
            {
                probs[row * v + j] = (float)(Math.Exp(lr[j] - max) / sum);
            }

            total += max + Math.Log(sum) - lr[targets[row]];
        }

        return n == 0 ? 0f : (float)(total / n);
    }

    /// <summary>dlogits (N,V) = (probs − onehot(target)) · scale.</summary>
    public static void CrossEntropyBackward(ReadOnlySpan<float> probs, ReadOnlySpan<int> targets, Span<float> dlogits, int n, int v, float scale)
    {
        LossArgs.Backward(probs, targets, dlogits, n, v, scale);
        for (int row = 0; row < n; row++)
        {
            for (int j = 0; j < v; j++)
            {
                double p = probs[row * v + j] - (j == targets[row] ? 1.0 : 0.0);
                dlogits[row * v + j] = (float)(p * scale);
            }
        }
    }

    /// <summary>One AdamW step with PyTorch semantics (decoupled decay first, bias-corrected moments, 1-based step).</summary>
    public static void AdamWStep(Span<float> param, ReadOnlySpan<float> grad, Span<float> m, Span<float> v, float lr, float beta1, float beta2, float eps, float weightDecay, int step)
    {
        OptimizerArgs.AdamW(param, grad, m, v, lr, beta1, beta2, eps, weightDecay, step);
        double bc1 = 1.0 - Math.Pow(beta1, step);
        double bc2 = 1.0 - Math.Pow(beta2, step);
        for (int i = 0; i < param.Length; i++)
        {
            double p = param[i] * (1.0 - (double)lr * weightDecay);
            double mi = beta1 * (double)m[i] + (1.0 - beta1) * grad[i];
            double vi = beta2 * (double)v[i] + (1.0 - beta2) * grad[i] * (double)grad[i];
            m[i] = (float)mi;
            v[i] = (float)vi;
            double denom = Math.Sqrt(vi) / Math.Sqrt(bc2) + eps;
            param[i] = (float)(p - lr / bc1 * mi / denom);
        }
    }

    /// <summary>Returns the global L2 norm of grad and scales grad by min(1, maxNorm / (norm + 1e-6)).</summary>
    public static double ClipGlobalNorm(Span<float> grad, double maxNorm)
    {
        OptimizerArgs.Clip(maxNorm);
        double ss = 0;
        for (int i = 0; i < grad.Length; i++)
        {
            ss += (double)grad[i] * grad[i];
        }

        double norm = Math.Sqrt(ss);
        double coef = Math.Min(1.0, maxNorm / (norm + 1e-6));
        for (int i = 0; i < grad.Length; i++)
        {
            grad[i] = (float)(grad[i] * coef);
        }

        return norm;
    }
}
