{#
    One row per maintenance job: what the warehouse knew of it and from when, read from every landed
    version (snapshot snp_maintenance_landed). The booking counts from the first landed version, the
    completion (with its odometer reading) from the first version landed as COMPLETED, the
    cancellation and the soft delete from the first version carrying them (macro known_at). A
    breakdown recorded days late is unknown until it lands. A pure function of the snapshot.
#}
{{ config(materialized='table') }}

with landed_versions as (
    select * from {{ ref('snp_maintenance_landed') }}
),

maintenance_types as (
    select * from {{ ref('enum_maintenance_type') }}
),

initial_landing as (
    select min(landed_versions.dbt_valid_from) as initial_landed_at
    from landed_versions
),

known_versions as (
    select
        landed_versions.*,
        {{ known_at('landed_versions.updated_at', 'landed_versions.dbt_valid_from', 'initial_landing.initial_landed_at') }} as version_known_at,
        {{ known_at('landed_versions.created_at', 'landed_versions.dbt_valid_from', 'initial_landing.initial_landed_at') }} as booking_known_at,
        row_number() over (
            partition by landed_versions.maintenance_id
            order by landed_versions.dbt_valid_from
        ) as landing_number
    from landed_versions
    cross join initial_landing
),

bookings as (
    select
        maintenance_id,
        vehicle_id,
        maintenance_type,
        created_at,
        booking_known_at
    from known_versions
    where landing_number = 1
),

first_completed_versions as (
    select
        maintenance_id,
        performed_at,
        odometer_km,
        downtime_hours,
        version_known_at as completed_known_at,
        row_number() over (partition by maintenance_id order by dbt_valid_from) as completed_version_number
    from known_versions
    where maintenance_status = 'COMPLETED'
      and not is_deleted
),

closures as (
    select
        maintenance_id,
        min(case when maintenance_status = 'CANCELLED' then version_known_at end) as cancelled_known_at,
        min(case when is_deleted then version_known_at end) as deleted_known_at
    from known_versions
    group by maintenance_id
),

final as (
    select
        bookings.maintenance_id,
        bookings.vehicle_id,
        bookings.maintenance_type,
        cast(maintenance_types.is_unplanned as boolean) as is_unplanned,
        bookings.created_at,
        bookings.booking_known_at,
        completions.performed_at,
        cast(completions.odometer_km as double) as odometer_km,
        cast(completions.downtime_hours as double) as downtime_hours,
        completions.completed_known_at,
        closures.cancelled_known_at,
        closures.deleted_known_at
    from bookings
    left join first_completed_versions as completions
        on bookings.maintenance_id = completions.maintenance_id
       and completions.completed_version_number = 1
    left join closures
        on bookings.maintenance_id = closures.maintenance_id
    left join maintenance_types
        on bookings.maintenance_type = maintenance_types.maintenance_type
)

select * from final
