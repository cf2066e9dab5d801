{#
    Traffic band of a congestion index (0 = free flow, 1 = standstill), lower bounds inclusive:
    FREE_FLOW below 0.30, MODERATE from 0.30, HEAVY from 0.60, STANDSTILL from 0.85.
#}
{% macro congestion_level(congestion_index) -%}
    case
        when {{ congestion_index }} is null then null
        when {{ congestion_index }} >= 0.85 then 'STANDSTILL'
        when {{ congestion_index }} >= 0.60 then 'HEAVY'
        when {{ congestion_index }} >= 0.30 then 'MODERATE'
        else 'FREE_FLOW'
    end
{%- endmacro %}
