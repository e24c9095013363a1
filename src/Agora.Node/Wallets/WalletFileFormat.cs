using System.Text;
using System.Text.Json;
using Agora.Core.Addresses;

namespace Agora.Node.Wallets;

/// <summary>
/// The wallet file: versioned JSON, public keys and addresses in clear, each seed sealed separately.
/// <code>
/// { "format": "agora-wallet", "version": 1, "name": "alice",
///   "coldkey": { "name": "coldkey", "public_key": hex, "address": ss58, "sealed": { "kdf": "scrypt", "n", "r", "p",
///                "salt": hex, "cipher": "aes-256-gcm", "nonce": hex, "ciphertext": hex, "tag": hex } },
///   "hotkeys": [ { "name": "default", ...same fields } ] }
/// </code>
/// </summary>
public static class WalletFileFormat
{
    public const string FormatName = "agora-wallet";
    public const int Version = 1;
    public const int MaxFileBytes = 1 << 20;

    /// <summary>Associated data binding a sealed seed to its slot and public key.</summary>
    public static byte[] AssociatedData(string role, ReadOnlySpan<byte> publicKey)
        => Encoding.UTF8.GetBytes($"{FormatName}/v{Version}/{role}/{Convert.ToHexStringLower(publicKey)}");

    public static byte[] Write(Wallet wallet)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("format", FormatName);
            json.WriteNumber("version", Version);
            json.WriteString("name", wallet.Name);
            json.WritePropertyName("coldkey");
            WriteKey(json, wallet.Coldkey);
            json.WriteStartArray("hotkeys");
            foreach (var hotkey in wallet.Hotkeys)
            {
                WriteKey(json, hotkey);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    /// <summary>Parses and checks a wallet file; <paramref name="source"/> names it in errors.</summary>
    public static Wallet Read(ReadOnlySpan<byte> bytes, string source)
    {
        try
        {
            using var document = JsonDocument.Parse(bytes.ToArray());
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new WalletException($"{source}: a wallet file is a JSON object.");
            }

            var format = String(root, "format", source);
            if (format != FormatName)
            {
                throw new WalletException($"{source}: format is '{format}', expected '{FormatName}'.");
            }

            var version = Int(root, "version", source);
            if (version != Version)
            {
                throw new WalletException($"{source}: wallet file version {version} is not supported (this build reads version {Version}).");
            }

            var name = String(root, "name", source);
            WalletName.Validate(name);
            var coldkey = ReadKey(Property(root, "coldkey", source), source + " coldkey");
            if (coldkey.Name != Wallet.ColdkeyRole)
            {
                throw new WalletException($"{source}: the coldkey entry is named '{coldkey.Name}', expected '{Wallet.ColdkeyRole}'.");
            }

            var hotkeysElement = Property(root, "hotkeys", source);
            if (hotkeysElement.ValueKind != JsonValueKind.Array)
            {
                throw new WalletException($"{source}: 'hotkeys' must be an array.");
            }

            var hotkeys = new List<WalletKey>();
            foreach (var element in hotkeysElement.EnumerateArray())
            {
                var hotkey = ReadKey(element, $"{source} hotkey #{hotkeys.Count}");
                WalletName.ValidateHotkey(hotkey.Name);
                if (hotkeys.Any(h => h.Name == hotkey.Name))
                {
                    throw new WalletException($"{source}: hotkey '{hotkey.Name}' appears twice.");
                }

                hotkeys.Add(hotkey);
            }

            return new Wallet(name, coldkey, hotkeys);
        }
        catch (JsonException e)
        {
            throw new WalletException($"{source} is not valid JSON: {e.Message}", e);
        }
        catch (ArgumentException e)
        {
            throw new WalletException($"{source}: {e.Message}", e);
        }
    }

    private static void WriteKey(Utf8JsonWriter json, WalletKey key)
    {
        json.WriteStartObject();
        json.WriteString("name", key.Name);
        json.WriteString("public_key", key.PublicKeyHex);
        json.WriteString("address", key.Address);
        json.WriteStartObject("sealed");
        json.WriteString("kdf", "scrypt");
        json.WriteNumber("n", key.Sealed.Kdf.N);
        json.WriteNumber("r", key.Sealed.Kdf.R);
        json.WriteNumber("p", key.Sealed.Kdf.P);
        json.WriteString("salt", Convert.ToHexStringLower(key.Sealed.Salt));
        json.WriteString("cipher", "aes-256-gcm");
        json.WriteString("nonce", Convert.ToHexStringLower(key.Sealed.Nonce));
        json.WriteString("ciphertext", Convert.ToHexStringLower(key.Sealed.Ciphertext));
        json.WriteString("tag", Convert.ToHexStringLower(key.Sealed.Tag));
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static WalletKey ReadKey(JsonElement element, string source)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new WalletException($"{source}: a key entry is a JSON object.");
        }

        var name = String(element, "name", source);
        var publicKey = Hex(element, "public_key", source, Ss58Address.PublicKeyLength);
        var address = String(element, "address", source);
        if (address != Ss58Address.Encode(publicKey))
        {
            throw new WalletException($"{source}: address {address} does not match public key {Convert.ToHexStringLower(publicKey)}.");
        }

        var sealedElement = Property(element, "sealed", source);
        var kdfName = String(sealedElement, "kdf", source);
        var cipher = String(sealedElement, "cipher", source);
        if (kdfName != "scrypt" || cipher != "aes-256-gcm")
        {
            throw new WalletException($"{source}: unsupported protection {kdfName}/{cipher}; this build reads scrypt/aes-256-gcm.");
        }

        // Bounded here, before anything is derived: a hostile file must not make the reader allocate gigabytes.
        var kdf = new ScryptParameters(Int(sealedElement, "n", source), Int(sealedElement, "r", source), Int(sealedElement, "p", source));
        try
        {
            kdf.Validate();
        }
        catch (WalletException e)
        {
            throw new WalletException($"{source}: {e.Message}", e);
        }
        var sealedSeed = new SealedSeed(
            kdf,
            Hex(sealedElement, "salt", source, SealedSeed.SaltSize),
            Hex(sealedElement, "nonce", source, SealedSeed.NonceSize),
            Hex(sealedElement, "ciphertext", source, SealedSeed.SeedSize),
            Hex(sealedElement, "tag", source, SealedSeed.TagSize));
        return new WalletKey(name, publicKey, sealedSeed);
    }

    private static JsonElement Property(JsonElement element, string name, string source)
        => element.TryGetProperty(name, out var value) ? value : throw new WalletException($"{source}: field '{name}' is missing.");

    private static string String(JsonElement element, string name, string source)
    {
        var value = Property(element, name, source);
        return value.ValueKind == JsonValueKind.String ? value.GetString()! : throw new WalletException($"{source}: field '{name}' must be a string.");
    }

    private static int Int(JsonElement element, string name, string source)
    {
        var value = Property(element, name, source);
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) ? n : throw new WalletException($"{source}: field '{name}' must be a 32-bit integer.");
    }

    private static byte[] Hex(JsonElement element, string name, string source, int expectedLength)
    {
        var text = String(element, name, source);
        byte[] bytes;
        try
        {
            bytes = Convert.FromHexString(text);
        }
        catch (FormatException)
        {
            throw new WalletException($"{source}: field '{name}' is not hex.");
        }

        return bytes.Length == expectedLength ? bytes : throw new WalletException($"{source}: field '{name}' is {bytes.Length} bytes, expected {expectedLength}.");
    }
}
