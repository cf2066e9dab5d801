{#
    Serving view: one row per customer, its latest row of tbl_ml_customer_behavior_segments
    (recency, frequency, monetary, churn signal, segment) beside its delivery record of the same
    day from tbl_ml_rolling_analytics (null when the customer has no delivery yet). Features only,
    never a label. The online store (modelops/online.py) exports this view to a file of its own.
#}
{{ config(materialized='view') }}

{%- set delivery_record = ['deliveries_30d', 'on_time_rate_30d', 'avg_delay_min_30d', 'revenue_usd_30d',
                           'deliveries_90d', 'on_time_rate_90d', 'avg_delay_min_90d', 'revenue_usd_90d'] %}

with behaviour as (
    select * from {{ ref('tbl_ml_customer_behavior_segments') }}
),

rolling as (
    select * from {{ ref('tbl_ml_rolling_analytics') }}
    where entity_type = 'customer'
),

latest_per_customer as (
    select *
    from behaviour
    qualify row_number() over (partition by customer_id order by feature_date desc) = 1
),

final as (
    select
        latest_per_customer.customer_id,
        latest_per_customer.feature_date as features_as_of_date,
        {%- for column in ml_feature_columns('tbl_ml_customer_behavior_segments') %}
        latest_per_customer.{{ column.name }},
        {%- endfor %}
        {%- for column in delivery_record %}
        rolling.{{ column }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from latest_per_customer
    left join rolling
        on latest_per_customer.customer_id = rolling.entity_id
       and latest_per_customer.feature_date = rolling.feature_date
)

select * from final
