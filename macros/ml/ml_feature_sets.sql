{#
    The feature sets of the consolidated store: which feature table (and entity type of it) each is,
    its entity key and time column, and the typed per-entity view that serves its values. One list
    for the views and the catalogue (tbl_ml_consolidated_feature_store); the training API
    (featurestore.catalog) names its sets the same way.
#}
{% macro ml_feature_sets() -%}
    {{ return([
        {'name': 'haul_segmentation', 'model': 'tbl_ml_haul_segmentation', 'entity_type': 'shipment', 'entity_key': 'shipment_id', 'source_key': 'shipment_id', 'time_column': 'feature_at', 'view': 'vw_ml_shipment_features'},
        {'name': 'customer_behavior', 'model': 'tbl_ml_customer_behavior_segments', 'entity_type': 'customer', 'entity_key': 'customer_id', 'source_key': 'customer_id', 'time_column': 'feature_date', 'view': 'vw_ml_customer_features'},
        {'name': 'customer_rolling', 'model': 'tbl_ml_rolling_analytics', 'entity_type': 'customer', 'entity_key': 'customer_id', 'source_key': 'entity_id', 'entity_filter': 'customer', 'time_column': 'feature_date', 'view': 'vw_ml_customer_features'},
        {'name': 'route_rolling', 'model': 'tbl_ml_rolling_analytics', 'entity_type': 'route', 'entity_key': 'route_id', 'source_key': 'entity_id', 'entity_filter': 'route', 'time_column': 'feature_date', 'view': 'vw_ml_route_features'},
        {'name': 'maintenance', 'model': 'tbl_ml_maintenance_features', 'entity_type': 'vehicle', 'entity_key': 'vehicle_id', 'source_key': 'vehicle_id', 'time_column': 'feature_date', 'view': 'vw_ml_vehicle_features'},
        {'name': 'vehicle_rolling', 'model': 'tbl_ml_rolling_analytics', 'entity_type': 'vehicle', 'entity_key': 'vehicle_id', 'source_key': 'entity_id', 'entity_filter': 'vehicle', 'time_column': 'feature_date', 'view': 'vw_ml_vehicle_features'},
    ]) }}
{%- endmacro %}

{#
    The documented feature columns of a feature model, in YAML order: every column whose meta names
    a feature_set (keys and dates have none). Read from the graph, so it is empty while dbt parses.
#}
{% macro ml_feature_columns(model_name) -%}
    {%- set found = [] -%}
    {%- if execute -%}
        {%- set node = graph.nodes['model.' ~ project_name ~ '.' ~ model_name] -%}
        {%- for column in node.columns.values() -%}
            {%- if column.meta.get('feature_set') -%}
                {%- do found.append(column) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(found) }}
{%- endmacro %}

{#
    A typed per-entity view: the feature sets of `view_name` (macro ml_feature_sets) joined on the
    entity key and time column (full outer join: an entity's sets may start on different days),
    each feature as <feature set>__<column>, so two sets never collide and every name says where
    the value comes from.
#}
{% macro ml_entity_feature_view(view_name) -%}
    {%- set sets = ml_feature_sets() | selectattr('view', 'equalto', view_name) | list -%}
    {%- set first = sets[0] -%}
with
{%- for feature_set in sets %}
{{ feature_set.name }} as (
    select * from {{ ref(feature_set.model) }}
    {%- if feature_set.entity_filter is defined %}
    where entity_type = '{{ feature_set.entity_filter }}'
    {%- endif %}
),
{%- endfor %}

final as (
    select
        {%- set keys = [] -%}
        {%- for feature_set in sets -%}{%- do keys.append(feature_set.name ~ '.' ~ feature_set.source_key) -%}{%- endfor %}
        {%- set times = [] -%}
        {%- for feature_set in sets -%}{%- do times.append(feature_set.name ~ '.' ~ feature_set.time_column) -%}{%- endfor %}
        {{ keys[0] if keys | length == 1 else 'coalesce(' ~ keys | join(', ') ~ ')' }} as {{ first.entity_key }},
        {{ times[0] if times | length == 1 else 'coalesce(' ~ times | join(', ') ~ ')' }} as {{ first.time_column }}
        {%- for feature_set in sets %}
        {%- for column in ml_feature_columns(feature_set.model) %}
        {%- if feature_set.entity_filter is not defined or column.name != 'entity_type' %},
        {{ feature_set.name }}.{{ column.name }} as {{ feature_set.name }}__{{ column.name }}
        {%- endif %}
        {%- endfor %}
        {%- endfor %}
    from {{ first.name }}
    {%- for feature_set in sets[1:] %}
    full outer join {{ feature_set.name }}
        on {{ first.name }}.{{ first.source_key }} = {{ feature_set.name }}.{{ feature_set.source_key }}
       and {{ first.name }}.{{ first.time_column }} = {{ feature_set.name }}.{{ feature_set.time_column }}
    {%- endfor %}
)

select * from final
{%- endmacro %}
