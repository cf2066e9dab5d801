with checked as (
    select * from {{ ref('tbl_stg_maintenance_checked') }}
),

final as (
    select
        maintenance_id,
        vehicle_id,
        maintenance_type,
        maintenance_status,
        provider,
        odometer_km,
        parts_cost_usd,
        labor_cost_usd,
        downtime_hours,
        performed_at,
        created_at,
        updated_at,
        is_deleted,
        synced_at
    from checked
    where rejection_reason is null
)

select * from final
