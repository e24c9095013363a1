namespace Agora.SparseLoCo.Wire;

/// <summary>What a receiver expects of a payload: the model's tensor layout and config hash, the codec settings (which fix
/// k per chunk), and optionally the window and UID it was fetched for. <see cref="MaxBytes"/> is the size cap; by default the
/// exact size every valid payload for this layout has.</summary>
public sealed record PayloadExpectation
{
    public PayloadExpectation(TensorLayout layout, ReadOnlySpan<byte> configHash, CodecSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(layout);
        if (configHash.Length != PayloadFormat.ConfigHashSize)
        {
            throw new ArgumentException($"A model-config hash is {PayloadFormat.ConfigHashSize} bytes, got {configHash.Length}.", nameof(configHash));
        }

        Layout = layout;
        ConfigHash = configHash.ToArray();
        Settings = settings ?? CodecSettings.Default;
        Settings.Validate();
        ExactSize = PayloadFormat.SizeOf(layout, Settings);
        MaxBytes = ExactSize;
    }

    public TensorLayout Layout { get; }

    public byte[] ConfigHash { get; }

    public CodecSettings Settings { get; }

    /// <summary>The size in bytes of every valid payload for this layout and settings.</summary>
    public long ExactSize { get; }

    /// <summary>Longer inputs are rejected as <see cref="PayloadError.Oversized"/> before any parsing. A transport that
    /// enforces a rounder cap may raise it; bytes past the signature are then <see cref="PayloadError.TrailingBytes"/>.</summary>
    public long MaxBytes { get; init; }

    public ulong? Window { get; init; }

    public uint? Uid { get; init; }
}
