using System.Text.Json;

namespace Agora.Cli.Tests;

public sealed class SimGauntletCommandTests
{
    [Fact]
    public void Json_output_reports_every_miner_in_every_window_and_is_deterministic()
    {
        string[] args = ["sim", "gauntlet", "--windows", "2", "--miners", "honest:2,noise:1,late:1", "--seed", "3", "--json"];
        (int code, string output, string error) = SimOpenSkillCliRunner.Run(args);
        Assert.True(code == 0, error);
        using JsonDocument doc = JsonDocument.Parse(output);
        JsonElement windows = doc.RootElement.GetProperty("perWindow");
        Assert.Equal(2, windows.GetArrayLength());
        Assert.All(windows.EnumerateArray(), w => Assert.Equal(4, w.GetProperty("miners").GetArrayLength()));
        Assert.Equal("Late", windows[1].GetProperty("miners")[3].GetProperty("status").GetString());
        Assert.Equal(0.0, doc.RootElement.GetProperty("finalShareByKind").GetProperty("late").GetDouble());
        Assert.Contains("scored", error, StringComparison.Ordinal);

        Assert.Equal(output, SimOpenSkillCliRunner.Run(args).Output);
    }

    [Fact]
    public void Table_output_shows_each_window_and_the_share_by_kind()
    {
        (int code, string output, string error) = SimOpenSkillCliRunner.Run("sim", "gauntlet", "--windows", "1", "--miners", "honest:1,absent:1");
        Assert.True(code == 0, error);
        Assert.Contains("window 0", output, StringComparison.Ordinal);
        Assert.Contains("Missing", output, StringComparison.Ordinal);
        Assert.Contains("accepted", output, StringComparison.Ordinal);
        Assert.Contains("final shares", output, StringComparison.Ordinal);
        Assert.Contains("100.00 %", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--miners", "honest:2,robot:1", "KIND:COUNT")]
    [InlineData("--config", "huge", "not a model config")]
    [InlineData("--windows", "0", "at least 1")]
    public void Bad_arguments_are_reported(string option, string value, string expected)
    {
        (int code, _, string error) = SimOpenSkillCliRunner.Run("sim", "gauntlet", option, value);
        Assert.Equal(1, code);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }
}
