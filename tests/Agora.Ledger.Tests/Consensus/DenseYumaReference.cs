using System.Numerics;
using Agora.Core.FixedPoint;
using Agora.Ledger.Consensus;

namespace Agora.Ledger.Tests.Consensus;

/// <summary>An independent dense (n × n, with presence flags) transcription of the epoch rules of the Yuma vectors
/// README §4, used to cross-check the sparse production epoch on random inputs. Only the weighted median itself
/// (pinned by TV-1) is shared with production.</summary>
public static class DenseYumaReference
{
    public sealed record Result(
        bool[] Active, I32F32[] Stake, I32F32[] ActiveStake, bool[] Permit, I32F32[] Consensus, I32F32[] Trust,
        I32F32[] Incentive, I32F32[] Dividends, ulong[] Server, ulong[] Validator, ulong[] Emission, ushort[,] Bonds);

    private static readonly I32F32 One = I32F32.One;

    public static Result Run(EpochInput x)
    {
        var n = x.N;
        var active = new bool[n];
        for (var i = 0; i < n; i++)
        {
            active[i] = !((BigInteger)x.LastUpdate[i] + x.ActivityCutoff < x.Block);
        }

        var total = x.Stake.Aggregate(BigInteger.Zero, (s, v) => s + v);
        var stake = new I32F32[n];
        for (var i = 0; i < n; i++)
        {
            var s64 = total.IsZero ? (BigInteger)x.Stake[i] << 64 : ((BigInteger)x.Stake[i] << 128) / (total << 64);
            stake[i] = I32F32.FromBits((long)(s64 >> 32));
        }

        var order = Enumerable.Range(0, n).OrderBy(i => stake[i].Bits).ThenBy(i => i).ToArray();
        var permit = stake.Select(s => s.Bits != 0).ToArray();
        if (n >= x.MaxAllowedValidators)
        {
            foreach (var i in order.Take(n - x.MaxAllowedValidators))
            {
                permit[i] = false;
            }
        }

        var activeStake = new I32F32[n];
        for (var i = 0; i < n; i++)
        {
            activeStake[i] = active[i] && x.ValidatorPermit[i] ? stake[i] : I32F32.Zero;
        }

        Normalize(activeStake);

        var w = new I32F32[n, n];
        var wp = new bool[n, n];
        for (var i = 0; i < n; i++)
        {
            if (!x.ValidatorPermit[i])
            {
                continue;
            }

            foreach (var e in x.Weights[i])
            {
                if (e.Column != i && x.LastUpdate[i] > x.BlockAtRegistration[e.Column])
                {
                    w[i, e.Column] = I32F32.FromInt(e.Value);
                    wp[i, e.Column] = true;
                }
            }

            var sum = I32F32.Zero;
            for (var j = 0; j < n; j++)
            {
                sum = I32F32.SaturatingAdd(sum, w[i, j]);
            }

            if (sum > I32F32.Zero)
            {
                for (var j = 0; j < n; j++)
                {
                    w[i, j] = I32F32.SafeDiv(w[i, j], sum);
                }
            }
        }

        var kappa = I32F32.SafeDiv(I32F32.FromInt(x.Kappa), I32F32.FromInt(65535));
        var rows = Enumerable.Range(0, n).Where(i => activeStake[i] > I32F32.Zero).ToArray();
        var useStake = rows.Select(i => activeStake[i]).ToArray();
        Normalize(useStake);
        var useSum = useStake.Aggregate(I32F32.Zero, I32F32.SaturatingAdd);
        var minority = I32F32.SaturatingSub(useSum, kappa);
        var consensus = new I32F32[n];
        for (var c = 0; c < n; c++)
        {
            var score = rows.Select(i => w[i, c]).ToArray();
            consensus[c] = WeightedMedian.Compute(useStake, score, Enumerable.Range(0, rows.Length).ToArray(), minority, I32F32.Zero, useSum);
        }

        var wc = new I32F32[n, n];
        var wcp = new bool[n, n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                if (!wp[i, j])
                {
                    continue;
                }

                if (consensus[j] < w[i, j])
                {
                    wc[i, j] = consensus[j];
                    wcp[i, j] = consensus[j] > I32F32.Zero;
                }
                else
                {
                    wc[i, j] = w[i, j];
                    wcp[i, j] = true;
                }
            }
        }

        var trust = new I32F32[n];
        var incentive = new I32F32[n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                if (wcp[i, j])
                {
                    trust[i] = I32F32.SaturatingAdd(trust[i], wc[i, j]);
                    incentive[j] = I32F32.SaturatingAdd(incentive[j], I32F32.SaturatingMul(activeStake[i], wc[i, j]));
                }
            }
        }

        Normalize(incentive);

        var bp = I32F32.SafeDiv(I32F32.FromInt(x.BondsPenalty), I32F32.FromInt(65535));
        var wb = new I32F32[n, n];
        var wbp = new bool[n, n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                if (bp.IsZero)
                {
                    (wb[i, j], wbp[i, j]) = (w[i, j], wp[i, j]);
                }
                else if (bp == One)
                {
                    (wb[i, j], wbp[i, j]) = (wcp[i, j] ? wc[i, j] : I32F32.Zero, wcp[i, j]);
                }
                else
                {
                    var wv = wp[i, j] ? w[i, j] : I32F32.Zero;
                    var cv = wcp[i, j] ? wc[i, j] : I32F32.Zero;
                    var v = I32F32.SaturatingAdd(wv, I32F32.SaturatingMul(bp, I32F32.SaturatingSub(cv, wv)));
                    (wb[i, j], wbp[i, j]) = (v > I32F32.Zero ? v : I32F32.Zero, v > I32F32.Zero);
                }
            }
        }

        var lastTempo = x.Block > x.Tempo ? x.Block - x.Tempo : 0;
        var bm = new I32F32[n, n];
        var bmp = new bool[n, n];
        for (var i = 0; i < n; i++)
        {
            foreach (var e in x.Bonds[i])
            {
                if (lastTempo > x.BlockAtRegistration[e.Column])
                {
                    bm[i, e.Column] = x.Yuma3 ? I32F32.SafeDiv(I32F32.FromInt(e.Value), I32F32.FromInt(65535)) : I32F32.FromInt(e.Value);
                    bmp[i, e.Column] = true;
                }
            }
        }

        var alpha = One - I32F32.FromBits((long)((((BigInteger)x.BondsMovingAverage << 64) / 1_000_000) >> 32));
        var ema = new I32F32[n, n];
        var dividends = new I32F32[n];
        if (!x.Yuma3)
        {
            ColumnNormalize(bm, n);
            var delta = new I32F32[n, n];
            for (var i = 0; i < n; i++)
            {
                for (var j = 0; j < n; j++)
                {
                    delta[i, j] = wbp[i, j] ? I32F32.SaturatingMul(wb[i, j], activeStake[i]) : I32F32.Zero;
                }
            }

            ColumnNormalize(delta, n);
            Ema(delta, bm, alpha, ema, n);
            ColumnNormalize(ema, n);
            for (var i = 0; i < n; i++)
            {
                for (var j = 0; j < n; j++)
                {
                    dividends[i] = I32F32.SaturatingAdd(dividends[i], I32F32.SaturatingMul(incentive[j], ema[i, j]));
                }
            }

            Normalize(dividends);
            for (var j = 0; j < n; j++)
            {
                var max = I32F32.Zero;
                for (var i = 0; i < n; i++)
                {
                    max = I32F32.Max(max, ema[i, j]);
                }

                for (var i = 0; i < n; i++)
                {
                    ema[i, j] = max.IsZero ? ema[i, j] : I32F32.SafeDiv(ema[i, j], max);
                }
            }
        }
        else
        {
            if (x.LiquidAlpha && consensus.Any(c => !c.IsZero))
            {
                for (var i = 0; i < n; i++)
                {
                    for (var j = 0; j < n; j++)
                    {
                        if (!wbp[i, j])
                        {
                            continue;
                        }

                        var a = Sigmoid(x, consensus[j], wb[i, j], bm[i, j]);
                        var dec = I32F32.SaturatingMul(One - a, bm[i, j]);
                        var v = I32F32.Min(I32F32.SaturatingAdd(dec, I32F32.Max(I32F32.SaturatingMul(a, wb[i, j]), I32F32.Zero)), One);
                        ema[i, j] = v > I32F32.Zero ? v : I32F32.Zero;
                    }
                }
            }
            else
            {
                Ema(wb, bm, alpha, ema, n);
            }

            var normalized = (I32F32[,])ema.Clone();
            ColumnNormalize(normalized, n);
            for (var i = 0; i < n; i++)
            {
                var tb = I32F32.Zero;
                for (var j = 0; j < n; j++)
                {
                    tb = I32F32.SaturatingAdd(tb, I32F32.SaturatingMul(normalized[i, j], incentive[j]));
                }

                dividends[i] = I32F32.CheckedMul(tb, activeStake[i]) ?? I32F32.Zero;
            }

            Normalize(dividends);
        }

        var combined = new I32F32[n];
        for (var i = 0; i < n; i++)
        {
            combined[i] = I32F32.SaturatingAdd(incentive[i], dividends[i]);
        }

        var esum = combined.Aggregate(I32F32.Zero, I32F32.SaturatingAdd);
        var sn = esum.IsZero ? incentive : incentive.Select(v => I32F32.SafeDiv(v, esum)).ToArray();
        var vn = esum.IsZero ? dividends : dividends.Select(v => I32F32.SafeDiv(v, esum)).ToArray();
        var cn = (I32F32[])combined.Clone();
        Normalize(cn);
        if (esum.IsZero)
        {
            var fallback = activeStake.Aggregate(I32F32.Zero, I32F32.SaturatingAdd).IsZero ? stake : activeStake;
            vn = fallback;
            cn = fallback;
        }

        ulong Rao(I32F32 v) => (ulong)(((BigInteger)v.Bits * x.RaoEmission) >> 32);
        var bonds = new ushort[n, n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                bonds[i, j] = permit[i] ? ema[i, j].ToU16Proportion() : (ushort)0;
            }
        }

        return new Result(active, stake, activeStake, permit, consensus, trust, incentive, dividends,
            sn.Select(Rao).ToArray(), vn.Select(Rao).ToArray(), cn.Select(Rao).ToArray(), bonds);
    }

    private static I32F32 Sigmoid(EpochInput x, I32F32 c, I32F32 w, I32F32 b)
    {
        var lo = I32F32.SafeDiv(I32F32.FromInt(x.AlphaLow), I32F32.FromInt(65535));
        var hi = I32F32.SafeDiv(I32F32.FromInt(x.AlphaHigh), I32F32.FromInt(65535));
        var k = I32F32.FromInt(x.AlphaSigmoidSteepness);
        var buy = I32F32.Clamp(I32F32.SaturatingSub(w, c), I32F32.Zero, One);
        var sell = I32F32.Clamp(I32F32.SaturatingSub(b, w), I32F32.Zero, One);
        var offset = w >= b ? buy : sell;
        var t = I32F32.SaturatingMul(I32F32.SaturatingDiv(k, I32F32.FromInt(-100)), I32F32.SaturatingSub(offset, I32F32.FromBits(1L << 31)));
        var sig = I32F32.SaturatingDiv(One, I32F32.SaturatingAdd(One, FixedMath.ExpSafe(t)));
        return I32F32.Clamp(I32F32.SaturatingAdd(lo, I32F32.SaturatingMul(sig, I32F32.SaturatingSub(hi, lo))), lo, hi);
    }

    private static void Ema(I32F32[,] next, I32F32[,] old, I32F32 alpha, I32F32[,] into, int n)
    {
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                var acc = I32F32.SaturatingAdd(I32F32.SaturatingMul(alpha, next[i, j]), I32F32.SaturatingMul(One - alpha, old[i, j]));
                into[i, j] = acc > I32F32.Zero ? acc : I32F32.Zero;
            }
        }
    }

    private static void ColumnNormalize(I32F32[,] m, int n)
    {
        for (var j = 0; j < n; j++)
        {
            var sum = I32F32.Zero;
            for (var i = 0; i < n; i++)
            {
                sum = I32F32.SaturatingAdd(sum, m[i, j]);
            }

            if (!sum.IsZero)
            {
                for (var i = 0; i < n; i++)
                {
                    m[i, j] = I32F32.SafeDiv(m[i, j], sum);
                }
            }
        }
    }

    private static void Normalize(I32F32[] v)
    {
        var sum = v.Aggregate(I32F32.Zero, I32F32.SaturatingAdd);
        if (!sum.IsZero)
        {
            for (var i = 0; i < v.Length; i++)
            {
                v[i] = I32F32.SafeDiv(v[i], sum);
            }
        }
    }
}
