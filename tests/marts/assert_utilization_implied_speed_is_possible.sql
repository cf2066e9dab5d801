{#
    Every vehicle-day's distance was driven in its moving hours at a speed the vehicle's type can
    reach (seed enum_vehicle_type.max_speed_kmh, legal top speed), with 10 m of rounding slack: no
    distance without moving time, no 300 km in an hour. Catches distance and moving time counted
    over different intervals (a gap called parked whose kilometres still count).
#}
with utilization_days as (
    select
        vehicle_id,
        activity_date,
        vehicle_sk,
        distance_km,
        moving_hours
    from {{ ref('tbl_fact_vehicle_utilization') }}
),

vehicle_types as (
    select
        vehicle_sk,
        vehicle_type
    from {{ ref('tbl_dim_vehicle') }}
),

speed_limits as (
    select
        vehicle_type,
        max_speed_kmh
    from {{ ref('enum_vehicle_type') }}
)

select
    utilization_days.vehicle_id,
    utilization_days.activity_date,
    vehicle_types.vehicle_type,
    utilization_days.distance_km,
    utilization_days.moving_hours,
    speed_limits.max_speed_kmh
from utilization_days
inner join vehicle_types
    on utilization_days.vehicle_sk = vehicle_types.vehicle_sk
inner join speed_limits
    on vehicle_types.vehicle_type = speed_limits.vehicle_type
where utilization_days.distance_km > utilization_days.moving_hours * speed_limits.max_speed_kmh + 0.01
