{#
    Freshness of every landing table judged against the as-of instant of the business rules
    (macros/rules/as_of_timestamp.sql), not the wall clock: one row per source table with its
    latest _fivetran_synced, the lag behind the as-of instant and the source's own warn/error
    thresholds (read from the source YAML). `dbt source freshness` compares with the wall clock,
    which is right in prod and meaningless on generated data; this model is the local equivalent,
    and its tests fail the build when a source is past its error threshold.
#}
{%- set landing_tables = [
    ('azure_sql', 'customers'), ('azure_sql', 'locations'), ('azure_sql', 'routes'),
    ('azure_sql', 'vehicles'), ('azure_sql', 'shipments'), ('azure_sql', 'maintenance'),
    ('telematics', 'telematics'), ('weather_api', 'weather'), ('traffic_api', 'traffic'),
] -%}
{%- set hours_per_period = {'minute': 1.0 / 60, 'hour': 1, 'day': 24} -%}

with latest_loads as (
    {%- for source_name, table_name in landing_tables %}
    {%- set freshness = {} -%}
    {%- if execute -%}
        {%- set freshness = graph.sources['source.logistics.' ~ source_name ~ '.' ~ table_name].freshness or {} -%}
    {%- endif %}
    select
        '{{ source_name }}' as source_name,
        '{{ table_name }}' as table_name,
        max(_fivetran_synced) as latest_synced_at,
        {%- for level in ['warn_after', 'error_after'] %}
        {%- set threshold = freshness.get(level) or {} %}
        {%- if threshold.get('count') %}
        cast({{ threshold['count'] * hours_per_period[threshold['period']] }} as double) as {{ level }}_hours
        {%- else %}
        cast(null as double) as {{ level }}_hours
        {%- endif %}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from {{ source(source_name, table_name) }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

final as (
    select
        source_name,
        table_name,
        latest_synced_at,
        {{ as_of_timestamp() }} as as_of_at,
        cast({{ timestamp_diff('minute', 'latest_synced_at', as_of_timestamp()) }} as double) / 60 as lag_hours,
        warn_after_hours,
        error_after_hours
    from latest_loads
)

select
    source_name,
    table_name,
    latest_synced_at,
    as_of_at,
    lag_hours,
    warn_after_hours,
    error_after_hours,
    case
        when latest_synced_at is null then 'ERROR'
        when error_after_hours is not null and lag_hours > error_after_hours then 'ERROR'
        when warn_after_hours is not null and lag_hours > warn_after_hours then 'WARN'
        else 'PASS'
    end as freshness_status
from final
