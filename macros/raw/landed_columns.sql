{#
    The business columns of a landed relation, in landing order: every column except Fivetran's
    system columns (_fivetran_*). Lower-cased, so Snowflake's upper-case catalog reads the same.
#}
{% macro landed_columns(relation) -%}
    {%- set names = [] -%}
    {%- if execute -%}
        {%- for column in adapter.get_columns_in_relation(relation) -%}
            {%- if not column.name.lower().startswith('_fivetran_') -%}
                {%- do names.append(column.name.lower()) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(names) }}
{%- endmacro %}
