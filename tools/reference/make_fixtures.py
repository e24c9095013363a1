"""Generates the PyTorch fixtures that tests/Agora.Model.Tests compares the C# model against.

Run from the repository root (CI never needs this; the outputs are committed):
    /usr/bin/python3 tools/reference/make_fixtures.py [--out tests/Agora.Model.Tests/Fixtures]
The format is described in tools/reference/README.md. Everything is seeded, so re-running reproduces the
files up to PyTorch version differences in float rounding.
"""

import argparse
import json
import math
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import llama_ref  # noqa: E402
import safetensors_io  # noqa: E402
import shard_io  # noqa: E402

FIXTURES = {
    # The spec's tiny config; intermediate_size 192 is Agora's rule ceil(8d/3 / 32) * 32 for d = 64.
    "tiny": dict(
        config=dict(hidden_size=64, intermediate_size=192, num_hidden_layers=2, num_attention_heads=4,
                    num_key_value_heads=4, vocab_size=512, max_position_embeddings=64,
                    rope_theta=10000.0, rms_norm_eps=1e-5),
        batch_size=2, seq_len=64, seed=1234, final_params=False),
    # Grouped-query attention (2 query heads per kv head), head_dim 8, a non-default RoPE theta and eps,
    # and T shorter than max_position_embeddings, so hard-coded defaults cannot pass by accident.
    "gqa": dict(
        config=dict(hidden_size=32, intermediate_size=96, num_hidden_layers=2, num_attention_heads=4,
                    num_key_value_heads=2, vocab_size=128, max_position_embeddings=32,
                    rope_theta=500000.0, rms_norm_eps=1e-6),
        batch_size=3, seq_len=24, seed=5678, final_params=True),
}

ADAMW = dict(lr=1e-3, beta1=0.9, beta2=0.95, eps=1e-8, weight_decay=0.1, clip_norm=1.0, steps=10)


def init_weights(model, generator):
    """Seeded values in sorted-name order: RMSNorm weights 1 + 0.1*N(0,1) (so a norm that ignores its weight
    fails), the embedding 0.3*N(0,1), Linear weights N(0, 1/fan_in)."""
    params = dict(model.named_parameters())
    with torch.no_grad():
        for name in sorted(params):
            p = params[name]
            noise = torch.randn(p.shape, generator=generator, dtype=torch.float32)
            if name.endswith("layernorm.weight") or name == "model.norm.weight":
                p.copy_(1.0 + 0.1 * noise)
            elif name == "model.embed_tokens.weight":
                p.copy_(0.3 * noise)
            else:
                p.copy_(noise / math.sqrt(p.shape[1]))


def to_json(summary):
    """Indented JSON with each token row on one line, so the file stays short and diffable."""
    rows = summary.pop("tokens")
    text = json.dumps(summary, indent=1)
    row_text = ",\n  ".join(json.dumps(r) for r in rows)
    return text[:-2] + ',\n "tokens": [\n  ' + row_text + "\n ]\n}\n"


def make(name, spec, out_root):
    out = os.path.join(out_root, name)
    os.makedirs(out, exist_ok=True)
    cfg = llama_ref.Config(spec["config"])
    model = llama_ref.LlamaForCausalLM(cfg)
    generator = torch.Generator().manual_seed(spec["seed"])
    init_weights(model, generator)
    b, t = spec["batch_size"], spec["seq_len"]
    tokens = torch.randint(0, cfg.vocab_size, (b, t + 1), generator=generator)

    with open(os.path.join(out, "config.json"), "w") as f:
        json.dump(cfg.to_json(), f, indent=2)
        f.write("\n")
    params = dict(model.named_parameters())
    safetensors_io.save(os.path.join(out, "model.safetensors"), params, {"format": "pt"})
    shard_io.write(os.path.join(out, "tokens.bin"), tokens.numpy())

    loss, logits = model.loss(tokens)
    model.zero_grad()
    loss.backward()
    # Clones: the optimizer loop below zeroes and refills the same .grad tensors in place.
    expected = {"logits": logits.detach().clone()}
    for pname, p in params.items():
        expected["grad." + pname] = p.grad.detach().clone()

    optimizer = torch.optim.AdamW(model.parameters(), lr=ADAMW["lr"], betas=(ADAMW["beta1"], ADAMW["beta2"]),
                                  eps=ADAMW["eps"], weight_decay=ADAMW["weight_decay"])
    losses, grad_norms = [], []
    for _ in range(ADAMW["steps"]):
        optimizer.zero_grad()
        step_loss, _ = model.loss(tokens)
        losses.append(step_loss.item())
        step_loss.backward()
        grad_norms.append(torch.nn.utils.clip_grad_norm_(model.parameters(), ADAMW["clip_norm"]).item())
        optimizer.step()
    with torch.no_grad():
        losses.append(model.loss(tokens)[0].item())
    if spec["final_params"]:
        for pname, p in model.named_parameters():
            expected["after_adamw." + pname] = p.detach().clone()
    safetensors_io.save(os.path.join(out, "expected.safetensors"), expected, {"format": "agora.model-fixture"})

    summary = {
        "format": "agora.model-fixture",
        "version": 1,
        "name": name,
        "seed": spec["seed"],
        "batch_size": b,
        "seq_len": t,
        "tokens": tokens.tolist(),
        "loss": loss.item(),
        "adamw": dict(ADAMW, losses=losses, grad_norms=grad_norms),
        "torch_version": torch.__version__,
    }
    with open(os.path.join(out, "expected.json"), "w") as f:
        f.write(to_json(summary))
    size = sum(os.path.getsize(os.path.join(out, n)) for n in os.listdir(out))
    print(f"{name}: loss {loss.item():.6f}, after {ADAMW['steps']} AdamW steps {losses[-1]:.6f}, {size / 1024:.0f} KiB in {out}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default="tests/Agora.Model.Tests/Fixtures")
    args = parser.parse_args()
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    for name, spec in FIXTURES.items():
        make(name, spec, args.out)


if __name__ == "__main__":
    main()
