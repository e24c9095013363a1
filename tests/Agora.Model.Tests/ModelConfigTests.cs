using Agora.Model;

namespace Agora.Model.Tests;

public class ModelConfigTests
{
    [Fact]
    public void Named_configs_have_the_specified_shapes_and_the_documented_mlp_width()
    {
        Assert.Equal((64, 192, 2, 4, 4, 512, 64), Shape(ModelConfig.Named("tiny")));
        Assert.Equal((256, 704, 4, 4, 4, 4096, 256), Shape(ModelConfig.Named("small")));
        Assert.Equal((512, 1376, 8, 8, 8, 8192, 512), Shape(ModelConfig.Named("base")));
        foreach (var name in ModelConfig.Names)
        {
            var config = ModelConfig.Named(name);
            Assert.Equal(10000.0, config.RopeTheta);
            Assert.Equal(1e-5, config.RmsNormEps);
            Assert.True(config.TieWordEmbeddings);
            Assert.Equal(0, config.IntermediateSize % 32);
            Assert.InRange(config.IntermediateSize - (8.0 * config.HiddenSize / 3), 0, 32);
        }
    }

    [Fact]
    public void Unknown_config_name_is_rejected_naming_the_valid_ones()
    {
        var e = Assert.Throws<ArgumentException>(() => ModelConfig.Named("huge"));
        Assert.Contains("tiny, small, base", e.Message);
    }

    [Fact]
    public void Json_round_trips_every_field()
    {
        var config = TestModels.TinyGqa with { RopeTheta = 500000.0, RmsNormEps = 1e-6 };
        var parsed = ModelConfigJson.Parse(ModelConfigJson.Serialize(config));
        Assert.Equal(config, parsed);
    }

    [Theory]
    [InlineData("hidden_size")]
    [InlineData("intermediate_size")]
    [InlineData("num_hidden_layers")]
    [InlineData("num_attention_heads")]
    [InlineData("vocab_size")]
    [InlineData("max_position_embeddings")]
    [InlineData("rope_theta")]
    [InlineData("rms_norm_eps")]
    [InlineData("tie_word_embeddings")]
    public void Json_without_a_required_field_is_rejected_naming_it(string field)
    {
        var json = System.Text.Json.Nodes.JsonNode.Parse(ModelConfigJson.Serialize(ModelConfig.Tiny))!.AsObject();
        json.Remove(field);
        var e = Assert.Throws<InvalidDataException>(() => ModelConfigJson.Parse(json.ToJsonString()));
        Assert.Contains($"missing field {field}", e.Message);
    }

    [Theory]
    [InlineData("hidden_size", "\"64\"", "not a 32-bit integer")]
    [InlineData("hidden_size", "64.5", "not a 32-bit integer")]
    [InlineData("num_key_value_heads", "3", "must divide num_attention_heads")]
    [InlineData("num_attention_heads", "5", "must divide hidden_size")]
    [InlineData("vocab_size", "0", "vocab_size")]
    [InlineData("rms_norm_eps", "-1", "rms_norm_eps")]
    [InlineData("tie_word_embeddings", "false", "tie_word_embeddings")]
    [InlineData("hidden_act", "\"gelu\"", "hidden_act")]
    public void Json_with_an_invalid_field_is_rejected_naming_it(string field, string value, string expected)
    {
        var json = System.Text.Json.Nodes.JsonNode.Parse(ModelConfigJson.Serialize(ModelConfig.Tiny))!.AsObject();
        json[field] = System.Text.Json.Nodes.JsonNode.Parse(value);
        var e = Assert.Throws<InvalidDataException>(() => ModelConfigJson.Parse(json.ToJsonString()));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Hash_is_stable_and_changes_with_every_field()
    {
        var tiny = ModelConfig.Tiny;
        Assert.Equal(Convert.ToHexStringLower(tiny.Hash()), Convert.ToHexStringLower(ModelConfigJson.Parse(ModelConfigJson.Serialize(tiny)).Hash()));
        var variants = new[]
        {
            tiny, tiny with { HiddenSize = 128 }, tiny with { IntermediateSize = 160 }, tiny with { NumHiddenLayers = 3 },
            tiny with { NumAttentionHeads = 8 }, tiny with { NumKeyValueHeads = 2 }, tiny with { VocabSize = 513 },
            tiny with { MaxPositionEmbeddings = 128 }, tiny with { RopeTheta = 20000 }, tiny with { RmsNormEps = 1e-6 },
        };
        Assert.Equal(variants.Length, variants.Select(v => Convert.ToHexString(v.Hash())).Distinct().Count());
        Assert.Equal(32, tiny.Hash().Length);
    }

    [Fact]
    public void Parameter_count_equals_the_layout_length()
    {
        foreach (var config in new[] { ModelConfig.Tiny, TestModels.TinyGqa, ModelConfig.Small, ModelConfig.Base })
        {
            Assert.Equal(config.ParameterCount(), new ParameterLayout(config).TotalLength);
        }
    }

    private static (int, int, int, int, int, int, int) Shape(ModelConfig c)
        => (c.HiddenSize, c.IntermediateSize, c.NumHiddenLayers, c.NumAttentionHeads, c.NumKeyValueHeads, c.VocabSize, c.MaxPositionEmbeddings);
}
