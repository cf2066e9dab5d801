{# Every feature of a customer per feature_date, typed and named <feature set>__<column> (macro ml_entity_feature_view). #}
{{ config(materialized='view') }}

{{ ml_entity_feature_view('vw_ml_customer_features') }}
