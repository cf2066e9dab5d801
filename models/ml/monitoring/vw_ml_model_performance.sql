{#
    Model performance tracking: one row per model version and week of feature dates (Monday start)
    of its batch predictions, with the live ROC AUC, log loss, Brier score and calibration on the
    predictions whose labels are known, beside the metrics registered for the version (its
    evaluation window).
    - A week is matured when at most var model_label_pending_max_pct percent of its (non-void)
      predictions still wait for their label; the metrics of a week that is not matured are null
      (label_maturity maturing or pending), never zero: a half-labelled week is biased (late
      shipments are labelled before on-time ones).
    - monitoring_period: in_sample (the week starts before the evaluation window: the model saw
      those rows or their neighbours in training), evaluation (inside the registered evaluation
      window) or live (after it). Only out-of-sample weeks are judged.
#}
with outcomes as (
    select * from {{ ref('int_ml_prediction_outcomes') }}
),

registry as (
    select * from {{ ref('tbl_ml_model_registry') }}
),

weeks as (
    select
        model_name,
        model_version,
        week_start_date,
        count(*) as predictions,
        sum(case when label_state = 'known' then 1 else 0 end) as known_labels,
        sum(case when label_state = 'pending' then 1 else 0 end) as pending_labels,
        sum(case when label_state = 'void' then 1 else 0 end) as void_predictions
    from outcomes
    group by
        model_name,
        model_version,
        week_start_date
),

week_maturity as (
    select
        weeks.*,
        {{ safe_divide('100 * weeks.pending_labels', 'weeks.predictions - weeks.void_predictions') }} as pending_label_pct,
        case
            when weeks.known_labels = 0 then 'pending'
            when 100 * weeks.pending_labels
                <= {{ var('model_label_pending_max_pct') }} * (weeks.predictions - weeks.void_predictions) then 'matured'
            else 'maturing'
        end as label_maturity
    from weeks
),

matured_rows as (
    select
        outcomes.model_name,
        outcomes.model_version,
        outcomes.week_start_date,
        outcomes.score,
        outcomes.label_value
    from outcomes
    inner join week_maturity
        on outcomes.model_name = week_maturity.model_name
        and outcomes.model_version = week_maturity.model_version
        and outcomes.week_start_date = week_maturity.week_start_date
    where week_maturity.label_maturity = 'matured'
      and outcomes.label_state = 'known'
),

weekly_metrics as (
    {{ binary_classification_metrics('matured_rows', ['model_name', 'model_version', 'week_start_date']) }}
),

compared as (
    select
        week_maturity.model_name,
        week_maturity.model_version,
        week_maturity.week_start_date,
        case
            when week_maturity.week_start_date < registry.evaluation_start_date then 'in_sample'
            when week_maturity.week_start_date < registry.evaluation_end_date then 'evaluation'
            else 'live'
        end as monitoring_period,
        registry.is_production,
        week_maturity.predictions,
        week_maturity.known_labels,
        week_maturity.pending_labels,
        week_maturity.void_predictions,
        week_maturity.pending_label_pct,
        week_maturity.label_maturity,
        {{ live_vs_registered_columns('weekly_metrics', 'registry') }}
    from week_maturity
    inner join registry
        on week_maturity.model_name = registry.model_name
        and week_maturity.model_version = registry.model_version
    left join weekly_metrics
        on week_maturity.model_name = weekly_metrics.model_name
        and week_maturity.model_version = weekly_metrics.model_version
        and week_maturity.week_start_date = weekly_metrics.week_start_date
),

final as (
    select
        compared.*,
        case
            when label_maturity <> 'matured' then 'labels_pending'
            when monitoring_period = 'in_sample' then 'in_sample'
            else {{ model_decay_status('known_labels', 'positives', 'live_roc_auc', 'roc_auc_drop', 'log_loss_increase_pct') }}
        end as performance_status
    from compared
)

select * from final
