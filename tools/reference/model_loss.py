"""Mean cross-entropy of a checkpoint on a token shard, computed by the PyTorch reference, so `agora model loss`
can be checked from outside.

    /usr/bin/python3 tools/reference/model_loss.py --checkpoint DIR --tokens FILE.bin
        [--seq-len T] [--batch-size B] [--dump-grads OUT.safetensors]

DIR holds config.json (HF LLaMA fields) and model.safetensors (HF parameter names, F32). The shard is cut into
consecutive non-overlapping rows of T + 1 tokens (T defaults to max_position_embeddings; a partial tail row is
dropped); the first B rows (default: all) form one batch, and the loss is the mean over its B*T predictions.
Prints one JSON line: {"loss": ..., "rows": B, "seq_len": T}. --dump-grads writes the gradient of that loss for
every parameter, named "grad.<parameter name>".
"""

import argparse
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import llama_ref  # noqa: E402
import safetensors_io  # noqa: E402
import shard_io  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--checkpoint", required=True)
    parser.add_argument("--tokens", required=True)
    parser.add_argument("--seq-len", type=int)
    parser.add_argument("--batch-size", type=int)
    parser.add_argument("--dump-grads")
    args = parser.parse_args()

    cfg = llama_ref.Config.load(os.path.join(args.checkpoint, "config.json"))
    model = llama_ref.LlamaForCausalLM(cfg)
    model.load_tensors(safetensors_io.load(os.path.join(args.checkpoint, "model.safetensors")))

    tokens = torch.from_numpy(shard_io.read(args.tokens))
    if int(tokens.max()) >= cfg.vocab_size:
        sys.exit(f"{args.tokens}: token {int(tokens.max())} is outside the model's vocabulary of {cfg.vocab_size}")
    t = args.seq_len or cfg.max_position_embeddings
    rows = tokens.numel() // (t + 1)
    if rows == 0:
        sys.exit(f"{args.tokens}: {tokens.numel()} tokens, fewer than one row of {t + 1}")
    b = min(args.batch_size or rows, rows)
    batch = tokens[: b * (t + 1)].view(b, t + 1)

    loss, _ = model.loss(batch)
    if args.dump_grads:
        loss.backward()
        grads = {"grad." + n: p.grad for n, p in model.named_parameters()}
        safetensors_io.save(args.dump_grads, grads, {"format": "agora.model-grads"})
    print(json.dumps({"loss": loss.item(), "rows": b, "seq_len": t}))


if __name__ == "__main__":
    main()
