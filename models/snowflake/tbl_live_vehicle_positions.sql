{{ config(
    materialized='dynamic_table',
    enabled=target.type == 'snowflake',
    schema='live',
    target_lag=var('live_target_lag', '15 minutes'),
    snowflake_warehouse=var('live_warehouse', 'TRANSFORMING_WH'),
    refresh_mode='AUTO',
    initialize='ON_CREATE'
) }}
{#
    Near-real-time: the latest telematics ping of every vehicle, refreshed by Snowflake (a dynamic
    table) within `target_lag` of each Fivetran sync, independent of the dbt schedule. It reads the
    landing table directly (the one model outside raw/ that does): waiting for the next dbt batch
    would defeat its purpose. Snowflake only. Cost: see the README's Snowflake section.
#}
with pings as (
    select
        telemetry_id,
        vehicle_id,
        shipment_id,
        recorded_at,
        latitude,
        longitude,
        speed_kmh,
        fuel_level_pct,
        _fivetran_synced
    from {{ source('telematics', 'telematics') }}
    where telemetry_id is not null
      and vehicle_id is not null
      and not coalesce(_fivetran_deleted, false)
),

ranked_pings as (
    select
        pings.*,
        row_number() over (
            partition by pings.vehicle_id
            order by pings.recorded_at desc, pings.telemetry_id desc
        ) as recency_rank
    from pings
),

final as (
    select
        vehicle_id,
        shipment_id,
        recorded_at as last_seen_at,
        latitude,
        longitude,
        speed_kmh,
        fuel_level_pct,
        _fivetran_synced as synced_at
    from ranked_pings
    where recency_rank = 1
)

select * from final
