using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Agora.Ledger.Primitives;
using Agora.Ledger.State;
using Agora.Ledger.Transactions;
using Agora.Node.Ledger;
using Agora.Node.Wallets;
using Spectre.Console;
using static Agora.Cli.Commands.LedgerCommandSupport;

namespace Agora.Cli.Commands;

/// <summary>
/// The ledger command line: transactions signed with wallet keys (`transfer`, `subnet create|set`, `register`,
/// `stake add|remove`, `weights set|commit|reveal`, `lock`, `propose`, `vote`, `faucet`) and reads (`balance`,
/// `subnet list|show`, `stake list`, `metagraph`, `pool`, `commitment list`; `commitment set` signs with a hotkey), all against a node given by --ledger. Amounts are
/// TAO decimals converted exactly to rao. Read commands print Spectre tables, or the node's JSON with --json.
/// </summary>
public static class LedgerCommands
{
    public static IEnumerable<Command> Create(PasswordSource? passwords = null)
    {
        var s = new LedgerCommandSupport(passwords ?? new PasswordSource());
        yield return Transfer(s);
        yield return Faucet();
        yield return Balance();
        yield return Subnet(s);
        yield return Register(s);
        yield return Stake(s);
        yield return Weights(s);
        yield return Lock(s);
        yield return Propose(s);
        yield return Vote(s);
        yield return Metagraph();
        yield return Pool();
        yield return Commitment(s);
    }

    private static Command Commitment(LedgerCommandSupport s)
    {
        var commitment = new Command("commitment", "Artifact commitments: a registered hotkey publishes up to 1024 bytes on a subnet (not weight commits).");
        var o = new SignerOptions();
        var netuid = NetuidOption();
        var hotkey = new Option<string>("--hotkey") { Description = "Name of the registered hotkey in the wallet (signs).", DefaultValueFactory = _ => "default" };
        var data = new Option<string>("--data-hex") { Description = "The commitment bytes as hex (at most 1024 bytes).", Required = true };
        var set = new Command("set", "Publish (or replace) this hotkey's artifact commitment on the subnet.") { netuid, hotkey, data };
        o.AddTo(set);
        set.SetAction((pr, ct) => Guard(pr, async () =>
        {
            var hex = pr.GetValue(data)!.Trim();
            hex = hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? hex[2..] : hex;
            if (hex.Length % 2 != 0 || !hex.All(char.IsAsciiHexDigit))
            {
                throw new FormatException($"--data-hex must be an even number of hex digits; got {hex.Length} characters.");
            }

            var bytes = Convert.FromHexString(hex);
            if (bytes.Length > SetCommitmentBody.MaxDataBytes)
            {
                throw new FormatException($"--data-hex is {bytes.Length} bytes; a commitment holds at most {SetCommitmentBody.MaxDataBytes}.");
            }

            using var client = Client(pr.GetValue(o.Ledger)!);
            var key = s.Unlock(pr, o, pr.GetValue(hotkey));
            return await SubmitAsync(pr, o, client, key, new SetCommitmentBody(pr.GetValue(netuid), [.. bytes]), $"Set a {bytes.Length}-byte commitment on subnet {pr.GetValue(netuid)}", ct);
        }));
        commitment.Add(set);

        var ledger = LedgerOption();
        var json = JsonOption();
        var listNetuid = NetuidOption();
        var list = new Command("list", "List a subnet's artifact commitments (hotkey, uid, data, block).") { ledger, json, listNetuid };
        list.SetAction((pr, ct) => Guard(pr, async () =>
        {
            using var client = Client(pr.GetValue(ledger)!);
            var result = await client.CallAsync("get_artifact_commitments", w => w.WriteNumber("netuid", pr.GetValue(listNetuid)), ct);
            if (pr.GetValue(json))
            {
                WriteJson(pr.InvocationConfiguration.Output, result);
                return 0;
            }

            var table = new Table().AddColumns("uid", "hotkey", "block", "data (hex)");
            foreach (var c in result.EnumerateArray())
            {
                table.AddRow(c.GetProperty("uid").GetUInt16().ToString(CultureInfo.InvariantCulture), c.GetProperty("hotkey").GetString()!,
                    c.GetProperty("block").GetUInt64().ToString(CultureInfo.InvariantCulture), c.GetProperty("data").GetString()!);
            }

            Console(pr.InvocationConfiguration.Output).Write(table);
            return 0;
        }));
        commitment.Add(list);
        return commitment;
    }

    private static Command Transfer(LedgerCommandSupport s)
    {
        var o = new SignerOptions();
        var to = new Option<string>("--to") { Description = "Recipient address.", Required = true };
        var amount = new Option<string>("--amount") { Description = "TAO to send, e.g. 1.5.", Required = true };
        var command = new Command("transfer", "Send TAO from the wallet's coldkey to an address.") { to, amount };
        o.AddTo(command);
        command.SetAction((pr, ct) => Guard(pr, async () =>
        {
            var dest = Address(pr.GetValue(to)!, "--to");
            var rao = TaoAmount.Parse(pr.GetValue(amount)!, "--amount");
            using var client = Client(pr.GetValue(o.Ledger)!);
            var key = s.Unlock(pr, o, null);
            return await SubmitAsync(pr, o, client, key, new TransferBody(dest, rao), $"Sent {TaoAmount.Format(rao)} TAO to {dest.ToAddress()}", ct);
        }));
        return command;
    }

    private static Command Faucet()
    {
        var ledger = LedgerOption();
        var json = JsonOption();
        var to = new Option<string>("--to") { Description = "Recipient address.", Required = true };
        var amount = new Option<string>("--amount") { Description = "TAO to send, e.g. 1000.", Required = true };
        var command = new Command("faucet", "Devnet only: send TAO from the well-known dev faucet of the default genesis (never funded on a real network).")
        {
            ledger, json, to, amount,
        };
        command.SetAction((pr, ct) => Guard(pr, async () =>
        {
            var dest = Address(pr.GetValue(to)!, "--to");
            var rao = TaoAmount.Parse(pr.GetValue(amount)!, "--amount");
            using var client = Client(pr.GetValue(ledger)!);
            return await SubmitWith(pr, client, GenesisFile.DevFaucet, new TransferBody(dest, rao), pr.GetValue(json), $"Faucet sent {TaoAmount.Format(rao)} TAO to {dest.ToAddress()}", ct);
        }));
        return command;
    }

    /// <summary>Submit for commands without the wallet options (the faucet signs with a built-in key).</summary>
    private static async Task<int> SubmitWith(ParseResult pr, LedgerClient client, Agora.Core.Crypto.Ed25519KeyPair key, TxBody body, bool json, string summary, CancellationToken ct)
    {
        var status = await client.GetStatusAsync(ct);
        var signer = new AccountId(key.PublicKey);
        var account = await client.GetAccountAsync(signer.ToAddress(), ct);
        var tx = new Transaction(signer, account.Nonce, body, status.MinTxFee, Transaction.DefaultValidUntil(status.Height)).Sign(key, status.ChainId, Hash256.FromHex(status.GenesisHash));
        var receipt = await client.SubmitAsync(tx.ToBytes(), wait: true, ct);
        if (!receipt.Success)
        {
            await pr.InvocationConfiguration.Error.WriteLineAsync(receipt.Committed
                ? $"error: rejected by the ledger ({receipt.Code} {receipt.CodeName}): {receipt.Message}"
                : $"error: transaction {receipt.TxId} is still pending.");
            return receipt.Committed ? 1 : 2;
        }

        var output = pr.InvocationConfiguration.Output;
        if (json)
        {
            WriteJson(output, w =>
            {
                w.WriteStartObject();
                w.WriteString("tx_id", receipt.TxId);
                w.WriteString("status", receipt.Status);
                w.WriteNumber("height", receipt.Height ?? 0);
                w.WriteNumber("code", receipt.Code ?? 0);
                w.WriteEndObject();
            });
        }
        else
        {
            await output.WriteLineAsync($"{summary}: included in block {receipt.Height} (tx {receipt.TxId})");
        }

        return 0;
    }

    private static Command Balance()
    {
        var ledger = LedgerOption();
        var json = JsonOption();
        var dir = WalletDirOption();
        var wallet = new Option<string?>("--wallet") { Description = "Wallet whose coldkey to show." };
        var address = new Option<string?>("--address") { Description = "Any address (instead of --wallet)." };
        var command = new Command("balance", "Free TAO, nonce and stake positions of an account.") { ledger, json, dir, wallet, address };
        command.SetAction((pr, ct) => Guard(pr, async () =>
        {
            var who = ResolveAccount(pr.GetValue(address), pr.GetValue(wallet), pr.GetValue(dir)!);
            using var client = Client(pr.GetValue(ledger)!);
            var account = await client.CallAsync("get_account", w => w.WriteString("address", who.ToAddress()), ct);
            if (pr.GetValue(json))
            {
                WriteJson(pr.InvocationConfiguration.Output, account);
                return 0;
            }

            var ui = Console(pr.InvocationConfiguration.Output);
            ui.WriteLine($"{account.GetProperty("address").GetString()}  balance {Tao(account, "balance")} TAO  nonce {account.GetProperty("nonce").GetUInt64()}");
            WriteStakes(ui, account);
            return 0;
        }));
        return command;
    }

    private static AccountId ResolveAccount(string? address, string? wallet, string walletDir)
    {
        if (address is not null)
        {
            return Address(address, "--address");
        }

        if (wallet is null)
        {
            throw new FormatException("Give --wallet NAME or --address ADDRESS.");
        }

        return new AccountId(new Keystore(walletDir).Load(wallet).Coldkey.PublicKey);
    }

    private static void WriteStakes(IAnsiConsole ui, JsonElement account)
    {
        var table = new Table().AddColumns("netuid", "hotkey", "alpha", "TAO value", "locked");
        foreach (var st in account.GetProperty("stakes").EnumerateArray())
        {
            table.AddRow(st.GetProperty("netuid").GetUInt16().ToString(CultureInfo.InvariantCulture), st.GetProperty("hotkey").GetString()!,
                Tao(st, "alpha"), Tao(st, "tao_value"), Tao(st, "locked"));
        }

        ui.Write(table);
    }

    private static Command Subnet(LedgerCommandSupport s)
    {
        var subnet = new Command("subnet", "Create, list, inspect and tune subnets.");

        var co = new SignerOptions();
        var hotkey = new Option<string>("--hotkey") { Description = "Owner hotkey: the name of a hotkey in the wallet (it signs the proof of possession).", DefaultValueFactory = _ => "default" };
        var maxLock = new Option<string?>("--max-lock") { Description = "Refuse if the lock cost exceeds this many TAO (default: the wallet's whole balance)." };
        var create = new Command("create", "Create a subnet owned by the wallet, locking the current lock cost.") { hotkey, maxLock };
        co.AddTo(create);
        create.SetAction((pr, ct) => Guard(pr, async () =>
        {
            var limit = pr.GetValue(maxLock) is { } m ? TaoAmount.Parse(m, "--max-lock") : ulong.MaxValue;
            using var client = Client(pr.GetValue(co.Ledger)!);
            var (key, hotKey) = s.UnlockColdAndHot(pr, co, pr.GetValue(hotkey)!);
            var (status, genesis) = await PinnedChainAsync(pr, co, client, ct);
            var body = CreateSubnetBody.Create(hotKey, new AccountId(key.PublicKey), limit, status.ChainId, genesis);
            return await SubmitAsync(pr, co, client, key, body, "Created a subnet", ct);
        }));
        subnet.Add(create);

        var ledger = LedgerOption();
        var json = JsonOption();
        var list = new Command("list", "List subnets with their pools and epochs.") { ledger, json };
        list.SetAction((pr, ct) => Guard(pr, async () =>
        {
            using var client = Client(pr.GetValue(ledger)!);
            var result = await client.CallAsync("get_subnets", null, ct);
            if (pr.GetValue(json))
            {
                WriteJson(pr.InvocationConfiguration.Output, result);
                return 0;
            }

            var table = new Table().AddColumns("netuid", "owner", "neurons", "TAO reserve", "alpha reserve", "price (TAO)", "reg. burn", "next epoch");
            foreach (var sn in result.EnumerateArray())
            {
                var pool = sn.GetProperty("pool");
                table.AddRow(sn.GetProperty("netuid").GetUInt16().ToString(CultureInfo.InvariantCulture), Short(sn.GetProperty("owner_coldkey").GetString()!),
                    sn.GetProperty("neuron_count").GetUInt16().ToString(CultureInfo.InvariantCulture), Tao(pool, "tao_reserve"), Tao(pool, "alpha_reserve"),
                    Tao(pool, "spot_price_rao"), Tao(sn, "registration_burn"), sn.GetProperty("next_epoch_block").GetUInt64().ToString(CultureInfo.InvariantCulture));
            }

            Console(pr.InvocationConfiguration.Output).Write(table);
            return 0;
        }));
        subnet.Add(list);

        var sLedger = LedgerOption();
        var sJson = JsonOption();
        var sNetuid = NetuidOption();
        var show = new Command("show", "Show one subnet: owner, pool, pending emission and hyperparameters.") { sLedger, sJson, sNetuid };
        show.SetAction((pr, ct) => Guard(pr, async () =>
        {
            using var client = Client(pr.GetValue(sLedger)!);
            var sn = await client.CallAsync("get_subnet", w => w.WriteNumber("netuid", pr.GetValue(sNetuid)), ct);
            if (pr.GetValue(sJson))
            {
                WriteJson(pr.InvocationConfiguration.Output, sn);
                return 0;
            }

            var table = new Table().AddColumns("field", "value");
            foreach (var p in sn.EnumerateObject())
            {
                if (p.Value.ValueKind == JsonValueKind.Object)
                {
                    foreach (var q in p.Value.EnumerateObject())
                    {
                        table.AddRow($"{p.Name}.{q.Name}", q.Value.ToString());
                    }
                }
                else
                {
                    table.AddRow(p.Name, p.Value.ToString());
                }
            }

            Console(pr.InvocationConfiguration.Output).Write(table);
            return 0;
        }));
        subnet.Add(show);

        var so = new SignerOptions();
        var setNetuid = NetuidOption();
        var param = new Option<string>("--param") { Description = $"Hyperparameter: {string.Join(", ", SubnetHyperparameterBounds.All)}.", Required = true };
        var value = new Option<ulong>("--value") { Description = "New value (within the parameter's bounds).", Required = true };
        var set = new Command("set", "Subnet owner: set one bounded hyperparameter.") { setNetuid, param, value };
        so.AddTo(set);
        set.SetAction((pr, ct) => Guard(pr, async () =>
        {
            var name = pr.GetValue(param)!;
            if (!Enum.TryParse<SubnetHyperparameter>(name, ignoreCase: true, out var hp) || !Enum.IsDefined(hp) || int.TryParse(name, out _))
            {
                throw new FormatException($"--param '{name}' is not a subnet hyperparameter (known: {string.Join(", ", SubnetHyperparameterBounds.All)}).");
            }

            using var client = Client(pr.GetValue(so.Ledger)!);
            var key = s.Unlock(pr, so, null);
            return await SubmitAsync(pr, so, client, key, new SetHyperparameterBody(pr.GetValue(setNetuid), hp, pr.GetValue(value)), $"Set {hp} = {pr.GetValue(value)} on subnet {pr.GetValue(setNetuid)}", ct);
        }));
        subnet.Add(set);
        return subnet;
    }

    private static Command Register(LedgerCommandSupport s)
    {
        var o = new SignerOptions();
        var netuid = NetuidOption();
        var hotkey = new Option<string>("--hotkey") { Description = "Hotkey to register: the name of a hotkey in the wallet (it signs the proof of possession).", DefaultValueFactory = _ => "default" };
        var maxBurn = new Option<string>("--max-burn") { Description = "Refuse if the registration burn exceeds this many TAO.", DefaultValueFactory = _ => "100" };
        var command = new Command("register", "Register a hotkey on a subnet, burning the current registration price from the coldkey.") { netuid, hotkey, maxBurn };
        o.AddTo(command);
        command.SetAction((pr, ct) => Guard(pr, async () =>
        {
            var burn = TaoAmount.Parse(pr.GetValue(maxBurn)!, "--max-burn");
            using var client = Client(pr.GetValue(o.Ledger)!);
            var (key, hotKey) = s.UnlockColdAndHot(pr, o, pr.GetValue(hotkey)!);
            var hot = new AccountId(hotKey.PublicKey);
            var (status, genesis) = await PinnedChainAsync(pr, o, client, ct);
            var body = RegisterBody.Create(hotKey, new AccountId(key.PublicKey), pr.GetValue(netuid), burn, status.ChainId, genesis);
            return await SubmitAsync(pr, o, client, key, body, $"Registered {hot.ToAddress()} on subnet {pr.GetValue(netuid)}", ct);
        }));
        return command;
    }

    private static Command Stake(LedgerCommandSupport s)
    {
        var stake = new Command("stake", "Stake TAO into a subnet's pool behind a hotkey, unstake, list positions.");
        foreach (var add in new[] { true, false })
        {
            var o = new SignerOptions();
            var netuid = NetuidOption();
            var hotkey = new Option<string>("--hotkey") { Description = "Hotkey to stake to: a hotkey name in the wallet or any address.", DefaultValueFactory = _ => "default" };
            var amount = new Option<string>("--amount") { Description = add ? "TAO to stake, e.g. 10.5." : "Alpha to unstake, e.g. 10.5.", Required = true };
            var limit = new Option<string>(add ? "--min-alpha" : "--min-tao") { Description = add ? "Refuse if fewer alpha would come out (slippage guard)." : "Refuse if less TAO would come out.", DefaultValueFactory = _ => "0" };
            var command = new Command(add ? "add" : "remove", add ? "Swap TAO into the subnet pool and stake the alpha to the hotkey." : "Unstake alpha from the hotkey and swap it out for TAO.")
            {
                netuid, hotkey, amount, limit,
            };
            o.AddTo(command);
            command.SetAction((pr, ct) => Guard(pr, async () =>
            {
                var hot = HotkeyAddress(pr.GetValue(hotkey)!, new Keystore(pr.GetValue(o.WalletDir)!), pr.GetValue(o.Wallet), "--hotkey");
                var value = TaoAmount.Parse(pr.GetValue(amount)!, "--amount");
                var min = TaoAmount.Parse(pr.GetValue(limit)!, add ? "--min-alpha" : "--min-tao");
                var n = pr.GetValue(netuid);
                using var client = Client(pr.GetValue(o.Ledger)!);
                var key = s.Unlock(pr, o, null);
                TxBody body = add ? new AddStakeBody(hot, n, value, min) : new RemoveStakeBody(hot, n, value, min);
                var what = add ? $"Staked {TaoAmount.Format(value)} TAO to {hot.ToAddress()} on subnet {n}" : $"Unstaked {TaoAmount.Format(value)} alpha from {hot.ToAddress()} on subnet {n}";
                return await SubmitAsync(pr, o, client, key, body, what, ct);
            }));
            stake.Add(command);
        }

        var ledger = LedgerOption();
        var json = JsonOption();
        var dir = WalletDirOption();
        var wallet = new Option<string?>("--wallet") { Description = "Wallet whose coldkey's stakes to list." };
        var address = new Option<string?>("--address") { Description = "Any coldkey address (instead of --wallet)." };
        var list = new Command("list", "List a coldkey's stake positions.") { ledger, json, dir, wallet, address };
        list.SetAction((pr, ct) => Guard(pr, async () =>
        {
            var who = ResolveAccount(pr.GetValue(address), pr.GetValue(wallet), pr.GetValue(dir)!);
            using var client = Client(pr.GetValue(ledger)!);
            var account = await client.CallAsync("get_account", w => w.WriteString("address", who.ToAddress()), ct);
            if (pr.GetValue(json))
            {
                WriteJson(pr.InvocationConfiguration.Output, account.GetProperty("stakes"));
                return 0;
            }

            WriteStakes(Console(pr.InvocationConfiguration.Output), account);
            return 0;
        }));
        stake.Add(list);
        return stake;
    }

    private static Command Weights(LedgerCommandSupport s)
    {
        var weights = new Command("weights", "Set weights directly, or commit them by hash and reveal them later.");
        foreach (var mode in new[] { "set", "commit", "reveal" })
        {
            var o = new SignerOptions();
            var netuid = NetuidOption();
            var hotkey = new Option<string>("--hotkey") { Description = "Name of the validator hotkey in the wallet (signs).", DefaultValueFactory = _ => "default" };
            var uids = new Option<string>("--uids") { Description = "Comma-separated target UIDs, e.g. 0,1,2.", Required = mode != "reveal" };
            var values = new Option<string>("--values") { Description = "Comma-separated u16 weights, one per UID.", Required = mode != "reveal" };
            var version = new Option<ulong>("--version-key") { Description = "Weights version key.", DefaultValueFactory = _ => 0UL };
            var description = mode switch
            {
                "set" => "Set the hotkey's weights now (subnets with commit-reveal off).",
                "commit" => "Commit to weights by hash; the salt is stored under WALLET_DIR/weight-commits for `weights reveal`.",
                _ => "Reveal the oldest stored commit of this hotkey on the subnet.",
            };
            var command = new Command(mode, description) { netuid, hotkey };
            if (mode != "reveal")
            {
                command.Add(uids);
                command.Add(values);
                command.Add(version);
            }

            o.AddTo(command);
            command.SetAction((pr, ct) => Guard(pr, async () =>
            {
                var n = pr.GetValue(netuid);
                var store = new WeightCommitStore(Path.Combine(pr.GetValue(o.WalletDir)!, "weight-commits"));
                using var client = Client(pr.GetValue(o.Ledger)!);
                if (mode == "reveal")
                {
                    var key = s.Unlock(pr, o, pr.GetValue(hotkey));
                    var hot = new AccountId(key.PublicKey).ToAddress();
                    var entry = store.Find(n, hot) is [var oldest, ..] ? oldest : throw new FormatException($"No stored weight commit for hotkey {hot} on subnet {n} in {store.Directory}; commit first with `agora weights commit`.");
                    var body = new RevealWeightsBody(n, [.. entry.Uids], [.. entry.Values], [.. Convert.FromHexString(entry.SaltHex)], entry.VersionKey);
                    var code = await SubmitAsync(pr, o, client, key, body, $"Revealed commit {entry.Hash[..16]}… on subnet {n}", ct);
                    if (code == 0)
                    {
                        File.Delete(entry.Path);
                    }

                    return code;
                }

                var u = U16List(pr.GetValue(uids)!, "--uids");
                var v = U16List(pr.GetValue(values)!, "--values");
                if (u.Count != v.Count)
                {
                    throw new FormatException($"--uids has {u.Count} entries but --values has {v.Count}; give one value per UID.");
                }

                var signer = s.Unlock(pr, o, pr.GetValue(hotkey));
                if (mode == "set")
                {
                    return await SubmitAsync(pr, o, client, signer, new SetWeightsBody(n, [.. u], [.. v], pr.GetValue(version)), $"Set {u.Count} weights on subnet {n}", ct);
                }

                var hotId = new AccountId(signer.PublicKey);
                var salt = RandomNumberGenerator.GetBytes(32);
                var hash = WeightCommitHash.Compute(hotId, n, u, v, salt);
                // Saved before submitting: a crash after inclusion must not lose the only copy of the salt.
                var path = store.Save(n, hotId.ToAddress(), hash.ToHex(), u, v, salt, pr.GetValue(version));
                var result = await SubmitAsync(pr, o, client, signer, new CommitWeightsBody(n, hash), $"Committed weights {hash.ToHex()[..16]}… on subnet {n} (salt in {path})", ct);
                if (result == 1)
                {
                    File.Delete(path);
                }

                return result;
            }));
            weights.Add(command);
        }

        return weights;
    }

    private static Command Lock(LedgerCommandSupport s)
    {
        var o = new SignerOptions();
        var netuid = NetuidOption();
        var hotkey = new Option<string>("--hotkey") { Description = "Hotkey whose stake to lock: a name in the wallet or an address.", DefaultValueFactory = _ => "default" };
        var amount = new Option<string>("--amount") { Description = "Alpha to lock, e.g. 5.", Required = true };
        var duration = new Option<ulong>("--duration") { Description = "Lock length in blocks from now: at least one 30-day interval (216000) and at most four years.", Required = true };
        var command = new Command("lock", "Lock staked alpha for conviction (voting power, subnet ownership).") { netuid, hotkey, amount, duration };
        o.AddTo(command);
        command.SetAction((pr, ct) => Guard(pr, async () =>
        {
            var hot = HotkeyAddress(pr.GetValue(hotkey)!, new Keystore(pr.GetValue(o.WalletDir)!), pr.GetValue(o.Wallet), "--hotkey");
            var alpha = TaoAmount.Parse(pr.GetValue(amount)!, "--amount");
            using var client = Client(pr.GetValue(o.Ledger)!);
            var key = s.Unlock(pr, o, null);
            return await SubmitAsync(pr, o, client, key, new LockBody(pr.GetValue(netuid), hot, alpha, pr.GetValue(duration)), $"Locked {TaoAmount.Format(alpha)} alpha for {pr.GetValue(duration)} blocks", ct);
        }));
        return command;
    }

    private static Command Propose(LedgerCommandSupport s)
    {
        var o = new SignerOptions();
        var param = new Option<string>("--param") { Description = $"Global parameter: {string.Join(", ", GlobalParameters.All)}.", Required = true };
        var value = new Option<ulong>("--value") { Description = "Proposed value (within bounds).", Required = true };
        var command = new Command("propose", "Propose a bounded change of a global parameter (needs conviction-locked stake).") { param, value };
        o.AddTo(command);
        command.SetAction((pr, ct) => Guard(pr, async () =>
        {
            var name = pr.GetValue(param)!;
            if (!Enum.TryParse<GlobalParameter>(name, ignoreCase: true, out var gp) || !Enum.IsDefined(gp) || int.TryParse(name, out _))
            {
                throw new FormatException($"--param '{name}' is not a global parameter (known: {string.Join(", ", GlobalParameters.All)}).");
            }

            using var client = Client(pr.GetValue(o.Ledger)!);
            var key = s.Unlock(pr, o, null);
            return await SubmitAsync(pr, o, client, key, new ProposeBody(gp, pr.GetValue(value)), $"Proposed {gp} = {pr.GetValue(value)}", ct);
        }));
        return command;
    }

    private static Command Vote(LedgerCommandSupport s)
    {
        var o = new SignerOptions();
        var proposal = new Option<ulong>("--proposal") { Description = "Proposal id.", Required = true };
        var reject = new Option<bool>("--reject") { Description = "Vote against (default: in favour)." };
        var command = new Command("vote", "Vote on an open proposal with the coldkey's conviction weight.") { proposal, reject };
        o.AddTo(command);
        command.SetAction((pr, ct) => Guard(pr, async () =>
        {
            using var client = Client(pr.GetValue(o.Ledger)!);
            var key = s.Unlock(pr, o, null);
            var approve = !pr.GetValue(reject);
            return await SubmitAsync(pr, o, client, key, new VoteBody(pr.GetValue(proposal), approve), $"Voted {(approve ? "yes" : "no")} on proposal {pr.GetValue(proposal)}", ct);
        }));
        return command;
    }

    private static Command Metagraph()
    {
        var ledger = LedgerOption();
        var json = JsonOption();
        var netuid = NetuidOption();
        var command = new Command("metagraph", "Show a subnet's neurons: stake, trust, consensus, incentive, dividends, emission.") { ledger, json, netuid };
        command.SetAction((pr, ct) => Guard(pr, async () =>
        {
            using var client = Client(pr.GetValue(ledger)!);
            var m = await client.GetMetagraphAsync(pr.GetValue(netuid), ct);
            if (pr.GetValue(json))
            {
                WriteJson(pr.InvocationConfiguration.Output, m);
                return 0;
            }

            var table = new Table().AddColumns("uid", "hotkey", "stake (α)", "permit", "trust", "consensus", "incentive", "dividends", "emission (α)", "updated");
            foreach (var n in m.GetProperty("neurons").EnumerateArray())
            {
                table.AddRow(n.GetProperty("uid").GetUInt16().ToString(CultureInfo.InvariantCulture), Short(n.GetProperty("hotkey").GetString()!), Tao(n, "stake"),
                    n.GetProperty("validator_permit").GetBoolean() ? "yes" : "no", U16Fraction(n, "trust"), U16Fraction(n, "consensus"),
                    U16Fraction(n, "incentive"), U16Fraction(n, "dividends"), Tao(n, "emission"), n.GetProperty("last_update").GetUInt64().ToString(CultureInfo.InvariantCulture));
            }

            var ui = Console(pr.InvocationConfiguration.Output);
            ui.WriteLine($"subnet {m.GetProperty("netuid").GetUInt16()} at block {m.GetProperty("block").GetUInt64()}");
            ui.Write(table);
            return 0;
        }));
        return command;
    }

    private static Command Pool()
    {
        var ledger = LedgerOption();
        var json = JsonOption();
        var netuid = new Option<ushort?>("--netuid") { Description = "Only this subnet's pool." };
        var command = new Command("pool", "Show subnet pools: reserves, spot and EMA prices.") { ledger, json, netuid };
        command.SetAction((pr, ct) => Guard(pr, async () =>
        {
            using var client = Client(pr.GetValue(ledger)!);
            var pools = await client.CallAsync("get_pools", null, ct);
            var only = pr.GetValue(netuid);
            var selected = pools.EnumerateArray().Where(p => only is null || p.GetProperty("netuid").GetUInt16() == only).ToList();
            if (only is { } wanted && selected.Count == 0)
            {
                throw new LedgerRpcException("get_pools", (int)Agora.Ledger.Execution.TxCode.UnknownSubnet, $"Subnet {wanted} does not exist.");
            }

            if (pr.GetValue(json))
            {
                WriteJson(pr.InvocationConfiguration.Output, w =>
                {
                    w.WriteStartArray();
                    foreach (var p in selected)
                    {
                        p.WriteTo(w);
                    }

                    w.WriteEndArray();
                });
                return 0;
            }

            var table = new Table().AddColumns("netuid", "TAO reserve", "alpha reserve", "alpha issuance", "spot price", "EMA price");
            foreach (var p in selected)
            {
                table.AddRow(p.GetProperty("netuid").GetUInt16().ToString(CultureInfo.InvariantCulture), Tao(p, "tao_reserve"), Tao(p, "alpha_reserve"),
                    Tao(p, "alpha_issuance"), Tao(p, "spot_price_rao"), Tao(p, "ema_price_rao"));
            }

            Console(pr.InvocationConfiguration.Output).Write(table);
            return 0;
        }));
        return command;
    }
}
