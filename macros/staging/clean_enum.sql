{# An enumeration value as the seeds spell it: trimmed, upper-case, inner spaces as underscores. #}
{% macro clean_enum(column) -%}
    replace(upper(trim({{ column }})), ' ', '_')
{%- endmacro %}
