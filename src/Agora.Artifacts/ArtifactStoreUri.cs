namespace Agora.Artifacts;

/// <summary>
/// Opens a store from a URI: <c>file://DIR</c> (absolute <c>file:///srv/a</c> or relative <c>file://./a</c>) or
/// <c>s3://bucket[/prefix]</c>. Errors say which part is wrong and what a valid URI looks like.
/// </summary>
public static class ArtifactStoreUri
{
    private const string Usage = "use file://DIR (e.g. file:///var/agora/artifacts) or s3://BUCKET[/PREFIX]";

    public static IArtifactStore Open(string uri, S3ArtifactStoreOptions? s3Options = null)
    {
        var parsed = Parse(uri);
        return parsed.Scheme switch
        {
            "file" => new FileArtifactStore(parsed.Path),
            _ => new S3ArtifactStore(parsed.Bucket!, parsed.Path, s3Options ?? new S3ArtifactStoreOptions()),
        };
    }

    /// <summary>Splits the URI without touching the file system or the network.</summary>
    public static ParsedArtifactStoreUri Parse(string uri)
    {
        if (string.IsNullOrWhiteSpace(uri))
        {
            throw new FormatException($"The artifact store URI is empty; {Usage}.");
        }

        var schemeEnd = uri.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd <= 0)
        {
            throw new FormatException($"Artifact store URI '{uri}' has no scheme; {Usage}.");
        }

        var scheme = uri[..schemeEnd].ToLowerInvariant();
        var rest = uri[(schemeEnd + 3)..];
        switch (scheme)
        {
            case "file":
                if (rest.Length == 0)
                {
                    throw new FormatException($"Artifact store URI '{uri}' names no directory; {Usage}.");
                }

                if (rest.Contains('\0', StringComparison.Ordinal))
                {
                    throw new FormatException($"Artifact store URI '{uri}' contains a NUL character.");
                }

                return new ParsedArtifactStoreUri("file", null, Uri.UnescapeDataString(rest));
            case "s3":
                var slash = rest.IndexOf('/', StringComparison.Ordinal);
                var bucket = slash < 0 ? rest : rest[..slash];
                var prefix = slash < 0 ? "" : rest[(slash + 1)..].TrimEnd('/');
                try
                {
                    ValidateBucket(bucket);
                }
                catch (ArgumentException e)
                {
                    throw new FormatException($"Artifact store URI '{uri}': {e.Message}", e);
                }

                if (prefix.Length > 0 && !ArtifactKey.IsValid(prefix))
                {
                    throw new FormatException($"Artifact store URI '{uri}' has an invalid prefix '{prefix}' (segments of A-Z a-z 0-9 . _ - not starting with '.').");
                }

                return new ParsedArtifactStoreUri("s3", bucket, prefix);
            default:
                throw new FormatException($"Artifact store URI '{uri}' has unsupported scheme '{scheme}'; {Usage}.");
        }
    }

    /// <summary>S3 bucket naming rules: 3-63 characters of a-z 0-9 . -, starting and ending with a letter or digit.</summary>
    public static void ValidateBucket(string bucket)
    {
        if (bucket.Length is < 3 or > 63)
        {
            throw new ArgumentException($"bucket name '{bucket}' must be 3 to 63 characters long.", nameof(bucket));
        }

        foreach (var c in bucket)
        {
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '-'))
            {
                throw new ArgumentException($"bucket name '{bucket}' may contain only a-z, 0-9, '.' and '-'.", nameof(bucket));
            }
        }

        if (!char.IsAsciiLetterOrDigit(bucket[0]) || !char.IsAsciiLetterOrDigit(bucket[^1]))
        {
            throw new ArgumentException($"bucket name '{bucket}' must start and end with a letter or digit.", nameof(bucket));
        }
    }
}

/// <summary>A parsed store URI: scheme "file" with a directory path, or "s3" with a bucket and a key prefix (no trailing '/').</summary>
public sealed record ParsedArtifactStoreUri(string Scheme, string? Bucket, string Path);
