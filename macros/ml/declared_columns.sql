{#
    The column names a model declares in its YAML, in their declared order, less `exclude`: the
    explicit select list of a projection that must follow its upstream's contract column for
    column (the serving views). Empty while dbt parses (the graph is filled at execution).
#}
{% macro declared_columns(model_name, exclude=[]) -%}
    {%- set names = [] -%}
    {%- if execute -%}
        {%- set node = graph.nodes.get('model.' ~ project_name ~ '.' ~ model_name) -%}
        {%- if node is none or node.columns | length == 0 -%}
            {{ exceptions.raise_compiler_error("declared_columns: " ~ model_name ~ " declares no columns") }}
        {%- endif -%}
        {%- for name in node.columns if name not in exclude -%}
            {%- do names.append(name) -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(names) }}
{%- endmacro %}
