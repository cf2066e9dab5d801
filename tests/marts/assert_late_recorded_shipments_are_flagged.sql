{#
    A shipment the source recorded after its pickup (created_at later than picked_up_at, or than the
    planned pickup when not picked up; recomputed from staging) is flagged is_recorded_after_pickup
    in tbl_fact_shipments, and only such a shipment is. Fails with the shipments whose flag differs.
#}
with staged as (
    select
        shipment_id,
        created_at > coalesce(picked_up_at, planned_pickup_at) as is_recorded_late
    from {{ ref('tbl_stg_shipments') }}
)

select
    facts.shipment_id,
    staged.is_recorded_late,
    facts.is_recorded_after_pickup
from {{ ref('tbl_fact_shipments') }} as facts
inner join staged
    on facts.shipment_id = staged.shipment_id
where staged.is_recorded_late <> facts.is_recorded_after_pickup
