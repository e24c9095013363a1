using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Agora.Core.Crypto;
using Agora.Ledger.Primitives;
using Agora.Ledger.Transactions;
using Agora.Node.Ledger;
using Agora.Node.Wallets;
using Spectre.Console;

namespace Agora.Cli.Commands;

/// <summary>Options and plumbing shared by the ledger commands: node URL, wallet keys, signing, submission, output.</summary>
internal sealed class LedgerCommandSupport(PasswordSource passwords)
{
    public const string DefaultLedgerUrl = "http://127.0.0.1:9944";

    public PasswordSource Passwords { get; } = passwords;

    public static Option<string> LedgerOption() => new("--ledger")
    {
        Description = $"Node JSON-RPC URL (default {DefaultLedgerUrl}).",
        DefaultValueFactory = _ => DefaultLedgerUrl,
    };

    public static Option<bool> JsonOption() => new("--json") { Description = "Print machine-readable JSON." };

    public static Option<string> WalletDirOption() => new("--wallet-dir")
    {
        Description = $"Keystore directory (default: ${Keystore.DirectoryEnvironmentVariable} or ~/.agora/wallets).",
        DefaultValueFactory = _ => Keystore.DefaultDirectory(),
    };

    public static Option<string> WalletOption() => new("--wallet") { Description = "Wallet name in the keystore.", Required = true };

    public static Option<string?> PasswordFileOption() => new("--password-file")
    {
        Description = $"File whose first line is the wallet password (else ${PasswordSource.EnvironmentVariable}, else a prompt).",
    };

    public static Option<string> FeeOption() => new("--fee") { Description = "Transaction fee in TAO (burned); default: the chain's current minimum fee." };

    public static Option<ushort> NetuidOption() => new("--netuid") { Description = "Subnet id.", Required = true };

    /// <summary>Options every signing command has; add them with <see cref="AddTo"/>.</summary>
    public sealed class SignerOptions
    {
        public Option<string> Ledger { get; } = LedgerOption();
        public Option<string> Wallet { get; } = WalletOption();
        public Option<string> WalletDir { get; } = WalletDirOption();
        public Option<string?> PasswordFile { get; } = PasswordFileOption();
        public Option<string> Fee { get; } = FeeOption();
        public Option<bool> Json { get; } = JsonOption();
        public Option<bool> AllowNewChain { get; } = AllowNewChainOption();

        public void AddTo(Command command)
        {
            command.Add(Ledger);
            command.Add(Wallet);
            command.Add(WalletDir);
            command.Add(PasswordFile);
            command.Add(Fee);
            command.Add(Json);
            command.Add(AllowNewChain);
        }
    }

    public static Option<bool> AllowNewChainOption() => new("--allow-new-chain")
    {
        Description = "Sign even though the node serves another chain (genesis hash) than the one this wallet first signed for, and pin the wallet to it.",
    };

    public static LedgerClient Client(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            throw new FormatException($"--ledger '{url}' is not an absolute URL such as {DefaultLedgerUrl}.");
        }

        try
        {
            return new LedgerClient(uri);
        }
        catch (ArgumentException e)
        {
            throw new FormatException(e.Message, e);
        }
    }

    /// <summary>Parses an SS58 address, naming the option in the error.</summary>
    public static AccountId Address(string text, string option)
    {
        try
        {
            return AccountId.FromAddress(text.Trim());
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw new FormatException($"{option} '{text}' is not a valid address: {e.Message}", e);
        }
    }

    /// <summary>A hotkey given either as an SS58 address or as the name of a hotkey in <paramref name="wallet"/>.</summary>
    public static AccountId HotkeyAddress(string text, Keystore keystore, string? wallet, string option)
    {
        if (wallet is not null && keystore.Exists(wallet))
        {
            var w = keystore.Load(wallet);
            var named = w.Hotkeys.FirstOrDefault(h => h.Name == text);
            if (named is not null)
            {
                return new AccountId(named.PublicKey);
            }
        }

        return Address(text, option);
    }

    public static List<ushort> U16List(string text, string option)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var list = new List<ushort>(parts.Length);
        foreach (var p in parts)
        {
            if (!ushort.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var v))
            {
                throw new FormatException($"{option} '{text}' must be a comma-separated list of integers 0..65535 (bad entry '{p}').");
            }

            list.Add(v);
        }

        return list;
    }

    /// <summary>Unlocks the wallet's coldkey, or its hotkey named <paramref name="hotkeyName"/>.</summary>
    public Ed25519KeyPair Unlock(ParseResult pr, SignerOptions o, string? hotkeyName)
    {
        var keystore = new Keystore(pr.GetValue(o.WalletDir)!);
        var wallet = pr.GetValue(o.Wallet)!;
        _ = keystore.Load(wallet);
        var password = Passwords.Get(pr.GetValue(o.PasswordFile), $"wallet '{wallet}'");
        return hotkeyName is null ? keystore.UnlockColdkey(wallet, password) : keystore.UnlockHotkey(wallet, hotkeyName, password);
    }

    /// <summary>Unlocks the wallet's coldkey and its hotkey named <paramref name="hotkeyName"/> with one password.</summary>
    public (Ed25519KeyPair Coldkey, Ed25519KeyPair Hotkey) UnlockColdAndHot(ParseResult pr, SignerOptions o, string hotkeyName)
    {
        var keystore = new Keystore(pr.GetValue(o.WalletDir)!);
        var wallet = pr.GetValue(o.Wallet)!;
        var info = keystore.Load(wallet);
        if (!info.Hotkeys.Any(h => h.Name == hotkeyName))
        {
            throw new WalletException($"wallet '{wallet}' has no hotkey named '{hotkeyName}': binding a hotkey to this coldkey (register, subnet create) needs the hotkey's own signature (proof of possession), so the hotkey must be in this wallet.");
        }

        var password = Passwords.Get(pr.GetValue(o.PasswordFile), $"wallet '{wallet}'");
        return (keystore.UnlockColdkey(wallet, password), keystore.UnlockHotkey(wallet, hotkeyName, password));
    }

    /// <summary>The node's chain id and genesis hash, after checking the wallet's chain pin (<see cref="ChainPin"/>).</summary>
    public static async Task<(NodeStatusView Status, Hash256 Genesis)> PinnedChainAsync(ParseResult pr, SignerOptions o, LedgerClient client, CancellationToken ct)
    {
        var status = await client.GetStatusAsync(ct).ConfigureAwait(false);
        Hash256 genesis;
        try
        {
            genesis = Hash256.FromHex(status.GenesisHash);
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw new FormatException($"The node's genesis hash '{status.GenesisHash}' is not 32 bytes of hex.", e);
        }

        ChainPin.Check(new Keystore(pr.GetValue(o.WalletDir)!), pr.GetValue(o.Wallet)!, status.ChainId, genesis, pr.GetValue(o.AllowNewChain));
        return (status, genesis);
    }

    /// <summary>Signs <paramref name="body"/> with <paramref name="key"/> (nonce, chain id and genesis hash from the node, after the
    /// wallet's chain pin check; valid for <see cref="Transaction.DefaultValidityBlocks"/> blocks), submits, waits for the block and reports.</summary>
    public static async Task<int> SubmitAsync(ParseResult pr, SignerOptions o, LedgerClient client, Ed25519KeyPair key, TxBody body, string summary, CancellationToken ct)
    {
        var (status, genesis) = await PinnedChainAsync(pr, o, client, ct).ConfigureAwait(false);
        var fee = pr.GetValue(o.Fee) is { } given ? TaoAmount.Parse(given, "fee") : status.MinTxFee;
        var signer = new AccountId(key.PublicKey);
        var account = await client.GetAccountAsync(signer.ToAddress(), ct).ConfigureAwait(false);
        var signed = new Transaction(signer, account.Nonce, body, fee, Transaction.DefaultValidUntil(status.Height)).Sign(key, status.ChainId, genesis);
        var receipt = await client.SubmitAsync(signed.ToBytes(), wait: true, ct).ConfigureAwait(false);
        var output = pr.InvocationConfiguration.Output;
        if (pr.GetValue(o.Json))
        {
            WriteJson(output, w =>
            {
                w.WriteStartObject();
                w.WriteString("tx_id", receipt.TxId);
                w.WriteString("status", receipt.Status);
                w.WriteString("kind", body.Kind.ToString());
                w.WriteString("signer", signer.ToAddress());
                w.WriteNumber("nonce", account.Nonce);
                if (receipt.Height is { } h)
                {
                    w.WriteNumber("height", h);
                }

                if (receipt.Code is { } c)
                {
                    w.WriteNumber("code", c);
                    w.WriteString("code_name", receipt.CodeName);
                    w.WriteString("message", receipt.Message);
                }

                w.WriteEndObject();
            });
        }

        if (!receipt.Committed)
        {
            await pr.InvocationConfiguration.Error.WriteLineAsync($"error: transaction {receipt.TxId} is still pending; check it later with its id.").ConfigureAwait(false);
            return 2;
        }

        if (!receipt.Success)
        {
            await pr.InvocationConfiguration.Error.WriteLineAsync($"error: rejected by the ledger ({receipt.Code} {receipt.CodeName}): {receipt.Message}").ConfigureAwait(false);
            return 1;
        }

        if (!pr.GetValue(o.Json))
        {
            await output.WriteLineAsync($"{summary}: included in block {receipt.Height} (tx {receipt.TxId})").ConfigureAwait(false);
        }

        return 0;
    }

    /// <summary>Runs a command body, turning every expected failure into "error: ..." on stderr and exit code 1.</summary>
    public static async Task<int> Guard(ParseResult pr, Func<Task<int>> body)
    {
        var error = pr.InvocationConfiguration.Error;
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (LedgerRpcException e)
        {
            var name = e.Code > 0 && Enum.IsDefined((Agora.Ledger.Execution.TxCode)e.Code) ? " " + (Agora.Ledger.Execution.TxCode)e.Code : "";
            await error.WriteLineAsync($"error: the node refused {e.Method} ({e.Code}{name}): {e.RpcMessage}").ConfigureAwait(false);
            return 1;
        }
        catch (HttpRequestException e)
        {
            await error.WriteLineAsync($"error: cannot reach the node: {e.Message}").ConfigureAwait(false);
            return 1;
        }
        catch (Exception e) when (e is FormatException or WalletException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return 1;
        }
    }

    public static void WriteJson(TextWriter output, Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            write(writer);
        }

        output.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }

    public static void WriteJson(TextWriter output, JsonElement element) => WriteJson(output, w => element.WriteTo(w));

    /// <summary>A Spectre console that writes plain text (no ANSI codes) to the command's output.</summary>
    public static IAnsiConsole Console(TextWriter output)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Out = new AnsiConsoleOutput(output),
            Interactive = InteractionSupport.No,
        });
        // Tables of addresses are wide; a redirected output has no terminal width to wrap at.
        console.Profile.Width = 200;
        return console;
    }

    public static string Short(string address) => address.Length <= 14 ? address : address[..6] + "…" + address[^6..];

    public static string Tao(JsonElement e, string property) => TaoAmount.Format(e.GetProperty(property).GetUInt64());

    public static string U16Fraction(JsonElement e, string property) =>
        (e.GetProperty(property).GetUInt16() / 65535m).ToString("0.0000", CultureInfo.InvariantCulture);
}
