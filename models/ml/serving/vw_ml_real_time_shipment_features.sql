{#
    Serving view: one row per shipment booked in the last 7 days of the data (the as-of instant
    as_of_timestamp()), its row of tbl_ml_haul_segmentation: everything known at its booking, the
    features of predict('late_delivery_risk', shipment ids) while the order is open (lead times
    are at most 3 days, transits a few more). Features only, never a label.
#}
{{ config(materialized='view') }}

{%- set open_order_days = 7 %}

with haul_features as (
    select * from {{ ref('tbl_ml_haul_segmentation') }}
),

recent_bookings as (
    select *
    from haul_features
    where feature_at > {{ dbt.dateadd('day', -open_order_days, as_of_timestamp()) }}
),

final as (
    select
        shipment_id,
        feature_at,
        customer_id,
        route_id,
        origin_location_id
        {%- for column in ml_feature_columns('tbl_ml_haul_segmentation') %},
        {{ column.name }}
        {%- endfor %}
    from recent_bookings
)

select * from final
