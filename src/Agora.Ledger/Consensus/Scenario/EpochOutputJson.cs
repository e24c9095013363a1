using System.Text.Json;
using Agora.Core.FixedPoint;

namespace Agora.Ledger.Consensus;

/// <summary>Writes an <see cref="EpochOutput"/> in the shape of the vectors' `expect` and `trace_bits` objects.</summary>
public static class EpochOutputJson
{
    /// <summary>The `expect` object: active, stake_weight, validator_permit, consensus, validator_trust, incentive,
    /// dividends, server_emission, validator_emission, emission, bonds (dense n x n).</summary>
    public static void WriteExpect(Utf8JsonWriter writer, EpochOutput output)
    {
        writer.WriteStartObject();
        Bools(writer, "active", output.Active);
        U16s(writer, "stake_weight", output.StakeWeight);
        Bools(writer, "validator_permit", output.ValidatorPermit);
        U16s(writer, "consensus", output.Consensus);
        U16s(writer, "validator_trust", output.ValidatorTrust);
        U16s(writer, "incentive", output.Incentive);
        U16s(writer, "dividends", output.Dividends);
        U64s(writer, "server_emission", output.ServerEmission);
        U64s(writer, "validator_emission", output.ValidatorEmission);
        U64s(writer, "emission", output.Emission);
        writer.WriteStartArray("bonds");
        foreach (var row in output.DenseBonds())
        {
            writer.WriteStartArray();
            foreach (var value in row)
            {
                writer.WriteNumberValue(value);
            }

            writer.WriteEndArray();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>The `trace_bits` object: raw I32F32 stake, active_stake, consensus, validator_trust, incentive, dividends.</summary>
    public static void WriteTrace(Utf8JsonWriter writer, EpochTrace trace)
    {
        writer.WriteStartObject();
        Bits(writer, "stake", trace.Stake);
        Bits(writer, "active_stake", trace.ActiveStake);
        Bits(writer, "consensus", trace.Consensus);
        Bits(writer, "validator_trust", trace.ValidatorTrust);
        Bits(writer, "incentive", trace.Incentive);
        Bits(writer, "dividends", trace.Dividends);
        writer.WriteEndObject();
    }

    private static void Bools(Utf8JsonWriter writer, string name, bool[] values)
    {
        writer.WriteStartArray(name);
        foreach (var v in values)
        {
            writer.WriteBooleanValue(v);
        }

        writer.WriteEndArray();
    }

    private static void U16s(Utf8JsonWriter writer, string name, ushort[] values)
    {
        writer.WriteStartArray(name);
        foreach (var v in values)
        {
            writer.WriteNumberValue(v);
        }

        writer.WriteEndArray();
    }

    private static void U64s(Utf8JsonWriter writer, string name, ulong[] values)
    {
        writer.WriteStartArray(name);
        foreach (var v in values)
        {
            writer.WriteNumberValue(v);
        }

        writer.WriteEndArray();
    }

    private static void Bits(Utf8JsonWriter writer, string name, I32F32[] values)
    {
        writer.WriteStartArray(name);
        foreach (var v in values)
        {
            writer.WriteNumberValue(v.Bits);
        }

        writer.WriteEndArray();
    }
}
