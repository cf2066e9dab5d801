{{ config(tags=['describes_dbt']) }}
{#
    Every dbt invocation's node results, as dbt reported them (loaded by the on-run-end hook):
    status, timing, rows affected, test failures; numbered per target so "the latest build" and
    "the one before" are a filter, not a guess.
#}
with run_results as (
    select * from {{ ref('tbl_dbt_run_results') }}
),

invocations as (
    select
        invocation_id,
        target_name,
        min(run_started_at) as run_started_at,
        sum(execution_time_s) as invocation_execution_time_s,
        count(*) as invocation_node_count
    from run_results
    group by
        invocation_id,
        target_name
),

numbered_invocations as (
    select
        invocations.*,
        row_number() over (
            partition by invocations.target_name
            order by invocations.run_started_at desc, invocations.invocation_id desc
        ) as invocations_ago
    from invocations
),

final as (
    select
        run_results.invocation_id,
        numbered_invocations.invocations_ago,
        numbered_invocations.invocations_ago = 1 as is_latest_invocation,
        run_results.run_started_at,
        run_results.data_as_of_at,
        run_results.target_name,
        run_results.node_id,
        run_results.node_name,
        run_results.resource_type,
        run_results.model_layer,
        run_results.materialized,
        run_results.tested_node_id,
        run_results.status,
        run_results.status in ('success', 'pass') as is_success,
        run_results.started_at,
        run_results.completed_at,
        run_results.execution_time_s,
        {{ safe_divide('run_results.execution_time_s', 'numbered_invocations.invocation_execution_time_s') }}
            as share_of_invocation_time,
        run_results.rows_affected,
        run_results.failures,
        run_results.message
    from run_results
    inner join numbered_invocations
        on run_results.invocation_id = numbered_invocations.invocation_id
        and run_results.target_name = numbered_invocations.target_name
)

select * from final
