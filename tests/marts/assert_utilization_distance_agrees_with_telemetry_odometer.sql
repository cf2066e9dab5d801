{#
    For every vehicle and day, the distance in tbl_fact_vehicle_utilization agrees (to 1 m) with the
    odometer of the telemetry fact: the day's last reading minus its first (the odometer never
    decreases), and every vehicle-day with pings has a utilization row with as many pings.
    Catches days recomputed from a partial batch, missed late pings and stale rows.
#}
with telemetry_days as (
    select
        vehicle_id,
        recorded_date as activity_date,
        count(*) as ping_count,
        max(odometer_km) - min(odometer_km) as odometer_span_km
    from {{ ref('tbl_fact_vehicle_telemetry') }}
    where not is_deleted
    group by vehicle_id, recorded_date
),

utilization_days as (
    select
        vehicle_id,
        activity_date,
        ping_count,
        distance_km
    from {{ ref('tbl_fact_vehicle_utilization') }}
    where ping_count > 0
)

select
    coalesce(telemetry_days.vehicle_id, utilization_days.vehicle_id) as vehicle_id,
    coalesce(telemetry_days.activity_date, utilization_days.activity_date) as activity_date,
    telemetry_days.ping_count as telemetry_pings,
    utilization_days.ping_count as utilization_pings,
    telemetry_days.odometer_span_km,
    utilization_days.distance_km
from telemetry_days
full outer join utilization_days
    on telemetry_days.vehicle_id = utilization_days.vehicle_id
    and telemetry_days.activity_date = utilization_days.activity_date
where telemetry_days.vehicle_id is null
   or utilization_days.vehicle_id is null
   or telemetry_days.ping_count <> utilization_days.ping_count
   or abs(telemetry_days.odometer_span_km - utilization_days.distance_km) > 0.001
