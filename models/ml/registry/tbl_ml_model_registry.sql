{#
    One row per registered model version: what it was trained on, its artefact, its current stage
    and its headline metrics beside its naive baseline's and its oracle's on the same evaluation
    rows, with the share of the baseline-to-oracle distance the model closes.
#}
{{ config(pre_hook="{{ create_ml_registry_landing() }}") }}

with versions as (
    select * from {{ source('ml_registry', 'model_versions') }}
),

transitions as (
    select * from {{ source('ml_registry', 'model_stage_transitions') }}
),

evaluations as (
    select * from {{ source('ml_registry', 'model_evaluations') }}
),

latest_stage as (
    select
        model_name,
        model_version,
        to_stage as stage,
        transitioned_at as stage_since_at
    from transitions
    qualify row_number() over (partition by model_name, model_version order by transition_number desc) = 1
),

headline_metrics as (
    select
        model_name,
        model_version,
        {%- for scorer in ['model', 'baseline', 'oracle'] %}
        {%- for metric in ['roc_auc', 'pr_auc', 'log_loss', 'brier_score'] %}
        max(case when scorer = '{{ scorer }}' and metric_name = '{{ metric }}' then metric_value end)
            as {{ scorer }}_{{ metric }},
        {%- endfor %}
        {%- endfor %}
        max(case when scorer = 'baseline' then scorer_description end) as baseline_description,
        max(case when scorer = 'oracle' then scorer_description end) as oracle_description
    from evaluations
    group by
        model_name,
        model_version
),

final as (
    select
        -- ids
        versions.model_name,
        versions.model_version,
        -- strings
        latest_stage.stage,
        versions.algorithm,
        versions.library_versions,
        versions.entity_type,
        versions.label_name,
        versions.feature_set_version,
        versions.feature_names,
        versions.feature_categories,
        versions.hyperparameters,
        versions.artefact_sha256,
        versions.artefact_format,
        headline_metrics.baseline_description,
        headline_metrics.oracle_description,
        -- numerics
        versions.random_seed,
        versions.artefact_bytes,
        versions.training_rows,
        versions.training_positives,
        versions.evaluation_rows,
        versions.evaluation_positives,
        {%- for scorer in ['model', 'baseline', 'oracle'] %}
        {%- for metric in ['roc_auc', 'pr_auc', 'log_loss', 'brier_score'] %}
        headline_metrics.{{ scorer }}_{{ metric }},
        {%- endfor %}
        {%- endfor %}
        {{ safe_divide('headline_metrics.model_roc_auc - headline_metrics.baseline_roc_auc',
                       'headline_metrics.oracle_roc_auc - headline_metrics.baseline_roc_auc') }}
            as roc_auc_gap_closed_share,
        {{ safe_divide('headline_metrics.baseline_log_loss - headline_metrics.model_log_loss',
                       'headline_metrics.baseline_log_loss - headline_metrics.oracle_log_loss') }}
            as log_loss_gap_closed_share,
        -- booleans
        latest_stage.stage = 'production' as is_production,
        -- dates and timestamps
        versions.training_start_date,
        versions.training_end_date,
        versions.evaluation_start_date,
        versions.evaluation_end_date,
        versions.registered_at,
        latest_stage.stage_since_at
    from versions
    inner join latest_stage
        on versions.model_name = latest_stage.model_name
       and versions.model_version = latest_stage.model_version
    inner join headline_metrics
        on versions.model_name = headline_metrics.model_name
       and versions.model_version = headline_metrics.model_version
)

select * from final
