namespace Agora.Model;

/// <summary>One contiguous float[] holding every tensor of a <see cref="ParameterLayout"/>, with named views.</summary>
public sealed class FlatBuffer
{
    public FlatBuffer(ParameterLayout layout)
    {
        Layout = layout;
        Data = new float[layout.TotalLength];
    }

    public ParameterLayout Layout { get; }

    /// <summary>All tensors back to back, in <see cref="ParameterLayout.Tensors"/> order.</summary>
    public float[] Data { get; }

    public Span<float> this[TensorSpec tensor] => Data.AsSpan(tensor.Offset, tensor.Length);

    public Span<float> this[string name] => this[Layout[name]];

    public void Clear() => Array.Clear(Data);

    public void CopyFrom(FlatBuffer other)
    {
        if (other.Layout.TotalLength != Layout.TotalLength || other.Layout.Config != Layout.Config)
        {
            throw new ArgumentException("Cannot copy between buffers of different model configs.", nameof(other));
        }

        other.Data.CopyTo(Data, 0);
    }
}
