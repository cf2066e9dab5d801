{#
    One row per (model version, feature, bin): how the version's training rows were distributed over
    quantile bins of each feature (plus a bin for nulls), the reference against which drift (PSI) is
    measured. A value v falls in a 'range' bin when (lower_bound is null or v > lower_bound) and
    (upper_bound is null or v <= upper_bound); a null value in the 'null' bin.
#}
{{ config(pre_hook="{{ create_ml_registry_landing() }}") }}

with reference_bins as (
    select * from {{ source('ml_registry', 'model_reference_bins') }}
),

final as (
    select
        model_name,
        model_version,
        feature_name,
        bin_index,
        bin_kind,
        lower_bound,
        upper_bound,
        reference_count,
        reference_share
    from reference_bins
)

select * from final
