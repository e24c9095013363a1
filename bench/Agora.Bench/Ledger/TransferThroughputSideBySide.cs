using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Agora.Core.Crypto;
using Agora.Ledger.App;
using Agora.Ledger.Blocks;
using Agora.Ledger.Primitives;
using Agora.Ledger.State;
using Agora.Ledger.Storage;
using Agora.Ledger.Transactions;

namespace Agora.Bench.Ledger;

/// <summary>
/// `side-by-side transfers [--count 2000] [--block-size 500] [--reps 3]`: on one thread, times (1) raw Ed25519 verification of
/// <c>count</c> distinct transfer-sized messages under distinct keys, and (2) the node's block path for <c>count</c>
/// signed transfers: CheckTx each (mempool admission), FinalizeBlock, LedgerStore.AppendBlock into a real SQLite file
/// (WAL, synchronous=FULL), Commit — the same sequence as LedgerNode.ProduceBlock. Prints one JSON line per rate and
/// their ratio (transfers committed per second / raw verifications per second). Each side is the best of
/// <c>reps</c> timed passes after an untimed warm-up, since tiered JIT and a shared machine make the first passes slow.
/// </summary>
public static class TransferThroughputSideBySide
{
    private const string ChainId = "bench";
    private const ulong Fee = 1;
    private const ulong ValidUntil = ulong.MaxValue;
    private const ulong Amount = 1_000;
    private const ulong Funding = 1_000_000;

    public static int Run(string[] args)
    {
        var count = 2_000;
        var blockSize = 500;
        var reps = 3;
        var breakdown = false;
        for (var i = 0; i < args.Length; i += 2)
        {
            if (i + 1 >= args.Length || !int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value <= 0)
            {
                Console.Error.WriteLine($"option {args[i]} needs a positive integer value");
                return 2;
            }

            switch (args[i])
            {
                case "--count":
                    count = value;
                    break;
                case "--block-size":
                    blockSize = value;
                    break;
                case "--reps":
                    reps = value;
                    break;
                case "--breakdown":
                    breakdown = value != 0;
                    break;
                default:
                    Console.Error.WriteLine($"unknown option {args[i]}; expected --count, --block-size, --reps or --breakdown");
                    return 2;
            }
        }

        if (blockSize > Block.MaxTransactions)
        {
            Console.Error.WriteLine($"--block-size {blockSize} exceeds the block limit of {Block.MaxTransactions} transactions");
            return 2;
        }

        var rawPerSecond = MeasureRawVerify(count, reps);
        var ledger = MeasureLedger(count, blockSize);
        for (var rep = 1; rep < reps; rep++)
        {
            var times = MeasureLedger(count, blockSize);
            if (times.Total < ledger.Total)
            {
                ledger = times;
            }
        }

        var transfersPerSecond = count / ledger.Total.TotalSeconds;

        using var stdout = Console.OpenStandardOutput();
        WriteLine(stdout, w =>
        {
            w.WriteString("bench", "ed25519_verify");
            w.WriteNumber("count", count);
            w.WriteNumber("reps", reps);
            w.WriteNumber("per_s", Math.Round(rawPerSecond, 1));
        });
        WriteLine(stdout, w =>
        {
            w.WriteString("bench", "transfers_committed");
            w.WriteNumber("count", count);
            w.WriteNumber("block_size", blockSize);
            w.WriteNumber("reps", reps);
            w.WriteNumber("per_s", Math.Round(transfersPerSecond, 1));

            // Where the time goes, so a low ratio points at its cause.
            w.WriteNumber("check_tx_ms", Math.Round(ledger.CheckTx.TotalMilliseconds, 1));
            w.WriteNumber("finalize_ms", Math.Round(ledger.Finalize.TotalMilliseconds, 1));
            w.WriteNumber("append_ms", Math.Round(ledger.Append.TotalMilliseconds, 1));
            w.WriteNumber("commit_ms", Math.Round(ledger.Commit.TotalMilliseconds, 1));
        });
        WriteLine(stdout, w => w.WriteNumber("ratio", Math.Round(transfersPerSecond / rawPerSecond, 4)));
        if (breakdown)
        {
            WriteLine(stdout, w => WriteBreakdown(w, count, blockSize, rawPerSecond, ledger));
        }

        return 0;
    }

    private static double MeasureRawVerify(int count, int reps)
    {
        // Distinct keys and messages, so nothing can be cached between verifications; the messages are the exact
        // signing messages of transfers, so the size matches what the ledger verifies.
        var keys = Enumerable.Range(0, count).Select(i => Key("raw", i)).ToArray();
        var publicKeys = new byte[count][];
        var messages = new byte[count][];
        var signatures = new byte[count][];
        for (var i = 0; i < count; i++)
        {
            var tx = new Transaction(new AccountId(keys[i].PublicKey), 0, new TransferBody(new AccountId(keys[(i + 1) % count].PublicKey), Amount), Fee, ValidUntil);
            publicKeys[i] = keys[i].PublicKey;
            messages[i] = Transaction.SigningMessage(ChainId, default, tx.ToBytes());
            signatures[i] = keys[i].Sign(messages[i]);
        }

        var best = TimeSpan.MaxValue;
        for (var rep = -1; rep < reps; rep++)
        {
            var watch = Stopwatch.StartNew();
            var ok = 0;
            for (var i = 0; i < count; i++)
            {
                ok += Ed25519.Verify(publicKeys[i], messages[i], signatures[i]) ? 1 : 0;
            }

            var elapsed = watch.Elapsed;
            Check(ok == count, $"{count - ok} of {count} raw signatures did not verify");
            if (rep >= 0 && elapsed < best)
            {
                best = elapsed;
            }
        }

        return count / best.TotalSeconds;
    }

    private static LedgerTimes MeasureLedger(int count, int blockSize)
    {
        // One untimed warm-up block first (JIT, SQLite schema and page cache), then count timed transfers.
        var warmup = Math.Min(blockSize, count);
        var senders = Enumerable.Range(0, warmup + count).Select(i => Key("sender", i)).ToArray();
        var accounts = senders.Select(k => new AccountId(k.PublicKey)).ToArray();
        var producer = new AccountId(Key("producer", 0).PublicKey);
        var app = LedgerApp.FromGenesis(new GenesisConfig
        {
            ChainId = ChainId,
            GenesisTimestamp = 1_700_000_000_000,
            Balances = accounts.Select(a => (a, Funding)).ToArray(),
            Params = new GlobalParameters { MinTxFee = Fee },
        });
        var genesisHash = app.GenesisHash;

        // Each sender pays the next one, nonce 0: every transfer is valid and touches two accounts.
        var txs = new byte[senders.Length][];
        for (var i = 0; i < senders.Length; i++)
        {
            var to = accounts[(i + 1) % accounts.Length];
            txs[i] = new Transaction(accounts[i], 0, new TransferBody(to, Amount), Fee, ValidUntil).Sign(senders[i], ChainId, genesisHash).ToBytes();
        }

        var dir = Path.Combine(Path.GetTempPath(), $"agora-bench-transfers-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            using var store = LedgerStore.Open(Path.Combine(dir, "ledger.db"));
            var times = new LedgerTimes();
            RunBlocks(app, store, txs.AsSpan(0, warmup), blockSize, new LedgerTimes());
            RunBlocks(app, store, txs.AsSpan(warmup), blockSize, times);
            return times;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static void RunBlocks(LedgerApp app, LedgerStore store, ReadOnlySpan<byte[]> txs, int blockSize, LedgerTimes times)
    {
        var watch = new Stopwatch();
        for (var start = 0; start < txs.Length; start += blockSize)
        {
            var block = txs.Slice(start, Math.Min(blockSize, txs.Length - start)).ToArray();

            watch.Restart();
            foreach (var tx in block)
            {
                var check = app.CheckTx(tx);
                Check(check.Accepted, $"CheckTx rejected a transfer: {check.Code} {check.Message}");
            }

            times.CheckTx += watch.Elapsed;

            watch.Restart();
            var header = new BlockHeader(app.Height + 1, app.LastBlockHash, app.LastTimestamp + 1_000, AccountId.Zero);
            var result = app.FinalizeBlock(header, block);
            times.Finalize += watch.Elapsed;

            watch.Restart();
            store.AppendBlock(result);
            times.Append += watch.Elapsed;

            watch.Restart();
            app.Commit();
            times.Commit += watch.Elapsed;

            foreach (var receipt in result.Receipts)
            {
                Check(receipt.Success, $"transfer {receipt.Index} in block {header.Height} failed: {receipt.Code} {receipt.Message}");
            }
        }
    }

    /// <summary>
    /// Times the pieces of the ledger path that can be called from outside (decode, transaction id hash, signing
    /// message, signature check, state root of the committed state) on the same kind of transfers, per transaction
    /// (µs) or per block (ms), so the remainder of CheckTx/FinalizeBlock is execution and state-copy overhead.
    /// </summary>
    private static GenesisConfig BreakdownConfig(AccountId[] accounts) => new() { ChainId = ChainId, Balances = accounts.Select(a => (a, Funding)).ToArray(), Params = new GlobalParameters { MinTxFee = Fee } };

    private static void WriteBreakdown(Utf8JsonWriter w, int count, int blockSize, double rawPerSecond, LedgerTimes ledger)
    {
        var keys = Enumerable.Range(0, count).Select(i => Key("breakdown", i)).ToArray();
        var accounts = keys.Select(k => new AccountId(k.PublicKey)).ToArray();
        var app = LedgerApp.FromGenesis(BreakdownConfig(accounts));
        var txs = keys.Select((k, i) => new Transaction(accounts[i], 0, new TransferBody(accounts[(i + 1) % count], Amount), Fee, ValidUntil).Sign(k, ChainId, app.GenesisHash).ToBytes()).ToArray();

        double PerTx(Action<byte[]> step)
        {
            foreach (var tx in txs.Take(100))
            {
                step(tx);
            }

            var watch = Stopwatch.StartNew();
            foreach (var tx in txs)
            {
                step(tx);
            }

            return watch.Elapsed.TotalMicroseconds / count;
        }

        var decodeUs = PerTx(tx => SignedTransaction.Decode(tx));
        var idUs = PerTx(tx => Hash256.Of(tx));
        var decoded = txs.Select(tx => SignedTransaction.Decode(tx)).ToArray();
        var index = 0;
        var messageUs = PerTx(_ => Transaction.SigningMessage(ChainId, app.GenesisHash, decoded[index++ % count].Tx.ToBytes()));
        index = 0;
        var verifyUs = PerTx(_ => Check(decoded[index++ % count].VerifySignature(ChainId, app.GenesisHash), "breakdown signature did not verify"));
        var rootWatch = Stopwatch.StartNew();
        for (var i = 0; i < 10; i++)
        {
            StateCodec.Root(app.State);
        }

        var rootMs = rootWatch.Elapsed.TotalMilliseconds / 10;
        var blocks = (count + blockSize - 1) / blockSize;
        var rawUs = 1e6 / rawPerSecond;

        w.WriteString("bench", "transfers_breakdown");
        w.WriteNumber("raw_verify_us", Math.Round(rawUs, 2));
        w.WriteNumber("check_tx_us_per_tx", Math.Round(ledger.CheckTx.TotalMicroseconds / count, 2));
        w.WriteNumber("finalize_us_per_tx", Math.Round(ledger.Finalize.TotalMicroseconds / count, 2));
        w.WriteNumber("append_ms_per_block", Math.Round(ledger.Append.TotalMilliseconds / blocks, 2));
        w.WriteNumber("decode_us", Math.Round(decodeUs, 2));
        w.WriteNumber("tx_id_hash_us", Math.Round(idUs, 2));
        w.WriteNumber("signing_message_us", Math.Round(messageUs, 2));
        w.WriteNumber("verify_signature_us", Math.Round(verifyUs, 2));
        w.WriteNumber("state_root_ms", Math.Round(rootMs, 3));
        w.WriteNumber("accounts", count);

        // Both CheckTx and FinalizeBlock verify every signature, so two raw verifications per committed transfer.
        w.WriteNumber("signature_share", Math.Round(2 * count * rawUs / ledger.Total.TotalMicroseconds, 3));
    }

    private static Ed25519KeyPair Key(string role, int index)
    {
        var seed = Blake2b.Hash(System.Text.Encoding.UTF8.GetBytes($"agora-bench-{role}-{index}"), Ed25519KeyPair.SeedSize);
        return Ed25519KeyPair.FromSeed(seed);
    }

    private static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException(message);
        }
    }

    private static void WriteLine(Stream stdout, Action<Utf8JsonWriter> body)
    {
        using (var writer = new Utf8JsonWriter(stdout))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        stdout.WriteByte((byte)'\n');
    }

    private sealed class LedgerTimes
    {
        public TimeSpan CheckTx { get; set; }
        public TimeSpan Finalize { get; set; }
        public TimeSpan Append { get; set; }
        public TimeSpan Commit { get; set; }
        public TimeSpan Total => CheckTx + Finalize + Append + Commit;
    }
}
