with checked as (
    select * from {{ ref('tbl_stg_vehicles_checked') }}
),

final as (
    select
        vehicle_id,
        home_location_id,
        registration_number,
        vehicle_type,
        make,
        model,
        fuel_type,
        vehicle_status,
        model_year,
        capacity_kg,
        capacity_m3,
        fuel_l_per_100km,
        kwh_per_100km,
        maintenance_interval_km,
        odometer_km,
        purchase_price_usd,
        purchase_date,
        created_at,
        updated_at,
        is_deleted,
        synced_at
    from checked
    where rejection_reason is null
)

select * from final
