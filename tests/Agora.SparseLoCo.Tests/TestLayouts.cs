using Agora.Core.Crypto;
using Agora.SparseLoCo.Codec;
using Agora.SparseLoCo.Wire;

namespace Agora.SparseLoCo.Tests;

/// <summary>Small layouts, seeded data and keys shared by the tests.</summary>
internal static class TestLayouts
{
    /// <summary>A matrix with 64×64 chunks, one with odd chunks (6×5 → 6×5 and 3×... ), and vectors.</summary>
    public static TensorLayout Mixed() => new(
    [
        new TensorShape("embed", 128, 64),
        new TensorShape("odd", 12, 10),
        new TensorShape("norm", 64),
        new TensorShape("prime", 7),
    ]);

    /// <summary>A layout small enough that its payload is a few hundred bytes, for golden and fuzz tests.</summary>
    public static TensorLayout Small() => new(
    [
        new TensorShape("w", 8, 12),
        new TensorShape("b", 10),
    ]);

    public static byte[] ConfigHash(TensorLayout layout) => layout.Fingerprint();

    public static Ed25519KeyPair Key(byte seed)
    {
        var bytes = new byte[Ed25519KeyPair.SeedSize];
        Array.Fill(bytes, seed);
        return Ed25519KeyPair.FromSeed(bytes);
    }

    public static float[] Gaussian(int n, int seed, float std = 1f)
    {
        var random = new Random(seed);
        var values = new float[n];
        for (var i = 0; i < n; i++)
        {
            var u1 = 1.0 - random.NextDouble();
            var u2 = random.NextDouble();
            values[i] = (float)(std * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }

        return values;
    }

    public static byte[] EncodedPayload(TensorLayout layout, int seed, uint uid, ulong window, CodecSettings? settings = null)
    {
        var compressor = new ErrorFeedbackCompressor(layout, settings);
        var update = compressor.Compress(Gaussian(layout.TotalElements, seed, 0.01f));
        return PayloadEncoder.Encode(update, new PayloadHeader(ConfigHash(layout), window, uid), Key((byte)uid));
    }
}
