{#
    Recomputed from staging, not from the fact's formula: for every vehicle, the distance of all its
    utilisation days sums (to 10 m) to the positive odometer deltas between its consecutive
    not-deleted pings over its whole history, midnight or not; and every vehicle-day with pings in
    the telemetry fact (its local day, date_sk) has a utilisation row with as many pings.
    Catches distance lost between days (a per-day lag), days recomputed from a partial batch,
    missed late pings and stale rows.
#}
with staged_pings as (
    select
        vehicle_id,
        odometer_km - lag(odometer_km) over (
            partition by vehicle_id
            order by recorded_at, telemetry_id
        ) as odometer_delta_km
    from {{ ref('tbl_stg_telematics') }}
    where not is_deleted
),

odometer_distance as (
    select
        vehicle_id,
        sum(case when odometer_delta_km > 0 then odometer_delta_km else 0 end) as odometer_km
    from staged_pings
    group by vehicle_id
),

utilization_distance as (
    select
        vehicle_id,
        sum(distance_km) as distance_km
    from {{ ref('tbl_fact_vehicle_utilization') }}
    group by vehicle_id
),

distance_mismatches as (
    select
        coalesce(odometer_distance.vehicle_id, utilization_distance.vehicle_id) as vehicle_id,
        cast(null as date) as activity_date,
        odometer_distance.odometer_km as expected,
        utilization_distance.distance_km as actual
    from odometer_distance
    full outer join utilization_distance
        on odometer_distance.vehicle_id = utilization_distance.vehicle_id
    where abs(coalesce(odometer_distance.odometer_km, 0) - coalesce(utilization_distance.distance_km, 0)) > 0.01
),

telemetry_days as (
    -- the telemetry fact's day of a ping: its local day (date_sk), UTC when the depot is unknown
    select
        telemetry.vehicle_id,
        coalesce(calendar_days.date_day, telemetry.recorded_date) as activity_date,
        count(*) as ping_count
    from {{ ref('tbl_fact_vehicle_telemetry') }} as telemetry
    left join {{ ref('tbl_dim_date') }} as calendar_days
        on telemetry.date_sk = calendar_days.date_sk
    where not telemetry.is_deleted
    group by telemetry.vehicle_id, coalesce(calendar_days.date_day, telemetry.recorded_date)
),

utilization_days as (
    select
        vehicle_id,
        activity_date,
        ping_count
    from {{ ref('tbl_fact_vehicle_utilization') }}
    where ping_count > 0
),

ping_count_mismatches as (
    select
        coalesce(telemetry_days.vehicle_id, utilization_days.vehicle_id) as vehicle_id,
        coalesce(telemetry_days.activity_date, utilization_days.activity_date) as activity_date,
        telemetry_days.ping_count as expected,
        utilization_days.ping_count as actual
    from telemetry_days
    full outer join utilization_days
        on telemetry_days.vehicle_id = utilization_days.vehicle_id
        and telemetry_days.activity_date = utilization_days.activity_date
    where telemetry_days.vehicle_id is null
       or utilization_days.vehicle_id is null
       or telemetry_days.ping_count <> utilization_days.ping_count
)

select * from distance_mismatches
union all
select * from ping_count_mismatches
