"""Numba kernels of the LCMCR Gibbs sampler, on the table of distinct patterns.

The state of one chain is held in plain arrays so that a whole run is one
compiled call:

- ``lam[j, k]``: probability that a person in latent class ``k`` is on list ``j``;
- ``pi[k]``: class weights from the truncated stick-breaking construction;
- ``state[0]``: the Dirichlet-process concentration ``alpha``;
- ``state[1]``: ``n0``, the number of persons on no list.

One sweep (Manrique-Vallier 2016, section 3) draws, in order: the class counts of
each observed pattern and of the ``n0`` unseen persons (multinomial), ``lam``
(beta), the stick-breaking weights (beta), ``alpha`` (gamma) and ``n0``
(negative binomial, its full conditional under the prior p(N) ∝ 1/N with the
unseen persons' classes summed out). Randomness comes only from the
``numpy.random.Generator`` passed in.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

#: Cap on the gamma mixing variable of the negative binomial draw of n0.
N0_CAP = 1e15
#: Multinomial counts up to this size are drawn person by person (faster).
_SMALL = 8


@njit(cache=True, nogil=True)
def _class_probs(x_row, lam, pi, probs):  # type: ignore[no-untyped-def]
    """Unnormalised class probabilities of one pattern; returns their sum."""
    n_lists, n_classes = lam.shape
    total = 0.0
    for k in range(n_classes):
        p = pi[k]
        for j in range(n_lists):
            p *= lam[j, k] if x_row[j] else 1.0 - lam[j, k]
        probs[k] = p
        total += p
    return total


@njit(cache=True, nogil=True)
def _multinomial(rng, n, probs, total, out, tail):  # type: ignore[no-untyped-def]
    """Draw ``out ~ Multinomial(n, probs / total)``; ``tail`` is scratch space."""
    n_classes = probs.shape[0]
    for k in range(n_classes):
        out[k] = 0
    if n <= _SMALL:
        for _ in range(n):
            u = rng.random() * total
            k = 0
            acc = probs[0]
            while acc < u and k < n_classes - 1:
                k += 1
                acc += probs[k]
            out[k] += 1
        return
    acc = 0.0
    for k in range(n_classes - 1, -1, -1):
        acc += probs[k]
        tail[k] = acc
    left = n
    for k in range(n_classes - 1):
        if left == 0:
            return
        q = probs[k] / tail[k] if tail[k] > 0.0 else 1.0
        m = left if q >= 1.0 else (rng.binomial(left, q) if q > 0.0 else 0)
        out[k] = m
        left -= m
    out[n_classes - 1] = left


@njit(cache=True, nogil=True)
def _allocate(rng, patterns, counts, lam, pi, n0, nk, sjk, probs, draw, tail):  # type: ignore[no-untyped-def]
    """Class counts ``nk`` and per-list sums ``sjk`` over seen and unseen persons."""
    n_lists, n_classes = lam.shape
    nk[:] = 0
    sjk[:, :] = 0
    for c in range(patterns.shape[0]):
        total = _class_probs(patterns[c], lam, pi, probs)
        _multinomial(rng, counts[c], probs, total, draw, tail)
        for k in range(n_classes):
            m = draw[k]
            if m:
                nk[k] += m
                for j in range(n_lists):
                    if patterns[c, j]:
                        sjk[j, k] += m
    zero = np.zeros(n_lists, dtype=patterns.dtype)
    total = _class_probs(zero, lam, pi, probs)
    _multinomial(rng, n0, probs, total, draw, tail)
    for k in range(n_classes):
        nk[k] += draw[k]


@njit(cache=True, nogil=True)
def _log_gamma_draw(rng, shape):  # type: ignore[no-untyped-def]
    """log of a Gamma(shape, 1) draw, exact in log space for small shapes."""
    if shape >= 1.0:
        return math.log(rng.gamma(shape, 1.0))
    # G(a) = G(a + 1) * U^(1/a) (Marsaglia and Tsang 2000), kept in logs so that
    # tiny shapes (stick breaks near 1 when alpha is small) do not underflow.
    return math.log(rng.gamma(shape + 1.0, 1.0)) + math.log(1.0 - rng.random()) / shape


@njit(cache=True, nogil=True)
def _update_parameters(rng, lam, pi, log1mv, state, nk, sjk, a_alpha, b_alpha):  # type: ignore[no-untyped-def]
    """Draw ``lam``, the stick-breaking weights ``pi`` (and log(1 - V)), ``alpha``."""
    n_lists, n_classes = lam.shape
    for k in range(n_classes):
        if nk[k] == 0:  # Beta(1, 1): one uniform instead of two gamma draws
            for j in range(n_lists):
                lam[j, k] = rng.random()
            continue
        for j in range(n_lists):
            lam[j, k] = rng.beta(1.0 + sjk[j, k], 1.0 + nk[k] - sjk[j, k])
    tail = 0
    for k in range(n_classes):
        tail += nk[k]
    alpha = state[0]
    log_rest = 0.0
    for k in range(n_classes - 1):
        tail -= nk[k]
        # V ~ Beta(1 + n_k, alpha + tail); with a second shape under 1, 1 - V can
        # be below double precision, so draw it as G1 / (G1 + G2) in logs.
        if alpha + tail >= 1.0:
            v = rng.beta(1.0 + nk[k], alpha + tail)
            log_v, log1mv[k] = math.log(v), math.log1p(-v)
        else:
            log_g1 = _log_gamma_draw(rng, 1.0 + nk[k])
            log_g2 = _log_gamma_draw(rng, alpha + tail)
            top = max(log_g1, log_g2)
            log_sum = top + math.log(math.exp(log_g1 - top) + math.exp(log_g2 - top))
            log_v, log1mv[k] = log_g1 - log_sum, log_g2 - log_sum
        pi[k] = math.exp(log_rest + log_v)
        log_rest += log1mv[k]
    pi[n_classes - 1] = math.exp(log_rest)
    state[0] = rng.gamma(a_alpha + n_classes - 1.0, 1.0 / (b_alpha - log_rest))


@njit(cache=True, nogil=True)
def _swap(nk, sjk, a, b):  # type: ignore[no-untyped-def]
    """Exchange the class labels ``a`` and ``b`` in the sufficient statistics."""
    nk[a], nk[b] = nk[b], nk[a]
    for j in range(sjk.shape[0]):
        sjk[j, a], sjk[j, b] = sjk[j, b], sjk[j, a]


@njit(cache=True, nogil=True)
def _relabel(rng, nk, sjk, pi, log1mv):  # type: ignore[no-untyped-def]
    """Metropolis label-switching moves of Papaspiliopoulos and Roberts (2008).

    The truncated stick-breaking prior is not exchangeable in the labels, so a
    blocked Gibbs sampler can sit for long with a large class late on the stick
    and a large ``alpha``. Two moves (Hastie, Liverani and Richardson 2015), each
    leaving the posterior invariant: swap two random classes with the weights
    kept; swap two adjacent classes together with their stick breaks. ``lam``
    and the weights are drawn afresh from the new counts right after.
    """
    n_classes = nk.shape[0]
    a = int(rng.random() * n_classes)
    b = int(rng.random() * n_classes)
    if a != b and pi[a] > 0.0 and pi[b] > 0.0:
        log_ratio = (nk[a] - nk[b]) * (math.log(pi[b]) - math.log(pi[a]))
        if log_ratio >= 0.0 or math.log(1.0 - rng.random()) < log_ratio:
            _swap(nk, sjk, a, b)
    if n_classes < 3:
        return
    j = int(rng.random() * (n_classes - 2))
    log_ratio = nk[j] * log1mv[j + 1] - nk[j + 1] * log1mv[j]
    if log_ratio >= 0.0 or math.log(1.0 - rng.random()) < log_ratio:
        _swap(nk, sjk, j, j + 1)


@njit(cache=True, nogil=True)
def _draw_n0(rng, n_obs, lam, pi):  # type: ignore[no-untyped-def]
    """n0 ~ NegBin(n_obs, 1 - pi0) via its gamma-Poisson mixture; -1 if capped."""
    n_lists, n_classes = lam.shape
    pi0 = 0.0
    for k in range(n_classes):
        p = pi[k]
        for j in range(n_lists):
            p *= 1.0 - lam[j, k]
        pi0 += p
    if pi0 >= 1.0:
        return -1
    rate = rng.gamma(float(n_obs), pi0 / (1.0 - pi0))
    if rate > N0_CAP:
        return -1
    return rng.poisson(rate)


@njit(cache=True, nogil=True)
def run_chain(  # type: ignore[no-untyped-def]
    rng, patterns, counts, lam, pi, state, a_alpha, b_alpha, burnin, samples, thinning
):
    """Run ``burnin + samples * thinning`` sweeps from the given state.

    Args:
        rng: ``numpy.random.Generator`` of this chain.
        patterns: (C, J) uint8 array of the distinct observed patterns.
        counts: (C,) int64 counts of the patterns.
        lam, pi, state: the chain's state (updated in place), see module doc.
        a_alpha, b_alpha: shape and rate of the gamma prior on alpha.
        burnin, samples, thinning: run length; every ``thinning``-th sweep after
            the burn-in is kept.

    Returns:
        (samples, 3) float array of the kept draws: N, alpha, occupied classes;
        and the number of sweeps whose n0 draw hit the cap (kept at the old n0).
    """
    n_lists, n_classes = lam.shape
    n_obs = 0
    for c in range(counts.shape[0]):
        n_obs += counts[c]
    nk = np.zeros(n_classes, dtype=np.int64)
    sjk = np.zeros((n_lists, n_classes), dtype=np.int64)
    probs = np.empty(n_classes)
    tail = np.empty(n_classes)
    draw = np.zeros(n_classes, dtype=np.int64)
    out = np.empty((samples, 3))
    capped = 0
    n0 = int(state[1])
    log1mv = np.zeros(n_classes)
    rest = 1.0
    for k in range(n_classes - 1):
        left = max(rest - pi[k], 1e-300)
        log1mv[k] = math.log(left / rest)
        rest = left
    for it in range(burnin + samples * thinning):
        _allocate(rng, patterns, counts, lam, pi, n0, nk, sjk, probs, draw, tail)
        _relabel(rng, nk, sjk, pi, log1mv)
        _update_parameters(rng, lam, pi, log1mv, state, nk, sjk, a_alpha, b_alpha)
        new = _draw_n0(rng, n_obs, lam, pi)
        if new < 0:
            capped += 1
        else:
            n0 = new
        kept = it - burnin + 1
        if kept > 0 and kept % thinning == 0:
            row = kept // thinning - 1
            occupied = 0
            for k in range(n_classes):
                occupied += nk[k] > 0
            out[row, 0] = n_obs + n0
            out[row, 1] = state[0]
            out[row, 2] = occupied
    state[1] = n0
    return out, capped
