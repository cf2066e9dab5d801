{#
    One row per day from first_date to last_date (both inclusive, DATE expressions that may read the
    columns of `bounds_relation`, a one-row relation), as column date_day. The numbers 0..99999 come
    from a cross join of five digit lists, so no engine-specific series function is needed
    (99,999 days ≈ 273 years).
#}
{% macro date_spine_days(bounds_relation, first_date, last_date) -%}
    with digits as (
        {%- for digit in range(10) %}
        select {{ digit }} as digit{% if not loop.last %} union all{% endif %}
        {%- endfor %}
    ),

    day_numbers as (
        select
            ones.digit
            + 10 * tens.digit
            + 100 * hundreds.digit
            + 1000 * thousands.digit
            + 10000 * ten_thousands.digit as day_number
        from digits as ones
        cross join digits as tens
        cross join digits as hundreds
        cross join digits as thousands
        cross join digits as ten_thousands
    )

    select
        cast({{ dbt.dateadd('day', 'day_numbers.day_number', first_date) }} as date) as date_day
    from day_numbers
    cross join {{ bounds_relation }}
    where day_numbers.day_number <= {{ timestamp_diff('day', first_date, last_date) }}
{%- endmacro %}
