{#
    The on-time figures of tbl_fact_route_performance agree with tbl_fact_shipments: per route and
    LOCAL day of planned pickup at the origin (recomputed from the staged pickup time and the
    origin's time zone), the same delivered and on-time counts, the shipments' calendar key
    (planned_pickup_date_sk), and an on_time_rate equal to the share of on-time deliveries (to
    1e-9). Fails with the route-days that disagree, e.g. when the table groups by the UTC day.
#}
with local_shipments as (
    -- the local day of the planned pickup at the origin, recomputed from the staged pickup time
    -- and the origin version's time zone (UTC when the origin is unknown)
    select
        shipments.route_id,
        shipments.is_delivered,
        shipments.is_on_time,
        {{ local_date('staged.planned_pickup_at', "coalesce(origins.time_zone, 'UTC')") }} as performance_date,
        shipments.planned_pickup_date_sk
    from {{ ref('tbl_fact_shipments') }} as shipments
    inner join {{ ref('tbl_stg_shipments') }} as staged
        on shipments.shipment_id = staged.shipment_id
    left join {{ ref('tbl_dim_location') }} as origins
        on shipments.origin_location_sk = origins.location_sk
    where not shipments.is_deleted
),

shipment_days as (
    select
        route_id,
        performance_date,
        min(planned_pickup_date_sk) as date_sk,
        sum(case when is_delivered then 1 else 0 end) as delivered_count,
        sum(case when is_delivered and is_on_time then 1 else 0 end) as on_time_count
    from local_shipments
    group by route_id, performance_date
),

route_days as (
    select
        route_id,
        performance_date,
        date_sk,
        delivered_count,
        on_time_count,
        on_time_rate
    from {{ ref('tbl_fact_route_performance') }}
)

select
    coalesce(shipment_days.route_id, route_days.route_id) as route_id,
    coalesce(shipment_days.performance_date, route_days.performance_date) as performance_date,
    shipment_days.delivered_count as shipments_delivered,
    route_days.delivered_count as route_delivered,
    shipment_days.on_time_count as shipments_on_time,
    route_days.on_time_count as route_on_time,
    route_days.on_time_rate
from shipment_days
full outer join route_days
    on shipment_days.route_id = route_days.route_id
    and shipment_days.performance_date = route_days.performance_date
where shipment_days.route_id is null
   or route_days.route_id is null
   or shipment_days.date_sk <> route_days.date_sk
   or shipment_days.delivered_count <> route_days.delivered_count
   or shipment_days.on_time_count <> route_days.on_time_count
   or (shipment_days.delivered_count = 0 and route_days.on_time_rate is not null)
   or (
       shipment_days.delivered_count > 0
       and abs(route_days.on_time_rate - {{ safe_divide('shipment_days.on_time_count', 'shipment_days.delivered_count') }}) > 1e-9
   )
