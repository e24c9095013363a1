namespace Agora.Node.Wallets;

/// <summary>
/// scrypt cost parameters (Percival 2009). Production uses N=2^15, r=8, p=1 (32 MiB, a fraction of a second);
/// tests pass a smaller N. The parameters are stored in each wallet file, so a file always opens with the cost it was made with.
/// </summary>
public sealed record ScryptParameters(int N, int R, int P)
{
    public static ScryptParameters Production { get; } = new(1 << 15, 8, 1);

    // Upper bounds keep a tampered file from making the reader allocate gigabytes or spin for minutes.
    public const int MaxN = 1 << 20;
    public const int MaxR = 32;
    public const int MaxP = 16;

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
    }
}
