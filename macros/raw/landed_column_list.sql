{# The column list of a raw model: the landed business columns, then Fivetran's system columns. #}
{% macro landed_column_list(columns, relation_alias=none) -%}
    {%- set prefix = relation_alias ~ '.' if relation_alias else '' -%}
    {%- for column in columns + ['_fivetran_synced', '_fivetran_deleted'] %}
    {{ prefix }}{{ column }}{% if not loop.last %},{% endif %}
    {%- endfor %}
{%- endmacro %}
