using Agora.Core.FixedPoint;

namespace Agora.Ledger.Consensus;

/// <summary>subtensor's sparse epoch (`epoch_mechanism`) for one subnet, bit for bit as pinned by the Yuma
/// conformance vectors (README §4 of ../shared/vectors/yuma): activity, stake, permits, weight masks, weighted-median
/// consensus, clipping, trust, incentive, bonds (original Yuma or Yuma 3 with liquid alpha), dividends and the
/// emission split. Pure integer and fixed-point arithmetic; the step numbers below are the README's.</summary>
public static class YumaEpoch
{
    private static readonly I32F32 U16Max = I32F32.FromInt(ushort.MaxValue);

    public static EpochOutput Run(EpochInput input)
    {
        input.Validate();
        var n = input.N;
        var block = input.Block;

        // 1. Activity.
        var active = new bool[n];
        for (var i = 0; i < n; i++)
        {
            var lastActive = input.LastUpdate[i] > ulong.MaxValue - input.ActivityCutoff ? ulong.MaxValue : input.LastUpdate[i] + input.ActivityCutoff;
            active[i] = !(lastActive < block);
        }

        // 2. Stake, normalised in I64F64 and narrowed to I32F32.
        var stake = NormalizedStake(input.Stake);

        // 3. Permits: the stored ones mask this epoch; the new ones are the top-k non-zero stakes.
        var forbid = new bool[n];
        for (var i = 0; i < n; i++)
        {
            forbid[i] = !input.ValidatorPermit[i];
        }

        var newPermit = FixedVector.TopKNonzero(stake, input.MaxAllowedValidators);

        // 4. Active stake.
        var activeStake = (I32F32[])stake.Clone();
        for (var i = 0; i < n; i++)
        {
            if (!active[i] || forbid[i])
            {
                activeStake[i] = I32F32.Zero;
            }
        }

        FixedVector.Normalize(activeStake);

        // 5. Weights: forbidden rows, self-weights and weights older than the target's registration are dropped.
        var weights = new FixedEntry[n][];
        for (var i = 0; i < n; i++)
        {
            weights[i] = forbid[i]
                ? []
                : LoadRow(input.Weights[i], i, input.LastUpdate[i], input.BlockAtRegistration, static v => I32F32.FromInt(v), dropDiagonal: true);
        }

        FixedMatrix.RowNormalize(weights);

        // 6. Consensus.
        var kappa = I32F32.SafeDiv(I32F32.FromInt(input.Kappa), U16Max);
        var consensus = WeightedMedian.ColumnSparse(activeStake, weights, n, kappa);

        // 7. Clip weights at consensus.
        var clipped = new FixedEntry[n][];
        for (var i = 0; i < n; i++)
        {
            var row = new List<FixedEntry>(weights[i].Length);
            foreach (var (j, w) in weights[i])
            {
                if (consensus[j] < w)
                {
                    if (consensus[j] > I32F32.Zero)
                    {
                        row.Add(new FixedEntry(j, consensus[j]));
                    }
                }
                else
                {
                    row.Add(new FixedEntry(j, w));
                }
            }

            clipped[i] = row.ToArray();
        }

        // 8. Validator trust.
        var validatorTrust = new I32F32[n];
        for (var i = 0; i < n; i++)
        {
            var sum = I32F32.Zero;
            foreach (var entry in clipped[i])
            {
                sum = I32F32.SaturatingAdd(sum, entry.Value);
            }

            validatorTrust[i] = sum;
        }

        // 9. Incentive.
        var incentive = new I32F32[n];
        for (var i = 0; i < n; i++)
        {
            foreach (var (j, w) in clipped[i])
            {
                incentive[j] = I32F32.SaturatingAdd(incentive[j], I32F32.SaturatingMul(activeStake[i], w));
            }
        }

        FixedVector.Normalize(incentive);

        // 10. Weights for bonds.
        var bondsPenalty = I32F32.SafeDiv(I32F32.FromInt(input.BondsPenalty), U16Max);
        var bondWeights = BondWeights(weights, clipped, bondsPenalty, n);

        // 11. Stored bonds, masked where the bonded UID registered after the last tempo.
        var lastTempo = block > input.Tempo ? block - input.Tempo : 0UL;
        var emaAlpha = I32F32.One - (I64F64.FromUInt(input.BondsMovingAverage) / I64F64.FromInt(1_000_000)).ToI32F32();

        FixedEntry[][] storedBonds;
        I32F32[] dividends;
        if (!input.Yuma3)
        {
            // 12a. Original Yuma.
            var bonds = LoadBonds(input, lastTempo, static v => I32F32.FromInt(v));
            FixedMatrix.ColumnNormalize(bonds, n);
            var delta = new FixedEntry[n][];
            for (var i = 0; i < n; i++)
            {
                var row = new FixedEntry[bondWeights[i].Length];
                for (var k = 0; k < row.Length; k++)
                {
                    row[k] = new FixedEntry(bondWeights[i][k].Column, I32F32.SaturatingMul(bondWeights[i][k].Value, activeStake[i]));
                }

                delta[i] = row;
            }

            FixedMatrix.ColumnNormalize(delta, n);
            var ema = FixedMatrix.MovingAverage(delta, bonds, emaAlpha, n);
            FixedMatrix.ColumnNormalize(ema, n);

            dividends = new I32F32[n];
            for (var i = 0; i < n; i++)
            {
                var sum = I32F32.Zero;
                foreach (var (j, b) in ema[i])
                {
                    sum = I32F32.SaturatingAdd(sum, I32F32.SaturatingMul(incentive[j], b));
                }

                dividends[i] = sum;
            }

            FixedVector.Normalize(dividends);
            FixedMatrix.ColumnMaxUpscale(ema, n);
            storedBonds = ema;
        }
        else
        {
            // 12b. Yuma 3.
            var bonds = LoadBonds(input, lastTempo, static v => I32F32.FromU16Proportion(v));
            var anyConsensus = Array.Exists(consensus, c => !c.IsZero);
            var ema = input.LiquidAlpha && anyConsensus
                ? LiquidAlphaBonds(bondWeights, bonds, consensus, new LiquidAlpha(input.AlphaLow, input.AlphaHigh, input.AlphaSigmoidSteepness), n)
                : FixedMatrix.MovingAverage(bondWeights, bonds, emaAlpha, n);

            var normalized = new FixedEntry[n][];
            for (var i = 0; i < n; i++)
            {
                normalized[i] = (FixedEntry[])ema[i].Clone();
            }

            FixedMatrix.ColumnNormalize(normalized, n);
            dividends = new I32F32[n];
            for (var i = 0; i < n; i++)
            {
                var total = I32F32.Zero;
                foreach (var (j, b) in normalized[i])
                {
                    var product = I32F32.SaturatingMul(b, incentive[j]);
                    if (!product.IsZero)
                    {
                        total = I32F32.SaturatingAdd(total, product);
                    }
                }

                dividends[i] = I32F32.CheckedMul(total, activeStake[i]) ?? I32F32.Zero;
            }

            FixedVector.Normalize(dividends);
            storedBonds = ema;
        }

        // 13. Emission split.
        var combined = new I32F32[n];
        for (var i = 0; i < n; i++)
        {
            combined[i] = I32F32.SaturatingAdd(incentive[i], dividends[i]);
        }

        var emissionSum = FixedVector.Sum(combined);
        var serverShare = (I32F32[])incentive.Clone();
        var validatorShare = (I32F32[])dividends.Clone();
        if (!emissionSum.IsZero)
        {
            for (var i = 0; i < n; i++)
            {
                serverShare[i] = I32F32.SafeDiv(incentive[i], emissionSum);
                validatorShare[i] = I32F32.SafeDiv(dividends[i], emissionSum);
            }
        }

        var combinedShare = (I32F32[])combined.Clone();
        FixedVector.Normalize(combinedShare);
        if (emissionSum.IsZero)
        {
            // Nobody earned anything: pay by active stake, or by stake when no stake is active.
            var fallback = FixedVector.Sum(activeStake).IsZero ? stake : activeStake;
            validatorShare = (I32F32[])fallback.Clone();
            combinedShare = (I32F32[])fallback.Clone();
        }

        var rao = input.RaoEmission;
        var serverEmission = new ulong[n];
        var validatorEmission = new ulong[n];
        var emission = new ulong[n];
        for (var i = 0; i < n; i++)
        {
            serverEmission[i] = FixedVector.ToRao(serverShare[i], rao);
            validatorEmission[i] = FixedVector.ToRao(validatorShare[i], rao);
            emission[i] = FixedVector.ToRao(combinedShare[i], rao);
        }

        // 14. Outputs.
        var bondRows = new SparseEntry[n][];
        for (var i = 0; i < n; i++)
        {
            if (!newPermit[i])
            {
                bondRows[i] = [];
                continue;
            }

            var row = new SparseEntry[storedBonds[i].Length];
            for (var k = 0; k < row.Length; k++)
            {
                row[k] = new SparseEntry((ushort)storedBonds[i][k].Column, storedBonds[i][k].Value.ToU16Proportion());
            }

            bondRows[i] = row;
        }

        return new EpochOutput
        {
            Active = active,
            StakeWeight = ToU16(stake),
            ValidatorPermit = newPermit,
            Consensus = ToU16(consensus),
            ValidatorTrust = ToU16(validatorTrust),
            Incentive = ToU16(incentive),
            Dividends = ToU16(dividends),
            ServerEmission = serverEmission,
            ValidatorEmission = validatorEmission,
            Emission = emission,
            Bonds = bondRows,
            Trace = new EpochTrace
            {
                Stake = stake,
                ActiveStake = activeStake,
                Consensus = consensus,
                ValidatorTrust = validatorTrust,
                Incentive = incentive,
                Dividends = dividends,
            },
        };
    }

    /// <summary>S_i = stake_i / Σ stake in I64F64 (truncating), narrowed to I32F32 by dropping 32 bits.</summary>
    private static I32F32[] NormalizedStake(ulong[] raw)
    {
        var n = raw.Length;
        var wide = new I64F64[n];
        var total = I64F64.Zero;
        for (var i = 0; i < n; i++)
        {
            wide[i] = I64F64.FromUInt(raw[i]);
            total += wide[i];
        }

        var result = new I32F32[n];
        for (var i = 0; i < n; i++)
        {
            result[i] = (total.IsZero ? wide[i] : wide[i] / total).ToI32F32();
        }

        return result;
    }

    /// <summary>Loads one stored row in ascending column order, dropping entries whose target registered at or after
    /// <paramref name="since"/> and, for weights, the self-weight.</summary>
    private static FixedEntry[] LoadRow(SparseEntry[] stored, int self, ulong since, ulong[] blockAtRegistration, Func<ushort, I32F32> convert, bool dropDiagonal)
    {
        var row = new List<FixedEntry>(stored.Length);
        foreach (var entry in SortedByColumn(stored))
        {
            int j = entry.Column;
            if ((dropDiagonal && j == self) || since <= blockAtRegistration[j])
            {
                continue;
            }

            row.Add(new FixedEntry(j, convert(entry.Value)));
        }

        return row.ToArray();
    }

    private static FixedEntry[][] LoadBonds(EpochInput input, ulong lastTempo, Func<ushort, I32F32> convert)
    {
        var bonds = new FixedEntry[input.N][];
        for (var i = 0; i < input.N; i++)
        {
            bonds[i] = LoadRow(input.Bonds[i], i, lastTempo, input.BlockAtRegistration, convert, dropDiagonal: false);
        }

        return bonds;
    }

    private static SparseEntry[] SortedByColumn(SparseEntry[] row)
    {
        for (var k = 1; k < row.Length; k++)
        {
            if (row[k].Column < row[k - 1].Column)
            {
                var copy = (SparseEntry[])row.Clone();
                Array.Sort(copy, static (a, b) => a.Column.CompareTo(b.Column));
                return copy;
            }
        }

        return row;
    }

    /// <summary>Step 10: W when the penalty is 0, the clipped W when it is 1, otherwise W + bp·(Wc − W) per entry.</summary>
    private static FixedEntry[][] BondWeights(FixedEntry[][] weights, FixedEntry[][] clipped, I32F32 penalty, int n)
    {
        if (penalty.IsZero)
        {
            return weights;
        }

        if (penalty == I32F32.One)
        {
            return clipped;
        }

        var result = new FixedEntry[weights.Length][];
        var clippedDense = new I32F32[n];
        for (var i = 0; i < weights.Length; i++)
        {
            foreach (var (j, v) in clipped[i])
            {
                clippedDense[j] = v;
            }

            // Columns of W cover those of Wc, and W's rows are in column order, so walking W visits j = 0..n-1
            // wherever either matrix has an entry.
            var row = new List<FixedEntry>(weights[i].Length);
            foreach (var (j, w) in weights[i])
            {
                var v = I32F32.SaturatingAdd(w, I32F32.SaturatingMul(penalty, I32F32.SaturatingSub(clippedDense[j], w)));
                if (v > I32F32.Zero)
                {
                    row.Add(new FixedEntry(j, v));
                }
            }

            foreach (var (j, _) in clipped[i])
            {
                clippedDense[j] = I32F32.Zero;
            }

            result[i] = row.ToArray();
        }

        return result;
    }

    /// <summary>Step 12b with liquid alpha: per entry alpha from the sigmoid; a stored bond whose column has no entry
    /// in the validator's bond-weight row is dropped.</summary>
    private static FixedEntry[][] LiquidAlphaBonds(FixedEntry[][] bondWeights, FixedEntry[][] bonds, I32F32[] consensus, LiquidAlpha sigmoid, int n)
    {
        var result = new FixedEntry[n][];
        var bondDense = new I32F32[n];
        for (var i = 0; i < n; i++)
        {
            if (bondWeights[i].Length == 0)
            {
                result[i] = [];
                continue;
            }

            foreach (var (j, b) in bonds[i])
            {
                bondDense[j] = b;
            }

            var row = new List<FixedEntry>(bondWeights[i].Length);
            foreach (var (j, w) in bondWeights[i])
            {
                var alpha = sigmoid.Alpha(consensus[j], w, bondDense[j]);
                var decay = I32F32.SaturatingMul(I32F32.One - alpha, bondDense[j]);
                var value = I32F32.Min(I32F32.SaturatingAdd(decay, I32F32.Max(I32F32.SaturatingMul(alpha, w), I32F32.Zero)), I32F32.One);
                if (value > I32F32.Zero)
                {
                    row.Add(new FixedEntry(j, value));
                }
            }

            foreach (var (j, _) in bonds[i])
            {
                bondDense[j] = I32F32.Zero;
            }

            result[i] = row.ToArray();
        }

        return result;
    }

    private static ushort[] ToU16(I32F32[] values)
    {
        var result = new ushort[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            result[i] = values[i].ToU16Proportion();
        }

        return result;
    }
}
