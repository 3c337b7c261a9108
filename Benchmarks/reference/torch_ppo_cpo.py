#!/usr/bin/env python3
"""PyTorch twin of `swift run -c release bench tensors` (Benchmarks/bench/TensorsSuite.swift).

Measures on the CPU, float32, with torch.set_num_threads(2):

(a) ppo_minibatch_step_us: one PPO minibatch step (Schulman et al. 2017, arXiv:1707.06347).
    Policy MLP 96→64→64→16, tanh, linear output = action mean, state-independent log-std (16)
    → diagonal Gaussian; value MLP 96→64→64→1, tanh. Minibatch of 64 random observations,
    actions, old log-probabilities, advantages and returns. Loss = clipped surrogate (ε = 0.2)
    of ratio = exp(logp − logp_old), + 0.5·value MSE − 0.0·entropy; backward; global
    gradient-norm clip 0.5; one Adam step (lr 3e-4) over both networks and the log-std.

(b) cpo_natural_gradient_step_ms: one CPO natural-gradient direction (Achiam et al. 2017,
    arXiv:1705.10528). Batch of 2048, same policy. The gradient g of the surrogate
    mean(ratio·adv) once, then 10 conjugate-gradient iterations on (F + 0.1·I) x = g, where
    F·v is the Fisher-vector product of KL(detached policy ‖ policy) by double backward:
    grad of the KL (with create_graph), dot with v, grad again (the TRPO/CPO way, as in
    OmniSafe). One forward pass is recorded per direction and reused by every product,
    as on the Swift side. The timing covers the forward pass, g and the 10 iterations.

Each number is the median of --repeats timed runs after --warmup untimed ones; (b) uses
max(3, repeats // 5) and max(1, warmup // 5), as the Swift harness does.

Prints one JSON object:
  {"ppo_minibatch_step_us": ..., "cpo_natural_gradient_step_ms": ..., "torch_version": ..., "threads": 2}
or {"error": "torch not installed"} with exit status 2 when PyTorch cannot be imported.
"""

import argparse
import json
import math
import statistics
import sys
import time

OBSERVATIONS, ACTIONS, HIDDEN = 96, 16, 64
THREADS = 2
LOG_2PI = math.log(2 * math.pi)


def mlp(torch, sizes, output_gain):
    """Tanh MLP with orthogonal weights (gain √2, output `output_gain`) and zero biases."""
    layers = []
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        linear = torch.nn.Linear(n_in, n_out)
        last = i == len(sizes) - 2
        torch.nn.init.orthogonal_(linear.weight, gain=output_gain if last else math.sqrt(2))
        torch.nn.init.zeros_(linear.bias)
        layers.append(linear)
        if not last:
            layers.append(torch.nn.Tanh())
    return torch.nn.Sequential(*layers)


def gaussian_log_prob(mean, log_std, actions):
    """Log-density of a diagonal Gaussian, summed over the action dimensions."""
    z = (actions - mean) * (-log_std).exp()
    return -0.5 * (z * z).sum(-1) - log_std.sum() - 0.5 * ACTIONS * LOG_2PI


def time_median(fn, repeats, warmup):
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def ppo_benchmark(torch, repeats, warmup, batch=64, clip=0.2, entropy_coefficient=0.0):
    policy = mlp(torch, [OBSERVATIONS, HIDDEN, HIDDEN, ACTIONS], output_gain=0.01)
    value = mlp(torch, [OBSERVATIONS, HIDDEN, HIDDEN, 1], output_gain=1.0)
    log_std = torch.nn.Parameter(torch.zeros(ACTIONS))
    parameters = list(policy.parameters()) + [log_std] + list(value.parameters())
    optimizer = torch.optim.Adam(parameters, lr=3e-4)

    observations = torch.randn(batch, OBSERVATIONS)
    actions = torch.randn(batch, ACTIONS)
    old_log_probs = torch.randn(batch) * 0.1 - 22.7
    advantages = torch.randn(batch)
    returns = torch.randn(batch)

    def step():
        log_prob = gaussian_log_prob(policy(observations), log_std, actions)
        ratio = (log_prob - old_log_probs).exp()
        surrogate = torch.min(ratio * advantages, ratio.clamp(1 - clip, 1 + clip) * advantages)
        value_loss = (value(observations).squeeze(-1) - returns).pow(2).mean()
        entropy = (log_std + 0.5 * (1 + LOG_2PI)).sum()
        loss = -surrogate.mean() + 0.5 * value_loss - entropy_coefficient * entropy
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(parameters, 0.5)
        optimizer.step()

    return time_median(step, repeats, warmup)


def cpo_benchmark(torch, repeats, warmup, batch=2048, iterations=10, damping=0.1):
    policy = mlp(torch, [OBSERVATIONS, HIDDEN, HIDDEN, ACTIONS], output_gain=0.01)
    log_std = torch.nn.Parameter(torch.full((ACTIONS,), -0.5))
    parameters = list(policy.parameters()) + [log_std]

    observations = torch.randn(batch, OBSERVATIONS)
    actions = torch.randn(batch, ACTIONS)
    old_log_probs = torch.randn(batch) * 0.1 - 15.0
    advantages = torch.randn(batch)

    def flat(tensors):
        return torch.cat([t.reshape(-1) for t in tensors])

    def direction():
        mean = policy(observations)
        log_prob = gaussian_log_prob(mean, log_std, actions)
        surrogate = ((log_prob - old_log_probs).exp() * advantages).mean()
        g = flat(torch.autograd.grad(surrogate, parameters, retain_graph=True))

        # KL(p ‖ q) with p the detached current policy and q the policy itself.
        mean_p, log_std_p = mean.detach(), log_std.detach()
        kl = (log_std - log_std_p
              + ((2 * log_std_p).exp() + (mean_p - mean).pow(2)) / (2 * (2 * log_std).exp())
              - 0.5).sum(-1).mean()
        grad_kl = flat(torch.autograd.grad(kl, parameters, create_graph=True))

        def fisher_product(v):
            hv = torch.autograd.grad(grad_kl @ v, parameters, retain_graph=True)
            return flat(hv) + damping * v

        x = torch.zeros_like(g)
        r, p = g.clone(), g.clone()
        rr = r @ r
        for _ in range(iterations):
            ap = fisher_product(p)
            alpha = rr / (p @ ap)
            x += alpha * p
            r -= alpha * ap
            next_rr = r @ r
            p = r + (next_rr / rr) * p
            rr = next_rr
        return x

    return time_median(direction, max(3, repeats // 5), max(1, warmup // 5))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=50, help="timed repetitions per measurement")
    parser.add_argument("--warmup", type=int, default=10, help="untimed warm-up repetitions")
    args = parser.parse_args()
    if args.repeats < 1 or args.warmup < 0:
        parser.error("--repeats must be >= 1 and --warmup >= 0")

    try:
        import torch
    except ImportError:
        print(json.dumps({"error": "torch not installed"}))
        return 2

    torch.set_num_threads(THREADS)
    torch.set_default_dtype(torch.float32)
    torch.manual_seed(2026)

    ppo = ppo_benchmark(torch, args.repeats, args.warmup)
    cpo = cpo_benchmark(torch, args.repeats, args.warmup)
    print(json.dumps({
        "ppo_minibatch_step_us": ppo * 1e6,
        "cpo_natural_gradient_step_ms": cpo * 1e3,
        "torch_version": torch.__version__,
        "threads": torch.get_num_threads(),
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
