{#
    One row per location and observed hour (hourly traffic from tbl_stg_traffic) plus the unknown
    member. traffic_sk is durable: surrogate_key(location_id, hour_id(observed_at)).
    Incremental exactly like tbl_dim_weather (merge on traffic_sk; batch = staged hours above the
    high-water mark plus missing hours of locations landed since; quarantined hours deleted first).
#}
-- depends_on: {{ ref('tbl_stg_traffic_quarantine') }}
-- depends_on: {{ ref('tbl_stg_locations') }}
-- depends_on: {{ ref('tbl_stg_locations_quarantine') }}
{{ config(
    materialized='incremental',
    incremental_strategy='merge',
    unique_key='traffic_sk',
    on_schema_change='fail',
    pre_hook="{{ delete_rows_quarantined_since_high_water_mark(ref('tbl_stg_traffic_quarantine'), 'traffic_sk', surrogate_key(['quarantined.location_id', hour_id('quarantined.observed_at')])) }}"
) }}

with {{ hourly_observation_batch('tbl_stg_traffic', 'traffic_sk') }},

known_hours as (
    select
        batch.traffic_sk,
        batch.location_id,
        batch.observed_at,
        cast(batch.observed_at as date) as observed_date,
        batch.congestion_index,
        {{ congestion_level('batch.congestion_index') }} as congestion_level,
        batch.avg_speed_kmh,
        batch.incident_count,
        batch.is_deleted,
        batch.synced_at
    from batch
),

unknown_hour as (
    select
        {{ unknown_key() }} as traffic_sk,
        -1 as location_id,
        null as observed_at,
        null as observed_date,
        null as congestion_index,
        null as congestion_level,
        null as avg_speed_kmh,
        null as incident_count,
        false as is_deleted,
        cast('1900-01-01 00:00:00' as {{ dbt.type_timestamp() }}) as synced_at
),

combined as (
    select * from known_hours
    {%- if not is_incremental() %}
    union all
    select * from unknown_hour
    {%- endif %}
),

final as (
    select
        cast(traffic_sk as {{ dbt.type_string() }}) as traffic_sk,
        cast(location_id as bigint) as location_id,
        cast(observed_at as {{ dbt.type_timestamp() }}) as observed_at,
        cast(observed_date as date) as observed_date,
        cast(congestion_index as double) as congestion_index,
        cast(congestion_level as {{ dbt.type_string() }}) as congestion_level,
        cast(avg_speed_kmh as double) as avg_speed_kmh,
        cast(incident_count as integer) as incident_count,
        cast(is_deleted as boolean) as is_deleted,
        cast(synced_at as {{ dbt.type_timestamp() }}) as synced_at
    from combined
)

select * from final
