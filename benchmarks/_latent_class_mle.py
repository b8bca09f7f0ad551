"""Maximum-likelihood N under a latent-class capture model, without priors.

An EM algorithm over the capture table with the unseen count as missing data:
the E-step shares each cell (and the unseen cell, at N - n) among the classes,
the M-step updates class shares and capture chances, and N is n / (1 - p0).
Several random starts; the one with the highest conditional likelihood wins.
It is the reference the Bayesian sampler is compared with in
``lcmcr_identifiability.py``: where the two part, the priors are deciding.
"""

from __future__ import annotations

import numpy as np

from rightsledger.estimate import CaptureTable

_FLOOR = 1e-6


def latent_class_mle(
    table: CaptureTable, classes: int, starts: int = 8, steps: int = 3000, seed: int = 0
) -> float:
    """Maximum-likelihood population size under ``classes`` latent classes."""
    rng = np.random.default_rng(seed)
    seen = np.array(list(table.counts), dtype=float)
    counts = np.array(list(table.counts.values()), dtype=float)
    cells = np.vstack([seen, np.zeros((1, seen.shape[1]))])
    n = counts.sum()
    best_ll, best_n = -np.inf, float("nan")
    for _ in range(starts):
        lam = rng.uniform(0.05, 0.6, (classes, seen.shape[1]))
        share = rng.dirichlet(np.ones(classes))
        for _ in range(steps):
            p0 = float((share * np.prod(1.0 - lam, axis=1)).sum())
            weights = np.append(counts, n / (1.0 - p0) - n)
            log_p = cells @ np.log(lam).T + (1.0 - cells) @ np.log(1.0 - lam).T
            log_p += np.log(share)
            resp = np.exp(log_p - log_p.max(axis=1, keepdims=True))
            resp *= weights[:, None] / resp.sum(axis=1, keepdims=True)
            share = resp.sum(axis=0) / resp.sum()
            lam = np.clip(
                (resp.T @ cells) / resp.sum(axis=0)[:, None], _FLOOR, 1 - _FLOOR
            )
        p0 = float((share * np.prod(1.0 - lam, axis=1)).sum())
        log_p = seen @ np.log(lam).T + (1.0 - seen) @ np.log(1.0 - lam).T
        ll = float((counts * np.log(np.exp(log_p) @ share / (1.0 - p0))).sum())
        if ll > best_ll:
            best_ll, best_n = ll, n / (1.0 - p0)
    return best_n
