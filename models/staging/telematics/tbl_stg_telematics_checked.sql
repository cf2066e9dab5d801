{#
    Every raw telematics row, cleaned and typed, with the reason it fails validation (null when valid).
    tbl_stg_telematics keeps the valid rows; tbl_stg_telematics_quarantine keeps the others with their reason.

    A table, not a view like the rest of staging: telematics is the largest source (≈ 60 % of the
    landed rows), and as a view every reader (the telemetry and utilization facts, the audits, the
    ML landing log) re-ran the two parent lookups over every ping on every run, a full pass over
    history per reader even when nothing new had landed. Incremental, merge on telemetry_id: a run
    re-checks the raw rows landed since the high-water mark of synced_at and the stored orphans
    (orphan_vehicle, orphan_shipment: the only reasons that can change without the row changing,
    when the parent lands; a parent never leaves raw, so a valid row never becomes an orphan). So
    the table equals a full refresh after any sequence of syncs (checked by the reliability drill).
#}
{{ config(
    materialized='incremental',
    incremental_strategy='merge',
    unique_key='telemetry_id',
    on_schema_change='fail'
) }}

with source as (
    {%- if is_incremental() %}
    {#- a union, not one OR: the mark alone is a constant the scan prunes row groups with -#}
    select * from {{ ref('tbl_raw_telematics') }} as landed
    where {{ after_high_water_mark('landed._fivetran_synced') }}
    union
    select * from {{ ref('tbl_raw_telematics') }} as landed
    where landed.telemetry_id in (
        select pending.telemetry_id
        from {{ this }} as pending
        where pending.rejection_reason in ('orphan_vehicle', 'orphan_shipment')
    )
    {%- else %}
    select * from {{ ref('tbl_raw_telematics') }}
    {%- endif %}
),

vehicles_keys as (
    select distinct vehicle_id from {{ ref('tbl_raw_vehicles') }}
),

shipments_keys as (
    select distinct shipment_id from {{ ref('tbl_raw_shipments') }}
),

renamed as (
    select
        -- ids
        telemetry_id,
        vehicle_id,
        shipment_id,
        -- numerics
        cast(latitude as double) as latitude,
        cast(longitude as double) as longitude,
        cast(speed_kmh as double) as speed_kmh,
        cast(engine_rpm as double) as engine_rpm,
        cast(engine_temp_c as double) as engine_temp_c,
        cast(fuel_level_pct as double) as fuel_level_pct,
        cast(odometer_km as double) as odometer_km,
        cast(battery_voltage as double) as battery_voltage_v,
        -- booleans
        coalesce(harsh_braking, false) as is_harsh_braking,
        coalesce(harsh_acceleration, false) as is_harsh_acceleration,
        -- timestamps
        cast(recorded_at as timestamp) as recorded_at,
        -- fivetran
        coalesce(_fivetran_deleted, false) as is_deleted,
        cast(_fivetran_synced as timestamp) as synced_at
    from source
),

checked as (
    select
        renamed.telemetry_id,
        renamed.vehicle_id,
        renamed.shipment_id,
        renamed.latitude,
        renamed.longitude,
        renamed.speed_kmh,
        renamed.engine_rpm,
        renamed.engine_temp_c,
        renamed.fuel_level_pct,
        renamed.odometer_km,
        renamed.battery_voltage_v,
        renamed.is_harsh_braking,
        renamed.is_harsh_acceleration,
        renamed.recorded_at,
        renamed.is_deleted,
        renamed.synced_at,
        case
            when renamed.vehicle_id is not null and vehicle_keys.vehicle_id is null
                then 'orphan_vehicle'
            when renamed.shipment_id is not null and shipment_keys.shipment_id is null
                then 'orphan_shipment'
            when renamed.speed_kmh not between 0 and 160 or renamed.engine_rpm not between 0 and 5000 or renamed.engine_temp_c not between -40 and 130 or renamed.fuel_level_pct not between 0 and 100 or renamed.battery_voltage_v not between 0 and 32 or renamed.latitude not between -90 and 90 or renamed.longitude not between -180 and 180 or renamed.odometer_km < 0
                then 'sensor_out_of_range'
            when {{ is_after_load('renamed.recorded_at', 'renamed.synced_at') }}
                then 'timestamp_after_load'
        end as rejection_reason
    from renamed
    left join vehicles_keys as vehicle_keys
        on renamed.vehicle_id = vehicle_keys.vehicle_id
    left join shipments_keys as shipment_keys
        on renamed.shipment_id = shipment_keys.shipment_id
)

select * from checked
