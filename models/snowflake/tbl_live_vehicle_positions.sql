{{ config(
    materialized='dynamic_table',
    enabled=target.type == 'snowflake',
    schema='live',
    target_lag=var('live_target_lag', '15 minutes'),
    snowflake_warehouse=var('live_warehouse', 'TRANSFORMING_WH'),
    refresh_mode='INCREMENTAL',
    initialize='ON_CREATE'
) }}
{#
    Near-real-time: the latest telematics ping of every vehicle, refreshed by Snowflake (a dynamic
    table) within `target_lag` of each Fivetran sync, independent of the dbt schedule. It reads the
    landing table directly (the one model outside raw/ that does): waiting for the next dbt batch
    would defeat its purpose. Snowflake only.
    Incremental by construction: REFRESH_MODE = INCREMENTAL (creation fails rather than silently
    falling back to full refreshes, as AUTO may), and the top-1-per-key `QUALIFY row_number() ... = 1`
    form, which Snowflake processes incrementally (only vehicles with new pings are recomputed). The
    landing table's owner (LOADER) enables change tracking: `dbt run-operation enable_change_tracking`.
    Cost: see the README's Snowflake section.
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
    from pings
    qualify row_number() over (
        partition by vehicle_id
        order by recorded_at desc, telemetry_id desc
    ) = 1
)

select * from final
