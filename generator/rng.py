"""Counter-based randomness: every random value is a hash of (seed, stream, entity keys, index).

A value never depends on how many values were drawn before it, so the simulation gives the same
answer however time is cut into windows (initial load, one sync of 7 days or seven syncs of one).
The hash is splitmix64's finaliser applied to uint64 columns; it is vectorised over numpy arrays.
"""

from __future__ import annotations

import functools
import zlib

import numpy as np

_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_S30, _S27, _S31, _S11 = np.uint64(30), np.uint64(27), np.uint64(31), np.uint64(11)
_TO_UNIT = 2.0**-53


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser (a bijection on uint64 with good avalanche); overwrites ``x``."""
    t = x >> _S30
    x ^= t
    x *= _M1
    np.right_shift(x, _S27, out=t)
    x ^= t
    x *= _M2
    np.right_shift(x, _S31, out=t)
    x ^= t
    return x


def stream_id(name: str) -> int:
    """A stable integer for a named random stream."""
    return zlib.crc32(name.encode())


_PRIMES = tuple(
    np.uint64(c)
    for c in (
        0x9E3779B97F4A7C15,
        0xC2B2AE3D27D4EB4F,
        0x165667B19E3779F9,
        0xD6E8FEB86659FD93,
        0xFF51AFD7ED558CCD,
        0xC4CEB9FE1A85EC53,
    )
)
_LOW32 = np.uint64(0xFFFFFFFF)
_S32 = np.uint64(32)
_TO_UNIT32 = 2.0**-32


@functools.cache  # a few dozen (seed, stream) pairs, asked for thousands of times per run
def _seed_constant(seed: int, stream: str) -> np.uint64:
    with np.errstate(over="ignore"):
        c = np.array(
            [(seed * 0x2545F4914F6CDD1D + stream_id(stream) * 0x9E3779B97F4A7C15) % 2**64], np.uint64
        )
        return _mix(_mix(c.copy()))[0]


def key(seed: int, stream: str, *ids: np.ndarray | int) -> np.ndarray:
    """Hash (seed, stream, ids...) into a uint64 key per element (ids broadcast against each other).

    The ids are combined linearly with large odd constants and then mixed twice (at most 6 ids).
    """
    with np.errstate(over="ignore"):
        h = _seed_constant(seed, stream)
        for prime, i in zip(_PRIMES, ids, strict=False):
            h = h + np.atleast_1d(np.asarray(i)).astype(np.int64).view(np.uint64) * prime
        h = np.array(h, dtype=np.uint64, ndmin=1)  # a fresh array: _mix works in place
        return _mix(_mix(h))


def uniform(k: np.ndarray, var: int = 0) -> np.ndarray:
    """Uniform floats in [0, 1) derived from keys ``k`` for variable number ``var``."""
    with np.errstate(over="ignore"):
        h = _mix(k + np.uint64(var + 1) * _GOLDEN)
    return (h >> _S11).astype(np.float64) * _TO_UNIT


def uniforms(k: np.ndarray, n: int, first_var: int = 100) -> list[np.ndarray]:
    """``n`` uniform arrays (32-bit resolution) from ``ceil(n / 2)`` hashes of the keys."""
    out: list[np.ndarray] = []
    with np.errstate(over="ignore"):
        for j in range((n + 1) // 2):
            h = _mix(k + np.uint64(first_var + j + 1) * _GOLDEN)
            out.append((h >> _S32).astype(np.float64) * _TO_UNIT32)
            out.append((h & _LOW32).astype(np.float64) * _TO_UNIT32)
    return out[:n]


def normal(k: np.ndarray, var: int = 0) -> np.ndarray:
    """Standard normal floats (Box–Muller over the two halves of one hash)."""
    with np.errstate(over="ignore"):
        h = _mix(k + np.uint64(var + 5001) * _GOLDEN)
    u1 = 1.0 - (h >> _S32).astype(np.float64) * _TO_UNIT32
    u2 = (h & _LOW32).astype(np.float64) * _TO_UNIT32
    return np.sqrt(-2.0 * np.log(u1)) * np.cos(2.0 * np.pi * u2)


def choice(u: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Indices drawn by inverse CDF: ``u`` uniforms, ``weights`` non-negative (normalised here)."""
    cdf = np.cumsum(np.asarray(weights, dtype=np.float64))
    cdf /= cdf[-1]
    return np.minimum(np.searchsorted(cdf, u, side="right"), len(cdf) - 1)


def poisson(u: np.ndarray, lam: np.ndarray, kmax: int = 12) -> np.ndarray:
    """Poisson counts by inversion (fine for small means)."""
    lam = np.asarray(lam, dtype=np.float64)
    p = np.exp(-lam)
    cdf = p.copy()
    n = np.zeros(u.shape, dtype=np.int64)
    for k in range(1, kmax + 1):
        more = u > cdf
        if not more.any():
            break
        n += more
        p = p * lam / k
        cdf = cdf + p
    return n


def numpy_rng(seed: int, stream: str) -> np.random.Generator:
    """A numpy Generator for building static pools (entities created once from the seed)."""
    return np.random.default_rng([seed, stream_id(stream)])
