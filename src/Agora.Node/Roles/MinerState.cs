using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Agora.Node.Roles;

/// <summary>
/// What a miner needs to resume after a restart: θ, its error-feedback buffer, the inner AdamW moments and step counters,
/// the next window to aggregate, the last window it trained, the commitment it has not yet confirmed as published, and
/// the θ snapshot it keeps while windows it aggregated without the validator's selection are unconfirmed.
/// File layout (little-endian): "AGMS" ‖ version u8 (2) ‖ next aggregate u64 ‖ trained window + 1 u64 (0 = none) ‖
/// bytes uploaded u64 ‖ P u32 ‖ trainer step u64 ‖ optimizer step u32 ‖ θ ‖ e ‖ m ‖ v (f32 × P each) ‖
/// pending commitment length u16 (0 = none) ‖ its bytes ‖ repair window + 1 u64 (0 = none) ‖ when present: θ snapshot
/// f32 × P ‖ window count u32 ‖ per window: window u64 ‖ count u32 ‖ per payload: uid u32 ‖ digest (32).
/// Version 1 ends after e and has no moments, steps, pending commitment or repair; it still loads, with those zero.
/// Written to a temporary file, flushed to disk and renamed over the old one, so a crash leaves either file whole.
/// </summary>
public sealed class MinerState
{
    public const byte Version = 2;

    private const int HeaderBytes = 33;
    private const int MaxPayloadsPerWindow = 65_536;

    public MinerState(float[] theta, float[] error)
        : this(theta, error, new float[theta.Length], new float[theta.Length])
    {
    }

    public MinerState(float[] theta, float[] error, float[] firstMoment, float[] secondMoment)
    {
        ArgumentNullException.ThrowIfNull(theta);
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(firstMoment);
        ArgumentNullException.ThrowIfNull(secondMoment);
        if (error.Length != theta.Length || firstMoment.Length != theta.Length || secondMoment.Length != theta.Length)
        {
            throw new ArgumentException($"θ has {theta.Length} elements but e, m and v have {error.Length}, {firstMoment.Length} and {secondMoment.Length}.");
        }

        Theta = theta;
        Error = error;
        FirstMoment = firstMoment;
        SecondMoment = secondMoment;
    }

    public float[] Theta { get; } // (P)

    public float[] Error { get; } // (P)

    /// <summary>The inner AdamW first moment m. // (P)</summary>
    public float[] FirstMoment { get; } // (P)

    /// <summary>The inner AdamW second moment v. // (P)</summary>
    public float[] SecondMoment { get; } // (P)

    /// <summary>Inner steps the trainer has taken (drives the learning-rate schedule and batch order).</summary>
    public long TrainerStep { get; set; }

    /// <summary>AdamW's step count (bias correction).</summary>
    public int OptimizerStep { get; set; }

    public ulong NextAggregate { get; set; }

    public ulong? TrainedWindow { get; set; }

    public ulong BytesUploaded { get; set; }

    /// <summary>The encoded commitment of <see cref="TrainedWindow"/> while it is not known to be published.</summary>
    public byte[]? PendingCommitment { get; set; }

    /// <summary>Set while windows aggregated without the lead validator's selection await confirmation.</summary>
    public MinerRepair? Repair { get; set; }

    public void Save(string path)
    {
        var p = Theta.Length;
        var pending = PendingCommitment ?? [];
        if (pending.Length > ushort.MaxValue)
        {
            throw new InvalidOperationException($"A pending commitment of {pending.Length} bytes does not fit the miner state.");
        }

        if (Repair is { } r && (r.Theta.Length != p || r.Windows.Any(u => u.Payloads.Any(x => x.Digest.Length != 32))))
        {
            throw new InvalidOperationException($"The repair snapshot needs {p} elements and 32-byte digests.");
        }

        // Streamed straight to the temporary file: no second copy of the (4 or 5)·P floats in memory.
        AtomicFile.Write(path, file =>
        {
            using var w = new BinaryWriter(file, System.Text.Encoding.UTF8, leaveOpen: true);
            w.Write("AGMS"u8);
            w.Write(Version);
            w.Write(NextAggregate);
            w.Write(TrainedWindow is { } t ? t + 1 : 0UL);
            w.Write(BytesUploaded);
            w.Write((uint)p);
            w.Write((ulong)TrainerStep);
            w.Write((uint)OptimizerStep);
            foreach (var vector in new[] { Theta, Error, FirstMoment, SecondMoment })
            {
                WriteVector(w, vector);
            }

            w.Write((ushort)pending.Length);
            w.Write(pending);
            if (Repair is not { } repair)
            {
                w.Write(0UL);
            }
            else
            {
                w.Write(repair.Window + 1);
                WriteVector(w, repair.Theta);
                w.Write((uint)repair.Windows.Count);
                foreach (var used in repair.Windows)
                {
                    w.Write(used.Window);
                    w.Write((uint)used.Payloads.Count);
                    foreach (var payload in used.Payloads)
                    {
                        w.Write(payload.Uid);
                        w.Write(payload.Digest);
                    }
                }
            }

            w.Flush();
        });
    }

    private static void WriteVector(BinaryWriter w, float[] values)
    {
        if (BitConverter.IsLittleEndian)
        {
            w.Write(MemoryMarshal.AsBytes(values.AsSpan()));
        }
        else
        {
            w.Write(Publication.EncodeVector(values));
        }
    }

    /// <summary>
    /// Loads the state saved at <paramref name="path"/>, or null when there is none. A leftover temporary file from a
    /// crash mid-write is ignored (the rename never happened, so the previous state is whole). Throws
    /// <see cref="InvalidDataException"/> naming the file and the problem when it is not a whole state for this model.
    /// </summary>
    public static MinerState? TryLoad(string path, int parameterCount)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        var bytes = File.ReadAllBytes(path);
        InvalidDataException Bad(string problem) => new($"{path}: {problem}; delete it to start the miner over.");
        if (bytes.Length < 5 || !bytes.AsSpan(0, 4).SequenceEqual("AGMS"u8))
        {
            throw Bad("not a miner state (no 'AGMS' magic)");
        }

        var version = bytes[4];
        if (version is not (1 or Version))
        {
            throw Bad($"miner state format version {version} is unknown (this build reads versions 1 and {Version})");
        }

        if (bytes.Length < HeaderBytes)
        {
            throw Bad($"truncated: {bytes.Length} bytes, shorter than the {HeaderBytes}-byte header");
        }

        var count = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(29));
        if (count != (uint)parameterCount)
        {
            throw Bad($"holds a state for a model of {count} parameters, this model has {parameterCount}");
        }

        var p = parameterCount;
        var reader = new Reader(bytes, HeaderBytes, Bad);
        long trainerStep = 0;
        var optimizerStep = 0;
        if (version >= 2)
        {
            trainerStep = (long)reader.U64();
            optimizerStep = (int)reader.U32();
            if (trainerStep < 0 || optimizerStep < 0)
            {
                throw Bad($"step counters {trainerStep} and {optimizerStep} are out of range");
            }
        }

        var theta = reader.Vector(p);
        var error = reader.Vector(p);
        var state = version >= 2 ? new MinerState(theta, error, reader.Vector(p), reader.Vector(p)) : new MinerState(theta, error);
        state.TrainerStep = trainerStep;
        state.OptimizerStep = optimizerStep;
        state.NextAggregate = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(5));
        var trained = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(13));
        state.TrainedWindow = trained == 0 ? null : trained - 1;
        state.BytesUploaded = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(21));
        if (version >= 2)
        {
            var pending = reader.Bytes(reader.U16());
            state.PendingCommitment = pending.Length == 0 ? null : pending;
            var repairWindow = reader.U64();
            if (repairWindow != 0)
            {
                var repair = new MinerRepair(repairWindow - 1, reader.Vector(p));
                var windows = reader.U32();
                for (var i = 0u; i < windows; i++)
                {
                    var window = reader.U64();
                    var n = reader.U32();
                    if (n > MaxPayloadsPerWindow)
                    {
                        throw Bad($"a repair window lists {n} payloads, more than {MaxPayloadsPerWindow}");
                    }

                    var payloads = new List<UsedPayload>();
                    for (var j = 0u; j < n; j++)
                    {
                        payloads.Add(new UsedPayload(reader.U32(), reader.Bytes(32)));
                    }

                    repair.Windows.Add(new UsedWindow(window, payloads));
                }

                state.Repair = repair;
            }
        }

        if (reader.Position != bytes.Length)
        {
            throw Bad($"{bytes.Length - reader.Position} trailing bytes after the version-{version} state");
        }

        return state;
    }

    /// <summary>Bounds-checked little-endian reads; running out of bytes is reported as a truncated file.</summary>
    private sealed class Reader(byte[] bytes, int position, Func<string, InvalidDataException> bad)
    {
        public int Position { get; private set; } = position;

        public ulong U64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));

        public uint U32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));

        public ushort U16() => BinaryPrimitives.ReadUInt16LittleEndian(Take(2));

        public byte[] Bytes(int n) => Take(n).ToArray();

        public float[] Vector(int n) => Publication.DecodeVector(Take(4 * n).ToArray(), n);

        private ReadOnlySpan<byte> Take(int n)
        {
            if (bytes.Length - Position < n)
            {
                throw bad($"truncated: {bytes.Length} bytes, the state needs at least {(long)Position + n}");
            }

            var span = bytes.AsSpan(Position, n);
            Position += n;
            return span;
        }
    }
}

/// <summary>
/// θ at the start of the first window a miner aggregated without the lead validator's selection (a fallback), and for
/// that window and every one after it the payloads it actually aggregated, so that once the validator's selections are
/// published the miner can check them and, where they differ, replay the validator's aggregates from the snapshot.
/// </summary>
public sealed class MinerRepair(ulong window, float[] theta)
{
    /// <summary>The first unconfirmed window; <see cref="Theta"/> is θ at its start.</summary>
    public ulong Window { get; } = window;

    public float[] Theta { get; } = theta; // (P)

    /// <summary>One entry per window from <see cref="Window"/> on, in window order.</summary>
    public List<UsedWindow> Windows { get; } = [];
}

/// <summary>The payloads a miner aggregated for <paramref name="Window"/>, in UID order (empty: it applied nothing).</summary>
public sealed record UsedWindow(ulong Window, IReadOnlyList<UsedPayload> Payloads);

/// <summary>One payload by UID and committed digest.</summary>
public sealed record UsedPayload(uint Uid, byte[] Digest);
