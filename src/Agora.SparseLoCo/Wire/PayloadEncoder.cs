using System.Buffers.Binary;
using Agora.Core.Crypto;
using Agora.SparseLoCo.Codec;

namespace Agora.SparseLoCo.Wire;

/// <summary>Writes a compressed update as a signed payload (byte layout in WIRE-FORMAT.md).</summary>
public static class PayloadEncoder
{
    public static byte[] Encode(CompressedUpdate update, PayloadHeader header, Ed25519KeyPair hotkey)
    {
        ArgumentNullException.ThrowIfNull(update);
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(hotkey);
        var layout = update.Layout;
        long size = PayloadFormat.HeaderSize + PayloadFormat.TrailerSize;
        foreach (var tensor in update.Tensors)
        {
            size += PayloadFormat.TensorHeaderSize + PayloadFormat.IndexBytes(tensor.KeptCount) + PayloadFormat.CodeBytes(tensor.KeptCount);
        }

        var bytes = new byte[size];
        var span = bytes.AsSpan();
        PayloadFormat.Magic.CopyTo(span);
        BinaryPrimitives.WriteUInt16LittleEndian(span[4..], PayloadFormat.Version);
        header.ConfigHash.CopyTo(span[8..]);
        BinaryPrimitives.WriteUInt64LittleEndian(span[40..], header.Window);
        BinaryPrimitives.WriteUInt32LittleEndian(span[48..], header.Uid);
        BinaryPrimitives.WriteUInt32LittleEndian(span[52..], (uint)update.Tensors.Count);
        var pos = PayloadFormat.HeaderSize;
        for (var t = 0; t < update.Tensors.Count; t++)
        {
            pos = WriteTensor(span, pos, update.Tensors[t], layout.Tensors[t]);
        }

        var body = span[..pos];
        var digest = Blake2b.Hash256(body);
        digest.CopyTo(span[pos..]);
        hotkey.Sign(digest).CopyTo(span[(pos + PayloadFormat.DigestSize)..]);
        return bytes;
    }

    private static int WriteTensor(Span<byte> span, int pos, CompressedTensor tensor, TensorShape spec)
    {
        if (tensor.KeepPerChunk > ushort.MaxValue || tensor.Grid.ChunkRows > byte.MaxValue || tensor.Grid.ChunkCols > byte.MaxValue)
        {
            throw new ArgumentException($"Tensor {spec} has a chunk geometry the wire format cannot express.");
        }

        var h = span.Slice(pos, PayloadFormat.TensorHeaderSize);
        BinaryPrimitives.WriteUInt16LittleEndian(h, (ushort)tensor.TensorIndex);
        h[2] = (byte)spec.Rank;
        BinaryPrimitives.WriteUInt32LittleEndian(h[4..], (uint)spec.Shape[0]);
        BinaryPrimitives.WriteUInt32LittleEndian(h[8..], spec.Rank == 2 ? (uint)spec.Shape[1] : 0u);
        h[12] = (byte)tensor.Grid.ChunkRows;
        h[13] = (byte)tensor.Grid.ChunkCols;
        BinaryPrimitives.WriteUInt16LittleEndian(h[14..], (ushort)tensor.KeepPerChunk);
        var q = tensor.Quantization;
        BinaryPrimitives.WriteSingleLittleEndian(h[16..], q.Shift);
        BinaryPrimitives.WriteSingleLittleEndian(h[20..], q.Scale);
        BinaryPrimitives.WriteSingleLittleEndian(h[24..], q.T0);
        BinaryPrimitives.WriteSingleLittleEndian(h[28..], q.T1);
        BinaryPrimitives.WriteSingleLittleEndian(h[32..], q.T2);
        BinaryPrimitives.WriteSingleLittleEndian(h[36..], q.T3);
        pos += PayloadFormat.TensorHeaderSize;

        var indexBytes = (int)PayloadFormat.IndexBytes(tensor.KeptCount);
        BitPacking.Pack12(tensor.Indices, span.Slice(pos, indexBytes));
        pos += indexBytes;
        var codeBytes = (int)PayloadFormat.CodeBytes(tensor.KeptCount);
        BitPacking.Pack2(tensor.Codes, span.Slice(pos, codeBytes));
        return pos + codeBytes;
    }
}
