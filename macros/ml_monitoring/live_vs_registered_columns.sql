{#
    The live-vs-registered column block of the model-monitoring views (vw_ml_model_performance per
    week, vw_ml_model_decay pooled): the live metrics of binary_classification_metrics rows
    (`metrics`), the version's registered metrics (`registry`: tbl_ml_model_registry rows) and how far
    apart they are. One definition, so the two views cannot disagree on a column.
#}
{% macro live_vs_registered_columns(metrics, registry) -%}
        {{ metrics }}.positives,
        {{ metrics }}.roc_auc as live_roc_auc,
        {{ metrics }}.log_loss as live_log_loss,
        {{ metrics }}.brier_score as live_brier_score,
        {{ metrics }}.mean_predicted,
        {{ metrics }}.observed_rate,
        {{ metrics }}.observed_rate - {{ metrics }}.mean_predicted as calibration_gap,
        {{ metrics }}.expected_calibration_error,
        {{ registry }}.model_roc_auc as registered_roc_auc,
        {{ registry }}.model_log_loss as registered_log_loss,
        {{ registry }}.model_brier_score as registered_brier_score,
        {{ registry }}.model_roc_auc - {{ metrics }}.roc_auc as roc_auc_drop,
        100 * {{ safe_divide(metrics ~ '.log_loss - ' ~ registry ~ '.model_log_loss', registry ~ '.model_log_loss') }}
            as log_loss_increase_pct
{%- endmacro %}
