{#
    One row per route per day (the LOCAL day of the planned pickup at the route's origin: the day of
    the shipments' planned_pickup_date_sk, so its calendar is the origin's as every fact's since
    defect 5; the UTC day when the origin is unknown) on which at least one shipment,
    not deleted at the source, was planned: trips, deliveries, on-time rate, planned vs actual
    transit time and delay minutes, from tbl_fact_shipments (so every rule is the shipments fact's).
    A table: a group-by over the shipments fact, cheap at every scale, and always equal to a full
    refresh (a shipment moving to another route or day leaves nothing stale behind).
#}
with calendar_days as (
    select
        date_sk,
        date_day
    from {{ ref('tbl_dim_date') }}
),

shipments as (
    select
        fact_shipments.*,
        coalesce(calendar_days.date_day, fact_shipments.planned_pickup_date) as local_pickup_date
    from {{ ref('tbl_fact_shipments') }} as fact_shipments
    left join calendar_days
        on fact_shipments.planned_pickup_date_sk = calendar_days.date_sk
    where not fact_shipments.is_deleted
),

routes as (
    select * from {{ ref('tbl_dim_route') }}
),

route_days as (
    select
        shipments.route_id,
        shipments.local_pickup_date as performance_date,
        min(shipments.origin_country_code) as origin_country_code,
        count(*) as shipment_count,
        sum(case when not shipments.is_cancelled then 1 else 0 end) as trip_count,
        sum(case when shipments.is_cancelled then 1 else 0 end) as cancelled_count,
        sum(case when shipments.is_delivered then 1 else 0 end) as delivered_count,
        sum(case when shipments.is_on_time then 1 else 0 end) as on_time_count,
        {{ exact_sum('case when shipments.is_delivered then shipments.planned_duration_min end') }} as planned_duration_min_total,
        {{ exact_sum('case when shipments.is_delivered then shipments.transit_time_min end') }} as transit_time_min_total,
        {{ exact_sum('case when shipments.is_delivered then shipments.delay_min end') }} as delay_min_total,
        max(case when shipments.is_delivered then shipments.delay_min end) as max_delay_min,
        sum(case when shipments.is_delivered then shipments.revenue_usd end) as delivered_revenue_usd,
        sum(case when shipments.is_delivered then shipments.profit_usd end) as delivered_profit_usd,
        {{ exact_sum('case when shipments.is_delivered then shipments.co2_kg end') }} as delivered_co2_kg
    from shipments
    group by shipments.route_id, shipments.local_pickup_date
),

final as (
    select
        -- keys
        cast(route_days.route_id as bigint) as route_id,
        cast(route_days.performance_date as date) as performance_date,
        cast(coalesce(routes.route_sk, {{ unknown_key() }}) as {{ dbt.type_string() }}) as route_sk,
        cast({{ date_key('route_days.performance_date', 'route_days.origin_country_code') }} as {{ dbt.type_string() }}) as date_sk,
        cast(routes.origin_location_id as bigint) as origin_location_id,
        cast(routes.destination_location_id as bigint) as destination_location_id,
        cast(routes.haul_type as {{ dbt.type_string() }}) as haul_type,
        -- counts
        cast(route_days.shipment_count as integer) as shipment_count,
        cast(route_days.trip_count as integer) as trip_count,
        cast(route_days.cancelled_count as integer) as cancelled_count,
        cast(route_days.delivered_count as integer) as delivered_count,
        cast(route_days.on_time_count as integer) as on_time_count,
        cast({{ safe_divide('route_days.on_time_count', 'route_days.delivered_count') }} as double) as on_time_rate,
        -- times of the delivered trips
        cast({{ safe_divide('route_days.planned_duration_min_total', 'route_days.delivered_count') }} as double) as avg_planned_duration_min,
        cast({{ safe_divide('route_days.transit_time_min_total', 'route_days.delivered_count') }} as double) as avg_transit_time_min,
        cast({{ safe_divide('route_days.transit_time_min_total - route_days.planned_duration_min_total', 'route_days.delivered_count') }} as double) as avg_transit_over_plan_min,
        cast(coalesce(route_days.delay_min_total, 0) as double) as total_delay_min,
        cast({{ safe_divide('route_days.delay_min_total', 'route_days.delivered_count') }} as double) as avg_delay_min,
        cast(route_days.max_delay_min as double) as max_delay_min,
        -- money and emissions of the delivered trips
        cast(coalesce(route_days.delivered_revenue_usd, 0) as decimal(14, 2)) as delivered_revenue_usd,
        cast(coalesce(route_days.delivered_profit_usd, 0) as decimal(14, 2)) as delivered_profit_usd,
        cast(route_days.delivered_co2_kg as double) as delivered_co2_kg
    from route_days
    left join routes
        on route_days.route_id = routes.route_id
        and cast(route_days.performance_date as {{ dbt.type_timestamp() }}) >= routes.valid_from_at
        and cast(route_days.performance_date as {{ dbt.type_timestamp() }}) < routes.valid_to_at
)

select * from final
