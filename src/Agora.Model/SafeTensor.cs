namespace Agora.Model;

/// <summary>One F32 tensor of a safetensors file: its name, shape and row-major data.</summary>
public sealed record SafeTensor(string Name, int[] Shape, float[] Data)
{
    public string ShapeText => "[" + string.Join(", ", Shape) + "]";
}
