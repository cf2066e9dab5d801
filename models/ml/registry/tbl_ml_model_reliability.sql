{#
    One row per (model version, scorer, score bin): the reliability table of the model, its baseline
    and its oracle on the evaluation rows (equal-count bins of the score), so calibration can be
    read beside discrimination.
#}
{{ config(pre_hook="{{ create_ml_registry_landing() }}") }}

with reliability_bins as (
    select * from {{ source('ml_registry', 'model_reliability_bins') }}
),

final as (
    select
        model_name,
        model_version,
        scorer,
        bin_index,
        lower_bound,
        upper_bound,
        row_count,
        mean_predicted,
        observed_rate,
        observed_rate - mean_predicted as calibration_gap
    from reliability_bins
)

select * from final
