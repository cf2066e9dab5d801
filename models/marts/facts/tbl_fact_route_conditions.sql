{#
    One row per route per hour in which at least one shipment, not deleted at the source, was
    planned to depart on the route (the conditions that shape the trip: transit times grow with the
    weather and congestion at the start), with the weather and traffic observed in that hour at the
    route's origin, and at its destination in the planned arrival hour (destination_hour_at: the
    departure hour plus the longest planned duration of its departures, truncated to the hour; a
    trip lasts 9 to 65 hours, so the destination's weather at departure says nothing about the
    arrival). route_sk is the route version of the hour's departures; date_sk the LOCAL date of the
    hour's start at the origin (its time zone and country, as every fact's calendar key since
    defect 5); condition_date stays the UTC date of condition_hour_at. Hours without an observation yet (planned departures
    after the latest sync) point at the unknown weather / traffic member.

    Incremental, merge on (route_id, condition_hour_at). Every affected hour is recomputed whole
    from tbl_fact_shipments and the weather and traffic dimensions, never from the batch alone.
    Affected hours are
      - those whose departures differ from the stored row: the shipments are grouped by (route,
        hour) (one cheap aggregate) and compared with the table on the departure count, the ends,
        and the latest synced_at (not date_sk: the local date is a function of the hour and the
        origin's time zone and country, which change only with a shipment, which moves synced_at, or
        with a landed location, below; comparing it cost a time-zone conversion and an md5 per
        stored hour on every run). This finds the new hours, the hours a shipment changed,
        joined, was soft-deleted in or left (quarantined, or moved to another route or hour, also
        by a route version landed late: its old hour as well as its new one), with no
        shipment-level state to keep;
      - those whose weather or traffic observation at either end landed (new, revised or
        soft-deleted) or was quarantined since the high-water mark of synced_at, and those of
        routes with an end whose location landed since the mark (the dimensions then add the
        location's hours that were orphans until then).
    A recomputed hour is merged only where it differs from the stored row (except), so the
    lookback's re-read (commit-order skew) rewrites nothing. An hour left without departures is
    recomputed to a zero count and deleted by the post-hook,
    as a full refresh would not hold it. synced_at is the latest synced_at of the hour's
    departures, a function of the data only, so the table equals a full refresh after any
    sequence of syncs.
#}
-- depends_on: {{ ref('tbl_stg_weather_quarantine') }}
-- depends_on: {{ ref('tbl_stg_traffic_quarantine') }}
-- depends_on: {{ ref('tbl_stg_locations') }}
-- depends_on: {{ ref('tbl_stg_locations_quarantine') }}
{{ config(
    materialized='incremental',
    incremental_strategy='merge',
    unique_key=['route_id', 'condition_hour_at'],
    on_schema_change='fail',
    post_hook="delete from {{ this }} where planned_departure_count = 0"
) }}

{%- set content_columns = [
    'route_id',
    'condition_hour_at',
    'condition_date',
    'date_sk',
    'route_sk',
    'destination_hour_at',
    'origin_location_id',
    'destination_location_id',
    'origin_weather_sk',
    'destination_weather_sk',
    'origin_traffic_sk',
    'destination_traffic_sk',
    'planned_departure_count',
    'origin_weather_condition',
    'origin_weather_severity',
    'origin_temperature_c',
    'origin_precipitation_mm',
    'origin_wind_speed_kmh',
    'origin_visibility_km',
    'destination_weather_condition',
    'destination_weather_severity',
    'destination_temperature_c',
    'destination_precipitation_mm',
    'destination_wind_speed_kmh',
    'destination_visibility_km',
    'origin_congestion_index',
    'origin_congestion_level',
    'origin_avg_speed_kmh',
    'origin_incident_count',
    'destination_congestion_index',
    'destination_congestion_level',
    'destination_avg_speed_kmh',
    'destination_incident_count',
    'max_weather_severity',
    'is_adverse_conditions',
    'synced_at'
] %}

with shipments as (
    select * from {{ ref('tbl_fact_shipments') }}
    where not is_deleted
),

origins as (
    select
        location_sk,
        time_zone
    from {{ ref('tbl_dim_location') }}
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
        coalesce(min(origins.time_zone), 'UTC') as origin_time_zone,
        max(shipments.route_sk) as route_sk,
        {{ dbt.date_trunc('hour', dbt.dateadd('minute', 'coalesce(max(shipments.planned_duration_min), 0)', dbt.date_trunc('hour', 'shipments.planned_pickup_at'))) }} as destination_hour_at,
        count(*) as planned_departure_count,
        max(shipments.synced_at) as synced_at
    from shipments
    left join origins
        on shipments.origin_location_sk = origins.location_sk
    where shipments.planned_pickup_at is not null
    group by shipments.route_id, {{ dbt.date_trunc('hour', 'shipments.planned_pickup_at') }}
),

{% if is_incremental() %}
stored as (
    select
        route_id,
        condition_hour_at,
        origin_location_id,
        destination_location_id,
        route_sk,
        destination_hour_at,
        date_sk,
        planned_departure_count,
        synced_at
    from {{ this }}
),

changed_departures as (
    select
        coalesce(route_hours.route_id, stored.route_id) as route_id,
        coalesce(route_hours.condition_hour_at, stored.condition_hour_at) as condition_hour_at
    from route_hours
    full outer join stored
        on route_hours.route_id = stored.route_id
        and route_hours.condition_hour_at = stored.condition_hour_at
    where route_hours.route_id is null
       or stored.route_id is null
       or route_hours.planned_departure_count <> stored.planned_departure_count
       or route_hours.synced_at is distinct from stored.synced_at
       or route_hours.origin_location_id is distinct from stored.origin_location_id
       or route_hours.destination_location_id is distinct from stored.destination_location_id
       or route_hours.route_sk is distinct from stored.route_sk
       or route_hours.destination_hour_at is distinct from stored.destination_hour_at
),

{#- the dimensions are read here and in weather / traffic below by name, not through
    weather_hours / traffic_hours: a CTE read twice is materialized whole (every hour of history) -#}
landed_observations as (
    select location_id, observed_at from {{ ref('tbl_dim_weather') }}
    where {{ after_high_water_mark('synced_at') }}
    union
    select location_id, observed_at from {{ ref('tbl_dim_traffic_conditions') }}
    where {{ after_high_water_mark('synced_at') }}
    union
    select location_id, {{ dbt.date_trunc('hour', 'observed_at') }} as observed_at
    from {{ ref('tbl_stg_weather_quarantine') }}
    where {{ after_high_water_mark('synced_at') }}
    union
    select location_id, {{ dbt.date_trunc('hour', 'observed_at') }} as observed_at
    from {{ ref('tbl_stg_traffic_quarantine') }}
    where {{ after_high_water_mark('synced_at') }}
),

landed_locations as (
    select location_id from {{ ref('tbl_stg_locations') }}
    where {{ after_high_water_mark('synced_at') }}
    union
    select location_id from {{ ref('tbl_stg_locations_quarantine') }}
    where {{ after_high_water_mark('synced_at') }}
),

affected_hours as (
    select route_id, condition_hour_at from changed_departures
    union
    select route_hours.route_id, route_hours.condition_hour_at
    from route_hours
    inner join landed_observations
        on route_hours.origin_location_id = landed_observations.location_id
        and route_hours.condition_hour_at = landed_observations.observed_at
    union
    select route_hours.route_id, route_hours.condition_hour_at
    from route_hours
    inner join landed_observations
        on route_hours.destination_location_id = landed_observations.location_id
        and route_hours.destination_hour_at = landed_observations.observed_at
    union
    select route_hours.route_id, route_hours.condition_hour_at
    from route_hours
    where route_hours.origin_location_id in (select landed_locations.location_id from landed_locations)
       or route_hours.destination_location_id in (select landed_locations.location_id from landed_locations)
),

batch_hours as (
    select
        affected_hours.route_id,
        affected_hours.condition_hour_at,
        route_hours.origin_location_id,
        route_hours.destination_location_id,
        route_hours.origin_country_code,
        route_hours.origin_time_zone,
        route_hours.route_sk,
        route_hours.destination_hour_at,
        coalesce(route_hours.planned_departure_count, 0) as planned_departure_count,
        coalesce(route_hours.synced_at, stored.synced_at) as synced_at
    from affected_hours
    left join route_hours
        on affected_hours.route_id = route_hours.route_id
        and affected_hours.condition_hour_at = route_hours.condition_hour_at
    left join stored
        on affected_hours.route_id = stored.route_id
        and affected_hours.condition_hour_at = stored.condition_hour_at
),
{% else %}
batch_hours as (
    select * from route_hours
),
{% endif %}

observed_ends as (
    select distinct origin_location_id as location_id, condition_hour_at from batch_hours
    union
    select distinct destination_location_id as location_id, destination_hour_at as condition_hour_at from batch_hours
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

recomputed as (
    select
        -- keys
        cast(batch_hours.route_id as bigint) as route_id,
        cast(batch_hours.condition_hour_at as {{ dbt.type_timestamp() }}) as condition_hour_at,
        cast(batch_hours.condition_hour_at as date) as condition_date,
        cast({{ date_key(local_date('batch_hours.condition_hour_at', "coalesce(batch_hours.origin_time_zone, 'UTC')"), 'batch_hours.origin_country_code') }} as {{ dbt.type_string() }}) as date_sk,
        cast(coalesce(batch_hours.route_sk, {{ unknown_key() }}) as {{ dbt.type_string() }}) as route_sk,
        cast(batch_hours.destination_hour_at as {{ dbt.type_timestamp() }}) as destination_hour_at,
        cast(batch_hours.origin_location_id as bigint) as origin_location_id,
        cast(batch_hours.destination_location_id as bigint) as destination_location_id,
        cast(coalesce(origin_weather.weather_sk, {{ unknown_key() }}) as {{ dbt.type_string() }}) as origin_weather_sk,
        cast(coalesce(destination_weather.weather_sk, {{ unknown_key() }}) as {{ dbt.type_string() }}) as destination_weather_sk,
        cast(coalesce(origin_traffic.traffic_sk, {{ unknown_key() }}) as {{ dbt.type_string() }}) as origin_traffic_sk,
        cast(coalesce(destination_traffic.traffic_sk, {{ unknown_key() }}) as {{ dbt.type_string() }}) as destination_traffic_sk,
        cast(batch_hours.planned_departure_count as integer) as planned_departure_count,
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
        ) as is_adverse_conditions,
        -- change detection
        cast(batch_hours.synced_at as {{ dbt.type_timestamp() }}) as synced_at
    from batch_hours
    left join weather as origin_weather
        on batch_hours.origin_location_id = origin_weather.location_id
        and batch_hours.condition_hour_at = origin_weather.observed_at
    left join weather as destination_weather
        on batch_hours.destination_location_id = destination_weather.location_id
        and batch_hours.destination_hour_at = destination_weather.observed_at
    left join traffic as origin_traffic
        on batch_hours.origin_location_id = origin_traffic.location_id
        and batch_hours.condition_hour_at = origin_traffic.observed_at
    left join traffic as destination_traffic
        on batch_hours.destination_location_id = destination_traffic.location_id
        and batch_hours.destination_hour_at = destination_traffic.observed_at
),

{#- a recomputed hour is written only where it differs from the stored row, so a re-read of the
    lookback window or an unchanged revision rewrites nothing #}
changed as (
    select
        {%- for column in content_columns %}
        recomputed.{{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
    from recomputed
    {%- if is_incremental() %}
    except
    select
        {%- for column in content_columns %}
        stored_rows.{{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ this }} as stored_rows
    inner join batch_hours
        on stored_rows.route_id = batch_hours.route_id
        and stored_rows.condition_hour_at = batch_hours.condition_hour_at
    {%- endif %}
),

final as (
    select
        {%- for column in content_columns %}
        changed.{{ column }},
        {%- endfor %}
        -- run audit
        {{ run_columns() }}
    from changed
)

select * from final
