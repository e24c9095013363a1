using BenchmarkDotNet.Running;

// `dotnet run -c Release --project bench/Agora.Bench -- --filter '*Gemm*'` runs a BenchmarkDotNet suite;
// `... -- side-by-side NAME ...` runs one of the hand-timed comparisons registered in SideBySide.
if (args.Length > 0 && args[0] == "side-by-side")
{
    return Agora.Bench.SideBySide.Run(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(Agora.Bench.SideBySide).Assembly).Run(args);
return 0;
