"""Customers: accounts with an order intensity that drives how often they ship, churn and changes.

Each customer has a base order intensity (by customer type, lognormal across accounts) and a mild
seasonal wave. About 15 % churn: from a churn start date their intensity decays exponentially
(time constant 20–80 days) and after three time constants they stop ordering; most churned
accounts are later deleted at the source (soft delete). Each day a shipment's customer is drawn
among the customers of the route's country with probability ∝ their intensity that day. Account
attributes (account manager, credit limit, customer type) change at random times, so SCD2
snapshots have something to record. The universe includes accounts created after ``--end``,
which later syncs land as new rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import polars as pl
from faker import Faker

from . import rng
from .config import (
    CHURN_SHARE,
    COUNTRIES,
    COUNTRY_SHARE,
    CUSTOMER_TYPE_INTENSITY,
    CUSTOMER_TYPE_WEIGHT,
    DAY,
    NONE,
    Config,
)
from .enums import Enums, load_cities

_LOCALES = {"US": "en_US", "DE": "de_DE", "GB": "en_GB", "AU": "en_AU"}
_CREDIT = {
    "ENTERPRISE": (500_000, 0.6),
    "SMB": (40_000, 0.6),
    "GOVERNMENT": (250_000, 0.5),
    "RETAIL": (150_000, 0.6),
}
ATTR_MANAGER, ATTR_CREDIT, ATTR_TYPE = 0, 1, 2
NEVER = 2**62


@dataclass
class Customers:
    """The customer universe: static attributes, intensity parameters and attribute changes."""

    static: pl.DataFrame  # customer_id, name, customer_type, industry, email, phone, city, country, ...
    country: np.ndarray
    created: np.ndarray
    base: np.ndarray
    phase: np.ndarray
    churn_start: np.ndarray  # NEVER if not churning
    churn_tau: np.ndarray
    churn_end: np.ndarray
    deleted_at: np.ndarray  # NEVER if never deleted
    changes: pl.DataFrame  # customer_id, changed_at, attr, manager, credit, ctype

    @property
    def n(self) -> int:
        """Number of customers in the universe."""
        return len(self.created)

    def intensity(self, idx: np.ndarray, t: np.ndarray) -> np.ndarray:
        """Order intensity of customers ``idx`` at epoch seconds ``t``."""
        season = 1.0 + 0.15 * np.sin(2 * np.pi * t / (365.2425 * DAY) + self.phase[idx])
        w = self.base[idx] * season * (t >= self.created[idx])
        cs = self.churn_start[idx]
        decay = np.exp(-np.maximum(t - cs, 0) / self.churn_tau[idx])
        return np.where(t >= self.churn_end[idx], 0.0, np.where(t >= cs, w * decay, w))

    def sample(self, country: np.ndarray, t: np.ndarray, u: np.ndarray) -> np.ndarray:
        """Customer index per shipment: within the country, ∝ intensity in the order's week.

        Intensity is evaluated at the start of the (Monday) week, so only accounts that exist by
        then can order.
        """
        if len(t) == 0:
            return np.zeros(0, dtype=np.int64)
        day = (t // DAY + 3) // 7 * 7 - 3  # Monday of the week (1970-01-01 was a Thursday)
        group_key = country.astype(np.int64) * 10_000_000 + day
        groups, inverse = np.unique(group_key, return_inverse=True)
        g_country = groups // 10_000_000
        g_day = groups % 10_000_000
        by_country = [np.nonzero(self.country == c)[0] for c in range(len(COUNTRIES))]
        sizes = np.array([len(by_country[c]) for c in g_country])
        flat_cust = np.concatenate([by_country[c] for c in g_country])
        flat_group = np.repeat(np.arange(len(groups)), sizes)
        w = self.intensity(flat_cust, g_day[flat_group] * DAY)
        totals = np.bincount(flat_group, weights=w, minlength=len(groups))
        # Nobody active: fall back to uniform over accounts that exist (else over all).
        w = np.where(
            totals[flat_group] > 0, w, np.where(self.created[flat_cust] <= g_day[flat_group] * DAY, 1.0, 1e-9)
        )
        totals = np.bincount(flat_group, weights=w, minlength=len(groups))
        cum = np.cumsum(w)
        starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
        before = np.where(starts > 0, cum[np.maximum(starts - 1, 0)], 0.0)
        cdf = flat_group + (cum - before[flat_group]) / totals[flat_group]
        pos = np.searchsorted(cdf, inverse + u, side="right")
        pos = np.clip(pos, starts[inverse], starts[inverse] + sizes[inverse] - 1)
        return flat_cust[pos]

    def land(self, t0: int, t1: int) -> pl.DataFrame:
        """Rows (as of ``t1``) of customers created, changed or deleted in (t0, t1]."""
        ch = self.changes.filter(pl.col("changed_at") <= t1)
        touched = (self.created > t0) | (self.deleted_at > t0) & (self.deleted_at <= t1)
        touched |= np.isin(np.arange(self.n), ch.filter(pl.col("changed_at") > t0)["idx"].to_numpy())
        touched &= self.created <= t1
        idx = np.nonzero(touched)[0]
        rows = self.static[idx]
        last = (
            ch.filter(pl.col("idx").is_in(idx))
            .sort("changed_at", maintain_order=True)
            .group_by("idx", "attr")
            .agg(pl.col("manager", "credit", "ctype").last(), pl.col("changed_at").last())
        )
        rows = rows.with_columns(pl.Series("idx", idx))
        for attr, col, src in (
            (ATTR_MANAGER, "account_manager", "manager"),
            (ATTR_CREDIT, "credit_limit_usd", "credit"),
            (ATTR_TYPE, "customer_type", "ctype"),
        ):
            part = last.filter(pl.col("attr") == attr).select("idx", pl.col(src).alias("_v"))
            rows = (
                rows.join(part, on="idx", how="left", maintain_order="left")
                .with_columns(pl.coalesce("_v", col).alias(col))
                .drop("_v")
            )
        upd = last.group_by("idx").agg(pl.col("changed_at").max().alias("_u"))
        deleted = self.deleted_at[idx] <= t1
        new = self.created[idx] > t0
        rows = (
            rows.join(upd, on="idx", how="left", maintain_order="left")
            .with_columns(
                pl.max_horizontal("created_at", pl.col("_u").fill_null(NONE)).alias("updated_at"),
                pl.Series("_fivetran_deleted", deleted),
                pl.Series("_new", new),
                pl.Series("_eligible", new),
            )
            .drop("_u", "idx")
        )
        return rows


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", name.lower())[:24] or "customer"


def _creation_times(cfg: Config, g: np.random.Generator) -> np.ndarray:
    """Sorted creation times (customer ids follow them): 60 % before ``start``, the rest during the
    calendar, plus 25 % created after its end (they land in syncs)."""
    n_before = round(cfg.n_customers * 0.6)
    n_during = cfg.n_customers - n_before
    n_after = max(4, round(cfg.n_customers * 0.25))
    span = cfg.initial_clock - cfg.start_ts
    created = np.concatenate(
        [
            cfg.start_ts - g.integers(30 * DAY, 5 * 365 * DAY, n_before),
            cfg.start_ts + g.integers(0, span, n_during),
            cfg.initial_clock + 1 + g.integers(0, 365 * DAY, n_after),
        ]
    )
    return np.sort(created)


def _name_pools(seed: int, n: int) -> tuple[list[str], dict[str, list[str]], list[str]]:
    """Small pools from a seeded Faker: company names (US, DE, GB), 60 phone numbers per country,
    e-mail domains."""
    fake = Faker(list(_LOCALES.values()))
    fake.seed_instance(seed)
    pool = max(200, min(n, 3000))
    companies = [fake[_LOCALES["US"]].company() for _ in range(pool // 2)]
    companies += [fake[_LOCALES["DE"]].company() for _ in range(pool // 4)]
    companies += [fake[_LOCALES["GB"]].company() for _ in range(pool - len(companies))]
    phones = {c: [fake[loc].phone_number() for _ in range(60)] for c, loc in _LOCALES.items()}
    domains = [fake.free_email_domain() for _ in range(12)] + [fake.domain_name() for _ in range(40)]
    return companies, phones, domains


def _account_managers(enums: Enums) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """The account managers by region and by country (seed ``account_managers``)."""
    by_region: dict[str, list[str]] = {}
    by_country: dict[str, list[str]] = {}
    for m, region, cc in enums.account_managers:
        by_region.setdefault(region, []).append(m)
        by_country.setdefault(cc, []).append(m)
    return by_region, by_country


def _first_managers(
    g: np.random.Generator,
    region: list[str],
    country: np.ndarray,
    by_region: dict[str, list[str]],
    by_country: dict[str, list[str]],
) -> list[str]:
    """Each account's first manager: one of its region's (else its country's) managers."""
    return [
        (by_region.get(r) or by_country[COUNTRIES[c]])[
            int(u * 97) % 7 % len(by_region.get(r) or by_country[COUNTRIES[c]])
        ]
        for r, c, u in zip(region, country, g.random(len(region)), strict=True)
    ]


def _churn(
    cfg: Config, g: np.random.Generator, created: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(churn start, time constant, end, deleted at): ``CHURN_SHARE`` of accounts decay from a random
    start with a 20–80-day time constant and stop after three; 60 % of those are soft-deleted 30–120
    days later. NEVER for the others."""
    n = len(created)
    span = cfg.initial_clock - cfg.start_ts
    churn = g.random(n) < CHURN_SHARE
    churn_start = (
        np.maximum(created, cfg.start_ts) + 30 * DAY + (g.random(n) * (span + 365 * DAY)).astype(np.int64)
    )
    churn_start = np.where(churn, churn_start, NEVER)
    tau = (20 + 60 * g.random(n)) * DAY
    churn_end = np.where(churn, churn_start + (3 * tau).astype(np.int64), NEVER)
    deleted = np.where(churn & (g.random(n) < 0.6), churn_end + g.integers(30 * DAY, 120 * DAY, n), NEVER)
    return churn_start, tau, churn_end, deleted


def _attribute_changes(
    cfg: Config,
    g: np.random.Generator,
    created: np.ndarray,
    country: np.ndarray,
    credit: np.ndarray,
    managers_by_country: dict[str, list[str]],
    deleted: np.ndarray,
) -> pl.DataFrame:
    """Changes of account manager, credit limit or customer type (for SCD2): Poisson(4) per account
    over [created, created + 4 years], none after the account's deletion."""
    n = len(created)
    types = list(CUSTOMER_TYPE_WEIGHT)
    n_ch = g.poisson(4.0, n)
    cidx = np.repeat(np.arange(n), n_ch)
    m = len(cidx)
    at = np.maximum(created[cidx], cfg.start_ts - 365 * DAY) + g.integers(DAY, 4 * 365 * DAY, m)
    attr = g.integers(0, 3, m)
    mgr_choices = [managers_by_country[COUNTRIES[country[i]]] for i in cidx]
    new_mgr = [c[int(k) % len(c)] for c, k in zip(mgr_choices, g.integers(0, 1000, m), strict=True)]
    new_credit = np.round(credit[cidx] * np.exp(0.35 * g.normal(size=m)) / 1000.0) * 1000.0
    new_type = [types[t] for t in g.choice(len(types), m, p=list(CUSTOMER_TYPE_WEIGHT.values()))]
    return pl.DataFrame(
        {
            "idx": cidx.astype(np.int64),
            "changed_at": at.astype(np.int64),
            "attr": attr.astype(np.int64),
            "manager": new_mgr,
            "credit": new_credit,
            "ctype": new_type,
        }
    ).filter(pl.col("changed_at") < pl.Series(deleted[cidx]))


def _contact(
    g: np.random.Generator,
    names: list[str],
    country: np.ndarray,
    domains: list[str],
    phones: dict[str, list[str]],
) -> dict[str, list[str]]:
    """A billing e-mail at the company's slug and a phone number from the country's pool."""
    n = len(names)
    return {
        "email": [
            f"billing@{_slug(nm)}.{domains[i % len(domains)].split('.', 1)[-1]}"
            for nm, i in zip(names, g.integers(0, 1000, n), strict=True)
        ],
        "phone": [phones[COUNTRIES[c]][i] for c, i in zip(country, g.integers(0, 60, n), strict=True)],
    }


def build_customers(cfg: Config, enums: Enums) -> Customers:
    """Create the customer universe from the seed.

    One seeded generator ``g`` draws in a fixed order: creation times, country, city, type,
    industry, name, e-mail, phone, account manager, credit limit, payment terms, order intensity,
    churn, attribute changes and the seasonal phase; names come from a seeded Faker.
    """
    g = rng.numpy_rng(cfg.seed, "customers")
    created = _creation_times(cfg, g)
    n = len(created)
    companies, phones, domains = _name_pools(cfg.seed, n)
    country = g.choice(len(COUNTRIES), n, p=[COUNTRY_SHARE[c] for c in COUNTRIES])
    cities = load_cities()
    city_idx = np.array(
        [g.choice([i for i, c in enumerate(cities) if c["country_code"] == COUNTRIES[k]]) for k in country]
    )
    types = list(CUSTOMER_TYPE_WEIGHT)
    type_idx = g.choice(len(types), n, p=list(CUSTOMER_TYPE_WEIGHT.values()))
    ctype = [enums.get("customer_types", types[t]) for t in type_idx]
    industry = [enums.industries[i] for i in g.integers(0, len(enums.industries), n)]
    names = [companies[i] for i in g.integers(0, len(companies), n)]
    contact = _contact(g, names, country, domains, phones)
    by_region, by_country = _account_managers(enums)
    region = [cities[i]["region"] for i in city_idx]
    managers = _first_managers(g, region, country, by_region, by_country)
    credit = np.array(
        [_CREDIT[t][0] * np.exp(_CREDIT[t][1] * z) for t, z in zip(ctype, g.normal(size=n), strict=True)]
    )
    credit = np.round(credit / 1000.0) * 1000.0  # lognormal by customer type, whole thousands
    static = pl.DataFrame(
        {
            "customer_id": np.arange(1, n + 1, dtype=np.int64),
            "name": names,
            "customer_type": ctype,
            "industry": industry,
            **contact,
            "city": [cities[i]["city"] for i in city_idx],
            "country": [COUNTRIES[c] for c in country],
            "account_manager": managers,
            "credit_limit_usd": credit,
            "payment_terms_days": g.choice([15, 30, 30, 45, 60, 90], n).astype(np.int32),
            "created_at": created,
        }
    )
    base = np.array([CUSTOMER_TYPE_INTENSITY[t] for t in ctype]) * np.exp(0.6 * g.normal(size=n))
    churn_start, tau, churn_end, deleted = _churn(cfg, g, created)
    changes = _attribute_changes(cfg, g, created, country, credit, by_country, deleted)
    return Customers(
        static=static,
        country=country,
        created=created,
        base=base,
        phase=g.random(n) * 2 * np.pi,
        churn_start=churn_start,
        churn_tau=tau.astype(np.float64),
        churn_end=churn_end,
        deleted_at=deleted,
        changes=changes,
    )
