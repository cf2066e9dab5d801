{#
    One row per (model, version, entity, feature date): the batch score of a production model
    version for an entity as of its feature row, written by `just score` (modelops/scoring.py).
    scored_at is the data's clock at scoring (the latest feature row's end), never the wall clock.

    Incremental: each scoring batch adds the entity-days that batch scored; the merge key makes a
    re-delivered batch idempotent.
#}
{{ config(
    materialized='incremental',
    incremental_strategy='merge',
    unique_key=['model_name', 'model_version', 'entity_type', 'entity_id', 'feature_date'],
    on_schema_change='fail',
    pre_hook="{{ create_ml_registry_landing() }}"
) }}

with predictions as (
    select * from {{ source('ml_registry', 'predictions') }}
    {%- if is_incremental() %}
    where scoring_batch > (select coalesce(max(this_batch.scoring_batch), 0) from {{ this }} as this_batch)
    {%- endif %}
),

final as (
    select
        -- ids
        model_name,
        model_version,
        entity_type,
        entity_id,
        -- numerics
        score,
        scoring_batch,
        -- dates and timestamps
        feature_date,
        feature_at,
        scored_at
    from predictions
)

select * from final
