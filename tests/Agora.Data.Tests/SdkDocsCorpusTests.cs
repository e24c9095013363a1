using System.Text;

namespace Agora.Data.Tests;

public sealed class SdkDocsCorpusTests
{
    private const string Xml = """
        <?xml version="1.0" encoding="utf-8"?>
        <doc>
          <assembly><name>System.Example</name></assembly>
          <members>
            <member name="T:System.Example.Widget">
              <summary>Represents a   widget that wraps a <see cref="T:System.Collections.Generic.List`1" />.</summary>
              <remarks>
                <para>Use <paramref name="count" /> or <see langword="null" />.</para>
                <code>var w = new Widget();</code>
                <para>Thread-safe.</para>
              </remarks>
            </member>
            <member name="M:System.Example.Widget.#ctor(System.Int32)">
              <summary>Initializes a new <see cref="M:System.Example.Widget.#ctor" /> of <typeparamref name="T" />.</summary>
              <param name="count">Not part of the corpus.</param>
            </member>
            <member name="P:System.Example.Gadget.Size">
              <summary>Gets the size, see <see cref="M:System.String.Concat(System.String,System.String)" />.</summary>
              <returns>Not part of the corpus either.</returns>
            </member>
            <member name="F:System.Example.Gadget.Empty" />
          </members>
        </doc>
        """;

    [Fact]
    public void Summaries_and_remarks_become_plain_text_grouped_by_type()
    {
        var docs = SdkDocsCorpus.FromXml(Xml, "System.Example.xml").ToList();

        Assert.Equal(2, docs.Count);
        Assert.Equal("System.Example.xml:System.Example.Widget", docs[0].Source);
        Assert.Equal(
            "Represents a widget that wraps a List. Use count or null. Thread-safe.\nInitializes a new Widget of T.",
            docs[0].Text);
        Assert.Equal("Gets the size, see Concat.", docs[1].Text);
    }

    [Fact]
    public void The_highest_reference_pack_version_is_chosen()
    {
        using var dir = new TempDirectory();
        foreach (var version in new[] { "9.0.1", "10.0.2", "10.0.10", "not-a-version" })
        {
            var tfm = Path.Combine(dir.Path, "packs", "Microsoft.NETCore.App.Ref", version, "ref", "net" + version);
            Directory.CreateDirectory(tfm);
            File.WriteAllText(Path.Combine(tfm, "A.xml"), Xml);
        }

        var found = SdkDocsCorpus.LocateDocsDirectory([Path.Combine(dir.Path, "missing"), dir.Path]);

        Assert.Equal(Path.Combine(dir.Path, "packs", "Microsoft.NETCore.App.Ref", "10.0.10", "ref", "net10.0.10"), found);
        Assert.Equal(2, SdkDocsCorpus.Load(found).Count());
    }

    [Fact]
    public void A_missing_sdk_fails_naming_the_searched_folders_and_the_data_option()
    {
        var e = Assert.Throws<CorpusNotFoundException>(() => SdkDocsCorpus.LocateDocsDirectory(["/nowhere/dotnet", "/also/not/here"]));

        Assert.Contains("/nowhere/dotnet", e.Message);
        Assert.Contains("/also/not/here", e.Message);
        Assert.Contains("--data", e.Message);
    }

    [Fact]
    public void The_running_sdk_provides_megabytes_of_english_text()
    {
        var docs = SdkDocsCorpus.Load().ToList();

        var bytes = docs.Sum(d => (long)Encoding.UTF8.GetByteCount(d.Text));
        Assert.True(docs.Count > 1000, $"only {docs.Count} documents");
        Assert.True(bytes > 2_000_000, $"only {bytes} bytes");
        Assert.Contains(docs, d => d.Text.Contains("Represents a", StringComparison.Ordinal));
        Assert.DoesNotContain(docs, d => d.Text.Contains("<see", StringComparison.Ordinal) || d.Text.Contains("  ", StringComparison.Ordinal));
    }

    [Fact]
    public void Candidate_roots_include_the_running_runtime_root()
    {
        var roots = DotnetRootLocator.CandidateRoots();

        Assert.Contains(roots, r => Directory.Exists(Path.Combine(r, "shared", "Microsoft.NETCore.App")));
    }
}
