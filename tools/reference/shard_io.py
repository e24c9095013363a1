"""llm.c token shards: 256 little-endian int32 header values (magic 20240520, version 1 = uint16 tokens or
2 = uint32 tokens, token count, the rest zero), then the tokens, little-endian."""

import numpy as np

MAGIC = 20240520


def write(path, tokens):
    tokens = np.asarray(tokens, dtype=np.int64).ravel()
    version = 1 if tokens.size == 0 or tokens.max() < 65536 else 2
    header = np.zeros(256, dtype="<i4")
    header[0], header[1], header[2] = MAGIC, version, tokens.size
    with open(path, "wb") as f:
        f.write(header.tobytes())
        f.write(tokens.astype("<u2" if version == 1 else "<u4").tobytes())


def read(path):
    with open(path, "rb") as f:
        data = f.read()
    header = np.frombuffer(data[:1024], dtype="<i4")
    if len(header) != 256 or header[0] != MAGIC:
        raise ValueError(f"{path}: not an llm.c token shard (bad magic)")
    version, count = int(header[1]), int(header[2])
    if version not in (1, 2):
        raise ValueError(f"{path}: unsupported shard version {version}")
    width = 2 if version == 1 else 4
    if len(data) != 1024 + count * width:
        raise ValueError(f"{path}: header says {count} tokens but the file has {len(data)} bytes")
    return np.frombuffer(data[1024:], dtype="<u2" if version == 1 else "<u4").astype(np.int64)
