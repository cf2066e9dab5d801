{#
    The on-time figures of tbl_fact_route_performance agree with tbl_fact_shipments: per route and
    day of planned pickup, the same delivered and on-time counts, and an on_time_rate equal to the
    share of on-time deliveries (to 1e-9). Fails with the route-days that disagree.
#}
with shipment_days as (
    select
        route_id,
        planned_pickup_date as performance_date,
        sum(case when is_delivered then 1 else 0 end) as delivered_count,
        sum(case when is_delivered and is_on_time then 1 else 0 end) as on_time_count
    from {{ ref('tbl_fact_shipments') }}
    where not is_deleted
    group by route_id, planned_pickup_date
),

route_days as (
    select
        route_id,
        performance_date,
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
   or shipment_days.delivered_count <> route_days.delivered_count
   or shipment_days.on_time_count <> route_days.on_time_count
   or (shipment_days.delivered_count = 0 and route_days.on_time_rate is not null)
   or (
       shipment_days.delivered_count > 0
       and abs(route_days.on_time_rate - {{ safe_divide('shipment_days.on_time_count', 'shipment_days.delivered_count') }}) > 1e-9
   )
