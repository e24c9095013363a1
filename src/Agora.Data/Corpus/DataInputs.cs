namespace Agora.Data;

/// <summary>What --data paths held: text documents to tokenize, and already-tokenized shards.</summary>
public sealed record DataInputs(IReadOnlyList<TextDocument> Documents, IReadOnlyList<ShardInput> Shards);
