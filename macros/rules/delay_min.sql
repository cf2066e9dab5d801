{#
    Minutes a delivery arrived after its promised time; 0 when on or before the promise (the grace
    period does not reduce the delay), null while undelivered.
#}
{% macro delay_min(delivered_at, promised_delivery_at) -%}
    case
        when {{ delivered_at }} is null or {{ promised_delivery_at }} is null then null
        when {{ delivered_at }} > {{ promised_delivery_at }} then {{ minutes_between(promised_delivery_at, delivered_at) }}
        else cast(0 as double)
    end
{%- endmacro %}
