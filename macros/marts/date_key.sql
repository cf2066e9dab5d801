{#
    The tbl_dim_date key of a day in a country: surrogate_key(date_id, country_code), or the unknown
    member's key when either is null (tbl_dim_date has one row per day and country of the data).
#}
{% macro date_key(date_expression, country_expression) -%}
    case
        when {{ date_expression }} is null or {{ country_expression }} is null then {{ unknown_key() }}
        else {{ surrogate_key([date_id(date_expression), country_expression]) }}
    end
{%- endmacro %}
