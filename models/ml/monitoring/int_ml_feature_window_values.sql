{#
    Every monitored feature value that falls in a drift window, tagged with the window: the
    reference window (var drift_reference_days days before the last 7) and the current windows
    last_1d (the as-of day) and last_7d, calendar days ending at the as-of date.
#}
with as_of as (
    select cast({{ as_of_timestamp() }} as date) as as_of_date
),

feature_values as (
    {{ monitored_feature_values() }}
),

windows as (
    {{ drift_windows('as_of') }}
),

windowed_values as (
    select
        row_number() over (
            order by windows.window_name, feature_values.feature_name, feature_values.event_date,
                feature_values.numeric_value, feature_values.category_value
        ) as window_value_id,
        feature_values.feature_name,
        feature_values.feature_kind,
        feature_values.feature_set,
        windows.window_name,
        windows.window_start_date,
        windows.window_end_date,
        feature_values.numeric_value,
        feature_values.category_value
    from feature_values
    inner join windows
        on feature_values.event_date between windows.window_start_date and windows.window_end_date
    where feature_values.numeric_value is not null
       or feature_values.category_value is not null
)

select * from windowed_values
