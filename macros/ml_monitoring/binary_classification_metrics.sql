{#
    ROC AUC, log loss, Brier score and calibration of scored rows, one row per group: a select over
    `scored_rows` (columns score, label_value 0/1 and the `group_by` columns).
    - ROC AUC by the rank-based Mann-Whitney formula, ties given their average rank (as
      scipy.stats.rankdata / sklearn.metrics.roc_auc_score): (sum of positives' ranks - P(P+1)/2) / (P·N);
      null unless both classes are present.
    - Log loss with scores clipped to [var model_log_loss_clip, 1 - clip], as modelops.evaluation.
    - Calibration: mean score beside the observed rate, and the expected calibration error over
      var model_calibration_bins equal-width score bins (sum of |mean score - observed rate| · bin share).
#}
{% macro binary_classification_metrics(scored_rows, group_by) -%}
    {%- set groups = group_by | join(', ') -%}
    {%- set clip = var('model_log_loss_clip') -%}
    {%- set bins = var('model_calibration_bins') -%}
    select
        {% for column in group_by -%}
        totals.{{ column }},
        {% endfor -%}
        totals.labelled_rows,
        totals.positives,
        totals.labelled_rows - totals.positives as negatives,
        case when totals.positives > 0 and totals.positives < totals.labelled_rows then
            {{ safe_divide('totals.positive_rank_sum - cast(totals.positives as double) * (totals.positives + 1) * 0.5',
                           'cast(totals.positives as double) * (totals.labelled_rows - totals.positives)') }}
        end as roc_auc,
        totals.log_loss,
        totals.brier_score,
        totals.mean_predicted,
        totals.observed_rate,
        calibration.expected_calibration_error
    from (
        select
            {{ groups }},
            count(*) as labelled_rows,
            sum(label_value) as positives,
            sum(case when label_value = 1 then score_rank else 0 end) as positive_rank_sum,
            avg(cast(-(label_value * ln(clipped_score) + (1 - label_value) * ln(1 - clipped_score)) as double)) as log_loss,
            avg(cast((score - label_value) * (score - label_value) as double)) as brier_score,
            avg(cast(score as double)) as mean_predicted,
            avg(cast(label_value as double)) as observed_rate
        from (
            select
                {{ groups }},
                score,
                label_value,
                rank() over (partition by {{ groups }} order by score)
                    + cast(count(*) over (partition by {{ groups }}, score) - 1 as double) * 0.5 as score_rank,
                least(greatest(score, {{ clip }}), 1 - {{ clip }}) as clipped_score
            from {{ scored_rows }}
        ) as ranked_rows
        group by {{ groups }}
    ) as totals
    inner join (
        select
            {{ groups }},
            {{ safe_divide('sum(abs(bin_mean_predicted - bin_observed_rate) * bin_rows)', 'sum(bin_rows)') }}
                as expected_calibration_error
        from (
            select
                {{ groups }},
                least(floor(score * {{ bins }}), {{ bins }} - 1) as calibration_bin,
                count(*) as bin_rows,
                avg(cast(score as double)) as bin_mean_predicted,
                avg(cast(label_value as double)) as bin_observed_rate
            from {{ scored_rows }}
            group by {{ groups }}, least(floor(score * {{ bins }}), {{ bins }} - 1)
        ) as calibration_bins
        group by {{ groups }}
    ) as calibration
        on {% for column in group_by -%}
        totals.{{ column }} = calibration.{{ column }}{% if not loop.last %} and {% endif %}
        {%- endfor %}
{%- endmacro %}
