{#
    The fleet's modelled CO2 covers every kilometre its odometers advanced, loaded or empty:
    recomputed per vehicle from the staged pings (positive odometer deltas between consecutive
    not-deleted pings) × the rated consumption and emission factor of the vehicle version valid
    at the ping, it matches the sum of tbl_fact_vehicle_utilization.modelled_co2_kg within 0.5 %
    (the fact takes the version of the day's start). Catches CO2 counted on loaded legs only.
#}
with staged_pings as (
    select
        vehicle_id,
        recorded_at,
        odometer_km - lag(odometer_km) over (
            partition by vehicle_id
            order by recorded_at, telemetry_id
        ) as odometer_delta_km
    from {{ ref('tbl_stg_telematics') }}
    where not is_deleted
),

vehicles as (
    select * from {{ ref('tbl_dim_vehicle') }}
),

driven_co2 as (
    select
        staged_pings.vehicle_id,
        sum(
            {{ safe_divide('staged_pings.odometer_delta_km * vehicles.consumption_per_100km', 100) }}
            * vehicles.co2_kg_per_unit
        ) as expected_co2_kg
    from staged_pings
    inner join vehicles
        on staged_pings.vehicle_id = vehicles.vehicle_id
        and staged_pings.recorded_at >= vehicles.valid_from_at
        and staged_pings.recorded_at < vehicles.valid_to_at
    where staged_pings.odometer_delta_km > 0
    group by staged_pings.vehicle_id
),

fleet_co2 as (
    select
        vehicle_id,
        sum(modelled_co2_kg) as modelled_co2_kg
    from {{ ref('tbl_fact_vehicle_utilization') }}
    group by vehicle_id
)

select
    driven_co2.vehicle_id,
    driven_co2.expected_co2_kg,
    fleet_co2.modelled_co2_kg
from driven_co2
left join fleet_co2
    on driven_co2.vehicle_id = fleet_co2.vehicle_id
where fleet_co2.modelled_co2_kg is null
   or abs(fleet_co2.modelled_co2_kg - driven_co2.expected_co2_kg) > 0.005 * driven_co2.expected_co2_kg + 0.01
