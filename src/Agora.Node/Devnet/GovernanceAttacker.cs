using System.Globalization;
using System.Text.Json;
using Agora.Core.Crypto;
using Agora.Ledger.Execution;
using Agora.Ledger.Primitives;
using Agora.Ledger.State;
using Agora.Ledger.Transactions;
using Agora.Node.Ledger;

namespace Agora.Node.Devnet;

/// <summary>One step of the attack: what was tried and what the ledger answered (code 0: accepted).</summary>
public sealed record AttackStep(string Coldkey, string Action, bool Accepted, int Code, string CodeName, string Message);

/// <summary>
/// The devnet's flash-locking governance attacker (`agora devnet --adversary flash-gov`). It talks to the node only
/// through <see cref="LedgerClient"/>, as a stranger would. It waits for a validator with stake on the subnet, then
/// with its first coldkey: stakes most of its TAO behind the validator's hotkey (nominating), tries a 2-block lock (the
/// ledger must refuse: a lock lasts at least one interval), locks for <see cref="ConvictionRules.MinDurationBlocks"/>,
/// proposes MinTxFee = its upper bound (with the bond), votes yes, tries to unstake (must be refused: StakeLocked) and
/// passes its free TAO to the next coldkey, which stakes, locks, votes and tries to unstake in turn, and so on. Each step
/// goes to the devnet log as one line and to <see cref="StatusFileName"/> in its state directory. Any error is recorded
/// and ends the attack; nothing escapes <see cref="RunAsync"/> but cancellation.
/// </summary>
public sealed class GovernanceAttacker(LedgerClient client, IReadOnlyList<(string Name, Ed25519KeyPair Key)> coldkeys, ushort netuid, string stateDirectory, TextWriter log)
{
    public const string StatusFileName = "flash-gov.json";

    /// <summary>TAO each coldkey keeps free of its stake for fees (and, for the proposer, on top of the bond).</summary>
    public const ulong FeeReserve = 5 * GlobalParameters.Tao;

    private readonly List<AttackStep> _steps = [];
    private ulong? _proposalId;
    private string _state = "waiting";
    private string? _error;

    public IReadOnlyList<AttackStep> Steps => _steps;

    public ulong? ProposalId => _proposalId;

    public string StatusPath => Path.Combine(stateDirectory, StatusFileName);

    /// <summary>Runs the whole attack once. Returns when it is done or has stopped on an error (recorded in the status file).</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        try
        {
            Directory.CreateDirectory(stateDirectory);
            if (File.Exists(StatusPath) && ReadStatus(StatusPath).State == "done")
            {
                // A resumed devnet: the attack ran to its end before; its record stays as it was.
                await SafeLogAsync($"flash-gov: already done (see {StatusPath})").ConfigureAwait(false);
                return;
            }

            WriteStatus();
            var hotkey = await WaitForValidatorAsync(ct).ConfigureAwait(false);
            _state = "attacking";
            await log.WriteLineAsync($"flash-gov: nominating validator hotkey {hotkey.ToAddress()} on subnet {netuid}").ConfigureAwait(false);
            for (var i = 0; i < coldkeys.Count; i++)
            {
                var (name, key) = coldkeys[i];
                var me = new AccountId(key.PublicKey);
                var balance = (await client.GetAccountAsync(me.ToAddress(), ct).ConfigureAwait(false)).Balance;
                var keep = FeeReserve + (i == 0 ? new GlobalParameters().ProposalBond : 0);
                if (balance <= keep)
                {
                    await RecordAsync(name, "stake", null, $"nothing to stake: balance {balance} rao").ConfigureAwait(false);
                    break;
                }

                // a) Most of the free TAO; the rest goes on to the next coldkey.
                var stakeTao = (balance - keep) / 10 * 9;
                if (!await StepAsync(name, key, "stake", new AddStakeBody(hotkey, netuid, stakeTao, 0), ct).ConfigureAwait(false))
                {
                    break;
                }

                var alpha = await StakedAlphaAsync(me, hotkey, ct).ConfigureAwait(false);

                // b) A flash lock: too short to be allowed.
                if (i == 0)
                {
                    await StepAsync(name, key, "lock-2-blocks", new LockBody(netuid, hotkey, alpha, 2), ct).ConfigureAwait(false);
                }

                // c) The shortest lock the ledger allows.
                if (!await StepAsync(name, key, "lock-min-duration", new LockBody(netuid, hotkey, alpha, ConvictionRules.MinDurationBlocks), ct).ConfigureAwait(false))
                {
                    break;
                }

                // d) Propose the highest minimum fee the bounds allow: it would price everyone else off the chain.
                if (i == 0)
                {
                    var max = GlobalParameters.Bounds(GlobalParameter.MinTxFee).Max;
                    if (!await StepAsync(name, key, "propose-max-min-tx-fee", new ProposeBody(GlobalParameter.MinTxFee, max), ct).ConfigureAwait(false))
                    {
                        break;
                    }

                    _proposalId = await FindProposalAsync(me, ct).ConfigureAwait(false);
                    WriteStatus();
                }

                // e) Vote yes.
                if (_proposalId is not { } id || !await StepAsync(name, key, "vote-yes", new VoteBody(id, true), ct).ConfigureAwait(false))
                {
                    break;
                }

                // f) Take the alpha back out to reuse it (must be refused while locked).
                await StepAsync(name, key, "unstake", new RemoveStakeBody(hotkey, netuid, alpha, 0), ct).ConfigureAwait(false);

                // g) Pass the free TAO on.
                if (i + 1 < coldkeys.Count)
                {
                    var status = await client.GetStatusAsync(ct).ConfigureAwait(false);
                    var free = (await client.GetAccountAsync(me.ToAddress(), ct).ConfigureAwait(false)).Balance;
                    var next = new AccountId(coldkeys[i + 1].Key.PublicKey);
                    if (free <= status.MinTxFee || !await StepAsync(name, key, $"transfer-to-{coldkeys[i + 1].Name}", new TransferBody(next, free - status.MinTxFee), ct).ConfigureAwait(false))
                    {
                        break;
                    }
                }
            }

            _state = "done";
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            _state = "stopped";
        }
#pragma warning disable CA1031 // the attacker must never take the devnet down: any failure is recorded and ends the attack
        catch (Exception e)
#pragma warning restore CA1031
        {
            _state = "failed";
            _error = $"{e.GetType().Name}: {e.Message}";
            await SafeLogAsync($"flash-gov: stopped on an error: {_error}").ConfigureAwait(false);
        }

        try
        {
            WriteStatus();
        }
        catch (IOException e)
        {
            await SafeLogAsync($"flash-gov: could not write {StatusPath}: {e.Message}").ConfigureAwait(false);
        }
    }

    private async Task SafeLogAsync(string line)
    {
        try
        {
            await log.WriteLineAsync(line).ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task<AccountId> WaitForValidatorAsync(CancellationToken ct)
    {
        while (true)
        {
            try
            {
                var graph = await client.GetMetagraphAsync(netuid, ct).ConfigureAwait(false);
                var best = graph.GetProperty("neurons").EnumerateArray()
                    .Where(n => n.GetProperty("validator_permit").GetBoolean() && n.GetProperty("stake").GetUInt64() > 0)
                    .OrderByDescending(n => n.GetProperty("stake").GetUInt64())
                    .Select(n => n.GetProperty("hotkey").GetString())
                    .FirstOrDefault();
                if (best is not null)
                {
                    return AccountId.FromAddress(best);
                }
            }
            catch (LedgerRpcException)
            {
                // The subnet may not answer yet; ask again.
            }
            catch (Exception e) when (e is HttpRequestException or LedgerTimeoutException)
            {
                // The node may be restarting; ask again.
            }

            await Task.Delay(1000, ct).ConfigureAwait(false);
        }
    }

    private async Task<ulong> StakedAlphaAsync(AccountId coldkey, AccountId hotkey, CancellationToken ct)
    {
        var account = await client.CallAsync("get_account", w => w.WriteString("address", coldkey.ToAddress()), ct).ConfigureAwait(false);
        var hot = hotkey.ToAddress();
        return account.GetProperty("stakes").EnumerateArray()
            .Where(s => s.GetProperty("hotkey").GetString() == hot && s.GetProperty("netuid").GetUInt16() == netuid)
            .Select(s => s.GetProperty("alpha").GetUInt64()).FirstOrDefault();
    }

    private async Task<ulong> FindProposalAsync(AccountId proposer, CancellationToken ct)
    {
        var address = proposer.ToAddress();
        var proposals = await client.GetProposalsAsync(ct).ConfigureAwait(false);
        return proposals.Where(p => p.Proposer == address).Select(p => p.Id).DefaultIfEmpty().Max();
    }

    /// <summary>Signs and submits one transaction, waits for its block and records the outcome. True when accepted.</summary>
    private async Task<bool> StepAsync(string name, Ed25519KeyPair key, string action, TxBody body, CancellationToken ct)
    {
        var status = await client.GetStatusAsync(ct).ConfigureAwait(false);
        var signer = new AccountId(key.PublicKey);
        var account = await client.GetAccountAsync(signer.ToAddress(), ct).ConfigureAwait(false);
        var tx = new Transaction(signer, account.Nonce, body, status.MinTxFee, Transaction.DefaultValidUntil(status.Height))
            .Sign(key, status.ChainId, Hash256.FromHex(status.GenesisHash));
        ReceiptView receipt;
        try
        {
            receipt = await client.SubmitAsync(tx.ToBytes(), wait: true, ct).ConfigureAwait(false);
        }
        catch (LedgerRpcException e)
        {
            // Refused at admission: the node's code and message.
            await RecordAsync(name, action, new AttackStep(name, action, false, e.Code, CodeName(e.Code), e.Message), null).ConfigureAwait(false);
            return false;
        }

        if (!receipt.Committed)
        {
            throw new TimeoutException($"{action} of {name} ({receipt.TxId}) is still pending after the node's wait limit.");
        }

        var step = new AttackStep(name, action, receipt.Success, receipt.Code ?? 0, receipt.CodeName ?? "", receipt.Message ?? "");
        await RecordAsync(name, action, step, null).ConfigureAwait(false);
        return receipt.Success;
    }

    private static string CodeName(int code) => code is >= 0 and <= ushort.MaxValue && Enum.IsDefined((TxCode)(ushort)code) ? ((TxCode)(ushort)code).ToString() : code.ToString(CultureInfo.InvariantCulture);

    private async Task RecordAsync(string name, string action, AttackStep? step, string? note)
    {
        step ??= new AttackStep(name, action, false, -1, "Skipped", note ?? "");
        _steps.Add(step);
        WriteStatus();
        var outcome = step.Accepted ? "accepted" : $"refused ({step.Code} {step.CodeName}): {step.Message}";
        await SafeLogAsync($"flash-gov: {name} {action}: {outcome}").ConfigureAwait(false);
    }

    private void WriteStatus()
    {
        AtomicFile.Write(StatusPath, stream =>
        {
            using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
            w.WriteStartObject();
            w.WriteString("state", _state);
            if (_error is not null)
            {
                w.WriteString("error", _error);
            }

            if (_proposalId is { } id)
            {
                w.WriteNumber("proposal_id", id);
            }
            else
            {
                w.WriteNull("proposal_id");
            }

            w.WriteStartArray("coldkeys");
            foreach (var (n, k) in coldkeys)
            {
                w.WriteStartObject();
                w.WriteString("name", n);
                w.WriteString("address", new AccountId(k.PublicKey).ToAddress());
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("steps");
            foreach (var s in _steps)
            {
                w.WriteStartObject();
                w.WriteString("coldkey", s.Coldkey);
                w.WriteString("action", s.Action);
                w.WriteBoolean("accepted", s.Accepted);
                w.WriteNumber("code", s.Code);
                w.WriteString("code_name", s.CodeName);
                w.WriteString("message", s.Message);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    /// <summary>Reads a status file this class wrote (for tests and tools).</summary>
    public static (string State, ulong? ProposalId, IReadOnlyList<(string Name, string Address)> Coldkeys, IReadOnlyList<AttackStep> Steps) ReadStatus(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        var root = doc.RootElement;
        var id = root.GetProperty("proposal_id");
        return (
            root.GetProperty("state").GetString()!,
            id.ValueKind == JsonValueKind.Number ? id.GetUInt64() : null,
            [.. root.GetProperty("coldkeys").EnumerateArray().Select(c => (c.GetProperty("name").GetString()!, c.GetProperty("address").GetString()!))],
            [.. root.GetProperty("steps").EnumerateArray().Select(s => new AttackStep(
                s.GetProperty("coldkey").GetString()!, s.GetProperty("action").GetString()!, s.GetProperty("accepted").GetBoolean(),
                s.GetProperty("code").GetInt32(), s.GetProperty("code_name").GetString()!, s.GetProperty("message").GetString()!))]);
    }
}
