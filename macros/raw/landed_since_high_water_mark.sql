{#
    The landed rows a raw model has not seen yet: on an incremental run, those loaded after the
    model's high-water mark on _fivetran_synced (after_high_water_mark: with the lookback for
    commit-order skew, without the rows at the mark, which the previous run saw). On a first or
    full-refresh run, all. `watermark_filter` restricts the mark to part of {{ this }} (the raw
    quarantine model holds several sources).
#}
{% macro landed_since_high_water_mark(source_relation, watermark_filter=none) -%}
    select *
    from {{ source_relation }}
    {%- if is_incremental() %}
    where {{ after_high_water_mark('_fivetran_synced', '_fivetran_synced', this, watermark_filter) }}
    {%- endif %}
{%- endmacro %}
