using Agora.Core.Addresses;
using BenchmarkDotNet.Attributes;

namespace Agora.Bench.Core;

/// <summary>
/// What parsing an address costs an RPC server: a normal SS58 address, and a hostile 1 MiB one, which must be refused
/// by its length long before 50 ms (base58 decoding is quadratic: unbounded, 80,000 characters took seconds).
/// Run: <c>dotnet run -c Release --project bench/Agora.Bench -- --filter '*AddressDecode*' --job short</c>.
/// </summary>
[MemoryDiagnoser]
public class AddressDecodeBenchmarks
{
    private string _normal = null!;
    private string _hostile = null!;

    [GlobalSetup]
    public void Setup()
    {
        _normal = Ss58Address.Encode(Enumerable.Range(0, 32).Select(i => (byte)(i * 7 + 1)).ToArray());
        _hostile = new string('z', 1 << 20);
    }

    [Benchmark(Baseline = true)]
    public byte[] DecodeNormalAddress() => Ss58Address.Decode(_normal);

    [Benchmark]
    public bool RefuseOneMebibyteAddress()
    {
        if (Ss58Address.TryDecode(_hostile, out _, out _))
        {
            throw new InvalidOperationException("A 1 MiB address was accepted.");
        }

        return false;
    }

    /// <summary>The most base58 decoding does for any caller (<see cref="Base58.MaxDecodeLength"/> characters).</summary>
    [Benchmark]
    public byte[] DecodeLongestAcceptedBase58() => Base58.Decode(_hostile[..Base58.MaxDecodeLength]);
}
