{#
    Freshness of every landing table judged against a reference instant that no single source
    sets, not the wall clock: var('as_of') when given, else the latest _fivetran_synced landed by
    ANY connector. One row per source table with its latest _fivetran_synced, the lag behind the
    reference and the source's own warn/error thresholds (its expected cadence, from the source
    YAML). A connector that stalls while the others keep loading thus falls behind and fails; the
    business rules' as-of instant (latest operational sync) is not used, as it comes from the
    operational tables themselves and would always give them zero lag. What this cannot see
    locally is every connector stalling together: `dbt source freshness` against the wall clock
    covers that in prod.
#}
{%- set landing_tables = landing_tables() -%}
{%- set hours_per_period = {'minute': 1.0 / 60, 'hour': 1, 'day': 24} -%}

with latest_loads as (
    {%- for landing in landing_tables %}
    {%- set source_name, table_name = landing.source, landing.table %}
    {%- set freshness = {} -%}
    {%- if execute and graph.get('sources') -%}
        {#- a unit test's graph has no sources: thresholds are then null -#}
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

-- exactly one row: the pinned as-of var, else the latest load of any connector
reference_instant as (
    select
        {%- if var('as_of', none) is not none %}
        max({{ as_of_timestamp() }}) as as_of_at
        {%- else %}
        max(latest_loads.latest_synced_at) as as_of_at
        {%- endif %}
    from latest_loads
),

final as (
    select
        latest_loads.source_name,
        latest_loads.table_name,
        latest_loads.latest_synced_at,
        reference_instant.as_of_at,
        cast({{ timestamp_diff('minute', 'latest_loads.latest_synced_at', 'reference_instant.as_of_at') }} as double) / 60 as lag_hours,
        latest_loads.warn_after_hours,
        latest_loads.error_after_hours
    from latest_loads
    cross join reference_instant
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
