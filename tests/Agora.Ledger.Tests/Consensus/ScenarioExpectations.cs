using System.Text.Json;
using Agora.Ledger.Consensus;

namespace Agora.Ledger.Tests.Consensus;

/// <summary>Compares an epoch's outputs with a scenario step's `expect`, `trace_bits` and `asserted_by_test`.</summary>
public static class ScenarioExpectations
{
    public static readonly string[] ExpectFields =
    [
        "active", "stake_weight", "validator_permit", "consensus", "validator_trust", "incentive", "dividends",
        "server_emission", "validator_emission", "emission", "bonds",
    ];

    public static void AssertMatches(JsonElement step, EpochOutput output, string where)
    {
        var expect = step.GetProperty("expect");
        Assert.Equal(ExpectFields.Order(), expect.EnumerateObject().Select(p => p.Name).Order());
        Same(where, "active", expect, output.Active.Select(v => v ? "true" : "false"), e => e.GetBoolean() ? "true" : "false");
        Same(where, "stake_weight", expect, output.StakeWeight.Select(v => (long)v));
        Same(where, "validator_permit", expect, output.ValidatorPermit.Select(v => v ? "true" : "false"), e => e.GetBoolean() ? "true" : "false");
        Same(where, "consensus", expect, output.Consensus.Select(v => (long)v));
        Same(where, "validator_trust", expect, output.ValidatorTrust.Select(v => (long)v));
        Same(where, "incentive", expect, output.Incentive.Select(v => (long)v));
        Same(where, "dividends", expect, output.Dividends.Select(v => (long)v));
        Same(where, "server_emission", expect, output.ServerEmission, e => e.GetUInt64());
        Same(where, "validator_emission", expect, output.ValidatorEmission, e => e.GetUInt64());
        Same(where, "emission", expect, output.Emission, e => e.GetUInt64());
        var bonds = output.DenseBonds();
        var expectedBonds = expect.GetProperty("bonds").EnumerateArray().Select(r => r.EnumerateArray().Select(v => (int)v.GetUInt16()).ToArray()).ToArray();
        Assert.Equal(expectedBonds.Length, bonds.Length);
        for (var i = 0; i < bonds.Length; i++)
        {
            Assert.True(expectedBonds[i].SequenceEqual(bonds[i].Select(v => (int)v)), $"{where}: bonds row {i}: expected [{string.Join(", ", expectedBonds[i])}], got [{string.Join(", ", bonds[i])}]");
        }

        if (step.TryGetProperty("trace_bits", out var trace))
        {
            Same(where, "trace stake", trace.GetProperty("stake"), output.Trace.Stake.Select(v => v.Bits));
            Same(where, "trace active_stake", trace.GetProperty("active_stake"), output.Trace.ActiveStake.Select(v => v.Bits));
            Same(where, "trace consensus", trace.GetProperty("consensus"), output.Trace.Consensus.Select(v => v.Bits));
            Same(where, "trace validator_trust", trace.GetProperty("validator_trust"), output.Trace.ValidatorTrust.Select(v => v.Bits));
            Same(where, "trace incentive", trace.GetProperty("incentive"), output.Trace.Incentive.Select(v => v.Bits));
            Same(where, "trace dividends", trace.GetProperty("dividends"), output.Trace.Dividends.Select(v => v.Bits));
        }

        if (step.TryGetProperty("asserted_by_test", out var asserted))
        {
            foreach (var field in asserted.EnumerateObject())
            {
                foreach (var item in field.Value.EnumerateArray())
                {
                    if (field.Name == "bonds")
                    {
                        Assert.Equal(item[2].GetInt32(), bonds[item[0].GetInt32()][item[1].GetInt32()]);
                    }
                    else
                    {
                        Assert.Equal(item[1].GetRawText(), expect.GetProperty(field.Name)[item[0].GetInt32()].GetRawText());
                    }
                }
            }
        }
    }

    private static void Same(string where, string field, JsonElement expect, IEnumerable<long> actual) =>
        Same(where, field, expect.ValueKind == JsonValueKind.Object ? expect.GetProperty(field) : expect, actual, e => e.GetInt64(), direct: true);

    private static void Same<T>(string where, string field, JsonElement expect, IEnumerable<T> actual, Func<JsonElement, T> read, bool direct = false)
    {
        var element = direct ? expect : expect.GetProperty(field);
        var expected = element.EnumerateArray().Select(read).ToArray();
        var got = actual.ToArray();
        Assert.True(expected.SequenceEqual(got), $"{where}: {field}: expected [{string.Join(", ", expected)}], got [{string.Join(", ", got)}]");
    }
}
