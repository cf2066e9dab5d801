{#
    Every raw vehicles row, cleaned and typed, with the reason it fails validation (null when valid).
    tbl_stg_vehicles keeps the valid rows; tbl_stg_vehicles_quarantine keeps the others with their reason.
#}
with source as (
    select * from {{ ref('tbl_raw_vehicles') }}
),

locations_keys as (
    select distinct location_id from {{ ref('tbl_raw_locations') }}
),

renamed as (
    select
        -- ids
        vehicle_id,
        home_location_id,
        -- strings
        upper(trim(registration_number)) as registration_number,
        {{ clean_enum('vehicle_type') }} as vehicle_type,
        trim(make) as make,
        trim(model) as model,
        {{ clean_enum('fuel_type') }} as fuel_type,
        {{ clean_enum('status') }} as vehicle_status,
        -- numerics
        cast(model_year as integer) as model_year,
        cast(capacity_kg as double) as capacity_kg,
        cast(capacity_m3 as double) as capacity_m3,
        cast(fuel_l_per_100km as double) as fuel_l_per_100km,
        cast(kwh_per_100km as double) as kwh_per_100km,
        cast(maintenance_interval_km as integer) as maintenance_interval_km,
        cast(odometer_km as double) as odometer_km,
        cast(purchase_price_usd as decimal(14, 2)) as purchase_price_usd,
        -- dates
        cast(purchase_date as date) as purchase_date,
        -- timestamps
        cast(created_at as timestamp) as created_at,
        cast(updated_at as timestamp) as updated_at,
        -- fivetran
        coalesce(_fivetran_deleted, false) as is_deleted,
        cast(_fivetran_synced as timestamp) as synced_at
    from source
),

checked as (
    select
        renamed.vehicle_id,
        renamed.home_location_id,
        renamed.registration_number,
        renamed.vehicle_type,
        renamed.make,
        renamed.model,
        renamed.fuel_type,
        renamed.vehicle_status,
        renamed.model_year,
        renamed.capacity_kg,
        renamed.capacity_m3,
        renamed.fuel_l_per_100km,
        renamed.kwh_per_100km,
        renamed.maintenance_interval_km,
        renamed.odometer_km,
        renamed.purchase_price_usd,
        renamed.purchase_date,
        renamed.created_at,
        renamed.updated_at,
        renamed.is_deleted,
        renamed.synced_at,
        case
            when renamed.vehicle_type is not null and known_vehicle_type.vehicle_type is null
                then 'unknown_vehicle_type'
            when renamed.fuel_type is not null and known_fuel_type.fuel_type is null
                then 'unknown_fuel_type'
            when renamed.vehicle_status is not null and known_vehicle_status.vehicle_status is null
                then 'unknown_vehicle_status'
            when renamed.home_location_id is not null and home_location_keys.location_id is null
                then 'orphan_home_location'
            when renamed.capacity_kg <= 0 or renamed.capacity_m3 <= 0
                then 'non_positive_capacity'
            when renamed.purchase_price_usd < 0 or renamed.odometer_km < 0
                then 'negative_amount'
            when {{ is_after_load('renamed.created_at', 'renamed.synced_at') }} or {{ is_after_load('renamed.updated_at', 'renamed.synced_at') }}
                then 'timestamp_after_load'
        end as rejection_reason
    from renamed
    left join {{ ref('enum_vehicle_type') }} as known_vehicle_type
        on renamed.vehicle_type = known_vehicle_type.vehicle_type
    left join {{ ref('enum_fuel_type') }} as known_fuel_type
        on renamed.fuel_type = known_fuel_type.fuel_type
    left join {{ ref('enum_vehicle_status') }} as known_vehicle_status
        on renamed.vehicle_status = known_vehicle_status.vehicle_status
    left join locations_keys as home_location_keys
        on renamed.home_location_id = home_location_keys.location_id
)

select * from checked
