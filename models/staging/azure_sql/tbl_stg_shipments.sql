with checked as (
    select * from {{ ref('tbl_stg_shipments_checked') }}
),

final as (
    select
        shipment_id,
        customer_id,
        route_id,
        vehicle_id,
        shipment_status,
        priority,
        service_level,
        weight_kg,
        volume_m3,
        revenue_usd,
        fuel_cost_usd,
        driver_cost_usd,
        toll_cost_usd,
        planned_pickup_at,
        picked_up_at,
        promised_delivery_at,
        delivered_at,
        created_at,
        updated_at,
        is_deleted,
        synced_at
    from checked
    where rejection_reason is null
)

select * from final
