{#
    A query over an SCD2 dimension (a relation or CTE name): per key with a version landed since the
    incremental model's high-water mark (after_high_water_mark), the earliest valid_from_at of those
    versions. A fact keyed as of the event must re-key its rows from that instant on: before it, no
    version window changed.
#}
{% macro version_starts_landed_since_high_water_mark(dimension, key_column) -%}
    select
        {{ key_column }},
        min(valid_from_at) as valid_from_at
    from {{ dimension }}
    where {{ after_high_water_mark('synced_at') }}
    group by {{ key_column }}
{%- endmacro %}
