{#
    One row per telematics ping with the time the warehouse FIRST saw it land (first_landed_at).
    Pings re-delivered by the device land again with a later _fivetran_synced, which the raw layer
    keeps; the first landing is the evidence of when the ping was known, so this log is
    append-only: a run adds the pings of tbl_fact_vehicle_telemetry it has not seen, and
    full_refresh=false keeps the log through --full-refresh (a rebuild from the latest rows would
    date re-delivered pings too late and change past feature rows). Only the columns the
    maintenance features read.
#}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    full_refresh=false,
    on_schema_change='fail'
) }}

with telemetry as (
    select * from {{ ref('tbl_fact_vehicle_telemetry') }}
    {%- if is_incremental() %}
    where {{ after_high_water_mark('synced_at', 'first_landed_at') }}
    {%- endif %}
),

final as (
    select
        telemetry.telemetry_id,
        telemetry.vehicle_id,
        telemetry.recorded_at,
        telemetry.synced_at as first_landed_at,
        telemetry.engine_temp_c,
        telemetry.battery_voltage_v,
        telemetry.odometer_km,
        telemetry.is_harsh_braking,
        telemetry.is_harsh_acceleration,
        telemetry.is_idling,
        telemetry.is_moving
    from telemetry
    where not telemetry.is_deleted
    {%- if is_incremental() %}
      and not exists (
          select 1
          from {{ this }} as seen
          where seen.telemetry_id = telemetry.telemetry_id
      )
    {%- endif %}
)

select * from final
