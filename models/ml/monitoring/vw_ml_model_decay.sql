{#
    Decay status of each production model: one row per production version, its live metrics pooled
    over its last var model_decay_weeks matured out-of-sample weeks (vw_ml_model_performance;
    evaluation and live periods), recomputed from the rows (an AUC does not average over weeks),
    beside the registered metrics. labels_pending while no out-of-sample week has matured.
#}
with performance as (
    select * from {{ ref('vw_ml_model_performance') }}
),

outcomes as (
    select * from {{ ref('int_ml_prediction_outcomes') }}
),

registry as (
    select * from {{ ref('tbl_ml_model_registry') }}
    where is_production
),

judged_weeks as (
    select
        model_name,
        model_version,
        week_start_date
    from performance
    where is_production
      and label_maturity = 'matured'
      and monitoring_period <> 'in_sample'
    qualify row_number() over (
        partition by model_name, model_version order by week_start_date desc
    ) <= {{ var('model_decay_weeks') }}
),

judged_span as (
    select
        model_name,
        model_version,
        count(*) as judged_weeks,
        min(week_start_date) as first_judged_week_start_date,
        max(week_start_date) as last_judged_week_start_date
    from judged_weeks
    group by
        model_name,
        model_version
),

judged_rows as (
    select
        outcomes.model_name,
        outcomes.model_version,
        outcomes.score,
        outcomes.label_value
    from outcomes
    inner join judged_weeks
        on outcomes.model_name = judged_weeks.model_name
        and outcomes.model_version = judged_weeks.model_version
        and outcomes.week_start_date = judged_weeks.week_start_date
    where outcomes.label_state = 'known'
),

pooled_metrics as (
    {{ binary_classification_metrics('judged_rows', ['model_name', 'model_version']) }}
),

compared as (
    select
        registry.model_name,
        registry.model_version,
        coalesce(judged_span.judged_weeks, 0) as judged_weeks,
        judged_span.first_judged_week_start_date,
        judged_span.last_judged_week_start_date,
        coalesce(pooled_metrics.labelled_rows, 0) as labelled_rows,
        {{ live_vs_registered_columns('pooled_metrics', 'registry') }}
    from registry
    left join judged_span
        on registry.model_name = judged_span.model_name
        and registry.model_version = judged_span.model_version
    left join pooled_metrics
        on registry.model_name = pooled_metrics.model_name
        and registry.model_version = pooled_metrics.model_version
),

final as (
    select
        compared.*,
        case
            when judged_weeks = 0 then 'labels_pending'
            else {{ model_decay_status('labelled_rows', 'positives', 'live_roc_auc', 'roc_auc_drop', 'log_loss_increase_pct') }}
        end as decay_status
    from compared
)

select * from final
