using System.Buffers.Binary;
using System.Text;
using Agora.Model;

namespace Agora.Model.Tests;

public class SafeTensorsTests
{
    [Fact]
    public void Written_file_has_the_exact_golden_bytes()
    {
        string path = Path.Combine(TestModels.TempDirectory(), "g.safetensors");
        SafeTensorsFile.Write(path, [new SafeTensor("b", [2], [1f, -2f]), new SafeTensor("a", [1, 1], [0.5f])], new Dictionary<string, string> { ["format"] = "pt" });
        var bytes = File.ReadAllBytes(path);
        string header = "{\"__metadata__\":{\"format\":\"pt\"},\"a\":{\"dtype\":\"F32\",\"shape\":[1,1],\"data_offsets\":[0,4]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}";
        int padded = (header.Length + 7) / 8 * 8;
        var expected = new List<byte>();
        expected.AddRange(BitConverter.GetBytes((ulong)padded));
        expected.AddRange(Encoding.ASCII.GetBytes(header.PadRight(padded)));
        expected.AddRange(new byte[] { 0x00, 0x00, 0x00, 0x3F, 0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0xC0 });
        Assert.Equal(expected.ToArray(), bytes);
        Assert.Equal(0, (8 + padded) % 8);
    }

    [Fact]
    public void Round_trip_keeps_names_shapes_values_and_metadata()
    {
        string path = Path.Combine(TestModels.TempDirectory(), "r.safetensors");
        SafeTensorsFile.Write(path, [new SafeTensor("x.weight", [2, 3], [1, 2, 3, 4, 5, float.Epsilon])], new Dictionary<string, string> { ["k"] = "v" });
        var (tensors, metadata) = SafeTensorsFile.Read(path);
        var t = Assert.Single(tensors);
        Assert.Equal("x.weight", t.Name);
        Assert.Equal([2, 3], t.Shape);
        Assert.Equal([1, 2, 3, 4, 5, float.Epsilon], t.Data);
        Assert.Equal("v", metadata["k"]);
    }

    public static TheoryData<string, string> MalformedHeaders => new()
    {
        { "{\"a\":{\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[0,4]}}", "dtype F16" },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4]}}", "needs 8 bytes" },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,8]}}", "run past the end" },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", "run past the end" },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", "non-negative" },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[1]}}", "needs dtype, shape and data_offsets" },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"extra\":1}}", "unexpected" },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", "twice" },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]}}", "cover 0 data bytes but the file holds 4" },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,0]}}", "not a [begin, end] pair" },
        { "[1,2]", "must be a JSON object" },
        { "{\"a\":", "not valid JSON" },
        { "{\"__metadata__\":{\"k\":1},\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", "not a string" },
    };

    [Theory]
    [MemberData(nameof(MalformedHeaders))]
    public void Malformed_headers_are_rejected_with_a_precise_message(string header, string expected)
    {
        var file = Build(Encoding.UTF8.GetBytes(header), new byte[4]);
        var e = Assert.Throws<InvalidDataException>(() => SafeTensorsFile.Parse(file));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Truncated_files_and_bad_header_lengths_are_rejected()
    {
        var good = Build(Encoding.UTF8.GetBytes("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}"), new byte[8]);
        SafeTensorsFile.Parse(good);
        Assert.Contains("too short", Assert.Throws<InvalidDataException>(() => SafeTensorsFile.Parse(good.AsSpan(0, 5))).Message);
        Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => SafeTensorsFile.Parse(good.AsSpan(0, good.Length - 1))).Message);
        Assert.Contains("runs past the end", Assert.Throws<InvalidDataException>(() => SafeTensorsFile.Parse(good.AsSpan(0, 20))).Message);
        var huge = (byte[])good.Clone();
        BinaryPrimitives.WriteUInt64LittleEndian(huge, ulong.MaxValue);
        Assert.Contains("bad header length", Assert.Throws<InvalidDataException>(() => SafeTensorsFile.Parse(huge)).Message);
    }

    private static byte[] Build(byte[] header, byte[] data)
    {
        var file = new byte[8 + header.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)header.Length);
        header.CopyTo(file, 8);
        data.CopyTo(file, 8 + header.Length);
        return file;
    }
}
