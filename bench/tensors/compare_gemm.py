#!/usr/bin/env python3
"""Side-by-side fp32 GEMM: Agora.Tensors (C#) against torch.mm, in one run, on this machine.

Usage (from the repository root):
    python3 bench/tensors/compare_gemm.py [--sizes 256,512,1024] [--threads 1,2] [--layouts nn,nt,tn]
                                          [--blas-dir DIR] [--skip-build]

Needs Debian's python3-torch (`apt-get update && apt-get install -y python3-torch`); run it with /usr/bin/python3.
Debian's torch 1.13 calls whatever libblas.so.3 the system resolves (the reference BLAS unless an optimised one is
installed). --blas-dir DIR additionally times torch with LD_LIBRARY_PATH=DIR, e.g. the libblas.so.3 from an extracted
libopenblas0-pthread package, without changing the system.

Each figure is the best of several repetitions after a warm-up, as wall-clock GFLOP/s and as GFLOP/s per process
CPU-second (the latter is what a kernel achieves while it has a core, which matters on a shared, loaded machine).
The FMA peak is threads x GHz x 2 FMA units x 8 fp32 lanes x 2 flops (AVX2); GHz is read from /proc/cpuinfo
("cpu MHz", the clock the kernel reports, usually the nominal one: boost clocks can push a fraction above 1). The
AVX-512 peak (16 lanes) is printed too because Agora's GEMM uses AVX-512 when the CPU has it.
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
sizes, threads_list, layouts = json.loads(sys.argv[1])
def blas_libs():
    try:
        with open('/proc/self/maps') as f:
            libs = {line.split()[-1] for line in f if 'blas' in line.lower() or 'mkl' in line.lower()}
        return sorted(os.path.realpath(l) for l in libs)
    except OSError:
        return []
for n in sizes:
    for layout in layouts:
        for threads in threads_list:
            torch.set_num_threads(threads)
            g = torch.Generator().manual_seed(1)
            a = torch.rand(n, n, generator=g) - 0.5
            b = torch.rand(n, n, generator=g) - 0.5
            if layout == 'tn':
                op = lambda: torch.mm(a.t(), b)
            elif layout == 'nt':
                op = lambda: torch.mm(a, b.t())
            else:
                op = lambda: torch.mm(a, b)
            flops = 2.0 * n * n * n
            reps = max(3, int(min(50, 4e10 / flops)))
            op(); op()
            best = best_cpu = float('inf')
            for _ in range(reps):
                c0 = time.process_time(); t0 = time.perf_counter()
                op()
                best = min(best, time.perf_counter() - t0)
                best_cpu = min(best_cpu, time.process_time() - c0)
            print(json.dumps({"kernel": "gemm", "layout": layout, "m": n, "k": n, "n": n, "threads": threads,
                              "seconds": best, "gflops": flops / best / 1e9,
                              "cpu_seconds": best_cpu, "gflops_per_cpu_second": flops / max(best_cpu, 1e-9) / 1e9,
                              "blas": blas_libs()}), flush=True)
"""


def cpu_ghz():
    mhz = []
    with open('/proc/cpuinfo') as f:
        for line in f:
            if line.startswith('cpu MHz'):
                mhz.append(float(line.split(':')[1]))
    return (max(mhz) / 1000.0) if mhz else None


def run_csharp(repo, sizes, threads, layouts, skip_build):
    cmd = ['dotnet', 'run', '-c', 'Release', '--project', 'bench/Agora.Bench']
    if skip_build:
        cmd.append('--no-build')
    cmd += ['--', 'side-by-side', 'gemm', '--sizes', ','.join(map(str, sizes)),
            '--threads', ','.join(map(str, threads)), '--layouts', ','.join(layouts)]
    out = subprocess.run(cmd, cwd=repo, check=True, capture_output=True, text=True).stdout
    return [json.loads(line) for line in out.splitlines() if line.startswith('{')]


def run_torch(sizes, threads, layouts, blas_dir=None):
    """One child per thread count, so a BLAS with its own thread pool (OpenBLAS) gets the same count as torch."""
    rows = []
    for t in threads:
        rows += run_torch_child(sizes, [t], layouts, blas_dir)
    return rows


def run_torch_child(sizes, threads, layouts, blas_dir):
    env = dict(os.environ)
    env['OMP_NUM_THREADS'] = str(max(threads))
    env['OPENBLAS_NUM_THREADS'] = str(max(threads))
    if blas_dir:
        env['LD_LIBRARY_PATH'] = blas_dir + (':' + env['LD_LIBRARY_PATH'] if env.get('LD_LIBRARY_PATH') else '')
    out = subprocess.run(['/usr/bin/python3', '-c', TORCH_CHILD, json.dumps([sizes, threads, layouts])],
                         env=env, check=True, capture_output=True, text=True).stdout
    return [json.loads(line) for line in out.splitlines() if line.startswith('{')]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--sizes', default='256,512,1024')
    ap.add_argument('--threads', default='1,2')
    ap.add_argument('--layouts', default='nn')
    ap.add_argument('--blas-dir', default=None, help='also time torch with LD_LIBRARY_PATH=DIR (e.g. OpenBLAS)')
    ap.add_argument('--skip-build', action='store_true')
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(',')]
    threads = [int(t) for t in args.threads.split(',')]
    layouts = args.layouts.split(',')
    repo = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))

    load = os.getloadavg()
    ghz = cpu_ghz()
    print(f"# machine: {os.cpu_count()} logical CPUs, clock from /proc/cpuinfo = {ghz} GHz, load average {load[0]:.1f}")
    print("# peak per thread: AVX2 = GHz x 2 FMA x 8 lanes x 2 flops = "
          f"{ghz * 32:.1f} GFLOP/s; AVX-512 = {ghz * 64:.1f} GFLOP/s (assumes the reported clock)")
    started = time.time()
    cs = run_csharp(repo, sizes, threads, layouts, args.skip_build)
    peers = [('torch', run_torch(sizes, threads, layouts))]
    if args.blas_dir:
        peers.append(('torch+' + os.path.basename(os.path.normpath(args.blas_dir)), run_torch(sizes, threads, layouts, args.blas_dir)))
    for name, rows in peers:
        libs = sorted({lib for r in rows for lib in r.get('blas', [])})
        print(f"# {name} BLAS libraries mapped: {', '.join(libs) or 'unknown'}")

    def key(r):
        return (r['layout'], r['m'], r['threads'])

    print("# GF/s = wall clock; GF/cpu-s = flops per process CPU-second (per-core speed while running);")
    print("# peak fractions use GF/cpu-s against ONE core's peak (AVX2 and AVX-512) at the reported clock.")
    header = (f"{'layout':6} {'size':>5} {'thr':>3} | {'C# GF/s':>8} {'GF/cpu-s':>8} {'/AVX2pk':>7} {'/512pk':>6} | "
              + " | ".join(f"{name[:18]:>18} {'GF/s':>6} {'GF/cpu-s':>8} {'ratio':>5} {'ratio cpu':>9}" for name, _ in peers))
    print(header)
    print('-' * len(header))
    for r in cs:
        cpu = r['gflops_per_cpu_second']
        line = (f"{r['layout']:6} {r['m']:5d} {r['threads']:3d} | {r['gflops']:8.1f} {cpu:8.1f} "
                f"{cpu / (ghz * 32):7.2f} {cpu / (ghz * 64):6.2f} | ")
        parts = []
        for name, rows in peers:
            p = next((x for x in rows if key(x) == key(r)), None)
            if p is None:
                parts.append(' ' * 52)
                continue
            parts.append(f"{'':>18} {p['gflops']:6.1f} {p['gflops_per_cpu_second']:8.1f} {r['gflops'] / p['gflops']:5.2f} "
                         f"{cpu / p['gflops_per_cpu_second']:9.2f}")
        print(line + " | ".join(parts))
    print(f"# C# isa: {cs[0]['isa'] if cs else '?'}; ratio = C# / peer (above 1: C# faster); took {time.time() - started:.0f} s; "
          f"load average now {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == '__main__':
    sys.exit(main())
