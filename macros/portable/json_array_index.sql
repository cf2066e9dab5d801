{#
    0-based index of `value` in the JSON array stored under the literal `key` of the JSON object text
    `json_text`; null when the value (or the key) is absent. Encodes a categorical value as the
    model registry's vocabulary code (feature_categories: feature -> sorted list of values).
#}
{% macro json_array_index(json_text, key, value) -%}
    {{ return(adapter.dispatch('json_array_index', 'logistics')(json_text, key, value)) }}
{%- endmacro %}

{% macro default__json_array_index(json_text, key, value) -%}
    /* portable:json_array_index DuckDB list_position is 1-based and null when absent */ (list_position(cast(json_extract({{ json_text }}, '$.{{ key }}') as {{ dbt.type_string() }}[]), {{ value }}) - 1) /* /portable */
{%- endmacro %}

{% macro snowflake__json_array_index(json_text, key, value) -%}
    {%- if is_emulated_snowflake() -%}
        {{ emulated_json_array_index(json_text, key, value) }}
    {%- else -%}
    /* portable:json_array_index Snowflake array_position is 0-based and null when absent */ array_position(to_variant({{ value }}), get(parse_json({{ json_text }}), '{{ key }}')) /* /portable */
    {%- endif -%}
{%- endmacro %}
