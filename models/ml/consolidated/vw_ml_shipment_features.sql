{# Every feature of a shipment per booking (feature_at), typed and named <feature set>__<column> (macro ml_entity_feature_view). #}
{{ config(materialized='view') }}

{{ ml_entity_feature_view('vw_ml_shipment_features') }}
