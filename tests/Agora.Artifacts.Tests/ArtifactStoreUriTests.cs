namespace Agora.Artifacts.Tests;

public sealed class ArtifactStoreUriTests
{
    [Fact]
    public void File_uri_with_an_absolute_path_parses_to_that_directory()
        => Assert.Equal(new ParsedArtifactStoreUri("file", null, "/srv/agora/artifacts"), ArtifactStoreUri.Parse("file:///srv/agora/artifacts"));

    [Fact]
    public void File_uri_with_a_relative_path_keeps_it_relative()
        => Assert.Equal(new ParsedArtifactStoreUri("file", null, "./data"), ArtifactStoreUri.Parse("file://./data"));

    [Fact]
    public void S3_uri_splits_bucket_and_prefix()
    {
        Assert.Equal(new ParsedArtifactStoreUri("s3", "my-bucket", "runs/alpha"), ArtifactStoreUri.Parse("s3://my-bucket/runs/alpha/"));
        Assert.Equal(new ParsedArtifactStoreUri("s3", "my.bucket", ""), ArtifactStoreUri.Parse("S3://my.bucket"));
    }

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("/just/a/path", "has no scheme")]
    [InlineData("ftp://host/x", "unsupported scheme 'ftp'")]
    [InlineData("file://", "names no directory")]
    [InlineData("s3://", "must be 3 to 63 characters")]
    [InlineData("s3://Upper", "may contain only a-z")]
    [InlineData("s3://-bucket", "must start and end")]
    [InlineData("s3://bucket/../x", "invalid prefix")]
    public void Bad_uris_are_rejected_with_the_reason(string uri, string reason)
    {
        var e = Assert.Throws<FormatException>(() => ArtifactStoreUri.Parse(uri));
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_of_a_file_uri_creates_a_file_store_there()
    {
        var dir = Path.Combine(Path.GetTempPath(), "agora-uri-" + Guid.NewGuid().ToString("N"));
        try
        {
            var store = Assert.IsType<FileArtifactStore>(ArtifactStoreUri.Open("file://" + dir));
            Assert.Equal(dir, store.Root);
            Assert.True(Directory.Exists(dir));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void S3_options_fall_back_to_the_aws_environment_variables()
    {
        var env = new Dictionary<string, string>
        {
            ["AWS_ENDPOINT_URL"] = "http://127.0.0.1:9000",
            ["AWS_DEFAULT_REGION"] = "eu-west-1",
            ["AWS_ACCESS_KEY_ID"] = "id",
            ["AWS_SECRET_ACCESS_KEY"] = "secret",
        };
        var resolved = new S3ArtifactStoreOptions { AccessKey = "explicit" }.WithEnvironmentDefaults(env.GetValueOrDefault);
        Assert.Equal(new S3ArtifactStoreOptions { ServiceUrl = "http://127.0.0.1:9000", Region = "eu-west-1", AccessKey = "explicit", SecretKey = "secret", ForcePathStyle = true }, resolved);
    }

    [Fact]
    public void S3_store_without_credentials_says_which_settings_are_missing()
    {
        var e = Assert.Throws<ArgumentException>(() => S3ArtifactStore.CreateClient(
            new S3ArtifactStoreOptions { ServiceUrl = "http://127.0.0.1:1", AccessKey = "", SecretKey = "" }.WithEnvironmentDefaults(_ => null)));
        Assert.Contains("AWS_ACCESS_KEY_ID", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void S3_endpoint_must_be_an_http_url()
    {
        var e = Assert.Throws<ArgumentException>(() => S3ArtifactStore.CreateConfig(new S3ArtifactStoreOptions { ServiceUrl = "localhost:9000" }));
        Assert.Contains("not an absolute http", e.Message, StringComparison.Ordinal);
    }
}
