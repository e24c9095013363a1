using System.Text;
using System.Xml;

namespace Agora.Data;

/// <summary>
/// The built-in offline corpus: the English API documentation that ships with every .NET SDK, in
/// <c>&lt;root&gt;/packs/Microsoft.NETCore.App.Ref/&lt;highest version&gt;/ref/&lt;tfm&gt;/*.xml</c>. From each
/// &lt;member&gt; the text of &lt;summary&gt; and &lt;remarks&gt; is kept: tags stripped, &lt;code&gt; dropped,
/// &lt;see cref&gt;/&lt;paramref&gt;/&lt;typeparamref&gt; replaced by the simple name they point at,
/// &lt;see langword&gt; by the word, whitespace collapsed. Consecutive members of one type form one document.
/// Files are read in ordinal name order, so the corpus is identical for a given SDK.
/// </summary>
public static class SdkDocsCorpus
{
    private const string RefPack = "Microsoft.NETCore.App.Ref";

    /// <summary>The reference-pack folder with the XML docs, or a <see cref="CorpusNotFoundException"/> naming every place searched.</summary>
    public static string LocateDocsDirectory() => LocateDocsDirectory(DotnetRootLocator.CandidateRoots());

    public static string LocateDocsDirectory(IReadOnlyList<string> roots)
    {
        ArgumentNullException.ThrowIfNull(roots);
        foreach (var root in roots)
        {
            var found = DocsDirectoryUnder(root);
            if (found is not null)
            {
                return found;
            }
        }

        throw new CorpusNotFoundException(
            "No .NET SDK reference documentation (packs/" + RefPack + "/<version>/ref/<tfm>/*.xml) was found for the built-in corpus. Searched: "
            + (roots.Count == 0 ? "(no candidate folders)" : string.Join(", ", roots))
            + ". Set DOTNET_ROOT to your .NET installation, or pass your own text with --data FILE (text files, JSONL with a \"text\" field, or llm.c token shards).");
    }

    /// <summary>The documentation folder under one .NET root, or null.</summary>
    public static string? DocsDirectoryUnder(string root)
    {
        var pack = Path.Combine(root, "packs", RefPack);
        if (!Directory.Exists(pack))
        {
            return null;
        }

        var versions = Directory.GetDirectories(pack)
            .Select(d => (Dir: d, Version: System.Version.TryParse(Path.GetFileName(d).Split('-')[0], out var v) ? v : null))
            .Where(x => x.Version is not null)
            .OrderByDescending(x => x.Version)
            .ThenByDescending(x => x.Dir, StringComparer.Ordinal);
        foreach (var (dir, _) in versions)
        {
            var refDir = Path.Combine(dir, "ref");
            if (!Directory.Exists(refDir))
            {
                continue;
            }

            foreach (var tfm in Directory.GetDirectories(refDir).OrderByDescending(d => d, StringComparer.Ordinal))
            {
                if (Directory.EnumerateFiles(tfm, "*.xml").Any())
                {
                    return tfm;
                }
            }
        }

        return null;
    }

    /// <summary>Every document of the built-in corpus, found with <see cref="LocateDocsDirectory()"/>.</summary>
    public static IEnumerable<TextDocument> Load() => Load(LocateDocsDirectory());

    public static IEnumerable<TextDocument> Load(string docsDirectory)
    {
        var files = Directory.GetFiles(docsDirectory, "*.xml");
        Array.Sort(files, StringComparer.Ordinal);
        foreach (var file in files)
        {
            foreach (var doc in FromXml(File.ReadAllText(file), Path.GetFileName(file)))
            {
                yield return doc;
            }
        }
    }

    /// <summary>The documents of one XML documentation file.</summary>
    public static IEnumerable<TextDocument> FromXml(string xml, string source)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, IgnoreComments = true };
        var docs = new List<TextDocument>();
        string? currentType = null;
        var current = new StringBuilder();
        using (var reader = XmlReader.Create(new StringReader(xml), settings))
        {
            while (reader.Read())
            {
                if (reader.NodeType != XmlNodeType.Element || reader.Name != "member")
                {
                    continue;
                }

                var name = reader.GetAttribute("name") ?? string.Empty;
                var text = MemberText(reader);
                if (text.Length == 0)
                {
                    continue;
                }

                var type = TypeOf(name);
                if (type != currentType && current.Length > 0)
                {
                    docs.Add(new TextDocument($"{source}:{currentType}", current.ToString()));
                    current.Clear();
                }

                currentType = type;
                if (current.Length > 0)
                {
                    current.Append('\n');
                }

                current.Append(text);
            }
        }

        if (current.Length > 0)
        {
            docs.Add(new TextDocument($"{source}:{currentType}", current.ToString()));
        }

        return docs;
    }

    private static string MemberText(XmlReader reader)
    {
        var text = new StringBuilder();
        using var member = reader.ReadSubtree();
        var inside = 0;

        // Code samples are not English prose, so their text is dropped.
        var inCode = 0;
        while (member.Read())
        {
            switch (member.NodeType)
            {
                case XmlNodeType.Element when member.Name is "summary" or "remarks":
                    if (!member.IsEmptyElement)
                    {
                        inside++;
                    }

                    text.Append(' ');
                    break;
                case XmlNodeType.EndElement when member.Name is "summary" or "remarks":
                    inside--;
                    text.Append(' ');
                    break;
                case XmlNodeType.Element when inside > 0 && member.Name == "code":
                    if (!member.IsEmptyElement)
                    {
                        inCode++;
                    }

                    break;
                case XmlNodeType.EndElement when member.Name == "code":
                    inCode--;
                    break;
                case XmlNodeType.Element when inside > 0 && inCode == 0:
                    var word = ReferenceWord(member);
                    if (word is not null)
                    {
                        text.Append(word);
                    }
                    else if (member.Name is "para" or "list" or "item" or "br")
                    {
                        text.Append(' ');
                    }

                    break;
                case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace when inside > 0 && inCode == 0:
                    text.Append(member.Value);
                    break;
            }
        }

        return CollapseWhitespace(text.ToString());
    }

    private static string? ReferenceWord(XmlReader element)
    {
        if (!element.IsEmptyElement)
        {
            return null;
        }

        var langword = element.GetAttribute("langword");
        if (!string.IsNullOrEmpty(langword))
        {
            return langword;
        }

        var cref = element.GetAttribute("cref");
        if (!string.IsNullOrEmpty(cref))
        {
            return SimpleName(cref);
        }

        return element.Name is "paramref" or "typeparamref" ? element.GetAttribute("name") : null;
    }

    /// <summary>"M:System.String.Concat(System.String)" → "Concat"; "T:System.Collections.Generic.List`1" → "List".</summary>
    internal static string SimpleName(string cref)
    {
        var name = cref.Length > 2 && cref[1] == ':' ? cref[2..] : cref;
        var paren = name.IndexOf('(', StringComparison.Ordinal);
        if (paren >= 0)
        {
            name = name[..paren];
        }

        var parts = name.Split('.');
        var last = parts[^1];
        if (last.StartsWith('#') && parts.Length > 1)
        {
            last = parts[^2];
        }

        var tick = last.IndexOf('`', StringComparison.Ordinal);
        return tick >= 0 ? last[..tick] : last;
    }

    private static string TypeOf(string memberName)
    {
        if (memberName.StartsWith("T:", StringComparison.Ordinal))
        {
            return memberName[2..];
        }

        var name = memberName.Length > 2 ? memberName[2..] : memberName;
        var paren = name.IndexOf('(', StringComparison.Ordinal);
        if (paren >= 0)
        {
            name = name[..paren];
        }

        var dot = name.LastIndexOf('.');
        return dot >= 0 ? name[..dot] : name;
    }

    internal static string CollapseWhitespace(string text)
    {
        var sb = new StringBuilder(text.Length);
        var pendingSpace = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = sb.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                sb.Append(' ');
                pendingSpace = false;
            }

            sb.Append(c);
        }

        return sb.ToString();
    }
}
