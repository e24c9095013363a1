namespace Agora.SparseLoCo.Wire;

/// <summary>Why a payload was rejected. The numeric values are persisted (validators record them) and must never change.</summary>
public enum PayloadError
{
    Truncated = 1,
    BadMagic = 2,
    UnsupportedVersion = 3,
    ReservedFieldNotZero = 4,
    Oversized = 5,
    ConfigHashMismatch = 6,
    WrongWindow = 7,
    WrongUid = 8,
    WrongTensorCount = 9,
    WrongTensorIndex = 10,
    WrongShape = 11,
    WrongChunkGeometry = 12,
    WrongCountPerChunk = 13,
    NonFiniteQuantization = 14,
    ScaleOutOfRange = 15,
    ShiftOutOfRange = 16,
    TableOutOfRange = 17,
    IndexOutOfRange = 18,
    DuplicateIndex = 19,
    IndexNotAscending = 20,
    PaddingNotZero = 21,
    DigestMismatch = 22,
    BadSignature = 23,
    TrailingBytes = 24,
}
