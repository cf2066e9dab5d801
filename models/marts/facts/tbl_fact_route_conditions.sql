{#
    One row per route per hour in which at least one shipment, not deleted at the source, was
    planned to depart on the route (the conditions that shape the trip: transit times grow with the
    weather and congestion at the start), with the weather and traffic observed in that hour at the
    route's origin and at its destination. Hours without an observation yet (planned departures
    after the latest sync) point at the unknown weather / traffic member.
    A table: the departures come from tbl_fact_shipments and the observations from the incremental
    weather and traffic dimensions, joined on (location, hour); rebuilding it keeps it equal to a
    full refresh whatever moved.
#}
with shipments as (
    select * from {{ ref('tbl_fact_shipments') }}
    where not is_deleted
),

weather_hours as (
    select * from {{ ref('tbl_dim_weather') }}
),

traffic_hours as (
    select * from {{ ref('tbl_dim_traffic_conditions') }}
),

route_hours as (
    select
        shipments.route_id,
        {{ dbt.date_trunc('hour', 'shipments.planned_pickup_at') }} as condition_hour_at,
        min(shipments.origin_location_id) as origin_location_id,
        min(shipments.destination_location_id) as destination_location_id,
        min(shipments.origin_country_code) as origin_country_code,
        count(*) as planned_departure_count
    from shipments
    where shipments.planned_pickup_at is not null
    group by shipments.route_id, {{ dbt.date_trunc('hour', 'shipments.planned_pickup_at') }}
),

observed_ends as (
    select distinct origin_location_id as location_id, condition_hour_at from route_hours
    union
    select distinct destination_location_id as location_id, condition_hour_at from route_hours
),

weather as (
    select weather_hours.*
    from weather_hours
    inner join observed_ends
        on weather_hours.location_id = observed_ends.location_id
        and weather_hours.observed_at = observed_ends.condition_hour_at
    where not weather_hours.is_deleted
),

traffic as (
    select traffic_hours.*
    from traffic_hours
    inner join observed_ends
        on traffic_hours.location_id = observed_ends.location_id
        and traffic_hours.observed_at = observed_ends.condition_hour_at
    where not traffic_hours.is_deleted
),

final as (
    select
        -- keys
        cast(route_hours.route_id as bigint) as route_id,
        cast(route_hours.condition_hour_at as {{ dbt.type_timestamp() }}) as condition_hour_at,
        cast(cast(route_hours.condition_hour_at as date) as date) as condition_date,
        cast({{ date_key('cast(route_hours.condition_hour_at as date)', 'route_hours.origin_country_code') }} as {{ dbt.type_string() }}) as date_sk,
        cast(route_hours.origin_location_id as bigint) as origin_location_id,
        cast(route_hours.destination_location_id as bigint) as destination_location_id,
        cast(coalesce(origin_weather.weather_sk, {{ unknown_key() }}) as {{ dbt.type_string() }}) as origin_weather_sk,
        cast(coalesce(destination_weather.weather_sk, {{ unknown_key() }}) as {{ dbt.type_string() }}) as destination_weather_sk,
        cast(coalesce(origin_traffic.traffic_sk, {{ unknown_key() }}) as {{ dbt.type_string() }}) as origin_traffic_sk,
        cast(coalesce(destination_traffic.traffic_sk, {{ unknown_key() }}) as {{ dbt.type_string() }}) as destination_traffic_sk,
        cast(route_hours.planned_departure_count as integer) as planned_departure_count,
        -- weather at the ends
        cast(origin_weather.weather_condition as {{ dbt.type_string() }}) as origin_weather_condition,
        cast(origin_weather.weather_severity as integer) as origin_weather_severity,
        cast(origin_weather.temperature_c as double) as origin_temperature_c,
        cast(origin_weather.precipitation_mm as double) as origin_precipitation_mm,
        cast(origin_weather.wind_speed_kmh as double) as origin_wind_speed_kmh,
        cast(origin_weather.visibility_km as double) as origin_visibility_km,
        cast(destination_weather.weather_condition as {{ dbt.type_string() }}) as destination_weather_condition,
        cast(destination_weather.weather_severity as integer) as destination_weather_severity,
        cast(destination_weather.temperature_c as double) as destination_temperature_c,
        cast(destination_weather.precipitation_mm as double) as destination_precipitation_mm,
        cast(destination_weather.wind_speed_kmh as double) as destination_wind_speed_kmh,
        cast(destination_weather.visibility_km as double) as destination_visibility_km,
        -- traffic at the ends
        cast(origin_traffic.congestion_index as double) as origin_congestion_index,
        cast(origin_traffic.congestion_level as {{ dbt.type_string() }}) as origin_congestion_level,
        cast(origin_traffic.avg_speed_kmh as double) as origin_avg_speed_kmh,
        cast(origin_traffic.incident_count as integer) as origin_incident_count,
        cast(destination_traffic.congestion_index as double) as destination_congestion_index,
        cast(destination_traffic.congestion_level as {{ dbt.type_string() }}) as destination_congestion_level,
        cast(destination_traffic.avg_speed_kmh as double) as destination_avg_speed_kmh,
        cast(destination_traffic.incident_count as integer) as destination_incident_count,
        -- summary
        cast(
            case
                when origin_weather.weather_severity is null then destination_weather.weather_severity
                when destination_weather.weather_severity is null then origin_weather.weather_severity
                when origin_weather.weather_severity >= destination_weather.weather_severity then origin_weather.weather_severity
                else destination_weather.weather_severity
            end
            as integer
        ) as max_weather_severity,
        cast(
            coalesce(origin_weather.is_severe_weather, false)
            or coalesce(destination_weather.is_severe_weather, false)
            or coalesce(origin_traffic.congestion_level in ('HEAVY', 'STANDSTILL'), false)
            or coalesce(destination_traffic.congestion_level in ('HEAVY', 'STANDSTILL'), false)
            as boolean
        ) as is_adverse_conditions
    from route_hours
    left join weather as origin_weather
        on route_hours.origin_location_id = origin_weather.location_id
        and route_hours.condition_hour_at = origin_weather.observed_at
    left join weather as destination_weather
        on route_hours.destination_location_id = destination_weather.location_id
        and route_hours.condition_hour_at = destination_weather.observed_at
    left join traffic as origin_traffic
        on route_hours.origin_location_id = origin_traffic.location_id
        and route_hours.condition_hour_at = origin_traffic.observed_at
    left join traffic as destination_traffic
        on route_hours.destination_location_id = destination_traffic.location_id
        and route_hours.condition_hour_at = destination_traffic.observed_at
)

select * from final
