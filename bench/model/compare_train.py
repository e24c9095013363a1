#!/usr/bin/env python3
"""Side-by-side training throughput: Agora.Model (C#) against PyTorch, in one run, on this machine.

Usage (from the repository root):
    /usr/bin/python3 bench/model/compare_train.py [--config small] [--batch 8] [--threads 1,2] [--steps 3] [--skip-build]

One "step" is what a miner does per inner step: forward, backward, clip_grad_norm_(1.0) and AdamW
(lr 1e-4, betas (0.9, 0.95), weight decay 0.1 on all parameters) on a (B, T+1) batch of seeded random tokens.
The PyTorch side is the reference model of tools/reference/llama_ref.py built from the exact config.json the C# side
prints, so both train the same network. Needs Debian's python3-torch (1.13); run with /usr/bin/python3.
Each figure is the mean of --steps steps after one warm-up step, as wall-clock tokens/s and tokens per process
CPU-second (the latter is what each side achieves while it has a core, which matters on a shared machine).
"""
import argparse
import json
import os
import subprocess
import sys
import time

TORCH_CHILD = r"""
import json, os, sys, time
import torch
repo, config, batch, seq_len, threads, steps = json.loads(sys.argv[1])
sys.path.insert(0, os.path.join(repo, 'tools', 'reference'))
import llama_ref
torch.set_num_threads(threads)
torch.manual_seed(1)
cfg = llama_ref.Config(config)
model = llama_ref.LlamaForCausalLM(cfg)
with torch.no_grad():
    for name, p in model.named_parameters():
        if p.dim() == 2:
            p.normal_(0.0, 0.02)
        else:
            p.fill_(1.0)
opt = torch.optim.AdamW(model.parameters(), lr=1e-4, betas=(0.9, 0.95), eps=1e-8, weight_decay=0.1)
g = torch.Generator().manual_seed(1)
tokens = torch.randint(0, cfg.vocab_size, (batch, seq_len + 1), generator=g)
def step():
    opt.zero_grad(set_to_none=True)
    loss, _ = model.loss(tokens)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
step()
c0 = time.process_time(); t0 = time.perf_counter(); best = float('inf')
for _ in range(steps):
    l0 = time.perf_counter()
    step()
    best = min(best, time.perf_counter() - l0)
seconds = (time.perf_counter() - t0) / steps
cpu = (time.process_time() - c0) / steps
print(json.dumps({"bench": "train", "impl": "torch " + torch.__version__, "batch": batch, "seq_len": seq_len,
                  "threads": threads, "steps": steps, "seconds_per_step": seconds, "best_seconds_per_step": best,
                  "tokens_per_second": batch * seq_len / seconds, "cpu_seconds_per_step": cpu,
                  "tokens_per_cpu_second": batch * seq_len / cpu}), flush=True)
"""


def run_csharp(repo, args):
    cmd = ['dotnet', 'run', '-c', 'Release', '--project', 'bench/Agora.Bench']
    if args.skip_build:
        cmd.append('--no-build')
    cmd += ['--', 'side-by-side', 'train', '--config', args.config, '--batch', str(args.batch),
            '--threads', args.threads, '--steps', str(args.steps)]
    if args.seq_len:
        cmd += ['--seq-len', str(args.seq_len)]
    out = subprocess.run(cmd, cwd=repo, check=True, capture_output=True, text=True).stdout
    lines = [json.loads(line) for line in out.splitlines() if line.startswith('{')]
    config = next(line['config'] for line in lines if 'config' in line and isinstance(line['config'], dict))
    return config, [line for line in lines if line.get('bench') == 'train']


def run_torch(repo, config, batch, seq_len, threads, steps):
    env = dict(os.environ, OMP_NUM_THREADS=str(threads), OPENBLAS_NUM_THREADS=str(threads), MKL_NUM_THREADS=str(threads))
    out = subprocess.run(['/usr/bin/python3', '-c', TORCH_CHILD, json.dumps([repo, config, batch, seq_len, threads, steps])],
                         env=env, check=True, capture_output=True, text=True).stdout
    return [json.loads(line) for line in out.splitlines() if line.startswith('{')][0]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--config', default='small')
    ap.add_argument('--batch', type=int, default=8)
    ap.add_argument('--seq-len', type=int, default=None)
    ap.add_argument('--threads', default='1,2')
    ap.add_argument('--steps', type=int, default=3)
    ap.add_argument('--skip-build', action='store_true')
    args = ap.parse_args()
    repo = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
    print(f"# machine: {os.cpu_count()} logical CPUs, load average {os.getloadavg()[0]:.1f}")
    started = time.time()
    config, cs = run_csharp(repo, args)
    print(f"# model {args.config}: hidden {config['hidden_size']}, layers {config['num_hidden_layers']}, "
          f"heads {config['num_attention_heads']}/{config['num_key_value_heads']}, vocab {config['vocab_size']}")
    header = (f"{'thr':>3} {'B':>2} {'T':>4} | {'C# tok/s':>9} {'tok/cpu-s':>9} | {'torch tok/s':>11} {'tok/cpu-s':>9} | "
              f"{'ratio':>5} {'ratio cpu':>9}")
    print(header)
    print('-' * len(header))
    for r in cs:
        p = run_torch(repo, config, r['batch'], r['seq_len'], r['threads'], args.steps)
        print(f"{r['threads']:3d} {r['batch']:2d} {r['seq_len']:4d} | {r['tokens_per_second']:9.0f} {r['tokens_per_cpu_second']:9.0f} | "
              f"{p['tokens_per_second']:11.0f} {p['tokens_per_cpu_second']:9.0f} | "
              f"{r['tokens_per_second'] / p['tokens_per_second']:5.2f} {r['tokens_per_cpu_second'] / p['tokens_per_cpu_second']:9.2f}",
              flush=True)
    print(f"# ratio = C# / {p['impl']} (above 1: C# faster); took {time.time() - started:.0f} s; "
          f"load average now {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == '__main__':
    sys.exit(main())
