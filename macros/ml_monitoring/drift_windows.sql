{#
    The drift windows as rows (window_name, window_start_date, window_end_date), calendar days ending
    at the as-of date: reference (var drift_reference_days days before the last 7), last_1d (the
    as-of day) and last_7d. A select over a relation `as_of` with the column as_of_date.
#}
{% macro drift_windows(as_of) -%}
    select
        'reference' as window_name,
        cast({{ dbt.dateadd('day', -(6 + var('drift_reference_days')), as_of ~ '.as_of_date') }} as date) as window_start_date,
        cast({{ dbt.dateadd('day', -7, as_of ~ '.as_of_date') }} as date) as window_end_date
    from {{ as_of }}
    union all
    select
        'last_1d' as window_name,
        {{ as_of }}.as_of_date as window_start_date,
        {{ as_of }}.as_of_date as window_end_date
    from {{ as_of }}
    union all
    select
        'last_7d' as window_name,
        cast({{ dbt.dateadd('day', -6, as_of ~ '.as_of_date') }} as date) as window_start_date,
        {{ as_of }}.as_of_date as window_end_date
    from {{ as_of }}
{%- endmacro %}
