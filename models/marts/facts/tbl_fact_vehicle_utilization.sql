{#
    One row per vehicle per day (UTC) with activity: a telematics ping recorded that day or a trip
    planned to start that day. Distance from odometer deltas between the day's consecutive pings,
    hours moving / idle from the intervals between them (macro counted_interval_min), and load
    factors of the day's trips against the capacity of the vehicle version valid at the start of
    the day.

    Incremental, merge on (vehicle_id, activity_date). Every affected day is recomputed whole from
    staging, never from the batch alone. Affected days are those of
      - pings staged or quarantined with a synced_at above the high-water mark,
      - pings of shipments landed since the mark (they were orphans until then),
      - trips (shipments) staged or quarantined since the mark, on their planned pickup day,
      - a vehicle version landed since the mark: the vehicle's days from the version's start on,
      - a location version landed since the mark: the days of vehicles based there from its start on
        (the day's country, hence date_sk, comes from the home depot).
    A day left without activity is recomputed to zero counts and deleted by the post-hook, as a
    full refresh would not hold it.
#}
-- depends_on: {{ ref('tbl_stg_telematics_quarantine') }}
-- depends_on: {{ ref('tbl_stg_shipments_quarantine') }}
{{ config(
    materialized='incremental',
    incremental_strategy='merge',
    unique_key=['vehicle_id', 'activity_date'],
    on_schema_change='fail',
    post_hook="delete from {{ this }} where ping_count = 0 and trip_count = 0"
) }}

with telemetry as (
    select * from {{ ref('tbl_stg_telematics') }}
),

shipments as (
    select * from {{ ref('tbl_stg_shipments') }}
),

vehicles as (
    select * from {{ ref('tbl_dim_vehicle') }}
),

locations as (
    select * from {{ ref('tbl_dim_location') }}
),

{% if is_incremental() %}
landed_pings as (
    select vehicle_id, recorded_at from telemetry
    where synced_at > {{ high_water_mark() }}
    union all
    select vehicle_id, recorded_at from {{ ref('tbl_stg_telematics_quarantine') }}
    where synced_at > {{ high_water_mark() }}
),

landed_trips as (
    select shipment_id, vehicle_id, planned_pickup_at from shipments
    where synced_at > {{ high_water_mark() }}
    union all
    select shipment_id, vehicle_id, planned_pickup_at from {{ ref('tbl_stg_shipments_quarantine') }}
    where synced_at > {{ high_water_mark() }}
),

landed_vehicle_versions as (
    select
        vehicle_id,
        min(valid_from_at) as valid_from_at
    from vehicles
    where synced_at > {{ high_water_mark() }}
    group by vehicle_id
),

landed_location_versions as (
    select
        location_id,
        min(valid_from_at) as valid_from_at
    from locations
    where synced_at > {{ high_water_mark() }}
    group by location_id
),

affected_days as (
    select vehicle_id, cast(recorded_at as date) as activity_date
    from landed_pings
    union
    select vehicle_id, cast(planned_pickup_at as date) as activity_date
    from landed_trips
    union
    select telemetry.vehicle_id, cast(telemetry.recorded_at as date) as activity_date
    from telemetry
    where telemetry.shipment_id in (select landed_trips.shipment_id from landed_trips)
    union
    select telemetry.vehicle_id, cast(telemetry.recorded_at as date) as activity_date
    from telemetry
    inner join landed_vehicle_versions
        on telemetry.vehicle_id = landed_vehicle_versions.vehicle_id
        and telemetry.recorded_at >= landed_vehicle_versions.valid_from_at
    union
    select shipments.vehicle_id, cast(shipments.planned_pickup_at as date) as activity_date
    from shipments
    inner join landed_vehicle_versions
        on shipments.vehicle_id = landed_vehicle_versions.vehicle_id
        and shipments.planned_pickup_at >= landed_vehicle_versions.valid_from_at
    union
    select stored.vehicle_id, stored.activity_date
    from {{ this }} as stored
    inner join landed_location_versions
        on stored.home_location_id = landed_location_versions.location_id
        and stored.activity_date >= cast(landed_location_versions.valid_from_at as date)
),
{% else %}
affected_days as (
    select vehicle_id, cast(recorded_at as date) as activity_date
    from telemetry
    union
    select vehicle_id, cast(planned_pickup_at as date) as activity_date
    from shipments
),
{% endif %}

vehicle_days as (
    select distinct
        vehicle_id,
        activity_date
    from affected_days
    where vehicle_id is not null
      and activity_date is not null
),

day_pings as (
    select
        telemetry.vehicle_id,
        cast(telemetry.recorded_at as date) as activity_date,
        telemetry.telemetry_id,
        telemetry.recorded_at,
        telemetry.speed_kmh,
        telemetry.engine_rpm,
        telemetry.odometer_km,
        telemetry.is_harsh_braking,
        telemetry.is_harsh_acceleration,
        telemetry.is_deleted,
        telemetry.synced_at
    from telemetry
    inner join vehicle_days
        on telemetry.vehicle_id = vehicle_days.vehicle_id
        and cast(telemetry.recorded_at as date) = vehicle_days.activity_date
),

sequenced_pings as (
    select
        day_pings.*,
        day_pings.odometer_km - lag(day_pings.odometer_km) over (
            partition by day_pings.vehicle_id, day_pings.activity_date
            order by day_pings.recorded_at, day_pings.telemetry_id
        ) as odometer_delta_km,
        {{ minutes_between('day_pings.recorded_at', 'lead(day_pings.recorded_at) over (partition by day_pings.vehicle_id, day_pings.activity_date order by day_pings.recorded_at, day_pings.telemetry_id)') }} as gap_to_next_min
    from day_pings
    where not day_pings.is_deleted
),

ping_metrics as (
    select
        vehicle_id,
        activity_date,
        count(*) as ping_count,
        {{ exact_sum('case when odometer_delta_km > 0 then odometer_delta_km else 0 end') }} as distance_km,
        {{ exact_sum('case when ' ~ is_moving('speed_kmh') ~ ' then coalesce(' ~ counted_interval_min('gap_to_next_min') ~ ', 0) else 0 end') }} as moving_min,
        {{ exact_sum('case when ' ~ is_idling('speed_kmh', 'engine_rpm') ~ ' then coalesce(' ~ counted_interval_min('gap_to_next_min') ~ ', 0) else 0 end') }} as idle_min,
        max(speed_kmh) as max_speed_kmh,
        {{ safe_divide(exact_sum('case when ' ~ is_moving('speed_kmh') ~ ' then speed_kmh end'), 'sum(case when ' ~ is_moving('speed_kmh') ~ ' then 1 else 0 end)') }} as avg_moving_speed_kmh,
        sum(case when is_harsh_braking then 1 else 0 end) as harsh_braking_count,
        sum(case when is_harsh_acceleration then 1 else 0 end) as harsh_acceleration_count
    from sequenced_pings
    group by vehicle_id, activity_date
),

ping_sync as (
    select
        vehicle_id,
        activity_date,
        max(synced_at) as synced_at
    from day_pings
    group by vehicle_id, activity_date
),

day_trips as (
    select
        shipments.vehicle_id,
        cast(shipments.planned_pickup_at as date) as activity_date,
        shipments.shipment_status,
        shipments.weight_kg,
        shipments.volume_m3,
        shipments.is_deleted,
        shipments.synced_at
    from shipments
    inner join vehicle_days
        on shipments.vehicle_id = vehicle_days.vehicle_id
        and cast(shipments.planned_pickup_at as date) = vehicle_days.activity_date
),

trip_metrics as (
    select
        vehicle_id,
        activity_date,
        sum(case when not is_deleted and shipment_status <> 'CANCELLED' then 1 else 0 end) as trip_count,
        sum(case when not is_deleted and shipment_status = 'DELIVERED' then 1 else 0 end) as delivered_trip_count,
        {{ safe_divide(exact_sum("case when not is_deleted and shipment_status <> 'CANCELLED' then weight_kg end"), "sum(case when not is_deleted and shipment_status <> 'CANCELLED' then 1 else 0 end)") }} as avg_load_kg,
        {{ safe_divide(exact_sum("case when not is_deleted and shipment_status <> 'CANCELLED' then volume_m3 end"), "sum(case when not is_deleted and shipment_status <> 'CANCELLED' then 1 else 0 end)") }} as avg_load_m3,
        max(synced_at) as synced_at
    from day_trips
    group by vehicle_id, activity_date
),

day_versions as (
    select
        vehicle_days.vehicle_id,
        vehicle_days.activity_date,
        vehicles.vehicle_sk,
        vehicles.capacity_kg,
        vehicles.capacity_m3,
        vehicles.home_location_id,
        home_locations.country_code as home_country_code
    from vehicle_days
    left join vehicles
        on vehicle_days.vehicle_id = vehicles.vehicle_id
        and cast(vehicle_days.activity_date as {{ dbt.type_timestamp() }}) >= vehicles.valid_from_at
        and cast(vehicle_days.activity_date as {{ dbt.type_timestamp() }}) < vehicles.valid_to_at
    left join locations as home_locations
        on vehicles.home_location_id = home_locations.location_id
        and cast(vehicle_days.activity_date as {{ dbt.type_timestamp() }}) >= home_locations.valid_from_at
        and cast(vehicle_days.activity_date as {{ dbt.type_timestamp() }}) < home_locations.valid_to_at
),

final as (
    select
        -- keys
        cast(day_versions.vehicle_id as bigint) as vehicle_id,
        cast(day_versions.activity_date as date) as activity_date,
        cast(coalesce(day_versions.vehicle_sk, {{ unknown_key() }}) as {{ dbt.type_string() }}) as vehicle_sk,
        cast({{ date_key('day_versions.activity_date', 'day_versions.home_country_code') }} as {{ dbt.type_string() }}) as date_sk,
        cast(day_versions.home_location_id as bigint) as home_location_id,
        -- telemetry
        cast(coalesce(ping_metrics.ping_count, 0) as integer) as ping_count,
        cast(coalesce(ping_metrics.distance_km, 0) as double) as distance_km,
        cast({{ safe_divide('coalesce(ping_metrics.moving_min, 0)', 60) }} as double) as moving_hours,
        cast({{ safe_divide('coalesce(ping_metrics.idle_min, 0)', 60) }} as double) as idle_hours,
        cast(100 * {{ safe_divide('coalesce(ping_metrics.moving_min, 0)', 24 * 60) }} as double) as utilization_pct,
        cast(ping_metrics.max_speed_kmh as double) as max_speed_kmh,
        cast(ping_metrics.avg_moving_speed_kmh as double) as avg_moving_speed_kmh,
        cast(coalesce(ping_metrics.harsh_braking_count, 0) as integer) as harsh_braking_count,
        cast(coalesce(ping_metrics.harsh_acceleration_count, 0) as integer) as harsh_acceleration_count,
        -- trips
        cast(coalesce(trip_metrics.trip_count, 0) as integer) as trip_count,
        cast(coalesce(trip_metrics.delivered_trip_count, 0) as integer) as delivered_trip_count,
        cast(trip_metrics.avg_load_kg as double) as avg_load_kg,
        cast(trip_metrics.avg_load_m3 as double) as avg_load_m3,
        cast({{ load_factor('trip_metrics.avg_load_kg', 'day_versions.capacity_kg') }} as double) as weight_load_factor,
        cast({{ load_factor('trip_metrics.avg_load_m3', 'day_versions.capacity_m3') }} as double) as volume_load_factor,
        -- change detection
        cast(
            case
                when trip_metrics.synced_at is null or ping_sync.synced_at > trip_metrics.synced_at then ping_sync.synced_at
                else trip_metrics.synced_at
            end
            as {{ dbt.type_timestamp() }}
        ) as synced_at,
        -- run audit
        {{ run_columns() }}
    from day_versions
    left join ping_metrics
        on day_versions.vehicle_id = ping_metrics.vehicle_id
        and day_versions.activity_date = ping_metrics.activity_date
    left join ping_sync
        on day_versions.vehicle_id = ping_sync.vehicle_id
        and day_versions.activity_date = ping_sync.activity_date
    left join trip_metrics
        on day_versions.vehicle_id = trip_metrics.vehicle_id
        and day_versions.activity_date = trip_metrics.activity_date
)

select * from final
