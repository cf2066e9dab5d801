{#
    One row per shipment: what the warehouse knew of it and from when, read from every landed
    version (snapshot snp_shipments_landed), never from the latest row alone. Each milestone gets
    the instant the warehouse knew it (macro known_at): the booking from the first landed version,
    the delivery from the first version landed as DELIVERED (its outcome, costs and vehicle taken
    from that version), the cancellation and the soft delete from the first version carrying them.
    A delivery recorded three days late is unknown for those three days; a delete landed later
    removes the shipment only from then on. A pure function of the snapshot, so a rebuild (even
    --full-refresh) gives the same rows.

    Incremental, merge on shipment_id: a run recomputes, from all their versions, the shipments
    with a version landed since the high-water mark of synced_at (the latest landing of a
    shipment's versions), and those whose route or delivering vehicle has a dimension version
    landed since the mark (distance, haul type and capacity come from the current versions). Every
    other row depends on nothing that changed, so the table equals a full refresh after any
    sequence of syncs (checked by the reliability drill).
#}
{{ config(
    materialized='incremental',
    incremental_strategy='merge',
    unique_key='shipment_id',
    on_schema_change='fail'
) }}

with snapshot_versions as (
    select * from {{ ref('snp_shipments_landed') }}
),

{% if is_incremental() %}
changed_shipments as (
    select snapshot_versions.shipment_id
    from snapshot_versions
    where {{ after_high_water_mark('snapshot_versions.synced_at') }}
    {%- for key, dimension in [('route_id', 'tbl_dim_route'), ('vehicle_id', 'tbl_dim_vehicle')] %}
    union
    select stored.shipment_id
    from {{ this }} as stored
    where stored.{{ key }} in (
        select changed_versions.{{ key }}
        from {{ ref(dimension) }} as changed_versions
        where {{ after_high_water_mark('changed_versions.synced_at') }}
    )
    {%- endfor %}
),

landed_versions as (
    select snapshot_versions.*
    from snapshot_versions
    where snapshot_versions.shipment_id in (select changed_shipments.shipment_id from changed_shipments)
),
{% else %}
landed_versions as (
    select * from snapshot_versions
),
{% endif %}

routes as (
    select * from {{ ref('tbl_dim_route') }}
    where is_current
),

vehicles as (
    select * from {{ ref('tbl_dim_vehicle') }}
    where is_current
),

service_levels as (
    select * from {{ ref('enum_service_level') }}
),

initial_landing as (
    select min(snapshot_versions.dbt_valid_from) as initial_landed_at
    from snapshot_versions
),

known_versions as (
    select
        landed_versions.*,
        initial_landing.initial_landed_at,
        {{ known_at('landed_versions.updated_at', 'landed_versions.dbt_valid_from', 'initial_landing.initial_landed_at') }} as version_known_at,
        {{ known_at('landed_versions.created_at', 'landed_versions.dbt_valid_from', 'initial_landing.initial_landed_at') }} as booking_known_at,
        row_number() over (
            partition by landed_versions.shipment_id
            order by landed_versions.dbt_valid_from
        ) as landing_number
    from landed_versions
    cross join initial_landing
),

bookings as (
    select
        shipment_id,
        customer_id,
        route_id,
        priority,
        service_level,
        weight_kg,
        volume_m3,
        revenue_usd,
        created_at,
        planned_pickup_at,
        promised_delivery_at,
        booking_known_at
    from known_versions
    where landing_number = 1
),

first_delivered_versions as (
    select
        shipment_id,
        vehicle_id,
        picked_up_at,
        delivered_at,
        promised_delivery_at,
        service_level,
        revenue_usd,
        {{ total_cost_usd('fuel_cost_usd', 'driver_cost_usd', 'toll_cost_usd') }} as total_cost_usd,
        version_known_at as delivered_known_at,
        row_number() over (partition by shipment_id order by dbt_valid_from) as delivered_version_number
    from known_versions
    where shipment_status = 'DELIVERED'
      and not is_deleted
),

deliveries as (
    select
        first_delivered_versions.*,
        service_levels.on_time_grace_min
    from first_delivered_versions
    left join service_levels
        on first_delivered_versions.service_level = service_levels.service_level
    where first_delivered_versions.delivered_version_number = 1
),

cancellations as (
    select
        shipment_id,
        min(version_known_at) as cancelled_known_at
    from known_versions
    where shipment_status = 'CANCELLED'
    group by shipment_id
),

deletions as (
    select
        shipment_id,
        min(version_known_at) as deleted_known_at
    from known_versions
    where is_deleted
    group by shipment_id
),

last_landings as (
    select
        shipment_id,
        max(synced_at) as synced_at
    from landed_versions
    group by shipment_id
),

final as (
    select
        bookings.shipment_id,
        bookings.customer_id,
        bookings.route_id,
        deliveries.vehicle_id,
        bookings.priority,
        bookings.service_level,
        routes.origin_location_id,
        routes.haul_type,
        cast(routes.distance_km as double) as distance_km,
        cast(routes.planned_duration_min as integer) as planned_duration_min,
        cast(bookings.weight_kg as double) as weight_kg,
        cast(bookings.volume_m3 as double) as volume_m3,
        cast(vehicles.capacity_kg as double) as vehicle_capacity_kg,
        bookings.created_at,
        bookings.planned_pickup_at,
        bookings.promised_delivery_at,
        bookings.booking_known_at,
        deliveries.picked_up_at,
        deliveries.delivered_at,
        deliveries.delivered_known_at,
        {{ is_on_time('deliveries.delivered_at', 'deliveries.promised_delivery_at', 'deliveries.on_time_grace_min') }} as is_on_time,
        cast({{ delay_min('deliveries.delivered_at', 'deliveries.promised_delivery_at') }} as double) as delay_min,
        cast(bookings.revenue_usd as decimal(14, 2)) as booked_revenue_usd,
        cast(deliveries.revenue_usd as decimal(14, 2)) as delivered_revenue_usd,
        cast(deliveries.total_cost_usd as decimal(14, 2)) as delivered_total_cost_usd,
        cancellations.cancelled_known_at,
        deletions.deleted_known_at,
        last_landings.synced_at
    from bookings
    left join deliveries
        on bookings.shipment_id = deliveries.shipment_id
    left join cancellations
        on bookings.shipment_id = cancellations.shipment_id
    left join deletions
        on bookings.shipment_id = deletions.shipment_id
    left join last_landings
        on bookings.shipment_id = last_landings.shipment_id
    left join routes
        on bookings.route_id = routes.route_id
    left join vehicles
        on deliveries.vehicle_id = vehicles.vehicle_id
)

select * from final
