{# Every feature of a vehicle per feature_date, typed and named <feature set>__<column> (macro ml_entity_feature_view). #}
{{ config(materialized='view') }}

{{ ml_entity_feature_view('vw_ml_vehicle_features') }}
