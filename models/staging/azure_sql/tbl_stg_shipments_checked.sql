{#
    Every raw shipments row, cleaned and typed, with the reason it fails validation (null when valid).
    tbl_stg_shipments keeps the valid rows; tbl_stg_shipments_quarantine keeps the others with their reason.
#}
with source as (
    select * from {{ ref('tbl_raw_shipments') }}
),

customers_keys as (
    select distinct customer_id from {{ ref('tbl_raw_customers') }}
),

routes_keys as (
    select distinct route_id from {{ ref('tbl_raw_routes') }}
),

vehicles_keys as (
    select distinct vehicle_id from {{ ref('tbl_raw_vehicles') }}
),

renamed as (
    select
        -- ids
        shipment_id,
        customer_id,
        route_id,
        vehicle_id,
        -- strings
        {{ clean_enum('status') }} as shipment_status,
        {{ clean_enum('priority') }} as priority,
        {{ clean_enum('service_level') }} as service_level,
        -- numerics
        cast(weight_kg as double) as weight_kg,
        cast(volume_m3 as double) as volume_m3,
        cast(revenue_usd as decimal(14, 2)) as revenue_usd,
        cast(fuel_cost_usd as decimal(14, 2)) as fuel_cost_usd,
        cast(driver_cost_usd as decimal(14, 2)) as driver_cost_usd,
        cast(toll_cost_usd as decimal(14, 2)) as toll_cost_usd,
        -- timestamps
        cast(planned_pickup_at as timestamp) as planned_pickup_at,
        cast(picked_up_at as timestamp) as picked_up_at,
        cast(promised_delivery_at as timestamp) as promised_delivery_at,
        cast(delivered_at as timestamp) as delivered_at,
        cast(created_at as timestamp) as created_at,
        cast(updated_at as timestamp) as updated_at,
        -- fivetran
        coalesce(_fivetran_deleted, false) as is_deleted,
        cast(_fivetran_synced as timestamp) as synced_at
    from source
),

checked as (
    select
        renamed.shipment_id,
        renamed.customer_id,
        renamed.route_id,
        renamed.vehicle_id,
        renamed.shipment_status,
        renamed.priority,
        renamed.service_level,
        renamed.weight_kg,
        renamed.volume_m3,
        renamed.revenue_usd,
        renamed.fuel_cost_usd,
        renamed.driver_cost_usd,
        renamed.toll_cost_usd,
        renamed.planned_pickup_at,
        renamed.picked_up_at,
        renamed.promised_delivery_at,
        renamed.delivered_at,
        renamed.created_at,
        renamed.updated_at,
        renamed.is_deleted,
        renamed.synced_at,
        shipment_vehicles.capacity_kg as vehicle_capacity_kg,
        case
            when renamed.shipment_status is not null and known_shipment_status.shipment_status is null
                then 'unknown_shipment_status'
            when renamed.priority is not null and known_priority.priority is null
                then 'unknown_priority'
            when renamed.service_level is not null and known_service_level.service_level is null
                then 'unknown_service_level'
            when renamed.customer_id is not null and customer_keys.customer_id is null
                then 'orphan_customer'
            when renamed.route_id is not null and route_keys.route_id is null
                then 'orphan_route'
            when renamed.vehicle_id is not null and vehicle_keys.vehicle_id is null
                then 'orphan_vehicle'
            when renamed.weight_kg <= 0 or renamed.volume_m3 <= 0
                then 'non_positive_weight'
            when renamed.revenue_usd < 0 or renamed.fuel_cost_usd < 0 or renamed.driver_cost_usd < 0 or renamed.toll_cost_usd < 0
                then 'negative_amount'
            when renamed.weight_kg > vehicle_capacity_kg
                then 'weight_exceeds_vehicle_capacity'
            when renamed.delivered_at < renamed.picked_up_at
                then 'delivered_before_pickup'
            when {{ is_after_load('renamed.picked_up_at', 'renamed.synced_at') }} or {{ is_after_load('renamed.delivered_at', 'renamed.synced_at') }} or {{ is_after_load('renamed.created_at', 'renamed.synced_at') }} or {{ is_after_load('renamed.updated_at', 'renamed.synced_at') }} or renamed.promised_delivery_at > {{ dbt.dateadd('day', 365, 'renamed.synced_at') }} or renamed.planned_pickup_at > {{ dbt.dateadd('day', 365, 'renamed.synced_at') }}
                then 'timestamp_after_load'
        end as rejection_reason
    from renamed
    left join {{ ref('enum_shipment_status') }} as known_shipment_status
        on renamed.shipment_status = known_shipment_status.shipment_status
    left join {{ ref('enum_shipment_priority') }} as known_priority
        on renamed.priority = known_priority.priority
    left join {{ ref('enum_service_level') }} as known_service_level
        on renamed.service_level = known_service_level.service_level
    left join customers_keys as customer_keys
        on renamed.customer_id = customer_keys.customer_id
    left join routes_keys as route_keys
        on renamed.route_id = route_keys.route_id
    left join vehicles_keys as vehicle_keys
        on renamed.vehicle_id = vehicle_keys.vehicle_id
    left join {{ ref('tbl_raw_vehicles') }} as shipment_vehicles
        on renamed.vehicle_id = shipment_vehicles.vehicle_id
)

select * from checked
