{#
    Every input feature value of a production model in a current drift window (last_1d, last_7d),
    in the registry's encoding (macro model_feature_values): the current side of the PSI against the
    version's registered reference bins. Null values are kept: they fall in the null bin.
#}
with as_of as (
    select cast({{ as_of_timestamp() }} as date) as as_of_date
),

production_versions as (
    select * from {{ ref('tbl_ml_model_registry') }}
),

windows as (
    {{ drift_windows('as_of') }}
),

current_windows as (
    select * from windows
    where window_name <> 'reference'
),

model_feature_values as (
    {{ model_feature_values('production_versions', "(select min(window_start_date) from current_windows)") }}
),

final as (
    select
        model_feature_values.model_name,
        model_feature_values.model_version,
        model_feature_values.feature_name,
        model_feature_values.feature_kind,
        current_windows.window_name,
        current_windows.window_start_date,
        current_windows.window_end_date,
        model_feature_values.entity_id,
        model_feature_values.event_date,
        model_feature_values.feature_value
    from model_feature_values
    inner join current_windows
        on model_feature_values.event_date between current_windows.window_start_date and current_windows.window_end_date
)

select * from final
