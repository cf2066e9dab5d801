{#
    Freshness per source (one Fivetran connector each), judged two ways:
    - against the other connectors: hours behind the freshest connector's last landed change. All
      connectors sync on the same cadence, so one falling behind the others is a stalled connector,
      even when it is the one that sets the as-of instant (a lag measured against itself is zero);
    - against the as-of instant and the source's own warn/error thresholds (the source YAML).
    A connector is judged on its tables with a freshness threshold (slowly changing tables such as
    customers move only when a row changes). SLA var: freshness_sla_hours (tolerated lag behind the
    freshest connector).
#}
with table_freshness as (
    select * from {{ ref('tbl_audit_source_freshness') }}
    where warn_after_hours is not null
       or error_after_hours is not null
),

source_freshness as (
    select
        source_name,
        count(*) as judged_table_count,
        max(latest_synced_at) as last_landed_at,
        max(as_of_at) as as_of_at,
        min(warn_after_hours) as warn_after_hours,
        min(error_after_hours) as error_after_hours
    from table_freshness
    group by source_name
),

freshest as (
    select max(last_landed_at) as freshest_landed_at
    from source_freshness
),

lags as (
    select
        source_freshness.*,
        freshest.freshest_landed_at,
        cast({{ timestamp_diff('minute', 'source_freshness.last_landed_at', 'freshest.freshest_landed_at') }} as double) / 60
            as hours_behind_freshest_source,
        cast({{ timestamp_diff('minute', 'source_freshness.last_landed_at', 'source_freshness.as_of_at') }} as double) / 60
            as hours_behind_as_of,
        cast({{ var('freshness_sla_hours') }} as double) as freshness_sla_hours
    from source_freshness
    cross join freshest
),

final as (
    select
        source_name,
        judged_table_count,
        last_landed_at,
        freshest_landed_at,
        as_of_at,
        hours_behind_freshest_source,
        hours_behind_as_of,
        freshness_sla_hours,
        warn_after_hours,
        error_after_hours,
        last_landed_at is null or hours_behind_freshest_source > freshness_sla_hours as is_stalled,
        case
            when last_landed_at is null then 'never_loaded'
            when hours_behind_freshest_source > freshness_sla_hours then 'stalled'
            when hours_behind_as_of > error_after_hours then 'stale'
            when hours_behind_as_of > warn_after_hours then 'late'
            else 'fresh'
        end as freshness_status
    from lags
)

select * from final
