{#
    The behaviour segment of a customer-day (seed customer_segments, rules in rule_order: the first
    that holds wins): NEW (first booking < 30 days ago), LOST (recency > 90 days), AT_RISK (no
    booking in 30 days after some in the 30 before), CHAMPION (R, F and M scores >= 4), LOYAL
    (F >= 4), HIBERNATING (recency > 30 days), else REGULAR.
#}
{% macro customer_segment(tenure_days, recency_days, is_churn_signal, recency_score, frequency_score, monetary_score) -%}
    case
        when {{ tenure_days }} < 30 then 'NEW'
        when {{ recency_days }} > 90 then 'LOST'
        when {{ is_churn_signal }} then 'AT_RISK'
        when {{ recency_score }} >= 4 and {{ frequency_score }} >= 4 and {{ monetary_score }} >= 4 then 'CHAMPION'
        when {{ frequency_score }} >= 4 then 'LOYAL'
        when {{ recency_days }} > 30 then 'HIBERNATING'
        else 'REGULAR'
    end
{%- endmacro %}
