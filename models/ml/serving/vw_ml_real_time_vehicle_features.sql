{#
    Serving view: one row per vehicle, its latest row of tbl_ml_maintenance_features (the end of
    the last complete day), every documented feature column (macro ml_feature_columns). Features only,
    never a label. The online store (modelops/online.py) exports this view to a file of its own,
    and `predict('breakdown_risk_14d', ids)` reads its features from there.
#}
{{ config(materialized='view') }}

with maintenance_features as (
    select * from {{ ref('tbl_ml_maintenance_features') }}
),

latest_per_vehicle as (
    select *
    from maintenance_features
    qualify row_number() over (partition by vehicle_id order by feature_date desc) = 1
),

final as (
    select
        vehicle_id,
        feature_date as features_as_of_date,
        {%- for column in ml_feature_columns('tbl_ml_maintenance_features') %}
        {{ column.name }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from latest_per_vehicle
)

select * from final
