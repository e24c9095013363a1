using System.Text.Json;
using System.Text.Json.Nodes;
using Agora.Cli.Commands;

namespace Agora.Cli.Tests;

public sealed class SimYumaCommandTests : IDisposable
{
    private readonly string scratch = Path.Combine(Path.GetTempPath(), "agora-sim-yuma-" + Guid.NewGuid().ToString("N"));

    public SimYumaCommandTests() => Directory.CreateDirectory(scratch);

    public void Dispose() => Directory.Delete(scratch, recursive: true);

    private static string Tv3Path()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            foreach (var candidate in new[] { Path.Combine(dir.FullName, "shared", "vectors", "yuma"), Path.Combine(dir.FullName, "..", "shared", "vectors", "yuma") })
            {
                var file = Path.Combine(candidate, "tv3_test_bonds.json");
                if (File.Exists(file))
                {
                    return Path.GetFullPath(file);
                }
            }
        }

        throw new FileNotFoundException($"shared/vectors/yuma/tv3_test_bonds.json not found above {AppContext.BaseDirectory}; the tests need ../shared beside the repository");
    }

    private static (int Code, string Out, string Err) Run(string path, bool json)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = SimYumaCommand.Run(new FileInfo(path), json, output, error);
        return (code, output.ToString(), error.ToString());
    }

    private string WriteVariant(Action<JsonObject> edit)
    {
        var root = JsonNode.Parse(File.ReadAllText(Tv3Path()))!.AsObject();
        edit(root);
        var path = Path.Combine(scratch, "variant.json");
        File.WriteAllText(path, root.ToJsonString());
        return path;
    }

    [Fact]
    public void Json_output_of_tv3_equals_every_expect_and_trace_of_the_file()
    {
        var (code, stdout, stderr) = Run(Tv3Path(), json: true);
        Assert.True(code == 0, stderr);
        using var result = JsonDocument.Parse(stdout);
        using var file = JsonDocument.Parse(File.ReadAllText(Tv3Path()));
        Assert.Equal(SimYumaCommand.ResultFormat, result.RootElement.GetProperty("format").GetString());
        var steps = file.RootElement.GetProperty("steps").EnumerateArray().ToArray();
        var epochs = result.RootElement.GetProperty("epochs").EnumerateArray().ToArray();
        Assert.Equal(steps.Count(s => s.GetProperty("op").GetString() == "epoch"), epochs.Length);
        foreach (var epoch in epochs)
        {
            var step = steps[epoch.GetProperty("step").GetInt32()];
            Assert.Equal(step.GetProperty("block").GetUInt64(), epoch.GetProperty("block").GetUInt64());
            foreach (var section in new[] { "expect", "trace_bits" })
            {
                var want = step.GetProperty(section);
                var got = epoch.GetProperty(section);
                Assert.Equal(want.EnumerateObject().Select(p => p.Name).Order(), got.EnumerateObject().Select(p => p.Name).Order());
                foreach (var field in want.EnumerateObject())
                {
                    Assert.True(JsonNode.DeepEquals(JsonNode.Parse(field.Value.GetRawText()), JsonNode.Parse(got.GetProperty(field.Name).GetRawText())), $"block {epoch.GetProperty("block")}: {section}.{field.Name} differs");
                }
            }
        }
    }

    [Fact]
    public void Table_output_lists_every_uid_of_every_epoch()
    {
        var (code, stdout, _) = Run(Tv3Path(), json: false);
        Assert.Equal(0, code);
        Assert.Contains("epoch at block 9", stdout);
        Assert.Contains("500000000", stdout);
    }

    [Fact]
    public void A_changed_expect_value_is_reported_as_a_mismatch_with_exit_code_1()
    {
        var path = WriteVariant(root => root["steps"]![16]!["expect"]!["dividends"]![0] = 3482);
        var (code, _, stderr) = Run(path, json: true);
        Assert.Equal(1, code);
        Assert.Contains("steps[16] (block 9): dividends", stderr);
    }

    [Fact]
    public void A_missing_key_is_named_in_the_error()
    {
        var path = WriteVariant(root => root["params"]!.AsObject().Remove("kappa"));
        var (code, stdout, stderr) = Run(path, json: true);
        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        Assert.Contains("params.kappa: missing required key", stderr);
    }

    [Fact]
    public void A_value_of_the_wrong_type_is_named_in_the_error()
    {
        var path = WriteVariant(root => root["initial"]!["stake"]![2] = "three");
        var (code, _, stderr) = Run(path, json: true);
        Assert.Equal(1, code);
        Assert.Contains("initial.stake[2]: expected an unsigned 64-bit integer", stderr);
    }

    [Fact]
    public void A_wrong_format_id_is_rejected()
    {
        var path = WriteVariant(root => root["format"] = "yuma-scenario/2");
        var (code, _, stderr) = Run(path, json: true);
        Assert.Equal(1, code);
        Assert.Contains("format: expected \"yuma-scenario/1\"", stderr);
    }

    [Fact]
    public void An_unknown_step_op_is_rejected()
    {
        var path = WriteVariant(root => root["steps"]![1]!["op"] = "set_weight");
        var (code, _, stderr) = Run(path, json: false);
        Assert.Equal(1, code);
        Assert.Contains("steps[1].op", stderr);
    }

    [Fact]
    public void Invalid_json_is_reported_as_such()
    {
        var path = Path.Combine(scratch, "broken.json");
        File.WriteAllText(path, "{\"format\": ");
        var (code, _, stderr) = Run(path, json: true);
        Assert.Equal(1, code);
        Assert.Contains("not valid JSON", stderr);
    }

    [Fact]
    public void A_yuma3_liquid_alpha_variant_replays_and_stores_ema_bonds_instead_of_upscaled_ones()
    {
        var path = WriteVariant(root =>
        {
            root["params"]!["yuma3"] = true;
            root["params"]!["liquid_alpha"] = true;
            foreach (var step in root["steps"]!.AsArray())
            {
                step!.AsObject().Remove("expect");
            }
        });
        var (code, stdout, stderr) = Run(path, json: true);
        Assert.True(code == 0, stderr);
        using var result = JsonDocument.Parse(stdout);
        var epochs = result.RootElement.GetProperty("epochs").EnumerateArray().ToArray();
        Assert.Equal(9, epochs.Length);
        // After the first weighted epoch (block 2) original Yuma stores column-max-upscaled bonds (65535 for the
        // largest stake); Yuma 3 stores the EMA proportion itself, which stays well below 65535.
        var bonds = epochs[1].GetProperty("expect").GetProperty("bonds");
        var largest = bonds.EnumerateArray().SelectMany(r => r.EnumerateArray()).Max(v => v.GetInt32());
        Assert.InRange(largest, 1, 65534);
    }

    [Fact]
    public void The_example_in_the_format_documentation_replays_and_meets_its_expect()
    {
        string? doc = null;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null && doc is null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "src", "Agora.Ledger", "Consensus", "Scenario", "FORMAT.md");
            doc = File.Exists(candidate) ? candidate : null;
        }

        Assert.True(doc is not null, "src/Agora.Ledger/Consensus/Scenario/FORMAT.md not found above the test binary");
        var text = File.ReadAllText(doc);
        var start = text.IndexOf("```json\n", StringComparison.Ordinal) + "```json\n".Length;
        var end = text.IndexOf("```", start, StringComparison.Ordinal);
        var path = Path.Combine(scratch, "example.json");
        File.WriteAllText(path, text[start..end]);
        var (code, stdout, stderr) = Run(path, json: true);
        Assert.True(code == 0, stderr);
        Assert.Contains("\"epochs\"", stdout);
    }

    [Fact]
    public void A_missing_file_exits_with_code_2()
    {
        var (code, _, stderr) = Run(Path.Combine(scratch, "nope.json"), json: true);
        Assert.Equal(2, code);
        Assert.Contains("does not exist", stderr);
    }
}
