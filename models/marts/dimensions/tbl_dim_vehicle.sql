{#
    One row per vehicle version (SCD2 from snp_vehicles) plus the unknown member.
    vehicle_sk identifies a version; vehicle_id is the durable key across versions.
#}
with vehicle_versions as (
    {{ scd_versions(
        ref('snp_vehicles'),
        ref('tbl_stg_vehicles'),
        ref('tbl_stg_vehicles_quarantine'),
        'vehicle_id',
        ['registration_number', 'vehicle_type', 'make', 'model', 'model_year', 'fuel_type', 'capacity_kg', 'capacity_m3', 'fuel_l_per_100km', 'kwh_per_100km', 'maintenance_interval_km', 'odometer_km', 'vehicle_status', 'home_location_id', 'purchase_date', 'purchase_price_usd', 'created_at']
    ) }}
),

fuel_types as (
    select * from {{ ref('enum_fuel_type') }}
),

vehicle_statuses as (
    select * from {{ ref('enum_vehicle_status') }}
),

as_of as (
    select {{ as_of_timestamp() }} as as_of_at
),

known_vehicles as (
    select
        {{ surrogate_key(['vehicle_versions.vehicle_id', seconds_since_1970('vehicle_versions.version_started_at')]) }} as vehicle_sk,
        vehicle_versions.vehicle_id,
        vehicle_versions.version_number,
        vehicle_versions.registration_number,
        vehicle_versions.vehicle_type,
        vehicle_versions.make,
        vehicle_versions.model,
        vehicle_versions.model_year,
        vehicle_versions.fuel_type,
        fuel_types.energy_unit,
        fuel_types.co2_kg_per_unit,
        vehicle_versions.capacity_kg,
        vehicle_versions.capacity_m3,
        vehicle_versions.fuel_l_per_100km,
        vehicle_versions.kwh_per_100km,
        case
            when fuel_types.energy_unit = 'KWH' then vehicle_versions.kwh_per_100km
            else vehicle_versions.fuel_l_per_100km
        end as consumption_per_100km,
        vehicle_versions.maintenance_interval_km,
        vehicle_versions.odometer_km,
        vehicle_versions.vehicle_status,
        vehicle_statuses.is_available,
        vehicle_versions.home_location_id,
        vehicle_versions.purchase_date,
        vehicle_versions.purchase_price_usd,
        {{ safe_divide(timestamp_diff('day', 'vehicle_versions.purchase_date', 'cast(as_of.as_of_at as date)'), 365.25) }} as vehicle_age_years,
        vehicle_versions.created_at,
        vehicle_versions.updated_at,
        vehicle_versions.valid_from_at,
        vehicle_versions.valid_to_at,
        vehicle_versions.is_current,
        vehicle_versions.is_inferred,
        vehicle_versions.is_backdated,
        vehicle_versions.is_deleted,
        vehicle_versions.synced_at
    from vehicle_versions
    cross join as_of
    left join fuel_types
        on vehicle_versions.fuel_type = fuel_types.fuel_type
    left join vehicle_statuses
        on vehicle_versions.vehicle_status = vehicle_statuses.vehicle_status
),

unknown_vehicle as (
    select
        {{ unknown_key() }} as vehicle_sk,
        -1 as vehicle_id,
        1 as version_number,
        'UNKNOWN' as registration_number,
        null as vehicle_type,
        null as make,
        null as model,
        null as model_year,
        null as fuel_type,
        null as energy_unit,
        null as co2_kg_per_unit,
        null as capacity_kg,
        null as capacity_m3,
        null as fuel_l_per_100km,
        null as kwh_per_100km,
        null as consumption_per_100km,
        null as maintenance_interval_km,
        null as odometer_km,
        null as vehicle_status,
        null as is_available,
        null as home_location_id,
        null as purchase_date,
        null as purchase_price_usd,
        null as vehicle_age_years,
        null as created_at,
        null as updated_at,
        cast('1900-01-01 00:00:00' as {{ dbt.type_timestamp() }}) as valid_from_at,
        cast('9999-12-31 23:59:59' as {{ dbt.type_timestamp() }}) as valid_to_at,
        true as is_current,
        false as is_inferred,
        false as is_backdated,
        false as is_deleted,
        null as synced_at
),

combined as (
    select * from known_vehicles
    union all
    select * from unknown_vehicle
),

final as (
    select
        cast(vehicle_sk as {{ dbt.type_string() }}) as vehicle_sk,
        cast(vehicle_id as bigint) as vehicle_id,
        cast(version_number as integer) as version_number,
        cast(registration_number as {{ dbt.type_string() }}) as registration_number,
        cast(vehicle_type as {{ dbt.type_string() }}) as vehicle_type,
        cast(make as {{ dbt.type_string() }}) as make,
        cast(model as {{ dbt.type_string() }}) as model,
        cast(model_year as integer) as model_year,
        cast(fuel_type as {{ dbt.type_string() }}) as fuel_type,
        cast(energy_unit as {{ dbt.type_string() }}) as energy_unit,
        cast(co2_kg_per_unit as double) as co2_kg_per_unit,
        cast(capacity_kg as double) as capacity_kg,
        cast(capacity_m3 as double) as capacity_m3,
        cast(fuel_l_per_100km as double) as fuel_l_per_100km,
        cast(kwh_per_100km as double) as kwh_per_100km,
        cast(consumption_per_100km as double) as consumption_per_100km,
        cast(maintenance_interval_km as integer) as maintenance_interval_km,
        cast(odometer_km as double) as odometer_km,
        cast(vehicle_status as {{ dbt.type_string() }}) as vehicle_status,
        cast(is_available as boolean) as is_available,
        cast(home_location_id as bigint) as home_location_id,
        cast(purchase_date as date) as purchase_date,
        cast(purchase_price_usd as decimal(14, 2)) as purchase_price_usd,
        cast(vehicle_age_years as double) as vehicle_age_years,
        cast(created_at as {{ dbt.type_timestamp() }}) as created_at,
        cast(updated_at as {{ dbt.type_timestamp() }}) as updated_at,
        cast(valid_from_at as {{ dbt.type_timestamp() }}) as valid_from_at,
        cast(valid_to_at as {{ dbt.type_timestamp() }}) as valid_to_at,
        cast(is_current as boolean) as is_current,
        cast(is_inferred as boolean) as is_inferred,
        cast(is_backdated as boolean) as is_backdated,
        cast(is_deleted as boolean) as is_deleted,
        cast(synced_at as {{ dbt.type_timestamp() }}) as synced_at
    from combined
)

select * from final
