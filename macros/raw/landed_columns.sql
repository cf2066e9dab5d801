{#
    The business columns of a landed relation, in landing order: every column except Fivetran's
    system columns (_fivetran_*). Lower-cased, so Snowflake's upper-case catalog reads the same.
    Fails the build first if a column the source YAML declares has disappeared (see
    assert_declared_columns_landed); a column Fivetran added is returned like any other.
#}
{% macro landed_columns(relation) -%}
    {%- set names = [] -%}
    {%- if execute -%}
        {%- set present = [] -%}
        {%- for column in adapter.get_columns_in_relation(relation) -%}
            {%- do present.append(column.name.lower()) -%}
        {%- endfor -%}
        {%- do assert_declared_columns_landed(relation, present) -%}
        {%- for name in present if not name.startswith('_fivetran_') -%}
            {%- do names.append(name) -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(names) }}
{%- endmacro %}
