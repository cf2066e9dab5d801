{#
    One row per vehicle per day (the vehicle-days of tbl_ml_maintenance_features): did the vehicle
    break down in the next 14 days (a BREAKDOWN job performed on feature_date + 1 .. + 14, as the
    warehouse knows the jobs now, deleted ones excluded)? The prediction is made at the end of
    feature_date (label_as_of_at = the next midnight). Rows whose horizon has not passed by the
    last complete day are marked (label_status 'horizon_open') with a null label, not guessed.
#}
{{ config(materialized='table') }}

{%- set horizon_days = 14 %}

with vehicle_days as (
    select
        vehicle_id,
        feature_date
    from {{ ref('tbl_ml_maintenance_features') }}
),

breakdowns as (
    select
        vehicle_id,
        cast(performed_at as date) as breakdown_date
    from {{ ref('tbl_ml_maintenance_milestones') }}
    where is_unplanned
      and performed_at is not null
      and deleted_known_at is null
),

bounds as (
    select {{ feature_last_date() }} as last_date
),

breakdowns_ahead as (
    select
        vehicle_days.vehicle_id,
        vehicle_days.feature_date,
        count(breakdowns.breakdown_date) as breakdown_count
    from vehicle_days
    left join breakdowns
        on vehicle_days.vehicle_id = breakdowns.vehicle_id
       and breakdowns.breakdown_date > vehicle_days.feature_date
       and breakdowns.breakdown_date <= {{ add_days(horizon_days, 'vehicle_days.feature_date') }}
    group by
        vehicle_days.vehicle_id,
        vehicle_days.feature_date
),

final as (
    select
        cast(breakdowns_ahead.vehicle_id as bigint) as vehicle_id,
        cast(breakdowns_ahead.feature_date as date) as feature_date,
        cast({{ dbt.dateadd('day', 1, 'breakdowns_ahead.feature_date') }} as {{ dbt.type_timestamp() }}) as label_as_of_at,
        {{ add_days(horizon_days, 'breakdowns_ahead.feature_date') }} as label_horizon_end_date,
        cast(case
            when {{ add_days(horizon_days, 'breakdowns_ahead.feature_date') }} <= bounds.last_date then 'known'
            else 'horizon_open'
        end as varchar) as label_status,
        cast(case
            when {{ add_days(horizon_days, 'breakdowns_ahead.feature_date') }} <= bounds.last_date
                then breakdowns_ahead.breakdown_count > 0
        end as boolean) as label_breakdown_within_14d
    from breakdowns_ahead
    cross join bounds
)

select * from final
