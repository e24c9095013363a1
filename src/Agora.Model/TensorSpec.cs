namespace Agora.Model;

/// <summary>One named tensor inside a flat parameter buffer: its HF name, shape and element offset.</summary>
public sealed record TensorSpec(string Name, int[] Shape, int Offset)
{
    public int Length { get; } = Shape.Aggregate(1, (a, b) => checked(a * b));

    /// <summary>True for matrices (every weight except the RMSNorm gains).</summary>
    public bool IsMatrix => Shape.Length == 2;

    public string ShapeText => "[" + string.Join(", ", Shape) + "]";
}
