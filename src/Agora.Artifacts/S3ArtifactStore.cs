using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Agora.Artifacts;

/// <summary>
/// An artifact store in an S3-compatible bucket under a key prefix. S3 PUTs are atomic per object, so Put needs no
/// temp-and-rename; Get checks the size with HEAD before downloading and then asks only for the first maxBytes+1
/// bytes, so an object swapped for a larger one between the two calls is still refused without a full download.
/// </summary>
public sealed class S3ArtifactStore : IArtifactStore, IDisposable
{
    private readonly IAmazonS3 _client;
    private readonly bool _ownsClient;

    public S3ArtifactStore(string bucket, string prefix, S3ArtifactStoreOptions options)
        : this(CreateClient(options), bucket, prefix, ownsClient: true)
    {
    }

    /// <summary>Uses a caller-built client (tests inject one that records its HTTP requests).</summary>
    public S3ArtifactStore(IAmazonS3 client, string bucket, string prefix, bool ownsClient = false)
    {
        ArtifactStoreUri.ValidateBucket(bucket);
        if (prefix.Length > 0)
        {
            ArtifactKey.Validate(prefix.TrimEnd('/'));
            prefix = prefix.TrimEnd('/') + "/";
        }

        _client = client;
        _ownsClient = ownsClient;
        Bucket = bucket;
        Prefix = prefix;
        Location = $"s3://{bucket}/{prefix}";
    }

    public string Bucket { get; }

    /// <summary>Empty, or a key prefix ending in '/'.</summary>
    public string Prefix { get; }

    public string Location { get; }

    /// <summary>Builds the SDK configuration this store uses; exposed so tests can add an HTTP recorder to it.</summary>
    public static AmazonS3Config CreateConfig(S3ArtifactStoreOptions options)
    {
        var resolved = options.WithEnvironmentDefaults();
        var config = new AmazonS3Config
        {
            ForcePathStyle = resolved.ForcePathStyle ?? false,

            // Flexible checksums use aws-chunked trailers that many S3-compatible servers reject; we verify
            // BLAKE2b digests ourselves, so ask for checksums only where the service requires them.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            MaxErrorRetry = 3,
        };
        if (resolved.ServiceUrl is { } url)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                throw new ArgumentException($"S3 endpoint '{url}' is not an absolute http:// or https:// URL.", nameof(options));
            }

            config.ServiceURL = url;
            config.AuthenticationRegion = resolved.Region ?? "us-east-1";
        }
        else
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(resolved.Region ?? "us-east-1");
        }

        return config;
    }

    public static IAmazonS3 CreateClient(S3ArtifactStoreOptions options, AmazonS3Config? config = null)
    {
        var resolved = options.WithEnvironmentDefaults();
        config ??= CreateConfig(resolved);
        if (string.IsNullOrWhiteSpace(resolved.AccessKey) || string.IsNullOrWhiteSpace(resolved.SecretKey))
        {
            throw new ArgumentException("S3 credentials are missing: set an access key and secret in the options or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.", nameof(options));
        }

        return new AmazonS3Client(new BasicAWSCredentials(resolved.AccessKey, resolved.SecretKey), config);
    }

    public async Task PutAsync(string key, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken = default)
    {
        var objectKey = ObjectKey(key);
        using var body = new MemoryStream(bytes.ToArray(), writable: false);
        var request = new PutObjectRequest
        {
            BucketName = Bucket,
            Key = objectKey,
            InputStream = body,
            AutoCloseStream = false,
            UseChunkEncoding = false,
        };
        await Call(key, () => _client.PutObjectAsync(request, cancellationToken)).ConfigureAwait(false);
    }

    public async Task<byte[]> GetAsync(string key, long maxBytes, ReadOnlyMemory<byte>? expectedBlake2b256 = null, CancellationToken cancellationToken = default)
    {
        var objectKey = ObjectKey(key);
        DigestCheck.CheckCap(Location, key, maxBytes);
        DigestCheck.CheckExpectedLength(expectedBlake2b256);
        var head = await Head(key, objectKey, cancellationToken).ConfigureAwait(false) ?? throw new ArtifactNotFoundException(Location, key);
        var size = head.Headers.ContentLength;
        if (size > maxBytes)
        {
            throw new ArtifactTooLargeException(Location, key, size, maxBytes);
        }

        byte[] data;
        if (size == 0)
        {
            // A range request on an empty object is unsatisfiable (416), so read it whole; it is empty by HEAD.
            data = await Download(key, new GetObjectRequest { BucketName = Bucket, Key = objectKey }, maxBytes, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var request = new GetObjectRequest { BucketName = Bucket, Key = objectKey, ByteRange = new ByteRange(0, maxBytes) };
            data = await Download(key, request, maxBytes, cancellationToken).ConfigureAwait(false);
        }

        DigestCheck.Verify(Location, key, data, expectedBlake2b256);
        return data;
    }

    public async Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default)
        => await Head(key, ObjectKey(key), cancellationToken).ConfigureAwait(false) is not null;

    public async Task<IReadOnlyList<string>> ListAsync(string prefix = "", CancellationToken cancellationToken = default)
    {
        var keys = new List<string>();
        var request = new ListObjectsV2Request { BucketName = Bucket, Prefix = Prefix + prefix };
        while (true)
        {
            var response = await Call(prefix, () => _client.ListObjectsV2Async(request, cancellationToken)).ConfigureAwait(false);
            foreach (var entry in response.S3Objects ?? [])
            {
                var key = entry.Key[Prefix.Length..];
                if (ArtifactKey.IsValid(key))
                {
                    keys.Add(key);
                }
            }

            if (response.IsTruncated != true || string.IsNullOrEmpty(response.NextContinuationToken))
            {
                break;
            }

            request.ContinuationToken = response.NextContinuationToken;
        }

        keys.Sort(StringComparer.Ordinal);
        return keys;
    }

    public async Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        var objectKey = ObjectKey(key);
        await Call(key, () => _client.DeleteObjectAsync(Bucket, objectKey, cancellationToken)).ConfigureAwait(false);
    }

    public void Dispose()
    {
        if (_ownsClient)
        {
            _client.Dispose();
        }
    }

    private string ObjectKey(string key)
    {
        ArtifactKey.Validate(key);
        return Prefix + key;
    }

    private async Task<GetObjectMetadataResponse?> Head(string key, string objectKey, CancellationToken cancellationToken)
    {
        try
        {
            return await _client.GetObjectMetadataAsync(Bucket, objectKey, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        catch (AmazonServiceException e)
        {
            throw Wrap(key, e);
        }
    }

    private async Task<byte[]> Download(string key, GetObjectRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _client.GetObjectAsync(request, cancellationToken).ConfigureAwait(false);
            return await DigestCheck.ReadBoundedAsync(response.ResponseStream, Location, key, maxBytes, response.Headers.ContentLength, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            throw new ArtifactNotFoundException(Location, key);
        }
        catch (AmazonServiceException e)
        {
            throw Wrap(key, e);
        }
    }

    private async Task<T> Call<T>(string key, Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (AmazonServiceException e)
        {
            throw Wrap(key, e);
        }
    }

    private ArtifactStoreException Wrap(string key, AmazonServiceException e)
    {
        var status = e.StatusCode == 0 ? "no HTTP status" : $"HTTP {(int)e.StatusCode}";
        return new ArtifactStoreException($"S3 request for '{key}' in {Location} failed ({status}, {e.ErrorCode ?? "no error code"}): {e.Message}", e);
    }
}
