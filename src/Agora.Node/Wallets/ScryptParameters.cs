namespace Agora.Node.Wallets;

/// <summary>
/// scrypt cost parameters (Percival 2009; RFC 7914). A derivation needs 128·r·N bytes of memory and time in
/// proportion to N·r·p. New wallets use <see cref="Production"/>: N = 2^17, r = 8, p = 1 (128 MiB, about 2 s on a
/// 2-core machine). The parameters are stored in each wallet file, so a file always opens with the cost it was made
/// with: wallets made with a smaller N (2^15 before, 2^10 on the devnet) still open. A file is hostile input, so
/// its parameters are bounded (<see cref="Validate"/>) before anything is derived.
/// </summary>
public sealed record ScryptParameters(int N, int R, int P)
{
    /// <summary>The smallest N a new wallet key may be sealed with (unless the parameters are <see cref="Devnet"/>'s).</summary>
    public const int MinimumNewKeyN = 1 << 17;

    public static ScryptParameters Production { get; } = new(MinimumNewKeyN, 8, 1);

    /// <summary>
    /// Only for the wallets `agora devnet` creates in its own data directory, under the password it generates there
    /// (16 random bytes, so stretching it adds nothing an attacker would notice). The devnet makes up to 40 wallets and
    /// every child process unlocks two keys at each start and restart; at 2^17 that is about 2 s and 128 MiB per key
    /// on the 2-core reference machine (measured), several minutes and gigabytes per devnet start. 2^10 takes ~0.1 s.
    /// </summary>
    public static ScryptParameters Devnet { get; } = new(1 << 10, 8, 1) { BelowNewKeyFloorFor = "devnet" };

    // Upper bounds keep a tampered file from making the reader allocate gigabytes or spin for minutes: at most
    // 256 MiB (twice Production) and 4× Production's work.
    public const int MaxN = 1 << 20;
    public const int MaxR = 32;
    public const int MaxP = 16;
    public const long MaxMemoryBytes = 256L << 20;
    public const long MaxWork = 4L * MinimumNewKeyN * 8;

    /// <summary>Why these parameters may seal new keys below <see cref="MinimumNewKeyN"/> (null: they may not).</summary>
    public string? BelowNewKeyFloorFor { get; private init; }

    /// <summary>Parameters below the new-key floor for unit tests, which create many wallets.</summary>
    internal static ScryptParameters ForTests(int n) => new(n, 8, 1) { BelowNewKeyFloorFor = "tests" };

    /// <summary>Memory one derivation takes: 128·r·N bytes.</summary>
    public long MemoryBytes => 128L * R * N;

    /// <summary>Bounds any parameters, whether read from a file or about to seal a key; throws naming the bad value.</summary>
    public void Validate()
    {
        if (N < 2 || N > MaxN || (N & (N - 1)) != 0)
        {
            throw new WalletException($"scrypt N={N} must be a power of two between 2 and {MaxN}.");
        }

        if (R is < 1 or > MaxR)
        {
            throw new WalletException($"scrypt r={R} must be between 1 and {MaxR}.");
        }

        if (P is < 1 or > MaxP)
        {
            throw new WalletException($"scrypt p={P} must be between 1 and {MaxP}.");
        }

        if (MemoryBytes > MaxMemoryBytes)
        {
            throw new WalletException(
                $"scrypt N={N}, r={R} needs {MemoryBytes >> 20} MiB (128·r·N); this build refuses more than {MaxMemoryBytes >> 20} MiB.");
        }

        if ((long)N * R * P > MaxWork)
        {
            throw new WalletException($"scrypt N={N}, r={R}, p={P} is {(long)N * R * P} units of work (N·r·p); this build refuses more than {MaxWork}.");
        }
    }

    /// <summary><see cref="Validate"/>, and N ≥ <see cref="MinimumNewKeyN"/> unless these are the devnet's (or tests') parameters.</summary>
    public void ValidateForNewKeys()
    {
        Validate();
        if (N < MinimumNewKeyN && BelowNewKeyFloorFor is null)
        {
            throw new WalletException(
                $"scrypt N={N} is too weak for a new wallet key; new keys need N >= {MinimumNewKeyN} (wallets made with a smaller N still open).");
        }
    }
}
