{# 'SOUTHERN' for a negative latitude, else 'NORTHERN' (null for a null latitude). #}
{% macro hemisphere(latitude) -%}
    case
        when {{ latitude }} < 0 then 'SOUTHERN'
        when {{ latitude }} >= 0 then 'NORTHERN'
    end
{%- endmacro %}
