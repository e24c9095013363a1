namespace Agora.Data;

/// <summary>One training document and where it came from (a file, a JSONL line, an SDK type).</summary>
public sealed record TextDocument(string Source, string Text);
