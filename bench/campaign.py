"""Alternating base/new `lexicon bench` runs for bench/RESULTS.md (issue 16): campaign.py ISAS WORKLOADS REPS OUT.jsonl
ISAS: avx512,avx2 (avx2 = DOTNET_EnableAVX512=0); trees: base (a scratch worktree of main) and new (this checkout),
each built in Release. Waits up to 20 s for the CPU to go quiet before each run, then runs anyway."""
import json, os, subprocess, sys, time
HZ = os.sysconf('SC_CLK_TCK')
def busy():
    f = open('/proc/stat').readline().split()[1:]
    v = list(map(int, f)); return (sum(v) - v[3] - v[4]) / HZ   # all but idle, iowait
def wait_quiet(limit=20):
    t0 = time.time()
    while time.time() - t0 < limit:
        b0 = busy(); time.sleep(3); b1 = busy()
        if (b1 - b0) / 3 < 0.15: return time.time() - t0
    return -1
def run(tag, tree, workload, env):
    waited = wait_quiet()
    e = dict(os.environ); e.update(env)
    # Each tree its own tuning cache: trees with different cache versions would otherwise re-probe every run.
    e.setdefault('XDG_CACHE_HOME', f'/tmp/lexicon-campaign-cache/{tag.split("-")[0]}')
    dll = f'{tree}/src/Lexicon.Cli/bin/Release/net10.0/Lexicon.Cli.dll'
    t0 = time.time()
    p = subprocess.run(['dotnet', dll, 'bench', '--workload', workload, '--json'], env=e, capture_output=True, text=True)
    wall = time.time() - t0
    try: j = json.loads(p.stdout.strip().split('\n')[-1])
    except Exception: print(tag, 'FAILED', p.stderr[-500:], flush=True); return
    t = j.get('tuning') or {}
    rec = dict(tag=tag, workload=workload, wall=wall, waited=waited, fma=j['fma_peak_gflops'], bw=j['memory_gbs'],
               tps=j['tokens_per_s'], roof=j['roofline_fraction'], gemm=j['gemm_fraction_of_peak'], gemm_alone=j.get('gemm_alone_fraction_of_peak'), isa=j.get('isa'),
               rows=t.get('gemm_tile_rows'), block=t.get('gemm_block_bytes'), prefetch=t.get('gemm_prefetch_bytes'), depth=t.get('gemm_depth_block'),
               tuning_source=t.get('source'), kernels={k['name']: k['ms_per_step'] for k in j['kernels']}, time=time.strftime('%H:%M:%S'))
    # A run that probed carries the probe's trials: what each tile height, depth block, cache block and distance reached.
    if t.get('source') == 'probe': rec.update(trials=t.get('trials'), probe_seconds=t.get('probe_seconds'))
    print(json.dumps({k: (round(v,3) if isinstance(v,float) else v) for k,v in rec.items() if k not in ('kernels', 'trials')}), flush=True)
    with open(sys.argv[4],'a') as f: f.write(json.dumps(rec)+'\n')
here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
trees = {'base': os.environ.get('BASE_TREE', '/work/wt-cpu-base'), 'new': here}
isas, workloads, reps = sys.argv[1].split(','), sys.argv[2].split(','), int(sys.argv[3])
for isa in isas:
    env = {} if isa == 'avx512' else {'DOTNET_EnableAVX512': '0'}
    for w in workloads:
        for i in range(reps):
            for t in (['base','new'] if i % 2 == 0 else ['new','base']): run(f'{t}-{isa}', trees[t], w, env)
