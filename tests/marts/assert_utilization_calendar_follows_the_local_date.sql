{#
    A vehicle's utilisation day is its LOCAL day at its home depot, and its calendar (the
    tbl_dim_date row of date_sk: weekday, weekend, holiday) is that day's in the depot's country.
    Recomputed from staging: each not-deleted staged ping is put on the local date of recorded_at in
    the time zone of the home depot of the vehicle version valid at the ping; per vehicle and local
    day the fact must hold as many pings, and every row's date_sk must be its own activity_date
    (the country of date_sk is the home depot's by the fact's own as-of lookup). A fact on UTC days fails: a Sydney truck's pings from 13:00 UTC on are
    on the next local day, and a UTC day's date_sk judges a Friday evening as a Friday.
#}
with staged_pings as (
    select
        vehicle_id,
        recorded_at
    from {{ ref('tbl_stg_telematics') }}
    where not is_deleted
),

vehicles as (
    select * from {{ ref('tbl_dim_vehicle') }}
),

locations as (
    select * from {{ ref('tbl_dim_location') }}
),

facts as (
    select
        vehicle_id,
        activity_date,
        date_sk,
        home_location_id,
        ping_count
    from {{ ref('tbl_fact_vehicle_utilization') }}
),

local_pings as (
    select
        staged_pings.vehicle_id,
        {{ local_date('staged_pings.recorded_at', "coalesce(locations.time_zone, 'UTC')") }} as local_day
    from staged_pings
    left join vehicles
        on staged_pings.vehicle_id = vehicles.vehicle_id
        and staged_pings.recorded_at >= vehicles.valid_from_at
        and staged_pings.recorded_at < vehicles.valid_to_at
    left join locations
        on vehicles.home_location_id = locations.location_id
        and staged_pings.recorded_at >= locations.valid_from_at
        and staged_pings.recorded_at < locations.valid_to_at
),

expected_days as (
    select
        vehicle_id,
        local_day,
        count(*) as ping_count
    from local_pings
    group by vehicle_id, local_day
),

ping_count_mismatches as (
    select
        coalesce(expected_days.vehicle_id, facts.vehicle_id) as vehicle_id,
        coalesce(expected_days.local_day, facts.activity_date) as activity_date,
        'ping_count' as problem,
        expected_days.ping_count as expected,
        facts.ping_count as actual
    from expected_days
    full outer join (select * from facts where ping_count > 0) as facts
        on expected_days.vehicle_id = facts.vehicle_id
        and expected_days.local_day = facts.activity_date
    where expected_days.vehicle_id is null
       or facts.vehicle_id is null
       or expected_days.ping_count <> facts.ping_count
),

calendar_mismatches as (
    select
        facts.vehicle_id,
        facts.activity_date,
        'date_sk' as problem,
        null as expected,
        null as actual
    from facts
    inner join {{ ref('tbl_dim_date') }} as calendar_days
        on facts.date_sk = calendar_days.date_sk
    where facts.date_sk <> {{ unknown_key() }}
      and calendar_days.date_day <> facts.activity_date
)

select * from ping_count_mismatches
union all
select * from calendar_mismatches
