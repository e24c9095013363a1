namespace Agora.Tensors;

/// <summary>A strided view of a matrix operand: element (row, col) lives at ptr[row · RowStride + col · ColStride].
/// Transposed layouts are the same data with the strides swapped.</summary>
internal readonly unsafe struct GemmOperand(float* ptr, long rowStride, long colStride)
{
    public float* Ptr { get; } = ptr;

    public long RowStride { get; } = rowStride;

    public long ColStride { get; } = colStride;

    public GemmOperand Offset(long row, long col) => new(Ptr + row * RowStride + col * ColStride, RowStride, ColStride);
}
