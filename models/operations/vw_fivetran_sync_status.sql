{#
    Fivetran sync status per connector and table, from what landed: every distinct _fivetran_synced
    of a raw table (rows kept or quarantined) is a sync that brought rows. Per table: syncs that
    landed rows, rows per sync, the last sync and its rows; per connector: its last sync, the
    warehouse's syncs it has not landed since (syncs other connectors landed after its last one) and
    the gaps between its syncs longer than the expected cadence (var fivetran_sync_interval_hours).
    Fivetran moves _fivetran_synced only on changed rows, so a slowly changing table can skip syncs
    of its connector without a fault; the connector-level columns judge the connector.
#}
{%- set raw_tables = landing_tables() %}

with landed_rows as (
    {%- for landing in raw_tables %}{%- set connector, table = landing.source, landing.table %}
    select
        '{{ connector }}' as connector_name,
        '{{ table }}' as table_name,
        _fivetran_synced as synced_at,
        count(*) as row_count
    from {{ ref('tbl_raw_' ~ table) }}
    group by _fivetran_synced
    union all
    {%- endfor %}
    select
        case
            {%- for landing in raw_tables %}{%- set connector, table = landing.source, landing.table %}
            when source_table = '{{ table }}' then '{{ connector }}'
            {%- endfor %}
        end as connector_name,
        source_table as table_name,
        _fivetran_synced as synced_at,
        sum(copies_landed) as row_count
    from {{ ref('tbl_raw_quarantine') }}
    group by
        source_table,
        _fivetran_synced
),

table_syncs as (
    select
        connector_name,
        table_name,
        synced_at,
        sum(row_count) as row_count
    from landed_rows
    group by
        connector_name,
        table_name,
        synced_at
),

connector_syncs as (
    select distinct
        connector_name,
        synced_at
    from table_syncs
),

connector_intervals as (
    select
        connector_name,
        synced_at,
        cast({{ timestamp_diff('minute', 'lag(synced_at) over (partition by connector_name order by synced_at)', 'synced_at') }} as double) / 60
            as hours_since_previous_sync
    from connector_syncs
),

connector_status as (
    select
        connector_name,
        count(*) as connector_sync_count,
        min(synced_at) as connector_first_synced_at,
        max(synced_at) as connector_last_synced_at,
        max(hours_since_previous_sync) as longest_interval_hours,
        sum(case when hours_since_previous_sync > {{ var('fivetran_sync_interval_hours') }} then 1 else 0 end)
            as gap_count
    from connector_intervals
    group by connector_name
),

warehouse_syncs as (
    select distinct synced_at
    from connector_syncs
),

missed_syncs as (
    select
        connector_status.connector_name,
        count(warehouse_syncs.synced_at) as syncs_missed_since_last
    from connector_status
    left join warehouse_syncs
        on warehouse_syncs.synced_at > connector_status.connector_last_synced_at
    group by connector_status.connector_name
),

table_status as (
    select
        connector_name,
        table_name,
        count(*) as syncs_with_rows,
        sum(row_count) as rows_landed,
        max(synced_at) as last_synced_at
    from table_syncs
    group by
        connector_name,
        table_name
),

last_table_syncs as (
    select
        table_syncs.connector_name,
        table_syncs.table_name,
        table_syncs.row_count as last_sync_row_count
    from table_syncs
    inner join table_status
        on table_syncs.connector_name = table_status.connector_name
        and table_syncs.table_name = table_status.table_name
        and table_syncs.synced_at = table_status.last_synced_at
),

final as (
    select
        table_status.connector_name,
        table_status.table_name,
        table_status.syncs_with_rows,
        table_status.rows_landed,
        {{ safe_divide('table_status.rows_landed', 'table_status.syncs_with_rows') }} as avg_rows_per_sync,
        table_status.last_synced_at,
        last_table_syncs.last_sync_row_count,
        connector_status.connector_sync_count - table_status.syncs_with_rows as connector_syncs_without_rows,
        connector_status.connector_sync_count,
        connector_status.connector_last_synced_at,
        connector_status.longest_interval_hours,
        connector_status.gap_count,
        missed_syncs.syncs_missed_since_last,
        case
            when missed_syncs.syncs_missed_since_last > 0 then 'behind'
            when connector_status.gap_count > 0 then 'gaps'
            else 'ok'
        end as connector_sync_status
    from table_status
    inner join connector_status
        on table_status.connector_name = connector_status.connector_name
    inner join last_table_syncs
        on table_status.connector_name = last_table_syncs.connector_name
        and table_status.table_name = last_table_syncs.table_name
    inner join missed_syncs
        on table_status.connector_name = missed_syncs.connector_name
)

select * from final
