"""Brian2 replica of NEST's brunel_delta_nest.py (see /work/shared/reference/performance.md, Appendix).

Same network and Poisson semantics as Spikelab's benchmark: 10,000 E + 2,500 I iaf_psc_delta
(tau_m 20 ms, theta 20 mV, V_reset 0, t_ref 2 ms, exact integration), fixed in-degree CE = 1000 /
CI = 250 with autapses and multapses allowed, J = 0.1 mV, g = 5, delay 1.5 ms, input discarded while
refractory, external drive as an independent binomial draw per neuron per step (PoissonInput with
N = CE inputs at 2*nu_th each = 20 kHz), dt 0.1 ms, 1 s, cpp_standalone on one thread.

Prints one JSON line with the timings and rates. Usage: python3 brian2_brunel.py [order] [sim_ms] [cuba]
"""
import json
import os
import sys
import time

import numpy as np
from brian2 import (ms, mV, prefs, set_device, device, defaultclock, NeuronGroup, Synapses, PoissonInput,
                    SpikeMonitor, run, seed as brian_seed, Hz, start_scope)


def cpu_timer():
    """Measures the CPU time of the network run inside the standalone binary (std::clock), so the
    comparison stays meaningful on a shared machine (wall time depends on the load)."""
    device.insert_code("before_network_run", "std::clock_t spikelab_c0 = std::clock();")
    device.insert_code("after_network_run",
                       "{ FILE* f = fopen(\"spikelab_cpu_time.txt\", \"w\"); "
                       "fprintf(f, \"%.6f\", double(std::clock() - spikelab_c0) / CLOCKS_PER_SEC); fclose(f); }")


def read_cpu(workdir):
    try:
        with open(os.path.join(workdir, "spikelab_cpu_time.txt")) as f:
            return float(f.read())
    except OSError:
        return None


def brunel(order, sim_ms, workdir):
    set_device("cpp_standalone", directory=workdir, build_on_run=False)
    prefs.devices.cpp_standalone.openmp_threads = 0
    defaultclock.dt = 0.1 * ms
    np.random.seed(1234)
    brian_seed(1234)
    NE, NI = 4 * order, order
    N = NE + NI
    CE, CI = NE // 10, NI // 10
    tau, theta, J, g, D = 20 * ms, 20 * mV, 0.1 * mV, 5.0, 1.5 * ms
    nu_th = theta / (J * CE * tau)
    nu_ex = 2.0 * nu_th
    t0 = time.time()
    neurons = NeuronGroup(N, "dv/dt = -v/tau : volt (unless refractory)", threshold="v > theta",
                          reset="v = 0*mV", refractory=2 * ms, method="exact")
    neurons.v = 0 * mV
    exc = Synapses(neurons, neurons, on_pre="v_post += J * int(not_refractory_post)", delay=D)
    inh = Synapses(neurons, neurons, on_pre="v_post += -g * J * int(not_refractory_post)", delay=D)
    # fixed in-degree with multapses and autapses (NEST defaults), stored grouped by source
    post_e = np.repeat(np.arange(N), CE)
    pre_e = np.random.randint(0, NE, size=N * CE)
    order_e = np.argsort(pre_e, kind="stable")
    exc.connect(i=pre_e[order_e], j=post_e[order_e])
    post_i = np.repeat(np.arange(N), CI)
    pre_i = NE + np.random.randint(0, NI, size=N * CI)
    order_i = np.argsort(pre_i, kind="stable")
    inh.connect(i=pre_i[order_i], j=post_i[order_i])
    drive = PoissonInput(neurons, "v", N=CE, rate=nu_ex, weight="J * int(not_refractory)")
    mon = SpikeMonitor(neurons)
    cpu_timer()
    run(sim_ms * ms)
    build_python = time.time() - t0
    t1 = time.time()
    device.build(directory=workdir, compile=True, run=True, debug=False)
    total = time.time() - t1
    sim = device._last_run_time
    cpu = read_cpu(workdir)
    spikes = mon.i[:]
    ne = int(np.sum(spikes < NE))
    ni = int(np.sum(spikes >= NE))
    rate_e = ne / NE / (sim_ms / 1000.0)
    rate_i = ni / NI / (sim_ms / 1000.0)
    events = ne * (N * CE / NE) + ni * (N * CI / NI)
    return {"simulator": "brian2", "target": "cpp_standalone", "order": order, "sim_ms": sim_ms,
            "build_python_s": build_python, "compile_and_run_s": total, "simulate_s": sim, "cpu_s": cpu,
            "rate_e": rate_e, "rate_i": rate_i, "spikes": int(len(spikes)), "events": events,
            "events_per_s": events / sim}


def cuba(sim_ms, workdir):
    set_device("cpp_standalone", directory=workdir, build_on_run=False)
    prefs.devices.cpp_standalone.openmp_threads = 0
    defaultclock.dt = 0.1 * ms
    brian_seed(1)
    np.random.seed(1)
    taum, taue, taui = 20 * ms, 5 * ms, 10 * ms
    Vt, Vr, El = -50 * mV, -60 * mV, -49 * mV
    eqs = """
    dv/dt  = (ge+gi-(v-El))/taum : volt (unless refractory)
    dge/dt = -ge/taue : volt
    dgi/dt = -gi/taui : volt
    """
    P = NeuronGroup(4000, eqs, threshold="v>Vt", reset="v = Vr", refractory=5 * ms, method="exact")
    P.v = "Vr + rand() * (Vt - Vr)"
    P.ge = 0 * mV
    P.gi = 0 * mV
    we = (60 * 0.27 / 10) * mV
    wi = (-20 * 4.5 / 10) * mV
    Ce = Synapses(P, P, on_pre="ge += we")
    Ci = Synapses(P, P, on_pre="gi += wi")
    Ce.connect("i<3200", p=0.02)
    Ci.connect("i>=3200", p=0.02)
    mon = SpikeMonitor(P)
    cpu_timer()
    run(sim_ms * ms)
    device.build(directory=workdir, compile=True, run=True, debug=False)
    sim = device._last_run_time
    cpu = read_cpu(workdir)
    return {"simulator": "brian2", "target": "cpp_standalone", "network": "cuba", "sim_ms": sim_ms,
            "simulate_s": sim, "cpu_s": cpu, "rate": len(mon.i[:]) / 4000 / (sim_ms / 1000.0), "spikes": int(len(mon.i[:]))}


if __name__ == "__main__":
    which = sys.argv[3] if len(sys.argv) > 3 else "brunel"
    order = int(sys.argv[1]) if len(sys.argv) > 1 else 2500
    sim_ms = float(sys.argv[2]) if len(sys.argv) > 2 else 1000.0
    workdir = os.path.join(os.environ.get("TMPDIR", "/tmp"), f"spikelab_brian2_{which}_{order}")
    result = cuba(sim_ms, workdir) if which == "cuba" else brunel(order, sim_ms, workdir)
    print("RESULT " + json.dumps(result))
