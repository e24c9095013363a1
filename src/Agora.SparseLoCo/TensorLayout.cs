namespace Agora.SparseLoCo;

/// <summary>The model's parameters as one flat fp32 buffer (llm.c layout): the tensors in order, each at an offset,
/// with no gaps. The codec and the aggregator work on this description only, so they do not depend on the model code.</summary>
public sealed class TensorLayout
{
    private readonly TensorShape[] _tensors;
    private readonly long[] _offsets;

    public TensorLayout(IEnumerable<TensorShape> tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        _tensors = tensors.ToArray();
        if (_tensors.Length == 0)
        {
            throw new ArgumentException("A parameter layout needs at least one tensor.", nameof(tensors));
        }

        if (_tensors.Length > ushort.MaxValue)
        {
            throw new ArgumentException($"A parameter layout holds at most {ushort.MaxValue} tensors, got {_tensors.Length}.", nameof(tensors));
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        _offsets = new long[_tensors.Length];
        long offset = 0;
        for (var i = 0; i < _tensors.Length; i++)
        {
            if (!names.Add(_tensors[i].Name))
            {
                throw new ArgumentException($"Tensor name '{_tensors[i].Name}' appears twice in the layout.", nameof(tensors));
            }

            _offsets[i] = offset;
            offset += _tensors[i].ElementCount;
        }

        if (offset > int.MaxValue)
        {
            throw new ArgumentException($"The layout has {offset} parameters; a flat buffer holds at most {int.MaxValue}.", nameof(tensors));
        }

        TotalElements = (int)offset;
        Grids = _tensors.Select(ChunkGrid.For).ToArray();
    }

    /// <summary>The codec's view of a model's parameter buffer. The model's tensors are contiguous and in buffer order;
    /// this is checked, since the codec addresses tensors by offset.</summary>
    public static TensorLayout FromModel(Agora.Model.ParameterLayout model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var layout = new TensorLayout(model.Tensors.Select(t => new TensorShape(t.Name, t.Shape)));
        for (var i = 0; i < layout.Count; i++)
        {
            if (model.Tensors[i].Offset != layout.OffsetOf(i))
            {
                throw new ArgumentException($"Model tensor {model.Tensors[i].Name} sits at offset {model.Tensors[i].Offset}; a gap-free layout puts it at {layout.OffsetOf(i)}.", nameof(model));
            }
        }

        return layout;
    }

    public IReadOnlyList<TensorShape> Tensors => _tensors;

    /// <summary>The chunk geometry of each tensor, in layout order.</summary>
    public IReadOnlyList<ChunkGrid> Grids { get; }

    public int Count => _tensors.Length;

    public int TotalElements { get; }

    /// <summary>Offset of tensor <paramref name="index"/> in the flat buffer.</summary>
    public int OffsetOf(int index) => (int)_offsets[index];

    /// <summary>Tensor <paramref name="index"/>'s slice of a flat buffer laid out by this layout.</summary>
    public Span<float> Slice(Span<float> flat, int index) => flat.Slice(OffsetOf(index), (int)_tensors[index].ElementCount);

    public ReadOnlySpan<float> Slice(ReadOnlySpan<float> flat, int index) => flat.Slice(OffsetOf(index), (int)_tensors[index].ElementCount);

    /// <summary>A BLAKE2b-256 fingerprint of the names and shapes, for callers that have no model-config hash of their own.</summary>
    public byte[] Fingerprint()
    {
        var hasher = new Agora.Core.Crypto.Blake2b.Hasher();
        Span<byte> word = stackalloc byte[4];
        foreach (var tensor in _tensors)
        {
            var name = System.Text.Encoding.UTF8.GetBytes(tensor.Name);
            System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(word, name.Length);
            hasher.Update(word).Update(name);
            System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(word, tensor.Rank);
            hasher.Update(word);
            foreach (var dim in tensor.Shape)
            {
                System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(word, dim);
                hasher.Update(word);
            }
        }

        return hasher.Finish();
    }

    public void RequireFlatLength(int length, string what)
    {
        if (length != TotalElements)
        {
            throw new ArgumentException($"{what} has {length} elements; the layout needs {TotalElements}.");
        }
    }
}
