{{ config(tags=['describes_dbt']) }}
{#
    The slowest models and their trend across runs: per target and model (seeds and snapshots too),
    the execution time of the latest run, the median and maximum over the runs recorded, the run
    before, and the latest run's ratio to the median of the earlier runs (> 1: getting slower).
#}
with node_runs as (
    select * from {{ ref('vw_dbt_run_results') }}
    where resource_type in ('model', 'seed', 'snapshot')
      and is_success
),

ordered_runs as (
    select
        node_runs.*,
        row_number() over (
            partition by node_runs.target_name, node_runs.node_id
            order by node_runs.invocations_ago
        ) as runs_ago
    from node_runs
),

node_trends as (
    select
        target_name,
        node_id,
        max(node_name) as node_name,
        max(resource_type) as resource_type,
        max(model_layer) as model_layer,
        max(materialized) as materialized,
        count(*) as run_count,
        max(case when runs_ago = 1 then execution_time_s end) as latest_execution_time_s,
        max(case when runs_ago = 2 then execution_time_s end) as previous_execution_time_s,
        median(cast(case when runs_ago > 1 then execution_time_s end as double)) as median_earlier_execution_time_s,
        max(execution_time_s) as max_execution_time_s,
        max(case when runs_ago = 1 then run_started_at end) as latest_run_started_at
    from ordered_runs
    group by
        target_name,
        node_id
),

final as (
    select
        target_name,
        node_id,
        node_name,
        resource_type,
        model_layer,
        materialized,
        run_count,
        latest_execution_time_s,
        previous_execution_time_s,
        median_earlier_execution_time_s,
        max_execution_time_s,
        {{ safe_divide('latest_execution_time_s', 'median_earlier_execution_time_s') }} as latest_to_median_ratio,
        rank() over (partition by target_name order by latest_execution_time_s desc, node_id) as slowness_rank,
        latest_run_started_at
    from node_trends
)

select * from final
