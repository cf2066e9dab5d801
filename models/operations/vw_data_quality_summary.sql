{{ config(tags=['describes_dbt']) }}
{#
    The data-quality summary of every dbt invocation and layer: data tests run, passed, warned,
    failed or errored on the nodes of that layer (sources count as the layer "source"), the rows the
    failing tests returned, and the unit tests of the invocation. Quarantined rows per reason and day
    are in vw_reasons_for_quarantine; the SLA per model and day in vw_data_quality_sla.
#}
with run_results as (
    select * from {{ ref('vw_dbt_run_results') }}
),

node_layers as (
    select
        node_id,
        max(model_layer) as model_layer
    from run_results
    where model_layer is not null
    group by node_id
),

test_runs as (
    select
        run_results.invocation_id,
        run_results.invocations_ago,
        run_results.run_started_at,
        run_results.data_as_of_at,
        run_results.target_name,
        run_results.resource_type,
        run_results.status,
        run_results.failures,
        coalesce(
            node_layers.model_layer,
            {{ dbt.split_part('run_results.tested_node_id', "'.'", 1) }},
            'unattached'
        ) as tested_layer
    from run_results
    left join node_layers
        on run_results.tested_node_id = node_layers.node_id
    where run_results.resource_type in ('test', 'unit_test')
),

final as (
    select
        invocation_id,
        tested_layer,
        min(invocations_ago) as invocations_ago,
        min(run_started_at) as run_started_at,
        min(data_as_of_at) as data_as_of_at,
        min(target_name) as target_name,
        sum(case when resource_type = 'test' then 1 else 0 end) as data_tests_run,
        sum(case when resource_type = 'test' and status = 'pass' then 1 else 0 end) as data_tests_passed,
        sum(case when resource_type = 'test' and status = 'warn' then 1 else 0 end) as data_tests_warned,
        sum(case when resource_type = 'test' and status = 'fail' then 1 else 0 end) as data_tests_failed,
        sum(case when resource_type = 'test' and status = 'error' then 1 else 0 end) as data_tests_errored,
        sum(case when resource_type = 'test' then coalesce(failures, 0) else 0 end) as failing_rows,
        sum(case when resource_type = 'unit_test' then 1 else 0 end) as unit_tests_run,
        sum(case when resource_type = 'unit_test' and status = 'pass' then 1 else 0 end) as unit_tests_passed,
        100 * {{ safe_divide(
            "sum(case when resource_type = 'test' and status = 'pass' then 1 else 0 end)",
            "sum(case when resource_type = 'test' then 1 else 0 end)") }} as data_test_pass_pct
    from test_runs
    group by
        invocation_id,
        tested_layer
)

select * from final
