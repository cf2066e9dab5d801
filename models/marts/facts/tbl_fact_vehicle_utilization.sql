{#
    One row per vehicle per LOCAL day with activity: a telematics ping recorded that day, a trip
    planned to start that day, or driving (or idling) between two pings that spans the day. The day
    is the calendar day in the time zone of the vehicle's home depot (the depot of the vehicle
    version valid at the instant, home_periods), the day its calendar flags (date_sk: weekday,
    weekend, holiday in the depot's country) are judged on, as for every fact since defect 5.
    Time and distance come from the intervals between the vehicle's consecutive pings over its
    whole history (not per day: an interval that crosses local midnight is split between the two
    days in proportion to its time, distance included, so the days' distances sum to the
    odometer's). The odometer decides an interval's state (macro interval_state): driven when it
    advanced, idle when it stood with the engine running for at most var telemetry_max_idle_gap_min
    (90) minutes, else parked. Load factors of the day's trips are taken against the capacity of
    the vehicle version valid at the start of the local day (the first version overlapping it), and
    modelled fuel (or energy) and CO2 of every kilometre driven, loaded or empty (repositioning:
    intervals starting at a ping without shipment), from that version's rated consumption.

    Incremental, merge on (vehicle_id, activity_date). Every affected day is recomputed whole from
    staging, never from the batch alone. Affected days are (each widened by a day on both sides: a
    UTC instant's local day is at most one day away from its UTC day)
      - for each vehicle with pings landed since the high-water mark (staged or quarantined, or
        pings of shipments landed since the mark, which were orphans until then): every day from
        its last staged ping before the earliest landed one to its first staged ping after the
        latest landed one (the intervals that may have changed),
      - trips (shipments) staged or quarantined since the mark, on their planned pickup day,
      - a vehicle version landed since the mark: the vehicle's days from the version's start on,
      - a location version landed since the mark: the days of vehicles based there from its start on
        (the day's time zone and country, hence date_sk, come from the home depot).
    The intervals of the affected days are computed from the vehicle's last ping a day before the
    first affected day to its first ping a day after the last one. Those searches read the pings
    from var ping_search_window_days before the earliest instant searched from (staged pings are
    stored in landing order, so older row groups are skipped) and a vehicle's whole history only
    when it has no ping in that window. A day left without activity is
    recomputed to zero counts and deleted by the post-hook, as a full refresh would not hold it.
#}
-- depends_on: {{ ref('tbl_stg_telematics_quarantine') }}
-- depends_on: {{ ref('tbl_stg_shipments_quarantine') }}
{{ config(
    materialized='incremental',
    incremental_strategy='merge',
    unique_key=['vehicle_id', 'activity_date'],
    on_schema_change='fail',
    post_hook="delete from {{ this }} where ping_count = 0 and trip_count = 0 and moving_hours = 0 and idle_hours = 0 and distance_km = 0"
) }}

{#- The full refresh reads staged telematics through this CTE, materialized once for its three
    readers (30 % faster than three scans at SF 1); an incremental run reads staging by name, each
    read bounded by its own filter, and never materializes the whole history. #}
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

home_periods as (
    -- the vehicle's timeline of (vehicle version x home depot version): which depot, time zone and
    -- country a vehicle's instant belongs to; the periods tile time like the versions
    select
        vehicles.vehicle_id,
        vehicles.vehicle_sk,
        vehicles.capacity_kg,
        vehicles.capacity_m3,
        vehicles.energy_unit,
        vehicles.consumption_per_100km,
        vehicles.co2_kg_per_unit,
        vehicles.home_location_id,
        home_locations.country_code as home_country_code,
        coalesce(home_locations.time_zone, 'UTC') as time_zone,
        case
            when home_locations.valid_from_at > vehicles.valid_from_at then home_locations.valid_from_at
            else vehicles.valid_from_at
        end as period_from_at,
        case
            when home_locations.valid_to_at < vehicles.valid_to_at then home_locations.valid_to_at
            else vehicles.valid_to_at
        end as period_to_at
    from vehicles
    left join locations as home_locations
        on vehicles.home_location_id = home_locations.location_id
        and home_locations.valid_from_at < vehicles.valid_to_at
        and home_locations.valid_to_at > vehicles.valid_from_at
),

pings as (
    select
        vehicle_id,
        telemetry_id,
        shipment_id,
        recorded_at,
        speed_kmh,
        engine_rpm,
        odometer_km,
        is_harsh_braking,
        is_harsh_acceleration,
        synced_at
    from telemetry
    where not telemetry.is_deleted
),

calendar_days as (
    select date_day from {{ ref('int_calendar_days') }}
),

{% if is_incremental() %}
landed_trips as (
    select shipment_id, vehicle_id, planned_pickup_at from shipments
    where {{ after_high_water_mark('synced_at') }}
    union all
    select shipment_id, vehicle_id, planned_pickup_at from {{ ref('tbl_stg_shipments_quarantine') }}
    where {{ after_high_water_mark('synced_at') }}
),

landed_pings as (
    select vehicle_id, recorded_at from {{ ref('tbl_stg_telematics') }} as telemetry
    where {{ after_high_water_mark('synced_at') }}
    union all
    select vehicle_id, recorded_at from {{ ref('tbl_stg_telematics_quarantine') }}
    where {{ after_high_water_mark('synced_at') }}
    union all
    select vehicle_id, recorded_at from {{ ref('tbl_stg_telematics') }} as telemetry
    where shipment_id in (select landed_trips.shipment_id from landed_trips)
),

landed_ping_spans as (
    select
        vehicle_id,
        min(recorded_at) as first_landed_at,
        max(recorded_at) as last_landed_at
    from landed_pings
    group by vehicle_id
),

{#- the vehicles' pings around the batch, searched in a window of recent history first -#}
{{ vehicle_ping_neighbours('landed_ping', 'landed_ping_spans', 'landed_ping_spans.first_landed_at', 'landed_ping_spans.last_landed_at', after_inclusive=false) }},

changed_interval_spans as (
    select
        landed_ping_spans.vehicle_id,
        coalesce(landed_ping_neighbours.previous_at, landed_ping_spans.first_landed_at) as from_at,
        coalesce(landed_ping_neighbours.next_at, landed_ping_spans.last_landed_at) as to_at
    from landed_ping_spans
    inner join landed_ping_neighbours
        on landed_ping_spans.vehicle_id = landed_ping_neighbours.vehicle_id
),

landed_vehicle_versions as (
    {{ version_starts_landed_since_high_water_mark('vehicles', 'vehicle_id') }}
),

landed_location_versions as (
    {{ version_starts_landed_since_high_water_mark('locations', 'location_id') }}
),

affected_utc_days as (
    select changed_interval_spans.vehicle_id, calendar_days.date_day as utc_date
    from changed_interval_spans
    inner join calendar_days
        on calendar_days.date_day >= cast(changed_interval_spans.from_at as date)
        and calendar_days.date_day <= cast(changed_interval_spans.to_at as date)
    union
    select vehicle_id, cast(planned_pickup_at as date) as utc_date
    from landed_trips
    union
    select telemetry.vehicle_id, cast(telemetry.recorded_at as date) as utc_date
    from {{ ref('tbl_stg_telematics') }} as telemetry
    inner join landed_vehicle_versions
        on telemetry.vehicle_id = landed_vehicle_versions.vehicle_id
        and telemetry.recorded_at >= landed_vehicle_versions.valid_from_at
    union
    select shipments.vehicle_id, cast(shipments.planned_pickup_at as date) as utc_date
    from shipments
    inner join landed_vehicle_versions
        on shipments.vehicle_id = landed_vehicle_versions.vehicle_id
        and shipments.planned_pickup_at >= landed_vehicle_versions.valid_from_at
    union
    select stored.vehicle_id, stored.activity_date as utc_date
    from {{ this }} as stored
    inner join landed_vehicle_versions
        on stored.vehicle_id = landed_vehicle_versions.vehicle_id
        and stored.activity_date >= cast(landed_vehicle_versions.valid_from_at as date)
    union
    select stored.vehicle_id, stored.activity_date as utc_date
    from {{ this }} as stored
    inner join landed_location_versions
        on stored.home_location_id = landed_location_versions.location_id
        and stored.activity_date >= cast(landed_location_versions.valid_from_at as date)
),

affected_days as (
    -- a UTC day's instants fall on the same, the previous or the next local day
    select affected_utc_days.vehicle_id, calendar_days.date_day as activity_date
    from affected_utc_days
    inner join calendar_days
        on calendar_days.date_day >= {{ dbt.dateadd('day', -1, 'affected_utc_days.utc_date') }}
        and calendar_days.date_day <= {{ dbt.dateadd('day', 1, 'affected_utc_days.utc_date') }}
),
{% else %}
affected_days as (
    select telemetry.vehicle_id, {{ local_date('telemetry.recorded_at', "coalesce(home_periods.time_zone, 'UTC')") }} as activity_date
    from telemetry
    left join home_periods
        on telemetry.vehicle_id = home_periods.vehicle_id
        and telemetry.recorded_at >= home_periods.period_from_at
        and telemetry.recorded_at < home_periods.period_to_at
    union
    select shipments.vehicle_id, {{ local_date('shipments.planned_pickup_at', "coalesce(home_periods.time_zone, 'UTC')") }} as activity_date
    from shipments
    left join home_periods
        on shipments.vehicle_id = home_periods.vehicle_id
        and shipments.planned_pickup_at >= home_periods.period_from_at
        and shipments.planned_pickup_at < home_periods.period_to_at
),
{% endif %}

activity_days as (
    select distinct
        vehicle_id,
        activity_date
    from affected_days
    where vehicle_id is not null
      and activity_date is not null
),

vehicle_scopes as (
    select
        vehicle_id,
        min(activity_date) as first_day,
        max(activity_date) as last_day
    from activity_days
    group by vehicle_id
),

{% if is_incremental() %}
{{ vehicle_ping_neighbours('scope', 'vehicle_scopes', dbt.dateadd('day', -1, 'cast(vehicle_scopes.first_day as ' ~ dbt.type_timestamp() ~ ')'), dbt.dateadd('day', 2, 'cast(vehicle_scopes.last_day as ' ~ dbt.type_timestamp() ~ ')'), after_inclusive=true) }},

scope_bounds as (
    -- the vehicles with a ping (as the full refresh's inner join to the pings keeps them)
    select
        vehicle_scopes.vehicle_id,
        vehicle_scopes.first_day,
        vehicle_scopes.last_day,
        -- local days start at most a day before and end at most a day after the UTC ones
        coalesce(scope_neighbours.previous_at, {{ dbt.dateadd('day', -1, 'cast(vehicle_scopes.first_day as ' ~ dbt.type_timestamp() ~ ')') }}) as from_at,
        scope_neighbours.next_at as next_after_at
    from vehicle_scopes
    inner join scope_neighbours
        on vehicle_scopes.vehicle_id = scope_neighbours.vehicle_id
    where scope_neighbours.has_ping
),
{% else %}
scope_bounds as (
    select
        vehicle_scopes.vehicle_id,
        vehicle_scopes.first_day,
        vehicle_scopes.last_day,
        -- local days start at most a day before and end at most a day after the UTC ones
        coalesce(
            max(case when pings.recorded_at < {{ dbt.dateadd('day', -1, 'cast(vehicle_scopes.first_day as ' ~ dbt.type_timestamp() ~ ')') }} then pings.recorded_at end),
            {{ dbt.dateadd('day', -1, 'cast(vehicle_scopes.first_day as ' ~ dbt.type_timestamp() ~ ')') }}
        ) as from_at,
        min(case when pings.recorded_at >= {{ dbt.dateadd('day', 2, 'cast(vehicle_scopes.last_day as ' ~ dbt.type_timestamp() ~ ')') }} then pings.recorded_at end) as next_after_at
    from vehicle_scopes
    inner join pings
        on vehicle_scopes.vehicle_id = pings.vehicle_id
    group by
        vehicle_scopes.vehicle_id,
        vehicle_scopes.first_day,
        vehicle_scopes.last_day
),
{% endif %}

scoped_telemetry as (
    -- the scope's pings, soft-deleted ones included (they count in synced_at only), with the time
    -- zone of the home depot as of the ping and the ping's local day
    select
        telemetry.vehicle_id,
        telemetry.telemetry_id,
        telemetry.shipment_id,
        telemetry.recorded_at,
        telemetry.speed_kmh,
        telemetry.engine_rpm,
        telemetry.odometer_km,
        telemetry.is_harsh_braking,
        telemetry.is_harsh_acceleration,
        telemetry.is_deleted,
        telemetry.synced_at,
        coalesce(home_periods.time_zone, 'UTC') as time_zone,
        {{ local_date('telemetry.recorded_at', "coalesce(home_periods.time_zone, 'UTC')") }} as local_day
    from {{ ref('tbl_stg_telematics') if is_incremental() else 'telemetry' }} as telemetry
    inner join scope_bounds
        on telemetry.vehicle_id = scope_bounds.vehicle_id
        and telemetry.recorded_at >= scope_bounds.from_at
        and (scope_bounds.next_after_at is null or telemetry.recorded_at <= scope_bounds.next_after_at)
    left join home_periods
        on telemetry.vehicle_id = home_periods.vehicle_id
        and telemetry.recorded_at >= home_periods.period_from_at
        and telemetry.recorded_at < home_periods.period_to_at

    {%- if is_incremental() %}
    where telemetry.recorded_at >= (select min(scope_bounds.from_at) from scope_bounds)
    {%- endif %}
),

scoped_pings as (
    select *
    from scoped_telemetry
    where not is_deleted
),

ping_intervals as (
    select
        scoped_pings.vehicle_id,
        scoped_pings.recorded_at as start_at,
        lead(scoped_pings.recorded_at) over (
            partition by scoped_pings.vehicle_id
            order by scoped_pings.recorded_at, scoped_pings.telemetry_id
        ) as end_at,
        lead(scoped_pings.odometer_km) over (
            partition by scoped_pings.vehicle_id
            order by scoped_pings.recorded_at, scoped_pings.telemetry_id
        ) - scoped_pings.odometer_km as odometer_delta_km,
        lead(scoped_pings.synced_at) over (
            partition by scoped_pings.vehicle_id
            order by scoped_pings.recorded_at, scoped_pings.telemetry_id
        ) as end_synced_at,
        scoped_pings.shipment_id is not null as is_loaded,
        scoped_pings.time_zone,
        scoped_pings.local_day as start_local_day,
        scoped_pings.speed_kmh,
        scoped_pings.engine_rpm,
        scoped_pings.synced_at
    from scoped_pings
),

counted_intervals as (
    select
        vehicle_id,
        start_at,
        end_at,
        {{ timestamp_diff('second', 'start_at', 'end_at') }} as duration_s,
        odometer_delta_km,
        is_loaded,
        time_zone,
        start_local_day,
        {{ local_date('end_at', 'time_zone') }} as end_local_day,
        {{ interval_state('odometer_delta_km', minutes_between('start_at', 'end_at'), 'speed_kmh', 'engine_rpm') }} as interval_state,
        case when end_synced_at > synced_at then end_synced_at else synced_at end as synced_at
    from ping_intervals
    where end_at is not null
),

interval_local_days as (
    -- the local days (in the start ping's time zone) an interval touches: most intervals start and end
    -- on one local day, found by an equi-join; only those crossing local midnight need the range join
    -- to the calendar (over every interval, that range join was most of the model's cost: DuckDB's
    -- piecewise merge join took 21 of 36 CPU-s at SF 0.1)
    select
        counted_intervals.*,
        calendar_days.date_day as activity_date
    from counted_intervals
    inner join calendar_days
        on calendar_days.date_day = counted_intervals.start_local_day
    where counted_intervals.interval_state is not null
      and counted_intervals.end_local_day = counted_intervals.start_local_day
    union all
    select
        counted_intervals.*,
        calendar_days.date_day as activity_date
    from counted_intervals
    inner join calendar_days
        on calendar_days.date_day >= counted_intervals.start_local_day
        and calendar_days.date_day <= counted_intervals.end_local_day
    where counted_intervals.interval_state is not null
      and counted_intervals.end_local_day > counted_intervals.start_local_day
),

local_day_bounds as (
    -- the UTC bounds of every calendar day in every time zone an interval can carry (its home
    -- depot's or UTC): converted once per zone and day, not once per interval
    select
        zones.time_zone,
        calendar_days.date_day,
        {{ utc_at_local_midnight('calendar_days.date_day', 'zones.time_zone') }} as day_start_at,
        {{ utc_at_local_midnight(dbt.dateadd('day', 1, 'calendar_days.date_day'), 'zones.time_zone') }} as day_end_at
    from (
        select time_zone from home_periods
        union
        select 'UTC' as time_zone
    ) as zones
    cross join calendar_days
),

local_interval_days as (
    -- with the UTC bounds of each local day
    select
        interval_local_days.*,
        local_day_bounds.day_start_at,
        local_day_bounds.day_end_at
    from interval_local_days
    inner join local_day_bounds
        on interval_local_days.time_zone = local_day_bounds.time_zone
        and interval_local_days.activity_date = local_day_bounds.date_day
),

interval_days as (
    select
        vehicle_id,
        activity_date,
        interval_state,
        odometer_delta_km,
        is_loaded,
        duration_s,
        {{ timestamp_diff(
            'second',
            'case when start_at > day_start_at then start_at else day_start_at end',
            'case when end_at < day_end_at then end_at else day_end_at end'
        ) }} as overlap_s,
        synced_at
    from local_interval_days
),

day_intervals as (
    select interval_days.*
    from interval_days
    inner join scope_bounds
        on interval_days.vehicle_id = scope_bounds.vehicle_id
        and interval_days.activity_date between scope_bounds.first_day and scope_bounds.last_day
    where interval_days.overlap_s > 0
       or interval_days.duration_s = 0
),

vehicle_days as (
    select vehicle_id, activity_date from activity_days
    union
    select vehicle_id, activity_date from day_intervals
),

interval_metrics as (
    select
        vehicle_id,
        activity_date,
        {{ exact_sum("case when interval_state <> 'MOVING' then 0 when duration_s = 0 then odometer_delta_km else odometer_delta_km * " ~ safe_divide('overlap_s', 'duration_s') ~ " end") }} as distance_km,
        {{ exact_sum("case when interval_state <> 'MOVING' or not is_loaded then 0 when duration_s = 0 then odometer_delta_km else odometer_delta_km * " ~ safe_divide('overlap_s', 'duration_s') ~ " end") }} as loaded_distance_km,
        sum(case when interval_state = 'MOVING' then overlap_s else 0 end) as moving_s,
        sum(case when interval_state = 'IDLE' then overlap_s else 0 end) as idle_s,
        max(synced_at) as synced_at
    from day_intervals
    group by vehicle_id, activity_date
),

day_pings as (
    select
        scoped_pings.vehicle_id,
        scoped_pings.local_day as activity_date,
        scoped_pings.speed_kmh,
        scoped_pings.is_harsh_braking,
        scoped_pings.is_harsh_acceleration
    from scoped_pings
    inner join vehicle_days
        on scoped_pings.vehicle_id = vehicle_days.vehicle_id
        and scoped_pings.local_day = vehicle_days.activity_date
),

ping_metrics as (
    select
        vehicle_id,
        activity_date,
        count(*) as ping_count,
        max(speed_kmh) as max_speed_kmh,
        {{ safe_divide(exact_sum('case when ' ~ is_moving('speed_kmh') ~ ' then speed_kmh end'), 'sum(case when ' ~ is_moving('speed_kmh') ~ ' then 1 else 0 end)') }} as avg_moving_speed_kmh,
        sum(case when is_harsh_braking then 1 else 0 end) as harsh_braking_count,
        sum(case when is_harsh_acceleration then 1 else 0 end) as harsh_acceleration_count
    from day_pings
    group by vehicle_id, activity_date
),

ping_sync as (
    select
        scoped_telemetry.vehicle_id,
        scoped_telemetry.local_day as activity_date,
        max(scoped_telemetry.synced_at) as synced_at
    from scoped_telemetry
    inner join vehicle_days
        on scoped_telemetry.vehicle_id = vehicle_days.vehicle_id
        and scoped_telemetry.local_day = vehicle_days.activity_date
    group by scoped_telemetry.vehicle_id, scoped_telemetry.local_day
),

local_trips as (
    select
        shipments.vehicle_id,
        {{ local_date('shipments.planned_pickup_at', "coalesce(home_periods.time_zone, 'UTC')") }} as activity_date,
        shipments.shipment_status,
        shipments.weight_kg,
        shipments.volume_m3,
        shipments.is_deleted,
        shipments.synced_at
    from shipments
    inner join vehicle_scopes
        on shipments.vehicle_id = vehicle_scopes.vehicle_id
    left join home_periods
        on shipments.vehicle_id = home_periods.vehicle_id
        and shipments.planned_pickup_at >= home_periods.period_from_at
        and shipments.planned_pickup_at < home_periods.period_to_at
),

day_trips as (
    select local_trips.*
    from local_trips
    inner join vehicle_days
        on local_trips.vehicle_id = vehicle_days.vehicle_id
        and local_trips.activity_date = vehicle_days.activity_date
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
    -- the version (and depot) valid at the start of the local day: the first period overlapping it
    select
        vehicle_days.vehicle_id,
        vehicle_days.activity_date,
        home_periods.vehicle_sk,
        home_periods.capacity_kg,
        home_periods.capacity_m3,
        home_periods.energy_unit,
        home_periods.consumption_per_100km,
        home_periods.co2_kg_per_unit,
        home_periods.home_location_id,
        home_periods.home_country_code,
        {{ timestamp_diff(
            'second',
            utc_at_local_midnight('vehicle_days.activity_date', "coalesce(home_periods.time_zone, 'UTC')"),
            utc_at_local_midnight(dbt.dateadd('day', 1, 'vehicle_days.activity_date'), "coalesce(home_periods.time_zone, 'UTC')")
        ) }} as day_length_s
    from vehicle_days
    left join home_periods
        on vehicle_days.vehicle_id = home_periods.vehicle_id
        and {{ utc_at_local_midnight(dbt.dateadd('day', 1, 'vehicle_days.activity_date'), 'home_periods.time_zone') }} > home_periods.period_from_at
        and {{ utc_at_local_midnight('vehicle_days.activity_date', 'home_periods.time_zone') }} < home_periods.period_to_at
    qualify row_number() over (
        partition by vehicle_days.vehicle_id, vehicle_days.activity_date
        order by home_periods.period_from_at
    ) = 1
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
        cast(coalesce(interval_metrics.distance_km, 0) as double) as distance_km,
        cast(coalesce(interval_metrics.loaded_distance_km, 0) as double) as loaded_distance_km,
        cast(coalesce(interval_metrics.distance_km, 0) - coalesce(interval_metrics.loaded_distance_km, 0) as double) as empty_distance_km,
        cast({{ safe_divide('coalesce(interval_metrics.moving_s, 0)', 3600) }} as double) as moving_hours,
        cast({{ safe_divide('coalesce(interval_metrics.idle_s, 0)', 3600) }} as double) as idle_hours,
        cast(100 * {{ safe_divide('coalesce(interval_metrics.moving_s, 0)', 'day_versions.day_length_s') }} as double) as utilization_pct,
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
        -- modelled energy and emissions of every km driven, loaded or empty
        cast(case when day_versions.energy_unit = 'L' then {{ energy_used('coalesce(interval_metrics.distance_km, 0)', 'day_versions.consumption_per_100km') }} end as double) as modelled_fuel_l,
        cast(case when day_versions.energy_unit = 'KWH' then {{ energy_used('coalesce(interval_metrics.distance_km, 0)', 'day_versions.consumption_per_100km') }} end as double) as modelled_energy_kwh,
        cast({{ co2_kg(energy_used('coalesce(interval_metrics.distance_km, 0)', 'day_versions.consumption_per_100km'), 'day_versions.co2_kg_per_unit') }} as double) as modelled_co2_kg,
        cast({{ co2_kg(energy_used('(coalesce(interval_metrics.distance_km, 0) - coalesce(interval_metrics.loaded_distance_km, 0))', 'day_versions.consumption_per_100km'), 'day_versions.co2_kg_per_unit') }} as double) as modelled_empty_co2_kg,
        -- change detection
        cast(
            greatest(
                coalesce(ping_sync.synced_at, interval_metrics.synced_at, trip_metrics.synced_at),
                coalesce(interval_metrics.synced_at, trip_metrics.synced_at, ping_sync.synced_at),
                coalesce(trip_metrics.synced_at, ping_sync.synced_at, interval_metrics.synced_at)
            )
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
    left join interval_metrics
        on day_versions.vehicle_id = interval_metrics.vehicle_id
        and day_versions.activity_date = interval_metrics.activity_date
    left join trip_metrics
        on day_versions.vehicle_id = trip_metrics.vehicle_id
        and day_versions.activity_date = trip_metrics.activity_date
    {% if is_incremental() -%}
    -- an affected day without activity is written only to overwrite a stored row (the post-hook
    -- then deletes it); the widened days that never had activity are not written at all
    where ping_metrics.vehicle_id is not null
       or ping_sync.vehicle_id is not null
       or interval_metrics.vehicle_id is not null
       or trip_metrics.vehicle_id is not null
       or exists (
           select 1
           from {{ this }} as stored
           where stored.vehicle_id = day_versions.vehicle_id
             and stored.activity_date = day_versions.activity_date
       )
    {%- endif %}
)

select * from final
