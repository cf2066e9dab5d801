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
