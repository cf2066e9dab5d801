{#
    Every raw maintenance row, cleaned and typed, with the reason it fails validation (null when valid).
    tbl_stg_maintenance keeps the valid rows; tbl_stg_maintenance_quarantine keeps the others with their reason.
    downtime_exceeds_type_maximum: downtime beyond the type's max_downtime_hours (seed enum_maintenance_type),
    e.g. minutes landed as hours.
#}
with source as (
    select * from {{ ref('tbl_raw_maintenance') }}
),

vehicles_keys as (
    select distinct vehicle_id from {{ ref('tbl_raw_vehicles') }}
),

renamed as (
    select
        -- ids
        maintenance_id,
        vehicle_id,
        -- strings
        {{ clean_enum('maintenance_type') }} as maintenance_type,
        {{ clean_enum('status') }} as maintenance_status,
        trim(provider) as provider,
        -- numerics
        cast(odometer_km as double) as odometer_km,
        cast(parts_cost_usd as decimal(14, 2)) as parts_cost_usd,
        cast(labor_cost_usd as decimal(14, 2)) as labor_cost_usd,
        cast(downtime_hours as double) as downtime_hours,
        -- timestamps
        cast(performed_at as timestamp) as performed_at,
        cast(created_at as timestamp) as created_at,
        cast(updated_at as timestamp) as updated_at,
        -- fivetran
        coalesce(_fivetran_deleted, false) as is_deleted,
        cast(_fivetran_synced as timestamp) as synced_at
    from source
),

checked as (
    select
        renamed.maintenance_id,
        renamed.vehicle_id,
        renamed.maintenance_type,
        renamed.maintenance_status,
        renamed.provider,
        renamed.odometer_km,
        renamed.parts_cost_usd,
        renamed.labor_cost_usd,
        renamed.downtime_hours,
        renamed.performed_at,
        renamed.created_at,
        renamed.updated_at,
        renamed.is_deleted,
        renamed.synced_at,
        case
            when renamed.maintenance_type is not null and known_maintenance_type.maintenance_type is null
                then 'unknown_maintenance_type'
            when renamed.maintenance_status is not null and known_maintenance_status.maintenance_status is null
                then 'unknown_maintenance_status'
            when renamed.vehicle_id is not null and vehicle_keys.vehicle_id is null
                then 'orphan_vehicle'
            when renamed.parts_cost_usd < 0 or renamed.labor_cost_usd < 0 or renamed.downtime_hours < 0 or renamed.odometer_km < 0
                then 'negative_amount'
            when renamed.downtime_hours > known_maintenance_type.max_downtime_hours
                then 'downtime_exceeds_type_maximum'
            when {{ is_after_load('renamed.created_at', 'renamed.synced_at') }} or {{ is_after_load('renamed.updated_at', 'renamed.synced_at') }} or renamed.performed_at > {{ dbt.dateadd('day', 365, 'renamed.synced_at') }}
                then 'timestamp_after_load'
        end as rejection_reason
    from renamed
    left join {{ ref('enum_maintenance_type') }} as known_maintenance_type
        on renamed.maintenance_type = known_maintenance_type.maintenance_type
    left join {{ ref('enum_maintenance_status') }} as known_maintenance_status
        on renamed.maintenance_status = known_maintenance_status.maintenance_status
    left join vehicles_keys as vehicle_keys
        on renamed.vehicle_id = vehicle_keys.vehicle_id
)

select * from checked
