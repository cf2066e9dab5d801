{#
    One row per shipment: was it delivered late (after promised + the service level's grace)?
    The label is the outcome as the warehouse knows it now (tbl_ml_shipment_milestones: the first
    landed delivery), with the instant it became known (label_known_at); label_as_of_at is when a
    prediction is made, the booking (= tbl_ml_haul_segmentation.feature_at). Rows not delivered yet
    are marked (label_status 'pending') with a null label, never guessed; cancelled and deleted
    shipments have no label ('cancelled', 'deleted').
#}
{{ config(materialized='table') }}

with milestones as (
    select * from {{ ref('tbl_ml_shipment_milestones') }}
),

final as (
    select
        cast(milestones.shipment_id as bigint) as shipment_id,
        cast(milestones.customer_id as bigint) as customer_id,
        cast(milestones.route_id as bigint) as route_id,
        cast(milestones.vehicle_id as bigint) as vehicle_id,
        cast(milestones.created_at as {{ dbt.type_timestamp() }}) as label_as_of_at,
        cast(case
            when milestones.deleted_known_at is not null then 'deleted'
            when milestones.delivered_known_at is not null then 'known'
            when milestones.cancelled_known_at is not null then 'cancelled'
            else 'pending'
        end as varchar) as label_status,
        cast(case
            when milestones.deleted_known_at is null and milestones.delivered_known_at is not null
                then not milestones.is_on_time
        end as boolean) as label_is_late,
        cast(case
            when milestones.deleted_known_at is null then milestones.delivered_known_at
        end as {{ dbt.type_timestamp() }}) as label_known_at
    from milestones
)

select * from final
