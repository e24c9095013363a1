namespace Agora.SparseLoCo.Codec;

/// <summary>One peer's compressed pseudo-gradient for one window: one <see cref="CompressedTensor"/> per layout tensor, in order.</summary>
public sealed class CompressedUpdate
{
    public CompressedUpdate(TensorLayout layout, IReadOnlyList<CompressedTensor> tensors)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(tensors);
        if (tensors.Count != layout.Count)
        {
            throw new ArgumentException($"The update has {tensors.Count} tensors; the layout has {layout.Count}.", nameof(tensors));
        }

        for (var i = 0; i < tensors.Count; i++)
        {
            if (tensors[i].TensorIndex != i || tensors[i].Grid != layout.Grids[i])
            {
                throw new ArgumentException($"Tensor {i} of the update does not match {layout.Tensors[i]} of the layout.", nameof(tensors));
            }
        }

        Layout = layout;
        Tensors = tensors;
    }

    public TensorLayout Layout { get; }

    public IReadOnlyList<CompressedTensor> Tensors { get; }

    public long KeptCount => Tensors.Sum(t => (long)t.KeptCount);

    /// <summary>The dense update this payload stands for (zero where nothing was sent). // (P)</summary>
    public float[] ToDense()
    {
        var dense = new float[Layout.TotalElements];
        for (var i = 0; i < Tensors.Count; i++)
        {
            Tensors[i].AccumulateInto(Layout.Slice(dense.AsSpan(), i));
        }

        return dense;
    }
}
