{#
    A JSON object text of the given columns, keeping nulls: {"col": value, ...}.
    Used to keep a quarantined row's full content, so that nothing is lost.
#}
{% macro json_object(columns) -%}
    {{ return(adapter.dispatch('json_object', 'logistics')(columns)) }}
{%- endmacro %}

{% macro default__json_object(columns) -%}
    /* portable:json_object each engine builds the same JSON text, nulls kept, with its own function */ cast(json_object(
        {%- for column in columns %}
        '{{ column }}', {{ column }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    ) as {{ dbt.type_string() }}) /* /portable */
{%- endmacro %}

{% macro snowflake__json_object(columns) -%}
    /* portable:json_object each engine builds the same JSON text, nulls kept, with its own function */ to_json(object_construct_keep_null(
        {%- for column in columns %}
        '{{ column }}', {{ column }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    )) /* /portable */
{%- endmacro %}
