using System.Buffers.Binary;
using Agora.Core.Crypto;
using Agora.SparseLoCo.Codec;

namespace Agora.SparseLoCo.Wire;

/// <summary>Reads a payload and checks every field against what the receiver expects. Any deviation throws a
/// <see cref="PayloadException"/> naming the rule and the byte offset; nothing else escapes, and nothing is allocated
/// beyond what the expected layout needs. The cheap structural checks run before the digest and the signature.</summary>
public static class PayloadDecoder
{
    public static DecodedPayload Decode(ReadOnlySpan<byte> bytes, PayloadExpectation expected, ReadOnlySpan<byte> hotkeyPublicKey)
    {
        ArgumentNullException.ThrowIfNull(expected);
        var reader = new Reader(bytes);
        if (!reader.Take(4, "the magic").SequenceEqual(PayloadFormat.Magic))
        {
            throw new PayloadException(PayloadError.BadMagic, $"the payload does not start with \"AGSL\" (got {Convert.ToHexString(bytes[..4])}).");
        }

        var version = reader.U16("the version");
        if (version != PayloadFormat.Version)
        {
            throw new PayloadException(PayloadError.UnsupportedVersion, $"version {version}; this decoder reads version {PayloadFormat.Version}.");
        }

        if (bytes.Length > expected.MaxBytes)
        {
            throw new PayloadException(PayloadError.Oversized, $"{bytes.Length} bytes exceeds the cap of {expected.MaxBytes} bytes for this model layout.");
        }

        reader.RequireZero(reader.U16("the flags"), "the flags");
        if (!reader.Take(PayloadFormat.ConfigHashSize, "the model-config hash").SequenceEqual(expected.ConfigHash))
        {
            throw new PayloadException(PayloadError.ConfigHashMismatch, $"the model-config hash {Convert.ToHexString(bytes.Slice(8, 32))} is not the expected {Convert.ToHexString(expected.ConfigHash)}.");
        }

        var window = reader.U64("the window");
        if (expected.Window is { } w && window != w)
        {
            throw new PayloadException(PayloadError.WrongWindow, $"the payload is for window {window}, expected {w}.");
        }

        var uid = reader.U32("the UID");
        if (expected.Uid is { } u && uid != u)
        {
            throw new PayloadException(PayloadError.WrongUid, $"the payload is from UID {uid}, expected {u}.");
        }

        var layout = expected.Layout;
        var count = reader.U32("the tensor count");
        if (count != layout.Count)
        {
            throw new PayloadException(PayloadError.WrongTensorCount, $"{count} tensors, the model layout has {layout.Count}.");
        }

        var tensors = new CompressedTensor[layout.Count];
        for (var t = 0; t < layout.Count; t++)
        {
            tensors[t] = ReadTensor(ref reader, t, layout.Tensors[t], layout.Grids[t], expected.Settings);
        }

        var bodyLength = reader.Position;
        var digest = reader.Take(PayloadFormat.DigestSize, "the digest");
        var signature = reader.Take(PayloadFormat.SignatureSize, "the signature");
        if (reader.Position != bytes.Length)
        {
            throw new PayloadException(PayloadError.TrailingBytes, $"{bytes.Length - reader.Position} bytes follow the signature at byte {reader.Position}.");
        }

        var actual = Blake2b.Hash256(bytes[..bodyLength]);
        if (!digest.SequenceEqual(actual))
        {
            throw new PayloadException(PayloadError.DigestMismatch, $"the BLAKE2b-256 of bytes 0..{bodyLength} is {Convert.ToHexString(actual)}, the payload says {Convert.ToHexString(digest)}.");
        }

        if (!Ed25519.Verify(hotkeyPublicKey, digest, signature))
        {
            throw new PayloadException(PayloadError.BadSignature, $"the signature does not verify under hotkey {Convert.ToHexString(hotkeyPublicKey)}.");
        }

        return new DecodedPayload(new PayloadHeader(bytes.Slice(8, 32), window, uid), new CompressedUpdate(layout, tensors), digest.ToArray(), signature.ToArray());
    }

    private static CompressedTensor ReadTensor(ref Reader reader, int t, TensorShape spec, ChunkGrid grid, CodecSettings settings)
    {
        var start = reader.Position;
        var index = reader.U16("a tensor index");
        if (index != t)
        {
            throw new PayloadException(PayloadError.WrongTensorIndex, $"tensor section {t} (byte {start}) says tensor {index}; sections must follow the layout order.");
        }

        var rank = reader.U8("a tensor rank");
        reader.RequireZero(reader.U8("a reserved byte"), $"tensor {spec.Name}'s reserved byte");
        var dim0 = reader.U32("a dimension");
        var dim1 = reader.U32("a dimension");
        var expectedDim1 = spec.Rank == 2 ? (uint)spec.Shape[1] : 0u;
        if (rank != spec.Rank || dim0 != (uint)spec.Shape[0] || dim1 != expectedDim1)
        {
            throw new PayloadException(PayloadError.WrongShape, $"tensor {t} is rank {rank} ({dim0}, {dim1}); the layout has {spec}.");
        }

        var chunkRows = reader.U8("the chunk rows");
        var chunkCols = reader.U8("the chunk columns");
        if (chunkRows != grid.ChunkRows || chunkCols != grid.ChunkCols)
        {
            throw new PayloadException(PayloadError.WrongChunkGeometry, $"tensor {spec.Name} uses {chunkRows}×{chunkCols} chunks; the layout fixes {grid.ChunkRows}×{grid.ChunkCols}.");
        }

        var k = reader.U16("the count per chunk");
        var expectedK = grid.KeepPerChunk(settings.KeepPer4096);
        if (k != expectedK)
        {
            throw new PayloadException(PayloadError.WrongCountPerChunk, $"tensor {spec.Name} keeps {k} per chunk; the subnet's setting gives {expectedK}.");
        }

        var kept = grid.ChunkCount * k;
        var quantization = ReadQuantization(ref reader, spec, kept);

        var indexBytes = reader.Take((int)PayloadFormat.IndexBytes(kept), $"tensor {spec.Name}'s indices");
        var indices = new ushort[kept];
        if (!BitPacking.Unpack12(indexBytes, indices))
        {
            throw new PayloadException(PayloadError.PaddingNotZero, $"tensor {spec.Name}'s index padding bits are not zero.");
        }

        CheckIndices(indices, grid, k, spec);
        var codeBytes = reader.Take((int)PayloadFormat.CodeBytes(kept), $"tensor {spec.Name}'s codes");
        var codes = new byte[kept];
        if (!BitPacking.Unpack2(codeBytes, codes))
        {
            throw new PayloadException(PayloadError.PaddingNotZero, $"tensor {spec.Name}'s code padding bits are not zero.");
        }

        return new CompressedTensor(t, grid, k, quantization, indices, codes);
    }

    private static QuantizationParams ReadQuantization(ref Reader reader, TensorShape spec, int kept)
    {
        var shift = reader.F32("the shift");
        var scale = reader.F32("the scale");
        var t0 = reader.F32("a table entry");
        var t1 = reader.F32("a table entry");
        var t2 = reader.F32("a table entry");
        var t3 = reader.F32("a table entry");
        if (!float.IsFinite(shift) || !float.IsFinite(scale) || !float.IsFinite(t0) || !float.IsFinite(t1) || !float.IsFinite(t2) || !float.IsFinite(t3))
        {
            throw new PayloadException(PayloadError.NonFiniteQuantization, $"tensor {spec.Name} has a non-finite shift, scale or table entry ({shift}, {scale}, [{t0}, {t1}, {t2}, {t3}]).");
        }

        if (scale is < QuantizationParams.MinScale or > QuantizationParams.MaxScale)
        {
            throw new PayloadException(PayloadError.ScaleOutOfRange, $"tensor {spec.Name} has scale {scale:G9}, outside [{QuantizationParams.MinScale:G}, {QuantizationParams.MaxScale:G}].");
        }

        if (Math.Abs(shift) > QuantizationParams.MaxShift)
        {
            throw new PayloadException(PayloadError.ShiftOutOfRange, $"tensor {spec.Name} has shift {shift:G9}, outside ±{QuantizationParams.MaxShift:G}.");
        }

        var q = new QuantizationParams(shift, scale, t0, t1, t2, t3);
        var bound = q.TableDeviationBound(kept);
        for (var c = 0; c < 4; c++)
        {
            if (Math.Abs((double)q[c] - shift) > bound)
            {
                throw new PayloadException(PayloadError.TableOutOfRange, $"tensor {spec.Name}'s table entry {c} = {q[c]:G9} lies {Math.Abs((double)q[c] - shift):G4} from the shift; {kept} values with scale {scale:G4} allow at most {bound:G4}.");
            }
        }

        return q;
    }

    private static void CheckIndices(ReadOnlySpan<ushort> indices, ChunkGrid grid, int k, TensorShape spec)
    {
        var size = grid.ChunkSize;
        for (var chunk = 0; chunk < grid.ChunkCount; chunk++)
        {
            var previous = -1;
            for (var j = chunk * k; j < (chunk + 1) * k; j++)
            {
                int index = indices[j];
                if (index >= size)
                {
                    throw new PayloadException(PayloadError.IndexOutOfRange, $"tensor {spec.Name}, chunk {chunk}: index {index} is outside a {size}-entry chunk.");
                }

                if (index == previous)
                {
                    throw new PayloadException(PayloadError.DuplicateIndex, $"tensor {spec.Name}, chunk {chunk}: index {index} appears twice.");
                }

                if (index < previous)
                {
                    throw new PayloadException(PayloadError.IndexNotAscending, $"tensor {spec.Name}, chunk {chunk}: index {index} follows {previous}; indices within a chunk must ascend.");
                }

                previous = index;
            }
        }
    }

    private ref struct Reader(ReadOnlySpan<byte> bytes)
    {
        private readonly ReadOnlySpan<byte> _bytes = bytes;

        public int Position { get; private set; }

        public ReadOnlySpan<byte> Take(int count, string what)
        {
            if (count > _bytes.Length - Position)
            {
                throw new PayloadException(PayloadError.Truncated, $"the payload ends at byte {_bytes.Length} while reading {what} ({count} bytes at byte {Position}).");
            }

            var slice = _bytes.Slice(Position, count);
            Position += count;
            return slice;
        }

        public byte U8(string what) => Take(1, what)[0];

        public ushort U16(string what) => BinaryPrimitives.ReadUInt16LittleEndian(Take(2, what));

        public uint U32(string what) => BinaryPrimitives.ReadUInt32LittleEndian(Take(4, what));

        public ulong U64(string what) => BinaryPrimitives.ReadUInt64LittleEndian(Take(8, what));

        public float F32(string what) => BinaryPrimitives.ReadSingleLittleEndian(Take(4, what));

        public readonly void RequireZero(uint value, string what)
        {
            if (value != 0)
            {
                throw new PayloadException(PayloadError.ReservedFieldNotZero, $"{what} before byte {Position} is {value}; reserved fields must be zero.");
            }
        }
    }
}
