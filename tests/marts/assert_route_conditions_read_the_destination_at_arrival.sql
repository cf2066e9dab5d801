{#
    The destination weather of tbl_fact_route_conditions is the observation at the route's
    destination in the planned arrival hour of the hour's departures (departure hour + the longest
    planned duration, recomputed from tbl_fact_shipments), not in the departure hour: a trip of 9 to
    65 hours meets the destination's weather of another day. Fails with the route-hours whose
    destination weather version is another observation's.
#}
with departures as (
    select
        route_id,
        {{ dbt.date_trunc('hour', 'planned_pickup_at') }} as condition_hour_at,
        max(destination_location_id) as destination_location_id,
        max(planned_duration_min) as planned_duration_min
    from {{ ref('tbl_fact_shipments') }}
    where not is_deleted
      and planned_pickup_at is not null
    group by route_id, {{ dbt.date_trunc('hour', 'planned_pickup_at') }}
),

arrivals as (
    select
        route_id,
        condition_hour_at,
        destination_location_id,
        {{ dbt.date_trunc('hour', dbt.dateadd('minute', 'coalesce(planned_duration_min, 0)', 'condition_hour_at')) }} as arrival_hour_at
    from departures
),

observations as (
    select
        weather_sk,
        location_id,
        observed_at
    from {{ ref('tbl_dim_weather') }}
    where not is_deleted
)

select
    conditions.route_id,
    conditions.condition_hour_at,
    arrivals.arrival_hour_at,
    conditions.destination_weather_sk,
    observations.weather_sk as expected_destination_weather_sk
from {{ ref('tbl_fact_route_conditions') }} as conditions
inner join arrivals
    on conditions.route_id = arrivals.route_id
    and conditions.condition_hour_at = arrivals.condition_hour_at
left join observations
    on arrivals.destination_location_id = observations.location_id
    and arrivals.arrival_hour_at = observations.observed_at
where conditions.destination_weather_sk <> coalesce(observations.weather_sk, {{ unknown_key() }})
