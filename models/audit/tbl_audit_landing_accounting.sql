{#
    Nothing is lost: per landing table, how every landed row is accounted for (landing_row_accounting).
#}
with accounting as (
    {%- for landing in landing_tables() %}
    {{ landing_row_accounting(landing.source, landing.table, landing.key_columns, landing.table) }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

final as (
    select
        source_table,
        landed as landed_rows,
        kept as kept_rows,
        superseded as superseded_rows,
        raw_quarantined as raw_quarantined_rows,
        staged as staged_rows,
        staging_quarantined as staging_quarantined_rows,
        landed - superseded - raw_quarantined - staged - staging_quarantined as lost_rows
    from accounting
)

select
    source_table,
    landed_rows,
    kept_rows,
    superseded_rows,
    raw_quarantined_rows,
    staged_rows,
    staging_quarantined_rows,
    lost_rows
from final
