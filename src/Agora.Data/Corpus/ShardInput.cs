namespace Agora.Data;

/// <summary>The tokens of one llm.c shard given as input.</summary>
public sealed record ShardInput(string Path, int[] Tokens);
