using System.Buffers.Binary;
using Agora.Core.Crypto;
using Agora.SparseLoCo.Codec;
using Agora.SparseLoCo.Wire;

namespace Agora.SparseLoCo.Fuzzing;

/// <summary>The payload mutation engine. The bench entry (`side-by-side sparseloco fuzz`) runs it for a million iterations;
/// tests/Agora.SparseLoCo.Tests links this file and runs it for a hundred thousand.</summary>
public static class PayloadFuzzer
{
    public sealed record Report(int Iterations, int Accepted, IReadOnlyDictionary<PayloadError, int> Rejections, IReadOnlyList<string> Crashes);

    private sealed record Target(byte[] Bytes, PayloadExpectation Expectation, byte[] PublicKey, int[] FieldOffsets);

    public static Report Run(int iterations, int seed)
    {
        var targets = Targets();
        var random = new Random(seed);
        var rejections = new SortedDictionary<PayloadError, int>();
        var crashes = new List<string>();
        var accepted = 0;
        for (var i = 0; i < iterations; i++)
        {
            var target = targets[i % targets.Length];
            var mutated = Mutate(target, random);
            try
            {
                PayloadDecoder.Decode(mutated, target.Expectation, target.PublicKey);
                if (!mutated.AsSpan().SequenceEqual(target.Bytes))
                {
                    crashes.Add($"iteration {i}: a changed payload was accepted");
                }

                accepted++;
            }
            catch (PayloadException e)
            {
                rejections[e.Error] = rejections.GetValueOrDefault(e.Error) + 1;
            }
            catch (Exception e)
            {
                crashes.Add($"iteration {i}: {e.GetType().Name}: {e.Message}");
            }
        }

        return new Report(iterations, accepted, rejections, crashes);
    }

    private static Target[] Targets()
    {
        var small = new TensorLayout([new TensorShape("w", 8, 12), new TensorShape("b", 10)]);
        var odd = new TensorLayout([new TensorShape("a", 3, 5), new TensorShape("b", 7), new TensorShape("c", 66, 2)]);
        var settings = new[] { CodecSettings.Default, new CodecSettings { KeepPer4096 = 512 }, new CodecSettings { KeepPer4096 = 4096 } };
        var targets = new List<Target>();
        foreach (var layout in new[] { small, odd })
        {
            foreach (var s in settings)
            {
                var uid = (uint)targets.Count + 1;
                var bytes = Encoded(layout, (int)uid, uid, 9, s);
                var expectation = new PayloadExpectation(layout, layout.Fingerprint(), s) { Window = 9, Uid = uid };
                targets.Add(new Target(bytes, expectation, Key((byte)uid).PublicKey, FieldOffsets(layout, s)));
            }
        }

        return [.. targets];
    }

    /// <summary>Offsets of every fixed field, so overwrites hit field boundaries as well as random bytes.</summary>
    private static int[] FieldOffsets(TensorLayout layout, CodecSettings settings)
    {
        var offsets = new List<int> { 0, 4, 6, 8, 40, 48, 52 };
        long pos = PayloadFormat.HeaderSize;
        foreach (var grid in layout.Grids)
        {
            foreach (var field in new[] { 0, 2, 3, 4, 8, 12, 13, 14, 16, 20, 24, 28, 32, 36, 40 })
            {
                offsets.Add((int)pos + field);
            }

            pos += PayloadFormat.TensorSectionSize(grid, settings);
        }

        offsets.Add((int)pos);
        offsets.Add((int)pos + PayloadFormat.DigestSize);
        return [.. offsets];
    }

    private static readonly uint[] Interesting =
    [
        0, 1, 2, 0xFF, 0xFFFF, 0xFFFF_FFFF, 0x8000_0000, 0x7FC0_0000 /* NaN */, 0x7F80_0000 /* +inf */, 0xFF80_0000 /* −inf */,
        0x2B8C_BCCC /* 1e-12 */, 0x2B8C_BCCB, 0x461C_4000 /* 1e4 */, 0x461C_4001, 0x0000_0001 /* denormal */, 4095, 4096, 64,
    ];

    private static byte[] Mutate(Target target, Random random)
    {
        var bytes = target.Bytes;
        switch (random.Next(7))
        {
            case 0:
            {
                var copy = (byte[])bytes.Clone();
                var flips = 1 + random.Next(3);
                for (var f = 0; f < flips; f++)
                {
                    var bit = random.Next(copy.Length * 8);
                    copy[bit / 8] ^= (byte)(1 << (bit % 8));
                }

                return copy;
            }

            case 1:
                return bytes[..random.Next(bytes.Length)];
            case 2:
            {
                var at = random.Next(bytes.Length + 1);
                var insert = new byte[1 + random.Next(8)];
                random.NextBytes(insert);
                return [.. bytes[..at], .. insert, .. bytes[at..]];
            }

            case 3:
            {
                var at = random.Next(bytes.Length);
                var length = 1 + random.Next(Math.Min(16, bytes.Length - at));
                return [.. bytes[..at], .. bytes[(at + length)..]];
            }

            case 4:
            {
                var copy = (byte[])bytes.Clone();
                var at = target.FieldOffsets[random.Next(target.FieldOffsets.Length)];
                var value = Interesting[random.Next(Interesting.Length)];
                var width = random.Next(3) switch { 0 => 1, 1 => 2, _ => 4 };
                for (var b = 0; b < width && at + b < copy.Length; b++)
                {
                    copy[at + b] = (byte)(value >> (8 * b));
                }

                return copy;
            }

            case 5:
            {
                var copy = (byte[])bytes.Clone();
                var at = random.Next(copy.Length - 4);
                BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(at), (uint)random.Next());
                return copy;
            }

            default:
            {
                var extra = new byte[1 + random.Next(64)];
                random.NextBytes(extra);
                return random.Next(2) == 0 ? [.. bytes, .. extra] : [.. extra, .. bytes];
            }
        }
    }

    private static Ed25519KeyPair Key(byte seed)
    {
        var bytes = new byte[Ed25519KeyPair.SeedSize];
        Array.Fill(bytes, seed);
        return Ed25519KeyPair.FromSeed(bytes);
    }

    private static byte[] Encoded(TensorLayout layout, int seed, uint uid, ulong window, CodecSettings settings)
    {
        var random = new Random(seed);
        var delta = new float[layout.TotalElements];
        for (var i = 0; i < delta.Length; i++)
        {
            delta[i] = (float)((random.NextDouble() - 0.5) * 0.02);
        }

        var update = new ErrorFeedbackCompressor(layout, settings).Compress(delta);
        return PayloadEncoder.Encode(update, new PayloadHeader(layout.Fingerprint(), window, uid), Key((byte)uid));
    }
}
