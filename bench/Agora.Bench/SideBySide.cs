namespace Agora.Bench;

/// <summary>Hand-timed measurements that a comparison script in bench/ runs next to its peer (PyTorch, raw Ed25519, ...).
/// Each area registers its entries in <see cref="Entries"/>; each entry prints one JSON line per measurement.</summary>
public static class SideBySide
{
    private static readonly Dictionary<string, Func<string[], int>> Entries = new(StringComparer.Ordinal)
    {
        ["gemm"] = Tensors.GemmSideBySide.Run,
        ["yuma"] = Ledger.YumaSideBySide.Run,
        ["transfers"] = Ledger.TransferThroughputSideBySide.Run,
        ["train"] = ModelBench.TrainSideBySide.Run,
        ["sparseloco"] = SparseLoCoBench.SparseLoCoSideBySide.Run,
    };

    public static int Run(string[] args)
    {
        if (args.Length == 0 || !Entries.TryGetValue(args[0], out var entry))
        {
            Console.Error.WriteLine($"usage: side-by-side NAME [ARGS]; NAME is one of: {string.Join(", ", Entries.Keys.Order())}");
            return 2;
        }

        return entry(args[1..]);
    }
}
