{{ config(materialized='table', tags=['describes_dbt']) }}
{#
    The lineage of the warehouse, read from dbt's own graph when the model compiles: one row per
    edge from an upstream node (source, seed, snapshot, model) to a downstream model, snapshot or
    exposure of this project, with each end's resource type, layer (its folder) and materialisation.
    Nothing is typed in: a new ref() is a new row at the next build. Data tests are left out (they
    are checks, not data flow). Disabled nodes are not in the graph, so a DuckDB build and a
    Snowflake build list different Snowflake-only models.
#}
{%- set edges = [] -%}
{%- if execute -%}
    {%- set nodes = {} -%}
    {%- for node in graph.nodes.values() | list + graph.sources.values() | list + graph.exposures.values() | list -%}
        {%- do nodes.update({node.unique_id: node}) -%}
    {%- endfor -%}
    {%- for child in nodes.values() if child.resource_type in ('model', 'snapshot', 'exposure') -%}
        {%- for parent_id in child.depends_on.nodes | unique if parent_id in nodes -%}
            {%- do edges.append((nodes[parent_id], child)) -%}
        {%- endfor -%}
    {%- endfor -%}
{%- endif %}



with edges as (
    {%- for parent, child in edges | sort(attribute='1.unique_id') %}
    select
        {{ sql_text(parent.unique_id) }} as upstream_node_id,
        {{ sql_text(parent.name) }} as upstream_name,
        {{ sql_text(parent.resource_type) }} as upstream_resource_type,
        {{ sql_text(lineage_layer(parent)) }} as upstream_layer,
        {{ sql_text(child.unique_id) }} as downstream_node_id,
        {{ sql_text(child.name) }} as downstream_name,
        {{ sql_text(child.resource_type) }} as downstream_resource_type,
        {{ sql_text(lineage_layer(child)) }} as downstream_layer,
        {{ sql_text(child.config.get('materialized') if child.resource_type != 'exposure' else child.type) }} as downstream_materialized
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- else %}
    select
        {% for column in ['upstream_node_id', 'upstream_name', 'upstream_resource_type', 'upstream_layer', 'downstream_node_id', 'downstream_name', 'downstream_resource_type', 'downstream_layer', 'downstream_materialized'] -%}
        cast(null as {{ dbt.type_string() }}) as {{ column }}{{ ',' if not loop.last }}
        {% endfor -%}
    from (select 1 as one) as no_rows
    where no_rows.one = 0
    {%- endfor %}
),

final as (
    select
        edges.*,
        {{ dbt.hash(dbt.concat(['edges.upstream_node_id', "'>'", 'edges.downstream_node_id'])) }} as edge_id
    from edges
)

select * from final
