using System.Text;

namespace Agora.Node.Wallets;

/// <summary>
/// Where a wallet password comes from, in order: a password file (first line), the AGORA_PASSWORD environment
/// variable, then a prompt (without echo on a terminal; one line from stdin when stdin is redirected).
/// </summary>
public sealed class PasswordSource
{
    public const string EnvironmentVariable = "AGORA_PASSWORD";

    /// <summary>A password file larger than this is refused before it is read (a password is one short line).</summary>
    public const int MaxPasswordFileBytes = 64 * 1024;

    private readonly Func<string, string?> _getEnvironment;
    private readonly TextReader _input;
    private readonly TextWriter _prompt;
    private readonly bool _interactive;

    public PasswordSource(Func<string, string?>? getEnvironment = null, TextReader? input = null, TextWriter? prompt = null, bool? interactive = null)
    {
        _getEnvironment = getEnvironment ?? Environment.GetEnvironmentVariable;
        _input = input ?? Console.In;
        _prompt = prompt ?? Console.Error;
        _interactive = interactive ?? (input is null && !Console.IsInputRedirected);
    }

    /// <summary>Returns the password; with <paramref name="confirm"/> a prompt asks twice and insists they match.</summary>
    public string Get(string? passwordFile, string purpose, bool confirm = false)
    {
        if (!string.IsNullOrEmpty(passwordFile))
        {
            return ReadPasswordFile(passwordFile);
        }

        var fromEnvironment = _getEnvironment(EnvironmentVariable);
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return fromEnvironment;
        }

        var password = Prompt($"Password for {purpose}: ");
        if (confirm)
        {
            var again = Prompt("Repeat the password: ");
            if (again != password)
            {
                throw new WalletException("The two passwords differ; nothing was written.");
            }
        }

        return password;
    }

    /// <summary>The first line of a password file (at most <see cref="MaxPasswordFileBytes"/> bytes).</summary>
    public static string ReadPasswordFile(string passwordFile)
    {
        if (!File.Exists(passwordFile))
        {
            throw new WalletException($"Password file {passwordFile} does not exist.");
        }

        var content = Encoding.UTF8.GetString(PrivateFiles.ReadBounded(passwordFile, MaxPasswordFileBytes, "Password file"));
        var firstLine = content.Split('\n')[0].TrimEnd('\r');
        return firstLine.Length > 0 ? firstLine : throw new WalletException($"Password file {passwordFile} is empty (the password is its first line).");
    }

    private string Prompt(string text)
    {
        _prompt.Write(text);
        _prompt.Flush();
        string? line;
        if (_interactive)
        {
            line = ReadWithoutEcho();
            _prompt.WriteLine();
        }
        else
        {
            line = _input.ReadLine();
        }

        if (string.IsNullOrEmpty(line))
        {
            throw new WalletException($"No password given; pass --password-file FILE, set {EnvironmentVariable}, or type one at the prompt.");
        }

        return line;
    }

    private static string ReadWithoutEcho()
    {
        var builder = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                return builder.ToString();
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                if (builder.Length > 0)
                {
                    builder.Length--;
                }
            }
            else if (!char.IsControl(key.KeyChar))
            {
                builder.Append(key.KeyChar);
            }
        }
    }
}
