{# The layer of a graph node: its source name for a source, else its folder under models/ (or its resource type). #}
{% macro lineage_layer(node) -%}
    {%- if node.resource_type == 'source' -%}
        {{ return(node.source_name) }}
    {%- elif node.fqn | length > 2 -%}
        {{ return(node.fqn[1]) }}
    {%- else -%}
        {{ return(node.resource_type) }}
    {%- endif -%}
{%- endmacro %}
