using Agora.Model;

namespace Agora.Model.Tests;

public class ParameterLayoutTests
{
    [Fact]
    public void Tensors_tile_one_buffer_in_the_documented_order_with_hf_names_and_shapes()
    {
        var layout = new ParameterLayout(TestModels.TinyGqa);
        int offset = 0;
        foreach (var t in layout.Tensors)
        {
            Assert.Equal(offset, t.Offset);
            offset += t.Length;
        }

        Assert.Equal(layout.TotalLength, offset);
        var names = layout.Tensors.Select(t => t.Name).ToList();
        Assert.Equal("model.embed_tokens.weight", names[0]);
        Assert.Equal(
            ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj", "input_layernorm", "post_attention_layernorm"],
            names.Skip(1).Take(9).Select(n => n.Split('.')[^2]));
        Assert.Equal("model.layers.1.post_attention_layernorm.weight", names[^2]);
        Assert.Equal("model.norm.weight", names[^1]);
        Assert.Equal([512, 64], layout["model.embed_tokens.weight"].Shape);
        Assert.Equal([32, 64], layout["model.layers.0.self_attn.k_proj.weight"].Shape);
        Assert.Equal([192, 64], layout["model.layers.0.mlp.gate_proj.weight"].Shape);
        Assert.Equal([64, 192], layout["model.layers.0.mlp.down_proj.weight"].Shape);
        Assert.False(layout.Contains("lm_head.weight"));
    }

    [Fact]
    public void Named_views_alias_the_flat_buffer()
    {
        var buffer = new FlatBuffer(new ParameterLayout(ModelConfig.Tiny));
        buffer["model.norm.weight"][0] = 7f;
        Assert.Equal(7f, buffer.Data[buffer.Layout.FinalNorm.Offset]);
        Assert.Throws<KeyNotFoundException>(() => buffer["model.nope.weight"].Length);
    }
}
