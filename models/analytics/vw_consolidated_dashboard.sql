{#
    The consolidated dashboard: one row per calendar day up to the as-of date, with the day's KPIs
    and calendar windows over them: the trailing 7 and 28 calendar days, month-to-date and
    year-to-date. Windows run over a gap-free calendar (days without a shipment count as zero), so
    "7 days" is always 7 calendar days, never 7 rows.
#}
with calendar_days as (
    select date_day
    from {{ ref('int_calendar_days') }}
    where date_day <= cast({{ as_of_timestamp() }} as date)
),

shipments as (
    select * from {{ ref('tbl_fact_shipments') }}
    where not is_deleted
),

utilization as (
    select * from {{ ref('tbl_fact_vehicle_utilization') }}
),

created_days as (
    select
        cast(created_at as date) as date_day,
        count(*) as shipments_created
    from shipments
    group by cast(created_at as date)
),

delivered_days as (
    select
        delivered_date as date_day,
        count(*) as shipments_delivered,
        sum(case when is_on_time then 1 else 0 end) as shipments_on_time,
        sum(revenue_usd) as revenue_usd,
        sum(profit_usd) as profit_usd,
        -- float sums in exact decimal: a double sum depends on row order, which differs between an
        -- incremental and a full-refresh build of the same facts (last-bit noise)
        cast(sum(cast(distance_km as decimal(18, 6))) as double) as delivered_distance_km,
        cast(sum(cast(co2_kg as decimal(18, 6))) as double) as co2_kg
    from shipments
    where is_delivered
    group by delivered_date
),

fleet_days as (
    select
        activity_date as date_day,
        count(*) as active_vehicles,
        cast(sum(cast(utilization_pct as decimal(18, 6))) as double)
            / count(utilization_pct) as avg_utilization_pct
    from utilization
    group by activity_date
),

daily as (
    select
        calendar_days.date_day,
        cast({{ dbt.date_trunc('month', 'calendar_days.date_day') }} as date) as month_start_date,
        cast({{ dbt.date_trunc('year', 'calendar_days.date_day') }} as date) as year_start_date,
        coalesce(created_days.shipments_created, 0) as shipments_created,
        coalesce(delivered_days.shipments_delivered, 0) as shipments_delivered,
        coalesce(delivered_days.shipments_on_time, 0) as shipments_on_time,
        coalesce(delivered_days.revenue_usd, 0) as revenue_usd,
        coalesce(delivered_days.profit_usd, 0) as profit_usd,
        coalesce(delivered_days.delivered_distance_km, 0) as delivered_distance_km,
        coalesce(delivered_days.co2_kg, 0) as co2_kg,
        coalesce(fleet_days.active_vehicles, 0) as active_vehicles,
        fleet_days.avg_utilization_pct
    from calendar_days
    left join created_days
        on calendar_days.date_day = created_days.date_day
    left join delivered_days
        on calendar_days.date_day = delivered_days.date_day
    left join fleet_days
        on calendar_days.date_day = fleet_days.date_day
),

windowed as (
    select
        daily.*,
        {%- for measure in ['shipments_delivered', 'shipments_on_time', 'revenue_usd', 'profit_usd'] %}
        sum({{ measure }}) over (order by date_day rows between 6 preceding and current row) as {{ measure }}_7d,
        sum({{ measure }}) over (order by date_day rows between 27 preceding and current row) as {{ measure }}_28d,
        sum({{ measure }}) over (partition by month_start_date order by date_day rows between unbounded preceding and current row) as {{ measure }}_mtd,
        sum({{ measure }}) over (partition by year_start_date order by date_day rows between unbounded preceding and current row) as {{ measure }}_ytd,
        {%- endfor %}
        sum(co2_kg) over (order by date_day rows between 27 preceding and current row) as co2_kg_28d,
        sum(delivered_distance_km) over (order by date_day rows between 27 preceding and current row) as delivered_distance_km_28d
    from daily
),

final as (
    select
        date_day,
        month_start_date,
        year_start_date,
        shipments_created,
        shipments_delivered,
        shipments_on_time,
        100 * {{ safe_divide('shipments_on_time', 'shipments_delivered') }} as on_time_pct,
        revenue_usd,
        profit_usd,
        100 * {{ safe_divide('profit_usd', 'revenue_usd') }} as margin_pct,
        co2_kg,
        active_vehicles,
        avg_utilization_pct,
        shipments_delivered_7d,
        100 * {{ safe_divide('shipments_on_time_7d', 'shipments_delivered_7d') }} as on_time_pct_7d,
        revenue_usd_7d,
        profit_usd_7d,
        shipments_delivered_28d,
        100 * {{ safe_divide('shipments_on_time_28d', 'shipments_delivered_28d') }} as on_time_pct_28d,
        revenue_usd_28d,
        profit_usd_28d,
        {{ safe_divide('co2_kg_28d', 'delivered_distance_km_28d') }} as co2_kg_per_km_28d,
        shipments_delivered_mtd,
        revenue_usd_mtd,
        profit_usd_mtd,
        100 * {{ safe_divide('shipments_on_time_mtd', 'shipments_delivered_mtd') }} as on_time_pct_mtd,
        shipments_delivered_ytd,
        revenue_usd_ytd,
        profit_usd_ytd,
        100 * {{ safe_divide('shipments_on_time_ytd', 'shipments_delivered_ytd') }} as on_time_pct_ytd
    from windowed
)

select * from final
