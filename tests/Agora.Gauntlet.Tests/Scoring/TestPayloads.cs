using Agora.Core.Crypto;
using Agora.Gauntlet.Acceptance;
using Agora.SparseLoCo;
using Agora.SparseLoCo.Codec;
using Agora.SparseLoCo.Wire;

namespace Agora.Gauntlet.Tests.Scoring;

/// <summary>A small two-tensor layout and helpers that make real, signed SparseLoCo payloads for it.</summary>
internal static class TestPayloads
{
    public static readonly TensorLayout Layout = new([new TensorShape("w", 64, 64), new TensorShape("b", 128)]);
    public static readonly byte[] ConfigHash = Blake2b.Hash256("test-config"u8);
    public static readonly PayloadExpectation Expectation = new(Layout, ConfigHash);

    public static Ed25519KeyPair Key(uint uid) => Ed25519KeyPair.FromSeed(Blake2b.Hash256([(byte)uid, 7, 7]));

    public static MinerEntry Miner(uint uid) => new(uid, Key(uid).PublicKey);

    /// <summary>Δ = scale · (deterministic pseudo-random values), compressed without error feedback.</summary>
    public static CompressedUpdate Update(ulong seed, float scale = 1e-2f)
    {
        var rng = new Agora.Model.SplitMix64(seed);
        var delta = new float[Layout.TotalElements];
        for (int i = 0; i < delta.Length; i++)
        {
            delta[i] = (float)(rng.NextNormal() * scale);
        }

        return new ErrorFeedbackCompressor(Layout).Compress(delta);
    }

    public static CompressedUpdate FromDelta(float[] delta) => new ErrorFeedbackCompressor(Layout).Compress(delta);

    public static PayloadSubmission Submit(uint uid, ulong window, CompressedUpdate update, long block = 10, float[]? sample = null, Ed25519KeyPair? signer = null)
    {
        byte[] payload = PayloadEncoder.Encode(update, new PayloadHeader(ConfigHash, window, uid), signer ?? Key(uid));
        return new PayloadSubmission(uid, payload, Digest(payload), block, sample);
    }

    public static byte[] Digest(byte[] payload) =>
        payload.AsSpan(payload.Length - PayloadFormat.DigestSize - PayloadFormat.SignatureSize, PayloadFormat.DigestSize).ToArray();

    public static CompressedUpdate Rescale(CompressedUpdate update, float factor) =>
        new(update.Layout, [.. update.Tensors.Select(t => new CompressedTensor(t.TensorIndex, t.Grid, t.KeepPerChunk,
            new QuantizationParams(t.Quantization.Shift * factor, t.Quantization.Scale * factor, t.Quantization.T0 * factor,
                t.Quantization.T1 * factor, t.Quantization.T2 * factor, t.Quantization.T3 * factor), t.Indices, t.Codes))]);
}
