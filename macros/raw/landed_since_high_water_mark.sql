{#
    The landed rows a raw model has not seen yet: on an incremental run, those whose _fivetran_synced
    is above the model's high-water mark less `raw_lookback_minutes` (commit-order skew only; late rows
    arrive with a new _fivetran_synced, so the mark catches them). On a first or full-refresh run, all.
    `watermark_filter` restricts the high-water mark to part of {{ this }} (the raw quarantine model
    holds several sources).
#}
{% macro landed_since_high_water_mark(source_relation, watermark_filter=none) -%}
    select *
    from {{ source_relation }}
    {%- if is_incremental() %}
    where _fivetran_synced > (
        select {{ dbt.dateadd(
            'minute',
            -1 * var('raw_lookback_minutes'),
            "coalesce(max(hwm._fivetran_synced), cast('1900-01-01' as " ~ dbt.type_timestamp() ~ "))"
        ) }}
        from {{ this }} as hwm
        {%- if watermark_filter %}
        where {{ watermark_filter }}
        {%- endif %}
    )
    {%- endif %}
{%- endmacro %}
