-- depends_on: {{ ref('tbl_raw_quarantine') }}
{{ config(unique_key=['location_id', 'observed_at']) }}
{%- set landed_relation = source('traffic_api', 'traffic') -%}
{%- set columns = landed_columns(landed_relation) -%}
{%- set landed_rows = landed_since_high_water_mark(landed_relation) -%}

with classified as (
    {{ classify_landed_rows(landed_rows, ['location_id', 'observed_at'], columns) }}
),

final as (
    select {{ landed_column_list(columns) }},
        {{ run_columns() }}
    from classified
    where version_rank = 1
)

select * from final
