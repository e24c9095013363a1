using System.CommandLine;
using System.Text.Json;
using Agora.Node.Wallets;

namespace Agora.Cli.Commands;

/// <summary>`agora wallet create|list|show|import|new-hotkey`: the encrypted keystore. Read commands take --json.</summary>
public static class WalletCommands
{
    /// <param name="passwords">Where passwords come from (tests script it).</param>
    /// <param name="kdf">scrypt cost for new keys; production unless a test lowers it.</param>
    public static Command Create(PasswordSource? passwords = null, ScryptParameters? kdf = null)
    {
        passwords ??= new PasswordSource();
        kdf ??= ScryptParameters.Production;
        var wallet = new Command("wallet", "Manage encrypted coldkey/hotkey wallets (Ed25519, scrypt + AES-256-GCM).");
        wallet.Add(CreateCommand(passwords, kdf));
        wallet.Add(ImportCommand(passwords, kdf));
        wallet.Add(NewHotkeyCommand(passwords, kdf));
        wallet.Add(ListCommand());
        wallet.Add(ShowCommand());
        return wallet;
    }

    private static Option<string> DirectoryOption() => new("--wallet-dir")
    {
        Description = $"Keystore directory (default: ${Keystore.DirectoryEnvironmentVariable} or ~/.agora/wallets).",
        DefaultValueFactory = _ => Keystore.DefaultDirectory(),
    };

    private static Option<string> NameOption() => new("--name") { Description = "Wallet name (letters, digits, _ and -).", Required = true };

    private static Option<string?> PasswordFileOption() => new("--password-file")
    {
        Description = $"File whose first line is the password (else ${PasswordSource.EnvironmentVariable}, else a prompt).",
    };

    private static Option<bool> JsonOption() => new("--json") { Description = "Print JSON instead of text." };

    private static Option<string> HotkeyOption(string description) => new("--hotkey")
    {
        Description = description,
        DefaultValueFactory = _ => "default",
    };

    private static Command CreateCommand(PasswordSource passwords, ScryptParameters kdf)
    {
        var dir = DirectoryOption();
        var name = NameOption();
        var hotkey = HotkeyOption("Name of the first hotkey.");
        var passwordFile = PasswordFileOption();
        var json = JsonOption();
        var command = new Command("create", "Create a wallet with a fresh coldkey and one fresh hotkey.") { dir, name, hotkey, passwordFile, json };
        command.SetAction(pr => Run(pr, () =>
        {
            var walletName = pr.GetValue(name)!;
            var keystore = new Keystore(pr.GetValue(dir)!, kdf);
            WalletName.Validate(walletName);
            var password = passwords.Get(pr.GetValue(passwordFile), $"new wallet '{walletName}'", confirm: true);
            return keystore.Create(walletName, password, pr.GetValue(hotkey)!);
        }, pr.GetValue(json), "Created"));
        return command;
    }

    private static Command ImportCommand(PasswordSource passwords, ScryptParameters kdf)
    {
        var dir = DirectoryOption();
        var name = NameOption();
        var coldSeed = new Option<string>("--coldkey-seed-file") { Description = "File with the coldkey's 32-byte seed as 64 hex characters.", Required = true };
        var hotSeed = new Option<string?>("--hotkey-seed-file") { Description = "File with a hotkey seed (64 hex characters); omit to import the coldkey only." };
        var hotkey = HotkeyOption("Name for the imported hotkey.");
        var passwordFile = PasswordFileOption();
        var json = JsonOption();
        var command = new Command("import", "Create a wallet from existing seeds (read from files, never from the command line).")
        {
            dir, name, coldSeed, hotSeed, hotkey, passwordFile, json,
        };
        command.SetAction(pr => Run(pr, () =>
        {
            var walletName = pr.GetValue(name)!;
            var keystore = new Keystore(pr.GetValue(dir)!, kdf);
            WalletName.Validate(walletName);
            var cold = SeedFile.Read(pr.GetValue(coldSeed)!);
            var hotkeys = pr.GetValue(hotSeed) is { } hotPath ? new[] { (pr.GetValue(hotkey)!, SeedFile.Read(hotPath)) } : [];
            var password = passwords.Get(pr.GetValue(passwordFile), $"imported wallet '{walletName}'", confirm: true);
            return keystore.Import(walletName, password, cold, hotkeys);
        }, pr.GetValue(json), "Imported"));
        return command;
    }

    private static Command NewHotkeyCommand(PasswordSource passwords, ScryptParameters kdf)
    {
        var dir = DirectoryOption();
        var name = NameOption();
        var hotkey = new Option<string>("--hotkey") { Description = "Name of the new hotkey.", Required = true };
        var passwordFile = PasswordFileOption();
        var json = JsonOption();
        var command = new Command("new-hotkey", "Add a fresh hotkey to a wallet (needs the wallet password).") { dir, name, hotkey, passwordFile, json };
        command.SetAction(pr => Run(pr, () =>
        {
            var walletName = pr.GetValue(name)!;
            var keystore = new Keystore(pr.GetValue(dir)!, kdf);
            _ = keystore.Load(walletName);
            var password = passwords.Get(pr.GetValue(passwordFile), $"wallet '{walletName}'");
            return keystore.AddHotkey(walletName, pr.GetValue(hotkey)!, password);
        }, pr.GetValue(json), "Updated"));
        return command;
    }

    private static Command ListCommand()
    {
        var dir = DirectoryOption();
        var json = JsonOption();
        var command = new Command("list", "List wallets with their coldkey and hotkey addresses.") { dir, json };
        command.SetAction(pr =>
        {
            var output = pr.InvocationConfiguration.Output;
            try
            {
                var wallets = new Keystore(pr.GetValue(dir)!).List();
                if (pr.GetValue(json))
                {
                    WriteJson(output, w =>
                    {
                        w.WriteStartArray();
                        foreach (var info in wallets)
                        {
                            WriteWallet(w, info);
                        }

                        w.WriteEndArray();
                    });
                }
                else if (wallets.Count == 0)
                {
                    output.WriteLine("No wallets. Create one with `agora wallet create --name NAME`.");
                }
                else
                {
                    foreach (var info in wallets)
                    {
                        WriteText(output, info);
                    }
                }

                return 0;
            }
            catch (WalletException e)
            {
                pr.InvocationConfiguration.Error.WriteLine($"error: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    private static Command ShowCommand()
    {
        var dir = DirectoryOption();
        var name = NameOption();
        var json = JsonOption();
        var command = new Command("show", "Show one wallet's addresses and public keys (never its secrets).") { dir, name, json };
        command.SetAction(pr => Run(pr, () => new Keystore(pr.GetValue(dir)!).Show(pr.GetValue(name)!), pr.GetValue(json), null));
        return command;
    }

    private static int Run(ParseResult pr, Func<WalletInfo> action, bool json, string? verb)
    {
        var output = pr.InvocationConfiguration.Output;
        try
        {
            var info = action();
            if (json)
            {
                WriteJson(output, w => WriteWallet(w, info));
            }
            else
            {
                if (verb is not null)
                {
                    output.WriteLine($"{verb} wallet '{info.Name}' at {info.Path}");
                }

                WriteText(output, info);
            }

            return 0;
        }
        catch (WalletException e)
        {
            pr.InvocationConfiguration.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
    }

    private static void WriteText(TextWriter output, WalletInfo info)
    {
        output.WriteLine($"{info.Name}");
        output.WriteLine($"  coldkey            {info.Coldkey.Address}");
        foreach (var hotkey in info.Hotkeys)
        {
            output.WriteLine($"  hotkey {hotkey.Name,-11} {hotkey.Address}");
        }
    }

    private static void WriteJson(TextWriter output, Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            write(writer);
        }

        output.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }

    private static void WriteWallet(Utf8JsonWriter w, WalletInfo info)
    {
        w.WriteStartObject();
        w.WriteString("name", info.Name);
        w.WriteString("path", info.Path);
        w.WritePropertyName("coldkey");
        WriteKey(w, info.Coldkey);
        w.WriteStartArray("hotkeys");
        foreach (var hotkey in info.Hotkeys)
        {
            WriteKey(w, hotkey);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteKey(Utf8JsonWriter w, WalletKeyInfo key)
    {
        w.WriteStartObject();
        w.WriteString("name", key.Name);
        w.WriteString("address", key.Address);
        w.WriteString("public_key", key.PublicKeyHex);
        w.WriteEndObject();
    }
}
