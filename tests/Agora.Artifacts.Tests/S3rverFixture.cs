using System.Diagnostics;
using System.Text.RegularExpressions;
using Amazon.S3;

namespace Agora.Artifacts.Tests;

/// <summary>
/// Starts the npm package s3rver (installed by .ci/run into tests/shared-infra) on 127.0.0.1 with an OS-chosen port,
/// and stops it when the tests finish. A missing node or s3rver is a test failure, never a skip: the S3 store
/// would otherwise go untested without anyone noticing.
/// </summary>
public sealed partial class S3rverFixture : IAsyncLifetime
{
    public const string AccessKey = "S3RVER";
    public const string SecretKey = "S3RVER";

    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("agora-s3rver-").FullName;
    private Process? _process;
    private int _bucketCounter;

    public string Endpoint { get; private set; } = "";

    public S3ArtifactStoreOptions Options => new()
    {
        ServiceUrl = Endpoint,
        Region = "us-east-1",
        AccessKey = AccessKey,
        SecretKey = SecretKey,
        ForcePathStyle = true,
    };

    public async Task InitializeAsync()
    {
        var node = FindOnPath("node") ?? throw new InvalidOperationException(
            "S3 store tests need Node.js ('node' on PATH) to run the s3rver test server. Install Node.js 18+ and run .ci/run (it runs npm ci in tests/shared-infra).");
        var infra = Path.Combine(FindRepositoryRoot(), "tests", "shared-infra");
        var script = Path.Combine(infra, "node_modules", "s3rver", "bin", "s3rver.js");
        if (!File.Exists(script))
        {
            throw new InvalidOperationException(
                $"s3rver is not installed ({script} is missing). Run `npm ci --prefix {infra}` (what .ci/run does) and rerun the tests.");
        }

        var start = new ProcessStartInfo(node)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { script, "-d", _dataDirectory, "-a", "127.0.0.1", "-p", "0" })
        {
            start.ArgumentList.Add(arg);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("Could not start node for s3rver.");
        var stderr = _process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            string? line;
            try
            {
                line = await _process.StandardOutput.ReadLineAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new InvalidOperationException("s3rver did not report its listening address within 60 s.");
            }

            if (line is null)
            {
                throw new InvalidOperationException($"s3rver exited before listening: {await stderr}");
            }

            var match = ListeningLine().Match(line);
            if (match.Success)
            {
                Endpoint = $"http://127.0.0.1:{match.Groups[1].Value}";
                break;
            }
        }

        // Keep draining stdout so the server never blocks on a full pipe.
        _ = _process.StandardOutput.ReadToEndAsync();
    }

    /// <summary>A fresh, empty bucket for one test class instance.</summary>
    public async Task<string> CreateBucketAsync()
    {
        var bucket = $"t{Interlocked.Increment(ref _bucketCounter)}-{Guid.NewGuid():N}";
        using var client = S3ArtifactStore.CreateClient(Options);
        await client.PutBucketAsync(bucket);
        return bucket;
    }

    public IAmazonS3 CreateClient(AmazonS3Config? config = null) => S3ArtifactStore.CreateClient(Options, config);

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process?.Dispose();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }

        return Task.CompletedTask;
    }

    private static string? FindOnPath(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Agora.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"Could not find the repository root (a directory with Agora.sln) above {AppContext.BaseDirectory}.");
    }

    [GeneratedRegex(@"S3rver listening on [^:]+:(\d+)")]
    private static partial Regex ListeningLine();
}

[CollectionDefinition(Name)]
public sealed class S3rverCollection : ICollectionFixture<S3rverFixture>
{
    public const string Name = "s3rver";
}
