{#
    Every quarantined row counted by the model that rejected it, the reason and the day of the sync
    that landed it: the raw key quarantine (null or conflicting keys, counting every landed copy)
    and each staging quarantine (validation rules).
#}
{%- set entities = landing_tables() | map(attribute='table') | list %}

with quarantined_rows as (
    {%- for entity in entities %}
    select
        'tbl_stg_{{ entity }}_quarantine' as quarantine_model,
        '{{ entity }}' as entity,
        'staging' as layer,
        rejection_reason,
        cast(synced_at as date) as synced_date,
        count(*) as row_count
    from {{ ref('tbl_stg_' ~ entity ~ '_quarantine') }}
    group by
        rejection_reason,
        cast(synced_at as date)
    union all
    {%- endfor %}
    select
        'tbl_raw_quarantine' as quarantine_model,
        source_table as entity,
        'raw' as layer,
        rejection_reason,
        cast(_fivetran_synced as date) as synced_date,
        sum(copies_landed) as row_count
    from {{ ref('tbl_raw_quarantine') }}
    group by
        source_table,
        rejection_reason,
        cast(_fivetran_synced as date)
),

final as (
    select
        quarantine_model,
        entity,
        layer,
        rejection_reason,
        synced_date,
        row_count
    from quarantined_rows
)

select * from final
