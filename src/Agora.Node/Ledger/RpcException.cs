namespace Agora.Node.Ledger;

/// <summary>
/// An error answered as JSON <c>{code, message}</c>. Negative codes are JSON-RPC's own (-32700 parse, -32600
/// invalid request, -32601 unknown method, -32602 bad params, -32603 internal) or the node's (-32001 not found,
/// -32005 mempool full, -32010 Host or Origin refused, -32011 not application/json, -32012 request too large,
/// -32029 too many requests, connections or streams); positive codes are the ledger's stable TxCode numbers.
/// </summary>
public sealed class RpcException(int code, string message) : Exception(message)
{
    public const int ParseError = -32700;
    public const int InvalidRequest = -32600;
    public const int MethodNotFound = -32601;
    public const int InvalidParams = -32602;
    public const int InternalError = -32603;
    public const int NotFound = -32001;
    public const int Forbidden = -32010;
    public const int UnsupportedMediaType = -32011;
    public const int RequestTooLarge = -32012;
    public const int TooManyRequests = -32029;

    public int Code { get; } = code;
}
