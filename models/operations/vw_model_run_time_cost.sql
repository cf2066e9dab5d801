{{ config(tags=['describes_dbt']) }}
{#
    What a build costs on DuckDB: compute time. One row per invocation and node that did work
    (models, seeds, snapshots, tests): its seconds, its share of the invocation, and the invocation's
    cumulative seconds in descending order of cost. On Snowflake the credits of the same nodes are in
    models/snowflake/vw_credits_by_model.sql.
#}
with node_runs as (
    select * from {{ ref('vw_dbt_run_results') }}
),

final as (
    select
        invocation_id,
        invocations_ago,
        run_started_at,
        target_name,
        node_id,
        resource_type,
        model_layer,
        execution_time_s,
        share_of_invocation_time,
        sum(execution_time_s) over (
            partition by invocation_id
            order by execution_time_s desc, node_id
            rows between unbounded preceding and current row
        ) as cumulative_execution_time_s,
        rank() over (partition by invocation_id order by execution_time_s desc, node_id) as cost_rank
    from node_runs
)

select * from final
