"""The training-set SQL, compiled per engine: DuckDB ``ASOF LEFT JOIN … ON key AND t >= t'`` or
Snowflake ``ASOF JOIN … MATCH_CONDITION (t >= t') ON key`` (which null-pads unmatched left rows,
i.e. is a left join too). Everything else in the statement is the same text on both engines.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from featurestore.catalog import FEATURE_SETS, LABELS, FeatureSet

ENGINES = ("duckdb", "snowflake")


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def asof_join(engine: str, relation: str, alias: str, key_condition: str, match_condition: str) -> str:
    """One ASOF join clause: keep each left row, add the right row with the latest match."""
    if engine == "duckdb":
        return f"asof left join {relation} as {alias}\n    on {key_condition}\n   and {match_condition}"
    if engine == "snowflake":
        match = f"match_condition ({match_condition})"
        return f"asof join {relation} as {alias}\n    {match}\n    on {key_condition}"
    raise ValueError(f"unknown engine {engine!r}: choose one of {', '.join(ENGINES)}")


def _feature_cte(feature_set: FeatureSet, schema: str, columns: Sequence[str]) -> str:
    selected = ",\n        ".join(
        f"features.{_quote(column)} as {_quote(feature_set.name + '__' + column)}" for column in columns
    )
    where = (
        f"\n    where features.entity_type = '{feature_set.entity_type}'" if feature_set.entity_type else ""
    )
    return (
        f"{feature_set.name} as (\n"
        f"    select\n"
        f"        features.{feature_set.feature_key} as join_key,\n"
        f"        {feature_set.available_at} as available_at,\n"
        f"        {selected}\n"
        f"    from {schema}.{feature_set.relation} as features{where}\n"
        f")"
    )


def training_sql(
    label: str,
    feature_sets: Sequence[str],
    start: date,
    end: date,
    feature_columns: dict[str, Sequence[str]],
    schema: str,
    engine: str = "duckdb",
) -> str:
    """The statement of a training frame: known labels with label_as_of_at in [start, end).

    ``feature_columns`` maps each feature set to the columns to select (the caller reads them from
    the database, so a new feature column needs no change here).
    """
    spec = LABELS[label]
    label_columns = ",\n        ".join(
        f"labels.{column}" for column in (*spec.keys, "label_as_of_at", *spec.label_columns)
    )
    ctes = [
        "labels as (\n"
        f"    select\n        {label_columns}\n"
        f"    from {schema}.{spec.relation} as labels\n"
        "    where labels.label_status = 'known'\n"
        f"      and labels.label_as_of_at >= cast('{start.isoformat()}' as timestamp)\n"
        f"      and labels.label_as_of_at < cast('{end.isoformat()}' as timestamp)\n"
        ")"
    ]
    joins = []
    selected = ["labels.*"]
    for name in feature_sets:
        feature_set = FEATURE_SETS[name]
        ctes.append(_feature_cte(feature_set, schema, feature_columns[name]))
        joins.append(
            asof_join(
                engine,
                name,
                name,
                f"labels.{feature_set.key} = {name}.join_key",
                f"labels.label_as_of_at >= {name}.available_at",
            )
        )
        selected.append(f"{name}.available_at as {_quote(name + '__available_at')}")
        selected += [f"{name}.{_quote(name + '__' + column)}" for column in feature_columns[name]]
    return (
        "with " + ",\n\n".join(ctes) + "\n\n"
        "select\n    " + ",\n    ".join(selected) + "\n"
        "from labels\n" + "\n".join(joins) + "\n"
        "order by labels.label_as_of_at, " + ", ".join(f"labels.{key}" for key in spec.keys)
    )
