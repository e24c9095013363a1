using System.Text.Json;
using Agora.Ledger.Consensus;

namespace Agora.Ledger.Tests.Consensus;

public class YumaScenarioVectorTests
{
    public static TheoryData<string> ScenarioFiles() => new(ScenarioFileNames());

    private static List<string> ScenarioFileNames()
    {
        var data = new List<string>();
        foreach (var path in Directory.GetFiles(YumaVectors.Directory, "*.json").Order(StringComparer.Ordinal))
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            if (doc.RootElement.TryGetProperty("format", out var f) && f.GetString() == YumaScenario.Format)
            {
                data.Add(Path.GetFileName(path));
            }
        }

        return data;
    }

    [Fact]
    public void The_vector_folder_holds_the_tv3_scenario()
    {
        Assert.Contains("tv3_test_bonds.json", ScenarioFileNames());
    }

    [Theory]
    [MemberData(nameof(ScenarioFiles))]
    public void Every_epoch_of_the_scenario_matches_expect_and_trace_bits_exactly(string file)
    {
        var text = YumaVectors.Text(file);
        var scenario = YumaScenario.Parse(text);
        using var doc = JsonDocument.Parse(text);
        var steps = doc.RootElement.GetProperty("steps").EnumerateArray().ToArray();
        var epochs = YumaScenarioRunner.Run(scenario);
        Assert.Equal(steps.Count(s => s.GetProperty("op").GetString() == "epoch"), epochs.Count);
        foreach (var epoch in epochs)
        {
            ScenarioExpectations.AssertMatches(steps[epoch.StepIndex], epoch.Output, $"{file} step {epoch.StepIndex} (block {epoch.Block})");
        }
    }
}
