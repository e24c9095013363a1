namespace Agora.SparseLoCo.Wire;

/// <summary>Who sent a payload, for which model and window.</summary>
public sealed record PayloadHeader
{
    public PayloadHeader(ReadOnlySpan<byte> configHash, ulong window, uint uid)
    {
        if (configHash.Length != PayloadFormat.ConfigHashSize)
        {
            throw new ArgumentException($"A model-config hash is {PayloadFormat.ConfigHashSize} bytes, got {configHash.Length}.", nameof(configHash));
        }

        ConfigHash = configHash.ToArray();
        Window = window;
        Uid = uid;
    }

    public byte[] ConfigHash { get; }

    public ulong Window { get; }

    public uint Uid { get; }
}
