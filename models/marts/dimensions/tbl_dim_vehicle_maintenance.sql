{#
    One row per maintenance event (tbl_stg_maintenance) plus the unknown member, with the vehicle
    version it was performed on. maintenance_sk is durable: surrogate_key(maintenance_id).
#}
with maintenance as (
    select * from {{ ref('tbl_stg_maintenance') }}
),

maintenance_types as (
    select * from {{ ref('enum_maintenance_type') }}
),

maintenance_statuses as (
    select * from {{ ref('enum_maintenance_status') }}
),

vehicles as (
    select * from {{ ref('tbl_dim_vehicle') }}
),

known_events as (
    select
        {{ surrogate_key(['maintenance.maintenance_id']) }} as maintenance_sk,
        maintenance.maintenance_id,
        maintenance.vehicle_id,
        coalesce(vehicles.vehicle_sk, {{ unknown_key() }}) as vehicle_sk,
        maintenance.maintenance_type,
        maintenance_types.is_unplanned,
        maintenance.maintenance_status,
        maintenance_statuses.is_terminal as is_status_terminal,
        maintenance.provider,
        maintenance.performed_at,
        cast(maintenance.performed_at as date) as performed_date,
        maintenance.odometer_km,
        maintenance.parts_cost_usd,
        maintenance.labor_cost_usd,
        {{ total_cost_usd('maintenance.parts_cost_usd', 'maintenance.labor_cost_usd', '0') }} as total_cost_usd,
        maintenance.downtime_hours,
        maintenance.created_at,
        maintenance.updated_at,
        maintenance.is_deleted,
        maintenance.synced_at
    from maintenance
    left join maintenance_types
        on maintenance.maintenance_type = maintenance_types.maintenance_type
    left join maintenance_statuses
        on maintenance.maintenance_status = maintenance_statuses.maintenance_status
    left join vehicles
        on maintenance.vehicle_id = vehicles.vehicle_id
        and coalesce(maintenance.performed_at, maintenance.created_at) >= vehicles.valid_from_at
        and coalesce(maintenance.performed_at, maintenance.created_at) < vehicles.valid_to_at
),

unknown_event as (
    select
        {{ unknown_key() }} as maintenance_sk,
        -1 as maintenance_id,
        null as vehicle_id,
        {{ unknown_key() }} as vehicle_sk,
        null as maintenance_type,
        null as is_unplanned,
        null as maintenance_status,
        null as is_status_terminal,
        null as provider,
        null as performed_at,
        null as performed_date,
        null as odometer_km,
        null as parts_cost_usd,
        null as labor_cost_usd,
        null as total_cost_usd,
        null as downtime_hours,
        null as created_at,
        null as updated_at,
        false as is_deleted,
        null as synced_at
),

combined as (
    select * from known_events
    union all
    select * from unknown_event
),

final as (
    select
        cast(maintenance_sk as {{ dbt.type_string() }}) as maintenance_sk,
        cast(maintenance_id as bigint) as maintenance_id,
        cast(vehicle_id as bigint) as vehicle_id,
        cast(vehicle_sk as {{ dbt.type_string() }}) as vehicle_sk,
        cast(maintenance_type as {{ dbt.type_string() }}) as maintenance_type,
        cast(is_unplanned as boolean) as is_unplanned,
        cast(maintenance_status as {{ dbt.type_string() }}) as maintenance_status,
        cast(is_status_terminal as boolean) as is_status_terminal,
        cast(provider as {{ dbt.type_string() }}) as provider,
        cast(performed_at as {{ dbt.type_timestamp() }}) as performed_at,
        cast(performed_date as date) as performed_date,
        cast(odometer_km as double) as odometer_km,
        cast(parts_cost_usd as decimal(14, 2)) as parts_cost_usd,
        cast(labor_cost_usd as decimal(14, 2)) as labor_cost_usd,
        cast(total_cost_usd as decimal(14, 2)) as total_cost_usd,
        cast(downtime_hours as double) as downtime_hours,
        cast(created_at as {{ dbt.type_timestamp() }}) as created_at,
        cast(updated_at as {{ dbt.type_timestamp() }}) as updated_at,
        cast(is_deleted as boolean) as is_deleted,
        cast(synced_at as {{ dbt.type_timestamp() }}) as synced_at
    from combined
)

select * from final
