{#
    Every ping's vehicle_sk and date_sk in tbl_fact_vehicle_telemetry equal the ones recomputed from
    the staged ping's own vehicle_id and recorded_at: the version of THAT vehicle whose window holds
    recorded_at (the unknown member '-1' exactly when none does), and the tbl_dim_date row of the
    LOCAL day of recorded_at at that version's home depot, in the depot's country. Looking the
    version up from staging (not through the fact's key) catches a key of another vehicle, of
    another version of the same vehicle (e.g. the current one), or a UTC day.
#}
with staged as (
    select
        telemetry_id,
        vehicle_id,
        recorded_at
    from {{ ref('tbl_stg_telematics') }}
),

facts as (
    select
        telemetry_id,
        vehicle_sk,
        date_sk
    from {{ ref('tbl_fact_vehicle_telemetry') }}
),

vehicles as (
    select * from {{ ref('tbl_dim_vehicle') }}
),

locations as (
    select * from {{ ref('tbl_dim_location') }}
),

calendar_days as (
    select
        date_sk,
        date_day,
        country_code
    from {{ ref('tbl_dim_date') }}
),

expected as (
    select
        staged.telemetry_id,
        coalesce(vehicles.vehicle_sk, {{ unknown_key() }}) as vehicle_sk,
        {{ local_date('staged.recorded_at', 'locations.time_zone') }} as local_day,
        locations.country_code
    from staged
    left join vehicles
        on staged.vehicle_id = vehicles.vehicle_id
        and staged.recorded_at >= vehicles.valid_from_at
        and staged.recorded_at < vehicles.valid_to_at
    left join locations
        on vehicles.home_location_id = locations.location_id
        and staged.recorded_at >= locations.valid_from_at
        and staged.recorded_at < locations.valid_to_at
)

select
    facts.telemetry_id,
    facts.vehicle_sk,
    expected.vehicle_sk as expected_vehicle_sk,
    calendar_days.date_day as fact_day,
    calendar_days.country_code as fact_country_code,
    expected.local_day as expected_day,
    expected.country_code as expected_country_code
from facts
inner join expected
    on facts.telemetry_id = expected.telemetry_id
left join calendar_days
    on facts.date_sk = calendar_days.date_sk
where facts.vehicle_sk <> expected.vehicle_sk
   or (expected.local_day is null and facts.date_sk <> {{ unknown_key() }})
   or (
       expected.local_day is not null
       and (
           calendar_days.date_day is null
           or calendar_days.date_day <> expected.local_day
           or calendar_days.country_code <> expected.country_code
       )
   )
