{{ config(tags=['describes_dbt']) }}
{#
    Data-quality SLA per model and data day. Two measures, from what really happened:
    - tests: the data tests of the model in the latest dbt invocation that built that data day (the
      day of its as-of instant), from dbt's own results (tbl_dbt_run_results);
    - quarantine: rows of that day's syncs the model rejected (staging quarantines, and the raw key
      quarantine for raw models) against the rows it kept from those syncs.
    The SLA is met when the test pass rate reaches var dq_test_pass_target_pct and the quarantine
    rate stays within var dq_quarantine_max_pct.
#}
{%- set entities = landing_tables() | map(attribute='table') | list %}

with test_runs as (
    select * from {{ ref('vw_dbt_run_results') }}
    where resource_type = 'test'
      and tested_node_id is not null
      and data_as_of_at is not null
),

latest_test_runs as (
    select
        test_runs.*,
        cast(test_runs.data_as_of_at as date) as data_date,
        row_number() over (
            partition by test_runs.node_id, cast(test_runs.data_as_of_at as date)
            order by test_runs.invocations_ago
        ) as recency_rank
    from test_runs
),

test_results as (
    select
        tested_node_id as node_id,
        data_date,
        count(*) as tests_run,
        sum(case when status = 'pass' then 1 else 0 end) as tests_passed,
        sum(case when status = 'warn' then 1 else 0 end) as tests_warned,
        sum(case when status in ('fail', 'error') then 1 else 0 end) as tests_failed,
        sum(coalesce(failures, 0)) as failing_rows
    from latest_test_runs
    where recency_rank = 1
    group by
        tested_node_id,
        data_date
),

row_counts as (
    {%- for entity in entities %}
    select
        'model.{{ project_name }}.tbl_stg_{{ entity }}' as node_id,
        cast(synced_at as date) as data_date,
        count(*) as rows_kept,
        0 as rows_quarantined
    from {{ ref('tbl_stg_' ~ entity) }}
    group by cast(synced_at as date)
    union all
    select
        'model.{{ project_name }}.tbl_stg_{{ entity }}' as node_id,
        cast(synced_at as date) as data_date,
        0 as rows_kept,
        count(*) as rows_quarantined
    from {{ ref('tbl_stg_' ~ entity ~ '_quarantine') }}
    group by cast(synced_at as date)
    union all
    select
        'model.{{ project_name }}.tbl_raw_{{ entity }}' as node_id,
        cast(_fivetran_synced as date) as data_date,
        count(*) as rows_kept,
        0 as rows_quarantined
    from {{ ref('tbl_raw_' ~ entity) }}
    group by cast(_fivetran_synced as date)
    union all
    {%- endfor %}
    select
        'model.{{ project_name }}.tbl_raw_' || source_table as node_id,
        cast(_fivetran_synced as date) as data_date,
        0 as rows_kept,
        sum(copies_landed) as rows_quarantined
    from {{ ref('tbl_raw_quarantine') }}
    group by
        source_table,
        cast(_fivetran_synced as date)
),

quarantine as (
    select
        node_id,
        data_date,
        sum(rows_kept) as rows_kept,
        sum(rows_quarantined) as rows_quarantined
    from row_counts
    group by
        node_id,
        data_date
),

joined as (
    select
        coalesce(test_results.node_id, quarantine.node_id) as node_id,
        coalesce(test_results.data_date, quarantine.data_date) as data_date,
        coalesce(test_results.tests_run, 0) as tests_run,
        coalesce(test_results.tests_passed, 0) as tests_passed,
        coalesce(test_results.tests_warned, 0) as tests_warned,
        coalesce(test_results.tests_failed, 0) as tests_failed,
        coalesce(test_results.failing_rows, 0) as failing_rows,
        coalesce(quarantine.rows_kept, 0) as rows_kept,
        coalesce(quarantine.rows_quarantined, 0) as rows_quarantined
    from test_results
    full outer join quarantine
        on test_results.node_id = quarantine.node_id
        and test_results.data_date = quarantine.data_date
),

rates as (
    select
        joined.*,
        100 * {{ safe_divide('joined.tests_passed', 'joined.tests_run') }} as test_pass_pct,
        100 * {{ safe_divide('joined.rows_quarantined', 'joined.rows_kept + joined.rows_quarantined') }} as quarantine_pct
    from joined
),

final as (
    select
        {{ dbt.hash(dbt.concat(['rates.node_id', "'|'", 'cast(rates.data_date as ' ~ dbt.type_string() ~ ')'])) }} as sla_key,
        rates.node_id,
        rates.data_date,
        rates.tests_run,
        rates.tests_passed,
        rates.tests_warned,
        rates.tests_failed,
        rates.failing_rows,
        rates.rows_kept,
        rates.rows_quarantined,
        rates.test_pass_pct,
        rates.quarantine_pct,
        cast({{ var('dq_test_pass_target_pct') }} as double) as test_pass_target_pct,
        cast({{ var('dq_quarantine_max_pct') }} as double) as quarantine_max_pct,
        coalesce(rates.test_pass_pct >= {{ var('dq_test_pass_target_pct') }}, true)
            and coalesce(rates.quarantine_pct <= {{ var('dq_quarantine_max_pct') }}, true) as is_sla_met
    from rates
)

select * from final
