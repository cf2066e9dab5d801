{#
    A shipment's calendar (weekday, weekend, holiday, season: the tbl_dim_date row of
    planned_pickup_date_sk) is that of the planned pickup's LOCAL date at the origin, not of its UTC
    date: recomputed from the staged pickup time and the origin location's time zone. A pickup at
    09:30 on a Saturday in Sydney is 22:30 on a Friday in UTC, and must read as a Saturday.
    Fails with the shipments whose calendar day differs.
#}
with facts as (
    select
        shipment_id,
        origin_location_sk,
        planned_pickup_date_sk
    from {{ ref('tbl_fact_shipments') }}
    where planned_pickup_date_sk <> {{ unknown_key() }}
),

staged as (
    select
        shipment_id,
        planned_pickup_at
    from {{ ref('tbl_stg_shipments') }}
),

origins as (
    select
        location_sk,
        time_zone
    from {{ ref('tbl_dim_location') }}
    where time_zone is not null
),

calendar_days as (
    select
        date_sk,
        date_day
    from {{ ref('tbl_dim_date') }}
)

select
    facts.shipment_id,
    staged.planned_pickup_at,
    origins.time_zone,
    calendar_days.date_day as fact_calendar_day,
    {{ local_date('staged.planned_pickup_at', 'origins.time_zone') }} as local_pickup_date
from facts
inner join staged
    on facts.shipment_id = staged.shipment_id
inner join origins
    on facts.origin_location_sk = origins.location_sk
inner join calendar_days
    on facts.planned_pickup_date_sk = calendar_days.date_sk
where calendar_days.date_day <> {{ local_date('staged.planned_pickup_at', 'origins.time_zone') }}
