{#
    The last feature_date the warehouse can compute completely: the day that ends at or before the
    as-of instant (macro as_of_timestamp, the latest landing). A sync's clock is the last second of
    a day, so that day is complete; an instant inside a day leaves that day to the next build, so a
    feature row, once written, never has to change.
#}
{% macro feature_last_date() -%}
    {{ add_days(-1, 'cast(' ~ dbt.dateadd('second', 1, as_of_timestamp()) ~ ' as date)') }}
{%- endmacro %}
