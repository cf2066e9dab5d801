with checked as (
    select * from {{ ref('tbl_stg_telematics_checked') }}
),

final as (
    select
        {{ row_key(['telemetry_id'], ['telemetry_id']) }} as row_key,
        rejection_reason,
        telemetry_id,
        vehicle_id,
        shipment_id,
        latitude,
        longitude,
        speed_kmh,
        engine_rpm,
        engine_temp_c,
        fuel_level_pct,
        odometer_km,
        battery_voltage_v,
        is_harsh_braking,
        is_harsh_acceleration,
        recorded_at,
        is_deleted,
        synced_at
    from checked
    where rejection_reason is not null
)

select * from final
