using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Agora.Data;

/// <summary>Reads and writes whole llm.c-layout token shards (see <see cref="TokenShardHeader"/> for the layout).</summary>
public static class TokenShard
{
    /// <summary>The smallest version that can hold every token: 1 (uint16) if all are below 65,536, else 2 (uint32).</summary>
    public static int VersionFor(ReadOnlySpan<int> tokens)
    {
        foreach (var t in tokens)
        {
            if (t < 0)
            {
                throw new ArgumentException($"Token {t} is negative; shard tokens are unsigned.", nameof(tokens));
            }

            if (t > ushort.MaxValue)
            {
                return TokenShardHeader.VersionUInt32;
            }
        }

        return TokenShardHeader.VersionUInt16;
    }

    /// <summary>Serializes tokens to shard bytes; <paramref name="version"/> defaults to <see cref="VersionFor"/>.</summary>
    public static byte[] ToBytes(ReadOnlySpan<int> tokens, int? version = null)
    {
        var v = version ?? VersionFor(tokens);
        var header = new TokenShardHeader(v, tokens.Length);
        var bytes = new byte[header.FileLength];
        header.WriteTo(bytes);
        EncodeTokens(tokens, v, bytes.AsSpan(TokenShardHeader.HeaderBytes));
        return bytes;
    }

    /// <summary>Writes a shard file atomically (temporary file, then rename) so a crash never leaves half a shard.</summary>
    public static void Write(string path, ReadOnlySpan<int> tokens, int? version = null)
    {
        var bytes = ToBytes(tokens, version);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        var temp = path + ".tmp";
        File.WriteAllBytes(temp, bytes);
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Reads only the header of a shard file and checks the file length against it.</summary>
    public static TokenShardHeader ReadHeader(string path)
    {
        using var stream = OpenRead(path);
        return ReadAndCheckHeader(stream, path);
    }

    /// <summary>Reads a shard file; with <paramref name="vocabSize"/> every token must be below it.</summary>
    public static int[] Read(string path, int? vocabSize = null)
    {
        using var stream = OpenRead(path);
        var header = ReadAndCheckHeader(stream, path);
        var tokens = new int[header.TokenCount];
        var buffer = new byte[1 << 20];
        var tokenBytes = header.TokenBytes;
        var done = 0;
        while (done < tokens.Length)
        {
            var take = Math.Min(tokens.Length - done, buffer.Length / tokenBytes);
            stream.ReadExactly(buffer, 0, take * tokenBytes);
            DecodeTokens(buffer.AsSpan(0, take * tokenBytes), header.Version, tokens.AsSpan(done, take));
            done += take;
        }

        CheckVocabulary(tokens, vocabSize, path);
        return tokens;
    }

    /// <summary>Parses shard bytes held in memory; <paramref name="source"/> names them in error messages.</summary>
    public static int[] Parse(ReadOnlySpan<byte> bytes, int? vocabSize = null, string source = "shard")
    {
        var header = TokenShardHeader.Parse(bytes, source);
        CheckLength(header, bytes.Length, source);
        var tokens = new int[header.TokenCount];
        DecodeTokens(bytes[TokenShardHeader.HeaderBytes..], header.Version, tokens);
        CheckVocabulary(tokens, vocabSize, source);
        return tokens;
    }

    private static FileStream OpenRead(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Token shard not found: {path}", path);
        }

        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
    }

    private static TokenShardHeader ReadAndCheckHeader(FileStream stream, string path)
    {
        var headerBytes = new byte[TokenShardHeader.HeaderBytes];
        var read = stream.ReadAtLeast(headerBytes, headerBytes.Length, throwOnEndOfStream: false);
        var header = TokenShardHeader.Parse(headerBytes.AsSpan(0, read), path);
        CheckLength(header, stream.Length, path);
        return header;
    }

    private static void CheckLength(TokenShardHeader header, long actualLength, string source)
    {
        if (actualLength < header.FileLength)
        {
            throw new TokenShardFormatException(
                $"{source}: truncated: the header promises {header.TokenCount} tokens ({header.FileLength} bytes) but the file has {actualLength} bytes.");
        }

        if (actualLength > header.FileLength)
        {
            throw new TokenShardFormatException(
                $"{source}: token count mismatch: the header says {header.TokenCount} tokens ({header.FileLength} bytes) but the file has {actualLength} bytes.");
        }
    }

    private static void CheckVocabulary(ReadOnlySpan<int> tokens, int? vocabSize, string source)
    {
        if (vocabSize is not { } vocab)
        {
            return;
        }

        for (var i = 0; i < tokens.Length; i++)
        {
            if ((uint)tokens[i] >= (uint)vocab)
            {
                throw new TokenShardFormatException(
                    $"{source}: token {(uint)tokens[i]} at position {i} is outside the vocabulary of {vocab} tokens; was the shard made with another tokenizer?");
            }
        }
    }

    internal static void EncodeTokens(ReadOnlySpan<int> tokens, int version, Span<byte> destination)
    {
        if (version == TokenShardHeader.VersionUInt16)
        {
            for (var i = 0; i < tokens.Length; i++)
            {
                if ((uint)tokens[i] > ushort.MaxValue)
                {
                    throw new ArgumentException($"Token {tokens[i]} at position {i} does not fit a version-1 (uint16) shard.", nameof(tokens));
                }

                BinaryPrimitives.WriteUInt16LittleEndian(destination[(2 * i)..], (ushort)tokens[i]);
            }
        }
        else
        {
            for (var i = 0; i < tokens.Length; i++)
            {
                if (tokens[i] < 0)
                {
                    throw new ArgumentException($"Token {tokens[i]} at position {i} is negative.", nameof(tokens));
                }

                BinaryPrimitives.WriteInt32LittleEndian(destination[(4 * i)..], tokens[i]);
            }
        }
    }

    internal static void DecodeTokens(ReadOnlySpan<byte> source, int version, Span<int> tokens)
    {
        if (version == TokenShardHeader.VersionUInt16)
        {
            var values = MemoryMarshal.Cast<byte, ushort>(source);
            for (var i = 0; i < tokens.Length; i++)
            {
                tokens[i] = BitConverter.IsLittleEndian ? values[i] : BinaryPrimitives.ReverseEndianness(values[i]);
            }
        }
        else
        {
            for (var i = 0; i < tokens.Length; i++)
            {
                var value = BinaryPrimitives.ReadUInt32LittleEndian(source[(4 * i)..]);
                if (value > int.MaxValue)
                {
                    throw new TokenShardFormatException($"Token {value} at position {i} exceeds the largest supported token id {int.MaxValue}.");
                }

                tokens[i] = (int)value;
            }
        }
    }
}
