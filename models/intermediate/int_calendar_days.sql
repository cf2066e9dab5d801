{#
    One row per calendar day over the data's range: whole calendar years, from the year of the
    earliest shipment (created) or maintenance event to the year of the latest promised delivery,
    maintenance event or the as-of instant. The spine of tbl_dim_date, kept apart so the calendar
    rules of tbl_dim_date can be unit-tested on a handful of days. A table: it is small, and as a
    view every reader would rescan staging for the bounds.
#}
{{ config(materialized='table') }}

with shipments as (
    select * from {{ ref('tbl_stg_shipments') }}
),

maintenance as (
    select * from {{ ref('tbl_stg_maintenance') }}
),

event_bounds as (
    select
        min(shipments.created_at) as first_at,
        max(shipments.promised_delivery_at) as last_at
    from shipments
    union all
    select
        min(maintenance.performed_at) as first_at,
        max(maintenance.performed_at) as last_at
    from maintenance
    union all
    select
        {{ as_of_timestamp() }} as first_at,
        {{ as_of_timestamp() }} as last_at
),

spine_bounds as (
    select
        cast({{ dbt.date_trunc('year', 'min(event_bounds.first_at)') }} as date) as first_day,
        cast({{ dbt.dateadd('day', -1, dbt.dateadd('year', 1, dbt.date_trunc('year', 'max(event_bounds.last_at)'))) }} as date) as last_day
    from event_bounds
),

calendar_days as (
    {{ date_spine_days('spine_bounds', 'spine_bounds.first_day', 'spine_bounds.last_day') }}
),

final as (
    select cast(calendar_days.date_day as date) as date_day
    from calendar_days
)

select * from final
