namespace Agora.Artifacts;

/// <summary>
/// How to reach an S3-compatible service. Unset fields fall back to the standard AWS environment variables
/// (AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL, AWS_REGION / AWS_DEFAULT_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY).
/// </summary>
public sealed record S3ArtifactStoreOptions
{
    /// <summary>Endpoint of a non-AWS service (MinIO, R2, a local test server), e.g. <c>http://127.0.0.1:9000</c>.</summary>
    public string? ServiceUrl { get; init; }

    public string? Region { get; init; }

    public string? AccessKey { get; init; }

    public string? SecretKey { get; init; }

    /// <summary>Address buckets as <c>host/bucket</c> instead of <c>bucket.host</c>; local servers need this. Defaults to true when a ServiceUrl is set.</summary>
    public bool? ForcePathStyle { get; init; }

    /// <summary>Fills unset fields from the environment.</summary>
    public S3ArtifactStoreOptions WithEnvironmentDefaults(Func<string, string?>? getEnvironment = null)
    {
        getEnvironment ??= Environment.GetEnvironmentVariable;
        static string? NonEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;
        var serviceUrl = ServiceUrl ?? NonEmpty(getEnvironment("AWS_ENDPOINT_URL_S3")) ?? NonEmpty(getEnvironment("AWS_ENDPOINT_URL"));
        return this with
        {
            ServiceUrl = serviceUrl,
            Region = Region ?? NonEmpty(getEnvironment("AWS_REGION")) ?? NonEmpty(getEnvironment("AWS_DEFAULT_REGION")),
            AccessKey = AccessKey ?? NonEmpty(getEnvironment("AWS_ACCESS_KEY_ID")),
            SecretKey = SecretKey ?? NonEmpty(getEnvironment("AWS_SECRET_ACCESS_KEY")),
            ForcePathStyle = ForcePathStyle ?? (serviceUrl is not null),
        };
    }
}
