{#
    The features whose drift is monitored, as (feature_name, feature_kind, feature_set, event_date,
    numeric_value, category_value): one row per observed value. Until the model registry lists the
    production models' features, these are the mart quantities the models' features derive from,
    each from the generator distribution named in vw_ml_feature_monitoring's YAML (derived_from).
#}
{% macro monitored_feature_values() -%}
    {%- set shipments = "from " ~ ref('tbl_fact_shipments') ~ " where not is_deleted and not is_cancelled and picked_up_at is not null" -%}
    {%- set features = [
        ('fuel_cost_per_km_usd', 'numeric', 'shipments', 'cast(picked_up_at as date)', safe_divide('fuel_cost_usd', 'distance_km'), shipments),
        ('revenue_per_km_usd', 'numeric', 'shipments', 'cast(picked_up_at as date)', safe_divide('revenue_usd', 'distance_km'), shipments),
        ('distance_km', 'numeric', 'shipments', 'cast(picked_up_at as date)', 'distance_km', shipments),
        ('weight_kg', 'numeric', 'shipments', 'cast(picked_up_at as date)', 'weight_kg', shipments),
        ('congestion_index', 'numeric', 'traffic', 'observed_date', 'congestion_index', "from " ~ ref('tbl_dim_traffic_conditions') ~ " where not is_deleted"),
        ('avg_speed_kmh', 'numeric', 'traffic', 'observed_date', 'avg_speed_kmh', "from " ~ ref('tbl_dim_traffic_conditions') ~ " where not is_deleted"),
        ('temperature_c', 'numeric', 'weather', 'observed_date', 'temperature_c', "from " ~ ref('tbl_dim_weather') ~ " where not is_deleted"),
        ('weather_condition', 'categorical', 'weather', 'observed_date', 'weather_condition', "from " ~ ref('tbl_dim_weather') ~ " where not is_deleted"),
    ] -%}
    {%- for name, kind, feature_set, event_date, expression, source_sql in features %}
    select
        '{{ name }}' as feature_name,
        '{{ kind }}' as feature_kind,
        '{{ feature_set }}' as feature_set,
        {{ event_date }} as event_date,
        {% if kind == 'numeric' -%}
        cast({{ expression }} as double) as numeric_value,
        cast(null as {{ dbt.type_string() }}) as category_value
        {%- else -%}
        cast(null as double) as numeric_value,
        cast({{ expression }} as {{ dbt.type_string() }}) as category_value
        {%- endif %}
    {{ source_sql }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{%- endmacro %}

{#
    The production models' input features as rows (model_name, feature_name, feature_kind,
    entity_id, event_date, feature_value), one union branch per column of each model's feature table (the
    registry's convention, REGISTRY.md): numeric columns as doubles, booleans as 0/1, text columns as
    their code in the production version's vocabulary (feature_categories; a value outside it is
    null, the null bin). Columns come from the feature table's contract (its YAML data types); the
    registry's reference bins pick the columns a model reads. Rows from `start_date` on.
#}
{% macro model_feature_tables() -%}
    {{ return([
        {'model_name': 'late_delivery_risk', 'table': 'tbl_ml_haul_segmentation', 'entity_id': 'features.shipment_id', 'event_date': 'cast(features.feature_at as date)'},
        {'model_name': 'breakdown_risk_14d', 'table': 'tbl_ml_maintenance_features', 'entity_id': 'features.vehicle_id', 'event_date': 'features.feature_date'},
    ]) }}
{%- endmacro %}

{% macro model_feature_values(registry, start_date) -%}
    {%- set branches = [] -%}
    {%- for model in model_feature_tables() -%}
        {%- set relation = ref(model.table) -%}
        {%- set node = graph.get('nodes', {}).values() | selectattr('resource_type', 'equalto', 'model')
                       | selectattr('name', 'equalto', model.table) | first -%}
        {%- for column in (node.columns.values() if node else []) -%}
            {%- set data_type = (column.data_type or '') | lower -%}
            {%- if column.name.endswith('_id') or column.name in ('feature_at', 'feature_date') -%}
            {%- elif data_type == 'boolean' -%}
                {%- do branches.append((model, relation, column.name, 'numeric',
                    'case when features.' ~ column.name ~ ' then 1.0 when not features.' ~ column.name ~ ' then 0.0 end')) -%}
            {%- elif data_type in ('varchar', 'text', 'string') -%}
                {%- do branches.append((model, relation, column.name, 'categorical',
                    'cast(' ~ json_array_index('production.feature_categories', column.name, 'features.' ~ column.name) ~ ' as double)')) -%}
            {%- elif data_type.startswith('decimal') or data_type in ('bigint', 'integer', 'double', 'float') -%}
                {%- do branches.append((model, relation, column.name, 'numeric', 'cast(features.' ~ column.name ~ ' as double)')) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- for model, relation, feature, kind, expression in branches %}
    select
        '{{ model.model_name }}' as model_name,
        production.model_version,
        '{{ feature }}' as feature_name,
        '{{ kind }}' as feature_kind,
        cast({{ model.entity_id }} as {{ dbt.type_string() }}) as entity_id,
        {{ model.event_date }} as event_date,
        {{ expression }} as feature_value
    from {{ relation }} as features
    inner join {{ registry }} as production
        on production.model_name = '{{ model.model_name }}'
        and production.is_production
    where {{ model.event_date }} >= {{ start_date }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
    {%- if not branches %}
    select
        cast(null as {{ dbt.type_string() }}) as model_name,
        cast(null as integer) as model_version,
        cast(null as {{ dbt.type_string() }}) as feature_name,
        cast(null as {{ dbt.type_string() }}) as feature_kind,
        cast(null as {{ dbt.type_string() }}) as entity_id,
        cast(null as date) as event_date,
        cast(null as double) as feature_value
    where 1 = 0
    {%- endif %}
{%- endmacro %}
