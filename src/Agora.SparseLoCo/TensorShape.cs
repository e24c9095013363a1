namespace Agora.SparseLoCo;

/// <summary>One named parameter tensor: its name and shape (rank 1 or 2), as the model config defines it.</summary>
public sealed record TensorShape
{
    public TensorShape(string name, params int[] shape)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (shape is null || shape.Length is < 1 or > 2)
        {
            throw new ArgumentException($"Tensor '{name}' must have rank 1 or 2; SparseLoCo chunks vectors and matrices only.", nameof(shape));
        }

        foreach (var dim in shape)
        {
            if (dim < 1)
            {
                throw new ArgumentException($"Tensor '{name}' has a dimension of {dim}; every dimension must be at least 1.", nameof(shape));
            }
        }

        Name = name;
        Shape = (int[])shape.Clone();
    }

    public string Name { get; }

    public int[] Shape { get; }

    public int Rank => Shape.Length;

    public long ElementCount => Shape.Length == 1 ? Shape[0] : (long)Shape[0] * Shape[1];

    public bool Equals(TensorShape? other) => other is not null && Name == other.Name && Shape.AsSpan().SequenceEqual(other.Shape);

    public override int GetHashCode() => HashCode.Combine(Name, Shape.Length, Shape[0], Shape.Length > 1 ? Shape[1] : 0);

    public override string ToString() => $"{Name}[{string.Join('x', Shape)}]";
}
